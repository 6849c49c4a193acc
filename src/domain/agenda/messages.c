/* The messages of an appointment: confirmation (with the .ics invitation
 * and the link to cancel or change it), cancellation and reminder. They go
 * through the outbox (domain/notify) inside the transaction of the fact
 * that causes them. The invitation is built with libical; times are UTC
 * (no VTIMEZONE needed, every client shows them in its own zone). */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "domain/agenda/agenda.h"
#include "domain/agenda/agenda_internal.h"
#include "domain/agenda/agenda_store.h"
#include "domain/notify/notify.h"

static const char *const MONTHS[] = {"gennaio", "febbraio", "marzo",     "aprile",
                                     "maggio",  "giugno",   "luglio",    "agosto",
                                     "settembre", "ottobre", "novembre", "dicembre"};

const char *ag_when_it(arena *a, int64_t utc) {
  char iso[20];
  ag_local_iso_format(utc, iso);
  civil_date d;
  iso[10] = 0;
  if (date_parse_iso(iso, &d) != 0) return "";
  return arena_printf(a, "%s %d %s %d alle %.5s", ag_weekday_it(date_weekday(d)), d.d,
                      MONTHS[d.m - 1], d.y, iso + 11);
}

const char *ag_manage_url(arena *a, const char *slug, const char *token) {
  const char *base = config_str("server", "base_url");
  size_t n = strlen(base);
  while (n && base[n - 1] == '/') n--;
  return arena_printf(a, "%.*s/enti/%s/prenotazione/%s", (int)n, base, slug, token);
}

static struct icaltimetype utc_time(int64_t t) {
  return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

char *agenda_ics(arena *a, const ente *e, const ag_appt *ap, int cancel) {
  icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Sportello//Agenda//IT"));
  icalcomponent_add_property(cal, icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL
                                                                 : ICAL_METHOD_REQUEST));
  icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  const char *domain = config_str("mail", "domain");
  char *uid = arena_printf(a, "appuntamento-%lld-%lld@%s", (long long)ap->ente_id,
                           (long long)ap->id, domain);
  icalcomponent_add_property(ev, icalproperty_new_uid(uid));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(clock_now())));
  icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(ap->start)));
  icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(ap->end)));
  icalcomponent_add_property(ev, icalproperty_new_sequence(cancel ? 1 : 0));
  icalcomponent_add_property(ev, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED
                                                                : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_property(
      ev, icalproperty_new_summary(arena_printf(a, "Appuntamento: %s - %s",
                                                ap->topic_name ? ap->topic_name : "",
                                                e->name)));
  const char *where = ap->video ? "Videochiamata (il collegamento è nella mail di conferma)"
                                : (ap->place && *ap->place
                                       ? arena_printf(a, "%s, %s", ap->counter_name, ap->place)
                                       : ap->counter_name);
  icalcomponent_add_property(ev, icalproperty_new_location(where ? where : ""));
  icalcomponent_add_property(
      ev, icalproperty_new_description(arena_printf(
              a, "Appuntamento con lo sportello di %s per: %s.", e->name,
              ap->topic_name ? ap->topic_name : "")));
  const char *org = e->mail_info && *e->mail_info ? e->mail_info : config_str("mail", "from");
  icalcomponent_add_property(ev, icalproperty_new_organizer(arena_printf(a, "mailto:%s", org)));
  if (ap->email && *ap->email) {
    icalproperty *att = icalproperty_new_attendee(arena_printf(a, "mailto:%s", ap->email));
    icalproperty_add_parameter(att, icalparameter_new_cn(ap->name));
    icalcomponent_add_property(ev, att);
  }
  icalcomponent_add_component(cal, ev);
  char *s = icalcomponent_as_ical_string_r(cal);
  icalcomponent_free(cal);
  if (!s) return NULL;
  char *out = arena_strdup(a, s);
  free(s);
  return out;
}

/* The one way out for the agenda's messages: the outbox, in the caller's
 * transaction. Without an e-mail address there is nothing to send by
 * mail (the reminder may still go by SMS: sms_put). */
static err_code outbox_put(db *d, arena *a, const ente *e, const ag_appt *ap, const char *subject,
                           const char *text, const char *ics, int cancel) {
  if (!ap->email || !*ap->email) return ERR_OK;
  notify_mail m = {0};
  m.ente_id = e->id;
  m.channel = "email";
  m.from = e->mail_info && *e->mail_info ? e->mail_info : config_str("mail", "from");
  m.to = ap->email;
  m.subject = subject;
  m.text = text;
  m.auto_submitted = "auto-generated";
  m.object_type = "agenda_appointment";
  m.object_id = ap->id;
  notify_attachment att = {0};
  if (ics) {
    att.name = cancel ? "annullamento.ics" : "appuntamento.ics";
    att.mime = cancel ? "text/calendar; method=CANCEL; charset=UTF-8"
                      : "text/calendar; method=REQUEST; charset=UTF-8";
    att.data = ics;
    att.size = (int64_t)strlen(ics);
    m.att = &att;
    m.n_att = 1;
  }
  problem pb = {0};
  err_code rc = notify_enqueue_mail(d, a, &m, &pb);
  /* an address the outbox refuses was already validated at booking; a
   * refusal here must not undo the booking */
  if (rc == ERR_INVALID) {
    err_cause("agenda: outbox refused the message for appointment %lld (%s)", (long long)ap->id,
              pb.field ? pb.field : "?");
    return ERR_OK;
  }
  return rc;
}

/* The SMS twin of outbox_put, for a booking with a mobile whose owner
 * consented to SMS, when a gateway is configured. */
static err_code sms_put(db *d, arena *a, const ente *e, const ag_appt *ap, const char *subject,
                        const char *text) {
  if (!ap->mobile || !*ap->mobile || !ap->sms_consent || !*config_str("sms", "gateway_url")) return ERR_OK;
  notify_mail m = {0};
  m.ente_id = e->id;
  m.channel = "sms";
  m.to = ap->mobile;
  m.subject = subject;
  m.text = text;
  m.object_type = "agenda_appointment";
  m.object_id = ap->id;
  problem pb = {0};
  err_code rc = notify_enqueue_mail(d, a, &m, &pb);
  if (rc == ERR_INVALID) { /* the mobile was validated at booking: never undo the reminder */
    err_cause("agenda: outbox refused the SMS for appointment %lld (%s)", (long long)ap->id,
              pb.field ? pb.field : "?");
    return ERR_OK;
  }
  return rc;
}

static const char *where_text(arena *a, const ag_appt *ap) {
  if (ap->video) return "in videochiamata con un operatore";
  if (ap->place && *ap->place) return arena_printf(a, "presso %s, %s", ap->counter_name, ap->place);
  return arena_printf(a, "presso %s", ap->counter_name);
}

/* The link of the video room: the room id is its only key, shown here
 * once (the database keeps its hash). */
static const char *video_text(arena *a, const ente *e, const ag_appt *ap) {
  if (!ap->video || !ap->room_id) return "";
  const char *base = config_str("server", "base_url");
  size_t n = strlen(base);
  while (n && base[n - 1] == '/') n--;
  return arena_printf(a,
                      "Per entrare nella videochiamata usi questo collegamento (personale, non lo "
                      "inoltri); la stanza si apre pochi minuti prima dell'appuntamento:\n"
                      "%.*s/enti/%s/video/%s\n\n",
                      (int)n, base, e->slug, ap->room_id);
}

err_code ag_send_confirmation(db *d, arena *a, const ente *e, const ag_appt *ap, const char *token,
                              int changed) {
  const char *ics = agenda_ics(a, e, ap, 0);
  if (!ics) return ERR_INTERNAL;
  const char *text = arena_printf(
      a,
      "Gentile %s,\n\n"
      "%s il Suo appuntamento con lo sportello di %s.\n\n"
      "Argomento: %s\nQuando: %s\nDove: %s\n\n%s"
      "Per annullarlo o spostarlo usi questo collegamento (personale, non lo inoltri):\n%s\n\n"
      "In allegato l'invito da aggiungere al calendario.\n"
      "Messaggio generato automaticamente: non è necessario rispondere.\n",
      ap->name, changed ? "abbiamo spostato" : "confermiamo", e->name, ap->topic_name,
      ag_when_it(a, ap->start), where_text(a, ap), video_text(a, e, ap),
      ag_manage_url(a, e->slug, token));
  const char *subject = arena_printf(a, "%s appuntamento del %s - %s",
                                     changed ? "Spostamento:" : "Conferma", ag_when_it(a, ap->start),
                                     e->name);
  return outbox_put(d, a, e, ap, subject, text, ics, 0);
}

err_code ag_send_cancellation(db *d, arena *a, const ente *e, const ag_appt *ap) {
  const char *ics = agenda_ics(a, e, ap, 1);
  if (!ics) return ERR_INTERNAL;
  const char *text = arena_printf(a,
                                  "Gentile %s,\n\n"
                                  "il Suo appuntamento del %s con lo sportello di %s (%s) è "
                                  "stato annullato.\n\n"
                                  "Messaggio generato automaticamente: non è necessario "
                                  "rispondere.\n",
                                  ap->name, ag_when_it(a, ap->start), e->name, ap->topic_name);
  const char *subject = arena_printf(a, "Annullamento appuntamento del %s - %s",
                                     ag_when_it(a, ap->start), e->name);
  return outbox_put(d, a, e, ap, subject, text, ics, 1);
}

typedef struct {
  arena *a;
  int64_t ente_id, id, now;
} remind_tx;

static err_code remind_tx_fn(db *d, void *ctx) {
  remind_tx *t = ctx;
  ag_appt ap;
  ente e;
  err_code rc = as_appt_get(d, t->a, t->ente_id, t->id, &ap);
  if (rc == ERR_NOT_FOUND) return ERR_OK; /* nothing to remind */
  if (rc != ERR_OK) return rc;
  if (ap.state != AG_BOOKED || ap.start <= t->now) return ERR_OK;
  if ((rc = ente_get(d, t->a, t->ente_id, &e)) != ERR_OK) return rc;
  const char *text = arena_printf(
      t->a,
      "Gentile %s,\n\n"
      "Le ricordiamo l'appuntamento con lo sportello di %s.\n\n"
      "Argomento: %s\nQuando: %s\nDove: %s\n\n"
      "Se non può venire, lo annulli con il collegamento ricevuto nella mail di conferma.\n"
      "Messaggio generato automaticamente: non è necessario rispondere.\n",
      ap.name, e.name, ap.topic_name, ag_when_it(t->a, ap.start), where_text(t->a, &ap));
  const char *subject = arena_printf(t->a, "Promemoria: appuntamento del %s - %s",
                                     ag_when_it(t->a, ap.start), e.name);
  if ((rc = outbox_put(d, t->a, &e, &ap, subject, text, agenda_ics(t->a, &e, &ap, 0), 0)) != ERR_OK) return rc;
  return sms_put(d, t->a, &e, &ap, subject,
                 arena_printf(t->a, "%s: promemoria appuntamento %s, %s. Per annullarlo usi il link ricevuto "
                                    "per e-mail.",
                              e.name, ag_when_it(t->a, ap.start), where_text(t->a, &ap)));
}

err_code agenda_remind(db *d, arena *a, int64_t ente_id, int64_t id, int64_t now) {
  remind_tx t = {a, ente_id, id, now};
  return db_tx(d, remind_tx_fn, &t);
}

/* The link of a booking (/enti/{ente}/prenotazione/{token}): the
 * appointment, and the forms to cancel it or move it to another slot of
 * the same topic. The token is the only key (unguessable, 256 bits; only
 * its SHA-256 is stored); a wrong one is a plain 404. */
#include <string.h>

#include "core/clock.h"
#include "domain/agenda/agenda.h"
#include "web/portal/booking_view.h"

static const saved_notice OUTCOMES[] = {
    {"prenotato", "Prenotazione confermata. Ti abbiamo inviato la conferma con l'invito per il "
                  "calendario. Conserva questa pagina: serve per annullare o spostare."},
    {"annullato", "Appuntamento annullato."},
    {"spostato", "Appuntamento spostato: ti abbiamo inviato la nuova conferma."},
};

static const char *token_of(request *rq) { return rq->params[1]; }

static void appt_details(request *rq, html *h, const ag_appt *ap) {
  arena *a = rq->a;
  char when[20];
  ag_local_iso_format(ap->start, when);
  civil_date d;
  when[10] = 0;
  date_parse_iso(when, &d);
  char it[11];
  date_format_it(d, it);
  dl_begin(h);
  dl_row(h, "Argomento", ap->topic_name, NULL);
  dl_row(h, "Giorno", arena_printf(a, "%s %s", ag_weekday_it(date_weekday(d)), it), NULL);
  dl_row(h, "Ora", arena_printf(a, "%.5s", when + 11), NULL);
  dl_row(h, "Dove", ap->video ? "In videochiamata con un operatore"
                              : (ap->place ? arena_printf(a, "%s, %s", ap->counter_name, ap->place)
                                           : ap->counter_name),
         NULL);
  dl_row(h, "Intestato a", ap->name, NULL);
  dl_row(h, "Stato", ag_state_label_it(ap->state), NULL);
  dl_end(h);
}

err_code page_booking_manage(request *rq, response *rs) {
  ag_appt ap;
  err_code rc = agenda_by_token(rq->db, rq->a, rq->ente->id, token_of(rq), &ap);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = booking_page_info(rq, "La tua prenotazione", &p)) != ERR_OK) return rc;
  p.notice = saved_notice_for(OUTCOMES, sizeof OUTCOMES / sizeof OUTCOMES[0], rq_query(rq, "esito"));
  WEB_TRAIL(rq, &p, {rq->ente->name, url_ente_page(rq->a, rq->ente->slug)},
            {"La tua prenotazione", NULL});
  html h = web_begin(rq, rs, &p);
  appt_details(rq, &h, &ap);
  if (ap.video && (ap.state == AG_BOOKED || ap.state == AG_ATTENDED)) {
    html_open(&h, "div", HA("class", "mt-4"));
    button_link(&h, "Entra nella videochiamata", url_video_token(rq->a, rq->ente->slug, token_of(rq)),
                BTN_PRIMARY);
    html_close(&h, "div");
  }
  if (ap.state == AG_BOOKED && ap.start > clock_now()) {
    html_open(&h, "div", HA("class", "d-flex flex-wrap gap-3 mt-4"));
    button_link(&h, "Sposta l'appuntamento",
                url_booking_change(rq->a, rq->ente->slug, token_of(rq), NULL), BTN_SECONDARY);
    form_begin(&h, url_booking_cancel(rq->a, rq->ente->slug, token_of(rq)), rq->csrf);
    html_elem(&h, "button", "Annulla l'appuntamento", HA("type", "submit"),
              HA("class", "btn btn-outline-danger"));
    form_end(&h);
    html_close(&h, "div");
  }
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_booking_cancel(request *rq, response *rs) {
  err_code rc = agenda_cancel(rq->db, rq->a, rq->ente, &rq->who, token_of(rq));
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, url_booking_manage(rq->a, rq->ente->slug, token_of(rq), "annullato"));
}

typedef struct {
  const char *token;
} change_ctx;

static const char *week_href(request *rq, const void *ctx, const char *week) {
  const change_ctx *c = ctx;
  return url_booking_change(rq->a, rq->ente->slug, c->token, week);
}

static err_code render_change(request *rq, response *rs, const ag_appt *ap, const problem *errs,
                              size_t n, const char *alert, int status) {
  arena *a = rq->a;
  page_info p;
  err_code rc = booking_page_info(rq, "Sposta l'appuntamento", &p);
  if (rc != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {rq->ente->name, url_ente_page(a, rq->ente->slug)},
            {"La tua prenotazione", url_booking_manage(a, rq->ente->slug, token_of(rq), NULL)},
            {"Sposta", NULL});
  rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (alert) html_elem(&h, "div", alert, HA("class", "alert alert-warning"), HA("role", "alert"));
  appt_details(rq, &h, ap);
  ag_topic t = {ap->topic_id, ap->topic_code, ap->topic_name};
  civil_date monday = booking_week_param(rq);
  char week[9];
  ag_iso_week_format(monday, week);
  form_begin_errors(&h, url_booking_change(a, rq->ente->slug, token_of(rq), NULL), rq->csrf, errs, n);
  html_void(&h, "input", HA("type", "hidden"), HA("name", "settimana"), HA("value", week));
  change_ctx cc = {token_of(rq)};
  booking_week w = {&t, -1, monday, 0, NULL, week_href, &cc};
  if ((rc = booking_week_write(rq, &h, &w)) != ERR_OK) return rc;
  form_submit(&h, "Sposta qui l'appuntamento");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

static err_code open_appt(request *rq, ag_appt *ap) {
  err_code rc = agenda_by_token(rq->db, rq->a, rq->ente->id, token_of(rq), ap);
  if (rc != ERR_OK) return rc;
  if (ap->state != AG_BOOKED || ap->start <= clock_now()) return ERR_APPOINTMENT_CLOSED;
  return ERR_OK;
}

err_code page_booking_change(request *rq, response *rs) {
  ag_appt ap;
  err_code rc = open_appt(rq, &ap);
  if (rc != ERR_OK) return rc;
  return render_change(rq, rs, &ap, NULL, 0, NULL, 200);
}

err_code page_booking_change_post(request *rq, response *rs) {
  ag_appt ap;
  err_code rc = open_appt(rq, &ap);
  if (rc != ERR_OK) return rc;
  int64_t counter, start;
  int video;
  if (booking_slot_parse(rq_form(rq, "start"), &counter, &video, &start) != 0) {
    problem pb = {ERR_INVALID, "start", "Scegli un giorno e un'ora tra quelli liberi."};
    return render_change(rq, rs, &ap, &pb, 1, NULL, 422);
  }
  ag_appt moved;
  problem pb = {0};
  rc = agenda_change(rq->db, rq->a, rq->ente, &rq->who, token_of(rq), counter, video, start, &moved,
                     &pb);
  if (rc == ERR_INVALID) return render_change(rq, rs, &ap, &pb, 1, NULL, 422);
  if (rc == ERR_SLOT_FULL) return render_change(rq, rs, &ap, NULL, 0, err_message_it(rc), 409);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, url_booking_manage(rq->a, rq->ente->slug, token_of(rq), "spostato"));
}

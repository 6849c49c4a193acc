/* The week of slots, its navigation and the person's fields, shared by the
 * booking pages (see booking_view.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "web/portal/booking_view.h"

civil_date booking_week_param(request *rq) {
  civil_date m;
  const char *w = rq_query(rq, "settimana");
  if (!w) w = rq_form(rq, "settimana");
  civil_date today = date_today_rome(clock_now());
  civil_date this_monday = date_add_days(today, 1 - date_weekday(today));
  if (!w || ag_iso_week_parse(w, &m) != 0 || date_cmp(m, this_monday) < 0) return this_monday;
  return m;
}

int booking_slot_parse(const char *v, int64_t *counter, int *video, int64_t *start) {
  if (!v || strlen(v) > 40) return -1;
  char *end;
  long long c = strtoll(v, &end, 10);
  if (end == v || *end != '-' || c < 1) return -1;
  const char *p = end + 1;
  if ((p[0] != '0' && p[0] != '1') || p[1] != '-') return -1;
  long long s = strtoll(p + 2, &end, 10);
  if (end == p + 2 || *end || s < 0) return -1;
  *counter = c;
  *video = p[0] - '0';
  *start = s;
  return 0;
}

static const char *day_label(arena *a, civil_date d) {
  static const char *const months[] = {"gennaio", "febbraio", "marzo",     "aprile",
                                       "maggio",  "giugno",   "luglio",    "agosto",
                                       "settembre", "ottobre", "novembre", "dicembre"};
  return arena_printf(a, "%s %d %s", ag_weekday_it(date_weekday(d)), d.d, months[d.m - 1]);
}

static const char *counter_name(const ag_counter *cs, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (cs[i].id == id) return cs[i].name;
  return "";
}

err_code booking_week_write(request *rq, html *h, const booking_week *w) {
  arena *a = rq->a;
  const ente *e = rq->ente;
  ag_slot_query q = {w->topic->id, 0, w->video, w->monday, date_add_days(w->monday, 6),
                     clock_now(), w->staff};
  ag_slot *sl;
  size_t n;
  ag_counter *cs;
  size_t nc;
  ag_closure *cl;
  size_t ncl;
  char mon_iso[11];
  date_format_iso(w->monday, mon_iso);
  err_code rc = agenda_slots(rq->db, a, e, &q, &sl, &n);
  if (rc == ERR_OK) rc = agenda_counter_list(rq->db, a, e->id, &cs, &nc);
  if (rc == ERR_OK) rc = agenda_closure_list(rq->db, a, e->id, mon_iso, &cl, &ncl);
  if (rc != ERR_OK) return rc;
  int several = 0; /* several counters or modes: name them beside the time */
  for (size_t i = 1; i < n; i++)
    if (sl[i].counter_id != sl[0].counter_id || sl[i].video != sl[0].video) several = 1;

  /* week navigation */
  civil_date today = date_today_rome(clock_now());
  civil_date this_monday = date_add_days(today, 1 - date_weekday(today));
  char prev[9], next[9], from_it[11], to_it[11];
  ag_iso_week_format(date_add_days(w->monday, -7), prev);
  ag_iso_week_format(date_add_days(w->monday, 7), next);
  date_format_it(w->monday, from_it);
  date_format_it(date_add_days(w->monday, 5), to_it);
  html_open(h, "nav", HA("class", "d-flex flex-wrap gap-3 align-items-center mb-3"),
            HA("aria-label", "Settimane"));
  if (date_cmp(w->monday, this_monday) > 0)
    html_elem(h, "a", "Settimana precedente", HA("href", w->week_href(rq, w->ctx, prev)));
  html_elem(h, "span", arena_printf(a, "Settimana dal %s al %s", from_it, to_it),
            HA("class", "fw-semibold"));
  html_elem(h, "a", "Settimana successiva", HA("href", w->week_href(rq, w->ctx, next)));
  html_close(h, "nav");

  const char *err = form_error_for(h, "start");
  html_open(h, "fieldset", HA("id", "f-start"), HA("class", "mb-4 sp-week"),
            HA("aria-describedby", err ? "f-start-error" : NULL));
  html_elem(h, "legend", "Scegli giorno e ora", HA("class", "h5"));
  form_group_error(h, "start", err);
  work_calendar cal;
  ag_calendar(e, &cal);
  size_t si = 0, free_total = 0;
  for (int dw = 0; dw < 6; dw++) {
    civil_date day = date_add_days(w->monday, dw);
    int64_t d0 = ag_local_to_utc(day, 0), d1 = ag_local_to_utc(date_add_days(day, 1), 0);
    html_open(h, "fieldset", HA("class", "mb-3"));
    html_elem(h, "legend", day_label(a, day), HA("class", "h6"));
    const char *holiday = NULL;
    const ag_closure *closed = ag_closed_on(cl, ncl, -1, day); /* Ente-wide closures */
    size_t shown = 0;
    while (si < n && sl[si].start < d0) si++;
    for (; si < n && sl[si].start < d1; si++, shown++) {
      const ag_slot *s = &sl[si];
      char when[20];
      ag_local_iso_format(s->start, when);
      const char *value = arena_printf(a, "%lld-%d-%lld", (long long)s->counter_id, s->video,
                                       (long long)s->start);
      const char *id = arena_printf(a, "o-%s", value);
      const char *label = arena_printf(a, "%.5s", when + 11);
      if (several)
        label = arena_printf(a, "%s, %s", label,
                             s->video ? "videochiamata" : counter_name(cs, nc, s->counter_id));
      if (s->available <= 0) label = arena_printf(a, "%s (occupato)", label);
      else free_total++;
      html_open(h, "div", HA("class", "form-check form-check-inline"));
      html_void(h, "input", HA("type", "radio"), HA("name", "start"), HA("id", id),
                HA("value", value), HBOOL("disabled", s->available <= 0),
                HBOOL("checked", w->selected && strcmp(w->selected, value) == 0),
                HA("aria-invalid", err ? "true" : NULL));
      html_elem(h, "label", label, HA("for", id));
      html_close(h, "div");
    }
    if (!shown) {
      const char *why = "Nessun orario disponibile.";
      if (cal_is_holiday(&cal, day, &holiday)) why = arena_printf(a, "Festivo: %s.", holiday);
      else if (closed) why = arena_printf(a, "Sportelli chiusi: %s.", closed->reason);
      html_elem(h, "p", why, HA("class", "text-muted mb-0"));
    }
    html_close(h, "fieldset");
  }
  if (!free_total)
    html_elem(h, "p", "In questa settimana non ci sono orari liberi: prova la settimana successiva.",
              HA("class", "alert alert-info"), HA("role", "status"));
  html_close(h, "fieldset");
  return ERR_OK;
}

void booking_person_fields(request *rq, html *h, int staff) {
  form_field name = {.name = "name", .label = "Nome e cognome", .value = rq_form(rq, "name"),
                     .required = 1, .autocomplete = "name", .maxlength = 150};
  form_input(h, &name);
  form_field cf = {.name = "fiscal_code", .label = "Codice fiscale", .value = rq_form(rq, "fiscal_code"),
                   .required = 1, .maxlength = 16, .hint = "16 caratteri, come sulla tessera sanitaria."};
  form_input(h, &cf);
  form_field em = {.name = "email", .label = "E-mail", .type = "email", .value = rq_form(rq, "email"),
                   .autocomplete = "email", .maxlength = 254,
                   .hint = staff ? "E-mail o cellulare: almeno uno."
                                 : "Riceverai la conferma con l'invito per il calendario e il "
                                   "collegamento per annullare o spostare. E-mail o cellulare: "
                                   "almeno uno."};
  form_input(h, &em);
  form_field mo = {.name = "mobile", .label = "Cellulare", .type = "tel", .value = rq_form(rq, "mobile"),
                   .autocomplete = "tel", .maxlength = 30};
  form_input(h, &mo);
  form_checkbox(h, "sms_consent", "Voglio ricevere il promemoria anche per SMS",
                rq_form(rq, "sms_consent") != NULL);
  form_field re = {.name = "reason", .label = "Motivo dell'appuntamento (facoltativo)",
                   .value = rq_form(rq, "reason"), .maxlength = 500,
                   .hint = "Una frase: ci aiuta a preparare la pratica."};
  form_input(h, &re);
  if (staff) {
    static const form_option ch[] = {{"counter", "Allo sportello"}, {"phone", "Al telefono"}};
    form_field fc = {.name = "channel", .label = "Richiesta ricevuta",
                     .value = rq_form(rq, "channel") ? rq_form(rq, "channel") : "counter"};
    form_radio_group(h, &fc, ch, 2);
    html_void(h, "input", HA("type", "hidden"), HA("name", "privacy_consent"), HA("value", "1"));
    return;
  }
  const char *err = form_error_for(h, "privacy_consent");
  html_open(h, "div", HA("class", "form-check mb-4"));
  html_void(h, "input", HA("type", "checkbox"), HA("id", "f-privacy_consent"),
            HA("name", "privacy_consent"), HA("value", "1"),
            HBOOL("checked", rq_form(rq, "privacy_consent") != NULL), HBOOL("required", 1),
            HA("aria-invalid", err ? "true" : NULL),
            HA("aria-describedby", err ? "f-privacy_consent-error" : NULL));
  html_open(h, "label", HA("for", "f-privacy_consent"));
  html_text(h, "Ho letto l'");
  html_elem(h, "a", "informativa sul trattamento dei dati personali", HA("href", "/privacy"));
  html_text(h, " e acconsento al trattamento per la gestione dell'appuntamento.");
  html_close(h, "label");
  form_group_error(h, "privacy_consent", err);
  html_close(h, "div");
}

void booking_person_read(request *rq, ag_booking *b) {
  b->name = rq_form(rq, "name");
  b->fiscal_code = rq_form(rq, "fiscal_code");
  b->email = rq_form(rq, "email");
  b->mobile = rq_form(rq, "mobile");
  b->reason = rq_form(rq, "reason");
  b->sms_consent = rq_form(rq, "sms_consent") != NULL;
  b->privacy_consent = rq_form(rq, "privacy_consent") != NULL;
}

err_code booking_page_info(request *rq, const char *title, page_info *p) {
  err_code e = web_page_info(rq, title, NULL, p);
  p->ente_slug = NULL; /* public page: no office navigation */
  p->ente_name = NULL;
  return e;
}

/* Staff book for a caller at the counter or on the phone: the same week of
 * slots as the public site (without the minimum notice), the person's
 * data, and the channel the request came through. No per-fiscal-code
 * limit (the operator decides). */
#include <string.h>

#include "domain/agenda/agenda.h"
#include "web/portal/booking_view.h"

typedef struct {
  const char *topic;
} week_ctx;

static const char *week_href(request *rq, const void *ctx, const char *week) {
  const week_ctx *c = ctx;
  return url_office_agenda_book(rq->a, rq->ente->slug, c->topic, week);
}

static err_code render(request *rq, response *rs, const problem *errs, size_t n, const char *alert,
                       int status) {
  arena *a = rq->a;
  ag_topic *ts;
  size_t nt;
  err_code rc = agenda_topic_list(rq->db, a, rq->ente->id, &ts, &nt);
  if (rc != ERR_OK) return rc;
  const char *code = rq_query(rq, "argomento");
  if (!code) code = rq_form(rq, "argomento");
  const ag_topic *t = NULL;
  for (size_t i = 0; i < nt; i++)
    if (code && strcmp(ts[i].code, code) == 0) t = &ts[i];
  page_info p;
  if ((rc = web_page_info(rq, "Prenota per un utente", "agenda", &p)) != ERR_OK) return rc;
  WEB_OFFICE_TRAIL(rq, &p, {"Agenda", url_office_agenda(a, rq->ente->slug, NULL, 0)},
                   {"Prenota per un utente", NULL});
  rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (alert) html_elem(&h, "div", alert, HA("class", "alert alert-warning"), HA("role", "alert"));
  html_elem(&h, "h2", "Argomento", HA("class", "h5"));
  html_open(&h, "ul");
  for (size_t i = 0; i < nt; i++) {
    html_open(&h, "li");
    html_elem(&h, "a", ts[i].name, HA("href", url_office_agenda_book(a, rq->ente->slug, ts[i].code, NULL)),
              HA("aria-current", t == &ts[i] ? "true" : NULL));
    html_close(&h, "li");
  }
  html_close(&h, "ul");
  if (t) {
    civil_date monday = booking_week_param(rq);
    char week[9];
    ag_iso_week_format(monday, week);
    form_begin_errors(&h, url_office_agenda_book(a, rq->ente->slug, NULL, NULL), rq->csrf, errs, n);
    html_void(&h, "input", HA("type", "hidden"), HA("name", "argomento"), HA("value", t->code));
    html_void(&h, "input", HA("type", "hidden"), HA("name", "settimana"), HA("value", week));
    week_ctx wc = {t->code};
    booking_week w = {t, -1, monday, 1, status == 409 ? NULL : rq_form(rq, "start"), week_href, &wc};
    if ((rc = booking_week_write(rq, &h, &w)) != ERR_OK) return rc;
    html_elem(&h, "h2", "Dati della persona", HA("class", "h5"));
    booking_person_fields(rq, &h, 1);
    form_submit(&h, "Prenota");
    form_end(&h);
  }
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_office_agenda_book(request *rq, response *rs) { return render(rq, rs, NULL, 0, NULL, 200); }

err_code page_office_agenda_book_post(request *rq, response *rs) {
  ag_topic t;
  err_code rc = agenda_topic_by_code(rq->db, rq->a, rq->ente->id, rq_form(rq, "argomento"), &t);
  if (rc == ERR_NOT_FOUND) return ERR_BAD_REQUEST;
  if (rc != ERR_OK) return rc;
  const char *ch = rq_form(rq, "channel");
  ag_booking b = {.topic_id = t.id, .channel = ch && strcmp(ch, "phone") == 0 ? "phone" : "counter"};
  booking_person_read(rq, &b);
  if (booking_slot_parse(rq_form(rq, "start"), &b.counter_id, &b.video, &b.start) != 0) {
    problem pb = {ERR_INVALID, "start", "Scegli un giorno e un'ora tra quelli liberi."};
    return render(rq, rs, &pb, 1, NULL, 422);
  }
  ag_appt ap;
  problem pb = {0};
  rc = agenda_book(rq->db, rq->a, rq->ente, &rq->who, &b, &ap, NULL, &pb);
  if (rc == ERR_INVALID) return render(rq, rs, &pb, 1, NULL, 422);
  if (rc == ERR_SLOT_FULL) return render(rq, rs, NULL, 0, err_message_it(rc), 409);
  if (rc != ERR_OK) return rc;
  char when[20];
  ag_local_iso_format(ap.start, when);
  when[10] = 0;
  return rs_redirect(rs, url_office_agenda(rq->a, rq->ente->slug, when, 0));
}

/* The appointment of an application (see services.h, "Appointments"):
 * booked with the agenda's own agenda_book on the topic whose code is the
 * service's code, linked to the application in the same transaction. */
#include <jansson.h>
#include <string.h>

#include "domain/services/services_store.h"

err_code svc_topic(db *d, arena *a, const service *s, ag_topic *out) {
  return agenda_topic_by_code(d, a, s->ente_id, s->code, out);
}

err_code svc_app_appointment(db *d, arena *a, const svc_app *x, ag_appt *out) {
  if (!x->appointment_id) return ERR_NOT_FOUND;
  return agenda_get(d, a, x->ente_id, x->appointment_id, out);
}

typedef struct {
  arena *a;
  const ente *e;
  const actor *who;
  int64_t app_id;
  const svc_owner *o;
  ag_booking *b;
  ag_appt *out;
  problem *pb;
} book_tx;

static err_code book_fn(db *d, void *ctx) {
  book_tx *t = ctx;
  arena *a = t->a;
  svc_app x;
  err_code rc = svc_app_get(d, a, t->e->id, t->app_id, &x);
  if (rc != ERR_OK) return rc;
  int mine = t->o && x.owner_kind && !strcmp(x.owner_kind, t->o->kind) &&
             (!strcmp(t->o->kind, "citizen") ? x.owner_fiscal_code && t->o->fiscal_code &&
                                                   !strcmp(x.owner_fiscal_code, t->o->fiscal_code)
                                             : x.owner_user_id == t->o->user_id);
  if (!mine || strcmp(x.state, "submitted") != 0 || !x.case_id) return ERR_NOT_FOUND;
  service s;
  if ((rc = services_get(d, a, t->e->id, x.service_id, &s)) != ERR_OK) return rc;
  if (!s.appointment) return ERR_NOT_FOUND;
  case_rec c;
  if ((rc = cases_get(d, a, t->e->id, x.case_id, &c)) != ERR_OK) return rc;
  if (c.state == CASE_CLOSED) return ERR_CASE_STATE;
  ag_appt cur;
  if (svc_app_appointment(d, a, &x, &cur) == ERR_OK && cur.state == AG_BOOKED) return ERR_CONFLICT;
  ag_topic topic;
  if ((rc = svc_topic(d, a, &s, &topic)) != ERR_OK) return rc;
  ag_booking *b = t->b;
  b->topic_id = topic.id;
  b->name = x.applicant_name;
  b->fiscal_code = x.applicant_fiscal_code ? x.applicant_fiscal_code : x.owner_fiscal_code;
  b->email = x.applicant_email;
  b->reason = arena_printf(a, "Domanda %s - %s", c.label, s.name);
  if (strlen(b->reason) > 400) b->reason = c.label;
  b->channel = "web";
  if ((rc = agenda_book(d, a, t->e, t->who, b, t->out, NULL, t->pb)) != ERR_OK) return rc;
  if ((rc = sst_app_set_appointment(d, t->e->id, x.id, t->out->id)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->e->id, "service.appointment", "service_application", x.id, NULL,
                          json_pack("{s:s, s:I, s:I}", "case", c.label, "appointment", (json_int_t)t->out->id,
                                    "start", (json_int_t)t->out->start));
}

err_code svc_app_book(db *d, arena *a, const ente *e, const actor *who, int64_t app_id, const svc_owner *o,
                      int64_t counter_id, int video, int64_t start, int privacy_consent, ag_appt *out,
                      problem *pb) {
  ag_booking b = {0};
  b.counter_id = counter_id;
  b.video = video;
  b.start = start;
  b.privacy_consent = privacy_consent;
  book_tx t = {a, e, who, app_id, o, &b, out, pb};
  return db_tx_locking(d, book_fn, &t);
}

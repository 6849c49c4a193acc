/* The occupation of public land of a case in GET /api/v1/cases/{id}:
 * the declared data with the fee's breakdown, variation and cessation
 * details, its notices (act, options) and the payments booked on them. */
#include <string.h>

#include "api/api.h"
#include "domain/canone/canone.h"
#include "domain/debt/debt.h"

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *iso_time(int64_t t) {
  if (!t) return json_null();
  char b[21];
  time_format_iso_utc(t, b);
  return json_string(b);
}

/* The occupation of the case (or null), its notices and their payments. */
err_code api_case_occupation_json(request *rq, int64_t case_id, json_t *j) {
  occupation o;
  err_code e = occupation_get_by_case(rq->db, rq->a, rq->ente->id, case_id, &o);
  json_t *notices = json_array(), *payments = json_array();
  json_object_set_new(j, "notices", notices);
  json_object_set_new(j, "payments", payments);
  if (e == ERR_NOT_FOUND) {
    json_object_set_new(j, "occupation", json_null());
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  json_error_t je;
  json_t *bd = o.breakdown ? json_loads(o.breakdown, 0, &je) : NULL;
  json_t *oj = json_pack(
      "{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)o.id, "kind", o.kind,
      "state", o.state, "place", str_or_null(o.place), "zone", str_or_null(o.zone), "use",
      str_or_null(o.use_code), "occupation_kind", o.permanent ? "permanent" : "temporary", "surface_m2",
      o.surface_hundredths ? json_string(canone_format_scaled(rq->a, o.surface_hundredths, 2)) : json_null(),
      "start", str_or_null(o.start_date), "end", str_or_null(o.end_date), "amount_cents",
      o.act_id ? json_integer(o.amount_cents) : json_null(), "breakdown", bd ? bd : json_array());
  json_object_set_new(oj, "notice_sent_at", iso_time(o.notice_sent_at));
  json_object_set_new(oj, "paid_at", iso_time(o.paid_at));
  json_object_set_new(oj, "paid_report_due", str_or_null(o.paid_report_due));
  json_object_set_new(oj, "paid_reported_at", iso_time(o.paid_reported_at));
  json_object_set_new(oj, "variation", str_or_null(o.variation));
  json_object_set_new(oj, "ente_decision", str_or_null(o.ente_decision));
  json_object_set_new(oj, "ceased_on", str_or_null(o.ceased_on));
  json_object_set_new(oj, "inspection_due", str_or_null(o.inspection_due));
  json_object_set_new(oj, "inspection_on", str_or_null(o.inspection_on));
  api_case_authorisation_json(rq, case_id, oj);
  json_object_set_new(j, "occupation", oj);
  if (!o.act_id) return ERR_OK;
  debt_act act;
  if ((e = debt_act_get(rq->db, rq->a, rq->ente->id, o.act_id, &act)) != ERR_OK) return e;
  json_t *opts = json_array();
  for (size_t i = 0; i < act.n_options; i++)
    json_array_append_new(
        opts, json_pack("{s:i, s:s, s:I, s:s, s:s}", "installment", act.options[i].installment, "nav",
                        act.options[i].nav, "amount_cents", (json_int_t)act.options[i].amount_cents,
                        "due_date", act.options[i].due_date, "state", act.options[i].state));
  json_array_append_new(
      notices,
      json_pack("{s:I, s:s, s:I, s:I, s:s, s:o}", "act_id", (json_int_t)act.id, "number",
                act.number ? act.number : "", "amount_cents", (json_int_t)act.charged_cents, "residual_cents",
                (json_int_t)act.residual_cents, "state", act.state, "options", opts));
  debt_movement *mv;
  size_t nm;
  if ((e = debt_act_movements(rq->db, rq->a, rq->ente->id, act.id, &mv, &nm)) != ERR_OK) return e;
  for (size_t i = 0; i < nm; i++)
    if (strcmp(mv[i].kind, "payment") == 0)
      json_array_append_new(
          payments,
          json_pack("{s:I, s:o, s:o, s:s, s:o}", "amount_cents", (json_int_t)mv[i].amount_cents, "channel",
                    str_or_null(mv[i].channel), "reference", str_or_null(mv[i].reference), "value_date",
                    mv[i].value_date, "at", iso_time(mv[i].at)));
  return ERR_OK;
}


/* GET /api/v1/taxpayers/{cf}/statement?ente=ENTE&date=YYYY-MM-DD: the
 * statement (estratto conto) of a taxpayer at a date (default today), as
 * the portal shows it: per act the residual at the date and the late
 * interest (legal rate + the Ente's spread, 365-day basis, rounded once),
 * and the totals. */
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/validate.h"
#include "domain/portal/portal.h"

err_code api_taxpayer_statement(request *rq, response *rs) {
  const char *cf_in = rq->params[0], *date = rq_query(rq, "date");
  if (strlen(cf_in) > 16) return ERR_NOT_FOUND;
  char *cf = arena_strdup(rq->a, cf_in);
  normalize_code(cf);
  if (validate_fiscal_code_any(cf)) {
    problem pb = {ERR_INVALID, "cf", validate_fiscal_code_any(cf)};
    return api_problems(rs, ERR_INVALID, &pb, 1);
  }
  char today[11];
  if (!date || !*date) {
    date_format_iso(date_today_rome(clock_now()), today);
    date = today;
  }
  civil_date c;
  if (strlen(date) != 10 || date_parse_iso(date, &c) != 0) {
    problem pb = {ERR_INVALID, "date", "Indica la data nel formato AAAA-MM-GG."};
    return api_problems(rs, ERR_INVALID, &pb, 1);
  }
  portal_statement st;
  err_code rc = portal_statement_at(rq->db, rq->a, rq->ente->id, cf, date, &st);
  if (rc != ERR_OK) return rc;
  json_t *acts = json_array();
  for (size_t i = 0; i < st.n; i++) {
    const portal_statement_act *s = &st.acts[i];
    json_array_append_new(
        acts, json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:i}", "act_id",
                        (json_int_t)s->act.id, "act_type", s->act.act_type, "number", s->act.number, "year",
                        s->act.year, "revenue", s->act.revenue_code, "state", s->act.state, "due_date",
                        s->act.due_date, "residual_cents", (json_int_t)s->residual_cents, "interest_cents",
                        (json_int_t)s->interest_cents, "overdue_cents", (json_int_t)s->overdue_cents,
                        "installments", s->installments, "installments_paid", s->installments_paid));
  }
  json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:o, s:I, s:I}", "ente", rq->ente->slug, "fiscal_code", cf,
                        "date", date, "spread_bp", st.spread_bp, "acts", acts, "total_residual_cents",
                        (json_int_t)st.total_residual_cents, "total_interest_cents",
                        (json_int_t)st.total_interest_cents);
  return api_json(rs, 200, j);
}

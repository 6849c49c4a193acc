/* POST /api/v1/canone/quote: the canone unico fee of an occupation under
 * the Ente's rules, with its breakdown. Body: zone, use, kind
 * (permanent|temporary), surface_m2 as a decimal string, start, end. */
#include <string.h>

#include "api/api.h"
#include "domain/canone/canone.h"

/* A string member, or NULL; *bad when present and not a string. */
err_code api_canone_quote(request *rq, response *rs) {
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return ERR_JSON_MALFORMED;
  }
  arena *a = rq->a;
  problems types = {0}, pbs = {0};
  const char *zone = api_str_member(root, "zone", &types, a), *use = api_str_member(root, "use", &types, a);
  const char *kind = api_str_member(root, "kind", &types, a), *surface = api_str_member(root, "surface_m2", &types, a);
  const char *start = api_str_member(root, "start", &types, a), *end = api_str_member(root, "end", &types, a);
  json_decref(root);
  canone_request q;
  canone_quote qt;
  canone_request_parse(a, zone, use, kind, surface, start, end, &q, &pbs);
  problems_merge(a, &types, &pbs);
  if (types.n) return api_problems(rs, ERR_INVALID, types.items, types.n);
  err_code e = canone_quote_for(rq->db, a, rq->ente->id, &q, &qt, &pbs);
  if (e == ERR_INVALID) return api_problems(rs, ERR_INVALID, pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  json_t *lines = json_array();
  for (size_t i = 0; i < qt.n_lines; i++)
    json_array_append_new(lines, json_pack("{s:s, s:s, s:s}", "code", qt.lines[i].code, "label",
                                           qt.lines[i].label, "value", qt.lines[i].value));
  json_t *inst = json_array();
  for (int i = 0; i < qt.installments && qt.installment_cents; i++)
    json_array_append_new(inst, json_integer(qt.installment_cents[i]));
  return api_json(
      rs, 200,
      json_pack("{s:I, s:I, s:b, s:s, s:I, s:I, s:o, s:o}", "amount_cents", (json_int_t)qt.amount_cents,
                "computed_cents", (json_int_t)qt.computed_cents, "minimum_applied", qt.minimum_applied,
                "surface_m2", canone_format_scaled(a, qt.surface_hundredths, 2), "days", (json_int_t)qt.days,
                "installments", (json_int_t)qt.installments, "installment_cents", inst, "breakdown", lines));
}

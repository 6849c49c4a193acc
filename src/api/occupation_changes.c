/* POST /api/v1/occupations/{id}/variations and /cessations: a variation
 * (change of holder, nature or surface) or a cessation of the processed
 * declaration {id} (its occupation_id), opened as its own case with the
 * deadline and the protocol number, through the same domain function as
 * the office form (occupation_change_open). */
#include <string.h>

#include "api/api.h"
#include "api/occupation_json.h"
#include "api/taxpayer_json.h"
#include "domain/canone/canone.h"
#include "domain/protocol/protocol.h"

static err_code change(request *rq, response *rs, int cessation) {
  int64_t id = rq_param_id(rq, 0);
  arena *a = rq->a;
  occupation parent;
  err_code e = occupation_get(rq->db, a, rq->ente->id, id, &parent);
  if (e != ERR_OK) return e;
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return ERR_JSON_MALFORMED;
  }
  problems types = {0}, pbs = {0};
  occupation_input in = {0};
  in.ente_id = rq->ente->id;
  occupation_change_input ci = {0};
  ci.channel = api_str_member(root, "channel", &types, a);
  if (!ci.channel) ci.channel = "web";
  ci.note = api_str_member(root, "note", &types, a);
  taxpayer tp = {0};
  if (cessation) {
    ci.what = "cessation";
    ci.ceased_on = api_str_member(root, "ceased_on", &types, a);
  } else {
    ci.what = api_str_member(root, "variation", &types, a);
    api_occupation_fields(root, &in, &types, a);
    json_t *jt = json_object_get(root, "taxpayer");
    if (jt && !json_is_null(jt)) {
      if (!json_is_object(jt)) {
        problems_add(a, &types, ERR_INVALID, "taxpayer", "Indica i dati del nuovo titolare (oggetto).");
      } else {
        problems tpb = {0};
        tpj_read(a, jt, 0, &tp, &tpb);
        for (size_t i = 0; i < tpb.n; i++)
          problems_add(a, &types, tpb.items[i].code, arena_printf(a, "taxpayer.%s", tpb.items[i].field),
                       tpb.items[i].message);
      }
    }
    ci.in = &in;
    ci.tp = &tp;
  }
  json_decref(root);
  if (types.n) return api_problems(rs, ERR_INVALID, types.items, types.n);
  case_rec c;
  occupation o;
  e = occupation_change_open(rq->db, a, &rq->who, rq->ente->id, parent.case_id, &ci, &c, &o, &pbs);
  if ((e == ERR_INVALID || e == ERR_CONFLICT) && pbs.n)
    return api_problems(rs, problems_code(&pbs), pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  json_t *j = json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "case_id", (json_int_t)c.id,
                        "case_number", c.label, "occupation_id", (json_int_t)o.id, "parent_occupation_id",
                        (json_int_t)parent.id, "state", o.state, "due_date", c.due_date, "category",
                        c.category_code, "priority", c.priority);
  json_object_set_new(
      j, "protocol_number",
      c.protocol_number ? json_string(protocol_label(a, c.protocol_number, c.protocol_year)) : json_null());
  json_object_set_new(j, "ente_decision", o.ente_decision ? json_string(o.ente_decision) : json_null());
  json_object_set_new(j, "inspection_due", o.inspection_due ? json_string(o.inspection_due) : json_null());
  return api_json(rs, 201, j);
}

err_code api_occupation_variation(request *rq, response *rs) { return change(rq, rs, 0); }
err_code api_occupation_cessation(request *rq, response *rs) { return change(rq, rs, 1); }

/* POST /api/v1/occupations: a new declaration of occupation of public land
 * from the Ente's systems (taxpayer data and the occupation), opened as a
 * case with its deadline and protocol number. */
#include <string.h>

#include "api/api.h"
#include "api/occupation_json.h"
#include "api/taxpayer_json.h"
#include "domain/canone/canone.h"
#include "domain/protocol/protocol.h"

void api_occupation_fields(json_t *root, occupation_input *in, problems *types, arena *a) {
  in->place = api_str_member(root, "place", types, a);
  in->zone = api_str_member(root, "zone", types, a);
  in->use = api_str_member(root, "use", types, a);
  in->kind = api_str_member(root, "kind", types, a);
  in->surface_m2 = api_str_member(root, "surface_m2", types, a);
  in->start = api_str_member(root, "start", types, a);
  in->end = api_str_member(root, "end", types, a);
}

err_code api_occupations_create(request *rq, response *rs) {
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return ERR_JSON_MALFORMED;
  }
  arena *a = rq->a;
  problems types = {0}, pbs = {0};
  occupation_input in = {0};
  in.ente_id = rq->ente->id;
  api_occupation_fields(root, &in, &types, a);
  in.ente_email = api_str_member(root, "ente_email", &types, a);
  in.ente_office = api_str_member(root, "ente_office", &types, a);
  in.subject = api_str_member(root, "subject", &types, a);
  in.note = api_str_member(root, "note", &types, a);
  taxpayer tp = {0};
  json_t *jt = json_object_get(root, "taxpayer");
  if (!json_is_object(jt)) {
    problems_add(a, &types, ERR_INVALID, "taxpayer", "Indica i dati del contribuente (oggetto).");
  } else {
    problems tpb = {0};
    tpj_read(a, jt, 0, &tp, &tpb);
    for (size_t i = 0; i < tpb.n; i++)
      problems_add(a, &types, tpb.items[i].code, arena_printf(a, "taxpayer.%s", tpb.items[i].field),
                   tpb.items[i].message);
  }
  json_decref(root);
  if (types.n) return api_problems(rs, ERR_INVALID, types.items, types.n);
  case_rec c;
  occupation o;
  err_code e = occupation_declare(rq->db, a, &rq->who, &in, &tp, &c, &o, &pbs);
  if ((e == ERR_INVALID || e == ERR_CONFLICT) && pbs.n)
    return api_problems(rs, problems_code(&pbs), pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s}", "case_id", (json_int_t)c.id,
                        "case_number", c.label, "occupation_id", (json_int_t)o.id, "state", o.state,
                        "taxpayer_id", (json_int_t)o.taxpayer_id, "due_date", c.due_date, "category",
                        c.category_code, "priority", c.priority);
  json_object_set_new(
      j, "protocol_number",
      c.protocol_number ? json_string(protocol_label(a, c.protocol_number, c.protocol_year)) : json_null());
  return api_json(rs, 201, j);
}

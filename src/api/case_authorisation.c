/* POST /api/v1/cases/{id}/authorisation?ente=ENTE: the Ente's systems
 * upload the authorisation (concessione) of an occupation, the PDF as the
 * raw request body (Content-Type application/pdf; the content is sniffed,
 * not the header believed), its file name in ?filename=. Answered with the
 * authorisation's data: uploaded, registered in the protocol, and whether
 * it was delivered to the taxpayer at once (the notice was paid). */
#include <string.h>

#include "api/api.h"
#include "domain/canone/authorisation.h"
#include "domain/protocol/protocol.h"

static json_t *iso_time(int64_t t) {
  if (!t) return json_null();
  char b[21];
  time_format_iso_utc(t, b);
  return json_string(b);
}

static json_t *auth_json(arena *a, const occupation_auth *x) {
  json_t *j = json_pack("{s:s, s:I, s:s, s:o, s:o}", "name", x->name, "size", (json_int_t)x->size, "sha256",
                        x->sha256, "uploaded_at", iso_time(x->uploaded_at), "delivered_at",
                        iso_time(x->delivered_at));
  json_object_set_new(j, "protocol_number",
                      x->protocol_number
                          ? json_string(protocol_label(a, x->protocol_number, x->protocol_year))
                          : json_null());
  return j;
}

err_code api_case_authorisation_upload(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  const char *ct = rq->content_type;
  if (!ct || (strncmp(ct, "application/pdf", 15) != 0 && strncmp(ct, "application/octet-stream", 24) != 0)) {
    problem p = {ERR_INVALID, "file",
                 "Invia il PDF come corpo della richiesta (Content-Type: application/pdf)."};
    return api_problems(rs, ERR_INVALID, &p, 1);
  }
  const char *name = rq_query(rq, "filename");
  if (name && strlen(name) > 1000) {
    problem p = {ERR_INVALID, "filename", "Nome del file troppo lungo."};
    return api_problems(rs, ERR_INVALID, &p, 1);
  }
  problems pbs = {0};
  occupation_auth x;
  int delivered = 0;
  err_code e = occupation_authorisation_upload(rq->db, rq->a, &rq->who, rq->ente->id, id, name, rq->body,
                                               rq->body_len, &x, &delivered, &pbs);
  if (e == ERR_INVALID && pbs.n) return api_problems(rs, problems_code(&pbs), pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  json_t *j = auth_json(rq->a, &x);
  json_object_set_new(j, "case_id", json_integer(id));
  return api_json(rs, 201, j);
}

void api_case_authorisation_json(request *rq, int64_t case_id, json_t *oj) {
  occupation_auth x;
  json_object_set_new(oj, "authorisation",
                      occupation_authorisation_get(rq->db, rq->a, rq->ente->id, case_id, &x) == ERR_OK
                          ? auth_json(rq->a, &x)
                          : json_null());
  occupation_reply_rec fr;
  json_object_set_new(
      oj, "ente_reply_to_check",
      json_boolean(occupation_reply_flagged(rq->db, rq->a, rq->ente->id, case_id, &fr) == ERR_OK));
}

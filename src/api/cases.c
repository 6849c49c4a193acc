/* /api/v1/cases: the cases of an Ente (?ente=slug or codice fiscale),
 * filtered by state, category and office, urgent first; one case with its
 * iter. Read-only: cases are opened by the channels and worked in the
 * office pages. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/date.h"
#include "domain/cases/cases.h"
#include "domain/protocol/protocol.h"

#define MAX_LIST 200

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *iso_time(int64_t t) {
  if (!t) return json_null();
  char buf[21];
  time_format_iso_utc(t, buf);
  return json_string(buf);
}

static json_t *case_json(arena *a, const ente *e, const case_rec *c) {
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer(c->id));
  json_object_set_new(j, "ente", json_string(e->slug));
  json_object_set_new(j, "number", json_string(c->label));
  json_object_set_new(j, "protocol_number",
                      c->protocol_number ? json_string(protocol_label(a, c->protocol_number,
                                                                      c->protocol_year))
                                         : json_null());
  json_object_set_new(j, "state", json_string(case_state_slug(c->state)));
  json_object_set_new(j, "outcome", str_or_null(c->outcome));
  json_object_set_new(j, "category", json_string(c->category_code));
  json_object_set_new(j, "category_name", json_string(c->category_name));
  json_object_set_new(j, "priority", json_string(c->priority));
  json_object_set_new(j, "channel", json_string(c->channel));
  json_object_set_new(j, "subject", json_string(c->subject));
  json_object_set_new(j, "office", c->office_id ? json_pack("{s:I, s:s}", "id", (json_int_t)c->office_id,
                                                           "name", c->office_name ? c->office_name : "")
                                                : json_null());
  json_object_set_new(j, "assignee", c->assignee_id ? json_pack("{s:I, s:s}", "id", (json_int_t)c->assignee_id,
                                                               "name", c->assignee_name ? c->assignee_name : "")
                                                    : json_null());
  json_object_set_new(j, "requester_name", json_string(c->requester_name));
  json_object_set_new(j, "received_at", iso_time(c->received_at));
  json_object_set_new(j, "due_date", json_string(c->due_date));
  json_object_set_new(j, "overdue", json_boolean(c->overdue));
  json_object_set_new(j, "closed_at", iso_time(c->closed_at));
  return j;
}

static err_code bad(response *rs, const char *field, const char *msg) {
  problem p = {ERR_INVALID, field, msg};
  return api_problems(rs, ERR_INVALID, &p, 1);
}

err_code api_cases_list(request *rq, response *rs) {
  const char *ls = rq_query(rq, "limit"), *os = rq_query(rq, "offset");
  int limit = ls ? atoi(ls) : 50, offset = os ? atoi(os) : 0;
  if (limit < 1 || limit > MAX_LIST || offset < 0 || offset > 1000000)
    return bad(rs, "limit", "limit deve essere tra 1 e 200, offset non negativo.");
  const char *state = rq_query(rq, "state");
  if (state && case_state_parse(state) == CASE__STATES)
    return bad(rs, "state", "state deve essere new, assigned, in_progress, waiting o closed.");
  const char *cat = rq_query(rq, "category");
  if (cat && strlen(cat) > 40) return bad(rs, "category", "Categoria non valida.");
  const char *of = rq_query(rq, "office");
  int64_t office_id = of ? strtoll(of, NULL, 10) : 0;
  if (of && office_id <= 0) return bad(rs, "office", "office deve essere l'id di un ufficio.");
  const char *ov = rq_query(rq, "overdue");
  case_filter f = {.ente_id = rq->ente->id, .office_id = office_id, .state = state,
                   .view = ov && strcmp(ov, "true") == 0 ? CQ_OVERDUE : CQ_ALL, .category = cat,
                   .limit = limit, .offset = offset};
  case_rec *cs;
  size_t n;
  int64_t total;
  err_code e = cases_list(rq->db, rq->a, &f, &cs, &n, &total);
  if (e != ERR_OK) return e;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, case_json(rq->a, rq->ente, &cs[i]));
  return api_json(rs, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

err_code api_case_get(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  case_rec c;
  err_code e = cases_get(rq->db, rq->a, rq->ente->id, id, &c);
  if (e != ERR_OK) return e;
  json_t *j = case_json(rq->a, rq->ente, &c);
  case_event *ev;
  size_t n;
  if ((e = cases_events(rq->db, rq->a, rq->ente->id, id, &ev, &n)) != ERR_OK) {
    json_decref(j);
    return e;
  }
  json_t *it = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(it, json_pack("{s:s, s:o, s:s, s:o, s:o}", "kind", ev[i].kind, "at",
                                        iso_time(ev[i].created_at), "state", ev[i].to_state,
                                        "actor", str_or_null(ev[i].actor_name), "reason",
                                        str_or_null(ev[i].reason)));
  json_object_set_new(j, "iter", it);
  if ((e = api_case_occupation_json(rq, id, j)) != ERR_OK) {
    json_decref(j);
    return e;
  }
  return api_json(rs, 200, j);
}

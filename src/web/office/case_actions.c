/* The actions of the case page (POST, CSRF checked by the dispatcher):
 * assign, take, reply or ask, close, forward. Success goes back to the
 * case with a notice; a refused action shows the case again with the
 * reason (422 for bad input, 409 when the state does not allow it). */
#include <stdlib.h>
#include <string.h>

#include "web/office/cases_ui.h"

static err_code done(request *rq, response *rs, int64_t id, err_code e, const problem *pb,
                     const char *what) {
  if (e == ERR_OK)
    return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=%s", url_case(rq->a, rq->ente->slug, id),
                                        what));
  if (e == ERR_INVALID || e == ERR_TOO_LARGE) return case_page_render(rq, rs, id, pb, 422);
  if (e == ERR_CASE_STATE) {
    problem p = {ERR_CASE_STATE, NULL, err_message_it(ERR_CASE_STATE)};
    return case_page_render(rq, rs, id, &p, 409);
  }
  return e;
}

static int64_t form_id(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  if (!v || !*v || strlen(v) > 18) return 0;
  char *end;
  long long x = strtoll(v, &end, 10);
  return *end || x <= 0 ? 0 : x;
}

err_code page_case_assign(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problem pb = {0};
  err_code e = cases_assign(rq->db, rq->a, &ca, rq->ente->id, id, form_id(rq, "assignee"),
                            cu_form(rq, "reason"), &pb);
  return done(rq, rs, id, e, &pb, "assegnata");
}

err_code page_case_take(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  return done(rq, rs, id, cases_take(rq->db, rq->a, &ca, rq->ente->id, id), NULL, "presa");
}

err_code page_case_reply(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problem pb = {0};
  const char *kind = rq_form(rq, "tipo");
  int ask = kind && strcmp(kind, "richiesta") == 0;
  err_code e = cases_reply(rq->db, rq->a, &ca, rq->ente->id, id, cu_form(rq, "body"), ask, &pb);
  return done(rq, rs, id, e, &pb, "inviato");
}

err_code page_case_close(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problem pb = {0};
  err_code e = cases_close(rq->db, rq->a, &ca, rq->ente->id, id, cu_form(rq, "outcome"),
                           cu_form(rq, "message"), &pb);
  return done(rq, rs, id, e, &pb, "chiusa");
}

err_code page_case_forward(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problem pb = {0};
  err_code e = cases_forward(rq->db, rq->a, &ca, rq->ente->id, id, form_id(rq, "office"),
                             cu_form(rq, "reason"), &pb);
  return done(rq, rs, id, e, &pb, "inoltrata");
}

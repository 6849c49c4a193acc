/* The actions on an application (see applications.c): take in charge, ask
 * for an integration, record the applicant's integration (when staff
 * filed it for them), approve or reject. Each redirects back with a
 * notice; a refused one shows the page again with the problem. */
#include <string.h>

#include "web/office/cases_ui.h"
#include "web/office/services_ui.h"

static err_code done(request *rq, response *rs, int64_t id, err_code rc, const problem *pb,
                     const char *saved) {
  if (rc == ERR_OK)
    return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=%s",
                                        url_office_application(rq->a, rq->ente->slug, id), saved));
  if (rc == ERR_INVALID) return application_page_render(rq, rs, id, pb, 422);
  if (rc == ERR_CASE_STATE) {
    problem p = {0};
    p.message = "L'azione non è possibile nello stato attuale della pratica.";
    return application_page_render(rq, rs, id, &p, 409);
  }
  return rc;
}

err_code page_office_application_take(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  svc_app x;
  err_code rc = svc_app_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (rc != ERR_OK) return rc;
  if (!x.case_id) return ERR_NOT_FOUND;
  case_actor ca = cu_actor(rq);
  rc = cases_take(rq->db, rq->a, &ca, rq->ente->id, x.case_id);
  return done(rq, rs, id, rc, NULL, "presa");
}

err_code page_office_application_ask(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problem pb = {0};
  err_code rc = svc_app_ask(rq->db, rq->a, &ca, rq->ente->id, id, rq_form(rq, "body"), service_doc_pdf_fn,
                            rq->ente->name, &pb);
  return done(rq, rs, id, rc, &pb, "integrazione");
}

err_code page_office_application_decide(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  const char *o = rq_form(rq, "outcome");
  problem pb = {0};
  if (!o || (strcmp(o, "accepted") != 0 && strcmp(o, "rejected") != 0)) {
    pb.field = "outcome";
    pb.message = "Scegli l'esito: approvata o respinta.";
    return done(rq, rs, id, ERR_INVALID, &pb, NULL);
  }
  case_actor ca = cu_actor(rq);
  err_code rc = svc_app_decide(rq->db, rq->a, &ca, rq->ente->id, id, strcmp(o, "accepted") == 0,
                               rq_form(rq, "message"), rq_form(rq, "override"), service_doc_pdf_fn,
                               rq->ente->name, &pb);
  return done(rq, rs, id, rc, &pb, "esito");
}

/* A deferred payment requested from the applicant: the notice is issued
 * and mailed with its PDF. */
err_code page_office_application_payment(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problem pb = {0};
  err_code rc = svc_app_request_payment(rq->db, rq->a, &ca, rq->ente->id, id, rq_form(rq, "amount"),
                                        svc_web_notice, &(svc_notice_ctx){rq->ente, rq->db}, &pb);
  return done(rq, rs, id, rc, &pb, "pagamento");
}

err_code page_office_application_answer(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  svc_owner o = {"user", rq->user->id, NULL};
  size_t n_up;
  svc_upload *up = svc_web_uploads(rq, &n_up);
  problem pb = {0};
  err_code rc = svc_app_answer(rq->db, rq->a, &rq->who, rq->ente->id, id, &o, rq_form(rq, "text"),
                               up, n_up, service_doc_pdf_fn, rq->ente->name, &pb);
  return done(rq, rs, id, rc, &pb, "risposta");
}

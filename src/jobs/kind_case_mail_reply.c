/* case.mail_reply: what follows a reply by mail that intake joined to a
 * case (enqueued in intake's transaction). Today: when the case is an
 * online service's application waiting for an integration, the
 * integration step with its PDF protocolled in the service's fascicolo
 * (svc_app_mail_answer: once per mail message, however many times the
 * job runs). */
#include <jansson.h>
#include <string.h>

#include "core/strbuf.h"
#include "domain/ente/ente.h"
#include "domain/services/services.h"
#include "jobs/kinds.h"
#include "render/pdf/service_doc.h"

err_code kind_case_mail_reply(job_run *r) {
  json_error_t je;
  json_t *p = json_loads(r->j->payload, 0, &je);
  int64_t case_id = p ? json_integer_value(json_object_get(p, "case")) : 0;
  int64_t msg = p ? json_integer_value(json_object_get(p, "mail_message")) : 0;
  const char *rfc = p ? json_string_value(json_object_get(p, "message_id")) : NULL;
  char *rfc_copy = rfc ? arena_strdup(r->a, rfc) : NULL;
  json_decref(p);
  if (case_id <= 0 || msg <= 0 || r->j->ente_id <= 0) {
    r->error = "Risposta senza pratica o messaggio.";
    return ERR_INVALID;
  }
  ente e;
  err_code rc = ente_get(r->d, r->a, r->j->ente_id, &e);
  if (rc != ERR_OK) return rc;
  int done = 0;
  rc = svc_app_mail_answer(r->d, r->a, r->j->ente_id, case_id, msg, rfc_copy, service_doc_pdf_fn, e.name, &done);
  if (rc != ERR_OK) r->error = "Integrazione per e-mail non registrata.";
  return rc;
}

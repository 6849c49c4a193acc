/* mail.release: reads again a message the administrator released from
 * quarantine on /admin/posta and registers it (mail_release: one
 * transaction with the row marked released, audited by the administrator
 * who asked). A message still unreadable fails the job with the reason,
 * shown on /admin/lavori; the row stays held. */
#include <jansson.h>

#include "jobs/kinds.h"
#include "mail/mail.h"

err_code kind_mail_release(job_run *r) {
  json_error_t je;
  json_t *p = json_loads(r->j->payload, 0, &je);
  json_int_t id = p ? json_integer_value(json_object_get(p, "quarantine_id")) : 0;
  json_int_t user = p ? json_integer_value(json_object_get(p, "user_id")) : 0;
  json_decref(p);
  if (id <= 0) {
    r->error = "Lavoro di acquisizione senza messaggio.";
    return ERR_INVALID;
  }
  actor who = {"user", (int64_t)user};
  intake_result res;
  const char *why = NULL;
  err_code rc = mail_release(r->d, r->a, &who, (int64_t)id, &res, &why);
  if (rc == ERR_CONFLICT) return ERR_OK; /* decided meanwhile (or by an earlier attempt) */
  if (why) r->error = why;
  return rc;
}

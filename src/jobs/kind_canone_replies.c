/* canone.replies: the Ente's replies to the approval request of a
 * variation (APPROVATO / RIFIUTATO), read from the case's incoming
 * messages (occupation_replies_scan). */
#include "domain/canone/authorisation.h"
#include "jobs/kinds.h"

err_code kind_canone_replies(job_run *r) {
  int n = 0;
  err_code rc = occupation_replies_scan(r->d, r->a, &n);
  if (rc != ERR_OK) r->error = "Lettura delle risposte dell'Ente sulle variazioni non riuscita.";
  return rc;
}

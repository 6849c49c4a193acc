/* housekeeping: removes expired sessions and login failures too old to
 * count toward any throttle window. */
#include "core/clock.h"
#include "domain/auth/auth.h"
#include "jobs/kinds.h"

err_code kind_housekeeping(job_run *r) {
  err_code e = auth_prune(r->d, clock_now());
  if (e != ERR_OK) r->error = "Pulizia delle sessioni scadute non riuscita.";
  return e;
}

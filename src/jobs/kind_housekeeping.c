/* housekeeping: removes expired sessions and login failures too old to
 * count toward any throttle window, and the signalling of video rooms
 * closed long ago (their chat stays). */
#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/video/video.h"
#include "jobs/kinds.h"

err_code kind_housekeeping(job_run *r) {
  err_code e = auth_prune(r->d, clock_now());
  if (e != ERR_OK) {
    r->error = "Pulizia delle sessioni scadute non riuscita.";
    return e;
  }
  e = video_prune(r->d, clock_now());
  if (e != ERR_OK) r->error = "Pulizia dei messaggi delle videochiamate non riuscita.";
  return e;
}

/* SQL for the job queue (jobs_store.c); rules live in jobs.c. */
#ifndef SP_JOBS_STORE_H
#define SP_JOBS_STORE_H
#include "domain/jobs/jobs.h"

/* id of the queued/running/retry job with this kind and key. */
err_code js_pending_id(db *d, const char *kind, const char *dedup_key, int64_t *id);
err_code js_insert(db *d, const job *j, int64_t *id);
/* The next due job, locked (PostgreSQL: FOR UPDATE SKIP LOCKED, so two
 * workers never get the same one): its id, state and attempts. */
err_code js_next_due(db *d, int64_t now, int64_t *id, job_state *state, int *attempts);
/* Makes job id running for worker, fenced on its current attempts. */
err_code js_mark_running(db *d, int64_t id, int attempts, const char *worker, int64_t locked_until,
                         const char *last_error, int64_t now);
/* Ends the running claim (id, attempts): to state with run_at, error
 * (NULL keeps the old one) and finished_at (0: not finished). ERR_NOT_FOUND
 * when the claim is no longer there. */
err_code js_end_claim(db *d, int64_t id, int attempts, job_state state, int64_t run_at,
                      const char *error, int64_t finished_at, int64_t now);
/* Sets state (and run_at, attempts reset when reset=1) of job id if its
 * state is one of from (a bit mask of 1 << job_state). ERR_NOT_FOUND when
 * no such job is in those states. */
err_code js_set_state(db *d, int64_t id, unsigned from, job_state to, int64_t run_at, int reset,
                      int64_t now);
err_code js_get(db *d, arena *a, int64_t id, job *out);
err_code js_list(db *d, arena *a, int state, int limit, job **out, size_t *n);
err_code js_counts(db *d, arena *a, job_count **out, size_t *n);

#endif

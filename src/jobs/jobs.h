/* The job runner, used by `sportello worker` and in-process by `serve`: a
 * loop that claims due jobs from the queue (src/domain/jobs) and runs each
 * with the handler its kind registers in kinds.c, one file per kind
 * (kind_<name>.c). Several workers, in one process or many, can share one
 * PostgreSQL database: a claim never gives the same job to two of them. */
#ifndef SP_JOBS_H
#define SP_JOBS_H
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/jobs/jobs.h"

/* What a handler gets: the connection (outside any transaction: writes go
 * in its own db_tx), an arena freed after the job, and the job. A handler
 * returns ERR_OK, or an error with error set to an Italian sentence for
 * the administrator (otherwise the error's own message is recorded). A
 * handler must be safe to run again: a retry or a re-claimed lease runs it
 * once more. */
typedef struct {
  db *d;
  arena *a;
  const job *j;
  const char *error;
} job_run;

typedef struct {
  const char *kind;            /* [a-z0-9_.], as enqueued */
  err_code (*run)(job_run *r);
  int max_attempts;            /* then the job is dead */
  int64_t backoff_base;        /* seconds before the second attempt; doubles after */
  int64_t every;               /* periodic kinds: seconds between runs; 0 = on demand */
} job_kind;

/* The registry (kinds.c). */
extern const job_kind job_kinds[];
extern const size_t job_kinds_count;

/* How long a claim lasts: a job still running after it is taken by the
 * next worker that looks. Handlers must finish well within it. */
#define JOBS_LEASE_SECONDS 300

typedef struct job_runner job_runner;

/* Starts the loop in its own thread. */
job_runner *jobs_start(db_pool *pool);
/* Stops and joins the loop (NULL is a no-op). */
void jobs_stop(job_runner *r);

/* Enqueues the next run of every periodic kind of kinds that has none
 * pending. */
err_code jobs_schedule_periodic(db *d, const job_kind *kinds, size_t n);
/* Claims and runs due jobs, up to max, with the handlers of kinds; returns
 * how many ran (-1 on a storage error). worker names this runner in the
 * job rows. */
int jobs_run_due(db *d, const job_kind *kinds, size_t n, const char *worker, int64_t lease, int max);
/* One round with the registry: schedule periodic kinds, run what is due
 * (the loop body; also used by tests). */
err_code jobs_run_once(db *d);

#endif

/* Background jobs: the queue every deferred piece of work goes through
 * (outbox, notices, mail intake, reminders, housekeeping). Domain code
 * enqueues inside its own transaction, so a job exists exactly when the
 * change that needs it committed; workers (src/jobs) claim due jobs under
 * a lease, run them outside any transaction and record success, or failure
 * with exponential backoff until the kind's attempts are used up ('dead').
 * An administrator sees the queue and can retry or cancel a job (audited).
 * Kinds and their policies (handler, attempts, backoff) are registered in
 * one table in src/jobs/kinds.c. */
#ifndef SP_JOBS_DOMAIN_H
#define SP_JOBS_DOMAIN_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"

typedef enum {
  JOB_QUEUED = 0, /* waiting for run_at */
  JOB_RUNNING,    /* claimed; lease until locked_until */
  JOB_RETRY,      /* failed, runs again at run_at */
  JOB_DONE,
  JOB_DEAD,       /* attempts used up */
  JOB_CANCELLED,  /* by an administrator */
  JOB__STATES
} job_state;

enum {
  JOB_KIND_MAX = 64,          /* bytes of a kind name: [a-z0-9_.] */
  JOB_PAYLOAD_MAX = 65536,    /* bytes of the JSON payload */
  JOB_DEDUP_MAX = 200,        /* bytes of a dedup key */
  JOB_ERROR_MAX = 1000        /* bytes of last_error kept */
};

typedef struct {
  int64_t id;
  char *kind;
  int64_t ente_id;   /* 0: not about one Ente */
  char *payload;     /* JSON text */
  char *dedup_key;   /* NULL when none */
  job_state state;
  int attempts;      /* claims so far */
  int64_t run_at;
  int64_t locked_until; /* lease of a running job (0 otherwise) */
  char *locked_by;
  char *last_error;  /* NULL when none */
  int64_t created_at, updated_at, finished_at;
} job;

/* What to enqueue; run_at 0 means now, payload NULL means "{}". */
typedef struct {
  const char *kind;
  int64_t ente_id;
  const char *payload;
  int64_t run_at;
  const char *dedup_key; /* at most one queued/running/retry job per (kind, key) */
} job_new;

/* "queued", "running", ... and the Italian label; job_state_parse gives
 * -1 for an unknown name. */
const char *job_state_name(job_state s);
const char *job_state_label_it(job_state s);
int job_state_parse(const char *name);

/* Enqueues inside the caller's db_tx (ERR_INTERNAL outside one). With a
 * dedup key already pending, nothing is added and *id_out gets the pending
 * job's id. ERR_INVALID for a bad kind, payload (not a JSON object, too
 * large) or key. */
err_code job_enqueue(db *d, const job_new *n, int64_t *id_out);

/* Claims, in its own transaction, the next due job: queued or retry with
 * run_at <= now, or running with its lease expired (a crashed worker; its
 * last_error then says so). The job becomes running for worker until
 * now + lease, attempts + 1. ERR_NOT_FOUND when nothing is due. */
err_code job_claim(db *d, arena *a, const char *worker, int64_t now, int64_t lease, job *out);
/* Marks a claimed job done and, in the same transaction, enqueues next
 * when not NULL (a periodic kind's next run). ERR_CONFLICT when the claim
 * is no longer ours (the lease expired and another worker took the job). */
err_code job_succeed(db *d, const job *j, int64_t now, const job_new *next);
/* Records a failed attempt: retry at now + job_backoff(...) while
 * attempts < max_attempts, dead otherwise. *next_run (if not NULL) gets the
 * new run_at (0 when dead). ERR_CONFLICT as for job_succeed. */
err_code job_fail(db *d, const job *j, const char *error, int max_attempts, int64_t backoff_base,
                  int64_t now, int64_t *next_run);
/* The delay before attempt attempts + 1: base * 2^(attempts-1) seconds,
 * capped at a day, then jittered down to between half and all of it by
 * rnd (any 64-bit random value). */
int64_t job_backoff(int64_t base, int attempts, uint64_t rnd);

/* Administrator actions, each with its audit row: retry runs a dead,
 * retry-waiting or cancelled job again now with its attempts reset;
 * cancel stops a queued, retry-waiting or dead job. ERR_NOT_FOUND for no
 * such job, ERR_CONFLICT when its state does not allow the action. */
err_code job_retry(db *d, int64_t id, const actor *who);
err_code job_cancel(db *d, int64_t id, const actor *who);

err_code job_get(db *d, arena *a, int64_t id, job *out);
/* The newest jobs first, in state (all states when state < 0). */
err_code job_list(db *d, arena *a, int state, int limit, job **out, size_t *n);

typedef struct {
  char *kind;
  job_state state;
  int64_t count;
} job_count;
/* Jobs per kind and state, by kind then state. */
err_code job_counts(db *d, arena *a, job_count **out, size_t *n);

#endif

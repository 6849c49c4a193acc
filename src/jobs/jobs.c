/* The job loop: every POLL_SECONDS (at once again when it was busy) it
 * makes sure each periodic kind has its next run queued, then claims and
 * runs due jobs one at a time on a pooled connection. Each claim, success
 * and failure is its own short transaction; the handler runs between them
 * holding no transaction. */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"

#define POLL_SECONDS 2
#define PERIODIC_EVERY 30 /* seconds between checks of the periodic kinds */
#define BATCH 50          /* jobs per round before looking at the clock again */
#define PERIODIC_KEY "periodic"

struct job_runner {
  db_pool *pool;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int stop;
  char worker[128];
};

static err_code enqueue_fn(db *d, void *ctx) { return job_enqueue(d, ctx, NULL); }

err_code jobs_schedule_periodic(db *d, const job_kind *kinds, size_t n) {
  err_code result = ERR_OK;
  for (size_t i = 0; i < n; i++) {
    if (kinds[i].every <= 0) continue;
    job_new jn = {.kind = kinds[i].kind, .dedup_key = PERIODIC_KEY};
    err_code rc = db_tx(d, enqueue_fn, &jn);
    if (rc != ERR_OK) {
      log_warn("jobs: cannot schedule %s: %s", kinds[i].kind, err_slug(rc));
      result = rc;
    }
  }
  return result;
}

static const job_kind *find_kind(const job_kind *kinds, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(kinds[i].kind, name) == 0) return &kinds[i];
  return NULL;
}

/* Runs one claimed job and records the outcome. */
static void run_one(db *d, arena *a, const job_kind *k, const job *j) {
  int64_t now;
  err_code rc;
  if (!k) {
    now = clock_now();
    rc = job_fail(d, j, arena_printf(a, "Tipo di lavoro sconosciuto: %s.", j->kind), 0, 1, now, NULL);
    log_error("jobs: job %lld has unknown kind %s: dead", (long long)j->id, j->kind);
  } else if (j->attempts > k->max_attempts) {
    /* its last attempt's worker vanished: nothing left to try */
    now = clock_now();
    rc = job_fail(d, j, j->last_error, k->max_attempts, k->backoff_base, now, NULL);
    log_warn("jobs: job %lld (%s) lost its last attempt: dead", (long long)j->id, j->kind);
  } else {
    job_run r = {d, a, j, NULL};
    err_code hr = k->run(&r);
    if (db_in_tx(d)) {
      log_error("bug: job kind %s returned inside a transaction", k->kind);
      hr = ERR_INTERNAL;
    }
    now = clock_now();
    if (hr == ERR_OK) {
      job_new next = {.kind = k->kind, .dedup_key = PERIODIC_KEY, .run_at = now + k->every};
      rc = job_succeed(d, j, now, k->every > 0 ? &next : NULL);
    } else {
      const char *msg = r.error ? r.error : err_message_it(hr);
      int64_t next_run = 0;
      rc = job_fail(d, j, msg, k->max_attempts, k->backoff_base, now, &next_run);
      if (next_run)
        log_warn("jobs: job %lld (%s) attempt %d failed (%s): retry in %lld s", (long long)j->id,
                 j->kind, j->attempts, err_slug(hr), (long long)(next_run - now));
      else
        log_warn("jobs: job %lld (%s) attempt %d failed (%s): dead", (long long)j->id, j->kind,
                 j->attempts, err_slug(hr));
    }
  }
  if (rc == ERR_CONFLICT)
    log_warn("jobs: job %lld (%s): lease lost before the outcome was recorded", (long long)j->id, j->kind);
  else if (rc != ERR_OK)
    log_error("jobs: job %lld (%s): outcome not recorded: %s", (long long)j->id, j->kind, err_slug(rc));
}

int jobs_run_due(db *d, const job_kind *kinds, size_t n, const char *worker, int64_t lease, int max) {
  int ran = 0;
  while (ran < max) {
    arena *a = arena_new();
    job j;
    err_code rc = job_claim(d, a, worker, clock_now(), lease, &j);
    if (rc != ERR_OK) {
      arena_free(a);
      if (rc == ERR_NOT_FOUND) return ran;
      log_warn("jobs: claim failed: %s", err_slug(rc));
      return ran ? ran : -1;
    }
    run_one(d, a, find_kind(kinds, n, j.kind), &j);
    arena_free(a);
    ran++;
  }
  return ran;
}

err_code jobs_run_once(db *d) {
  err_code rc = jobs_schedule_periodic(d, job_kinds, job_kinds_count);
  char worker[64];
  snprintf(worker, sizeof worker, "once:%ld", (long)getpid());
  if (jobs_run_due(d, job_kinds, job_kinds_count, worker, JOBS_LEASE_SECONDS, BATCH) < 0 && rc == ERR_OK)
    rc = ERR_INTERNAL;
  return rc;
}

static void *loop(void *arg) {
  job_runner *r = arg;
  time_t last_schedule = 0;
  pthread_mutex_lock(&r->mu);
  while (!r->stop) {
    pthread_mutex_unlock(&r->mu);
    int ran = 0;
    db *d = db_pool_acquire(r->pool);
    if (d) {
      time_t t = time(NULL);
      if (t - last_schedule >= PERIODIC_EVERY &&
          jobs_schedule_periodic(d, job_kinds, job_kinds_count) == ERR_OK)
        last_schedule = t;
      ran = jobs_run_due(d, job_kinds, job_kinds_count, r->worker, JOBS_LEASE_SECONDS, BATCH);
      db_pool_release(r->pool, d);
    }
    pthread_mutex_lock(&r->mu);
    if (ran >= BATCH) continue; /* more may be due: no pause */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += POLL_SECONDS;
    while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &until) == 0) {
    }
  }
  pthread_mutex_unlock(&r->mu);
  return NULL;
}

job_runner *jobs_start(db_pool *pool) {
  job_runner *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->pool = pool;
  char host[64] = "";
  gethostname(host, sizeof host - 1);
  snprintf(r->worker, sizeof r->worker, "%s:%ld:%p", host, (long)getpid(), (void *)r);
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  if (pthread_create(&r->thread, NULL, loop, r) != 0) {
    free(r);
    return NULL;
  }
  return r;
}

void jobs_stop(job_runner *r) {
  if (!r) return;
  pthread_mutex_lock(&r->mu);
  r->stop = 1;
  pthread_cond_signal(&r->cv);
  pthread_mutex_unlock(&r->mu);
  pthread_join(r->thread, NULL);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  free(r);
}

#include "jobs/jobs.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "core/clock.h"
#include "core/log.h"
#include "domain/auth/auth.h"

#define LOOP_SECONDS 60

struct job_runner {
  db_pool *pool;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int stop;
};

err_code jobs_run_once(db *d) {
  err_code e = auth_prune(d, clock_now());
  if (e != ERR_OK) log_warn("housekeeping failed: %s", err_slug(e));
  return e;
}

static void *loop(void *arg) {
  job_runner *r = arg;
  pthread_mutex_lock(&r->mu);
  while (!r->stop) {
    pthread_mutex_unlock(&r->mu);
    db *d = db_pool_acquire(r->pool);
    if (d) {
      jobs_run_once(d);
      db_pool_release(r->pool, d);
    }
    pthread_mutex_lock(&r->mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += LOOP_SECONDS;
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

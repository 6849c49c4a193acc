/* Fixed-size connection pool. Connections are opened lazily up to size
 * and reused LIFO; a connection found broken is re-established (PG) or
 * replaced. An in-memory SQLite database exists once per connection, so
 * such a pool is clamped to one connection. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/db_internal.h"

#define ACQUIRE_WAIT_S 5

struct db_pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char *url;
  int size;  /* most connections at once */
  int nopen; /* connections handed out or idle */
  int nidle;
  db **idle; /* stack of size slots */
};

db_pool *db_pool_new(const char *url, int size) {
  if (!url || size < 1) return NULL;
  db_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  if (strstr(url, ":memory:")) size = 1;
  p->url = strdup(url);
  p->idle = calloc((size_t)size, sizeof *p->idle);
  if (!p->url || !p->idle) {
    free(p->url);
    free(p->idle);
    free(p);
    return NULL;
  }
  p->size = size;
  pthread_mutex_init(&p->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&p->cv, &ca);
  pthread_condattr_destroy(&ca);
  return p;
}

/* Closes idle connections; connections still handed out are the caller's
 * bug and are leaked rather than closed under a running thread. */
void db_pool_free(db_pool *p) {
  if (!p) return;
  for (int i = 0; i < p->nidle; i++) db_close(p->idle[i]);
  if (p->nopen > p->nidle) log_error("db: pool freed with %d connections still in use", p->nopen - p->nidle);
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  free(p->idle);
  free(p->url);
  free(p);
}

/* Gives back a slot whose connection could not be (re)opened. */
static void drop_slot(db_pool *p) {
  pthread_mutex_lock(&p->mu);
  p->nopen--;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
}

db *db_pool_acquire(db_pool *p) {
  if (!p) return NULL;
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += ACQUIRE_WAIT_S;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    if (p->nidle > 0) {
      db *d = p->idle[--p->nidle];
      pthread_mutex_unlock(&p->mu);
      /* no round trip: only a connection already seen broken is reset */
      if (d->ops->broken(d) && d->ops->reconnect(d) != 0) {
        log_warn("db: pooled connection lost and not re-established: %s", db_errmsg(d));
        db_close(d);
        drop_slot(p);
        return NULL;
      }
      return d;
    }
    if (p->nopen < p->size) {
      p->nopen++;
      pthread_mutex_unlock(&p->mu);
      char err[DB_ERRLEN];
      db *d = db_open(p->url, err, sizeof err);
      if (!d) {
        log_warn("db: pool cannot open a connection: %s", err);
        drop_slot(p);
      }
      return d;
    }
    if (pthread_cond_timedwait(&p->cv, &p->mu, &deadline) == ETIMEDOUT) {
      pthread_mutex_unlock(&p->mu);
      log_warn("db: no pooled connection free after %d s", ACQUIRE_WAIT_S);
      return NULL;
    }
  }
}

/* A connection returned inside a transaction is a bug: it is rolled back
 * (and logged) so the next user starts clean. */
void db_pool_release(db_pool *p, db *d) {
  if (!p || !d) return;
  db_snapshot_end(d);
  if (db_in_tx(d)) {
    log_error("db: connection released inside a transaction; rolling back");
    db_tx_abort(d);
  }
  pthread_mutex_lock(&p->mu);
  if (p->nidle < p->size) {
    p->idle[p->nidle++] = d;
    d = NULL;
  }
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  if (d) {
    log_error("db: connection released twice or to the wrong pool; closed");
    db_close(d);
  }
}

/* Head deadline and slot reserve for the HTTP server; see conntrack.h.
 * Waiting connections are kept in one list ordered by the time they
 * started waiting (appended at the tail, so the head is the oldest): the
 * sweep and the eviction both take from the head. */
#include "http/conntrack.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include "core/log.h"

#define SWEEP_MS 100
#define LOG_EVERY_MS 10000

struct conn_slot {
  conn_slot *prev, *next; /* in the waiting list */
  int fd;
  int waiting;      /* in the waiting list */
  int dropped;      /* shut down by us; libmicrohttpd will close it */
  int64_t since_ms; /* started waiting for a request head */
};

struct conntrack {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t sweeper;
  int stop;
  int high_water; /* above this many live connections, evict */
  int64_t head_timeout_ms;
  conn_slot *first, *last; /* waiting, oldest first */
  int64_t live;            /* open and not dropped */
  struct {
    int64_t open, waiting, expired, evicted;
  } st;
  int64_t logged_expired, logged_evicted, logged_at;
};

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void unlink_slot(conntrack *t, conn_slot *s) {
  if (!s->waiting) return;
  if (s->prev)
    s->prev->next = s->next;
  else
    t->first = s->next;
  if (s->next)
    s->next->prev = s->prev;
  else
    t->last = s->prev;
  s->prev = s->next = NULL;
  s->waiting = 0;
  t->st.waiting--;
}

static void append_slot(conntrack *t, conn_slot *s, int64_t now) {
  s->since_ms = now;
  s->prev = t->last;
  s->next = NULL;
  if (t->last)
    t->last->next = s;
  else
    t->first = s;
  t->last = s;
  s->waiting = 1;
  t->st.waiting++;
}

/* Called with the lock held: the descriptor is still open (see the header). */
static void drop(conntrack *t, conn_slot *s) {
  unlink_slot(t, s);
  s->dropped = 1;
  t->live--;
  shutdown(s->fd, SHUT_RDWR);
}

static void maybe_log(conntrack *t, int64_t now) {
  if (now - t->logged_at < LOG_EVERY_MS) return;
  if (t->st.expired == t->logged_expired && t->st.evicted == t->logged_evicted) return;
  log_warn(
      "http: dropped %lld connections whose request head took too long and %lld waiting ones "
      "to make room for new clients (since start)",
      (long long)t->st.expired, (long long)t->st.evicted);
  t->logged_expired = t->st.expired;
  t->logged_evicted = t->st.evicted;
  t->logged_at = now;
}

static void *sweep(void *arg) {
  conntrack *t = arg;
  pthread_mutex_lock(&t->mu);
  while (!t->stop) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += SWEEP_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    int rc = 0;
    while (!t->stop && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&t->cv, &t->mu, &until);
    int64_t now = now_ms();
    while (t->first && now - t->first->since_ms >= t->head_timeout_ms) {
      drop(t, t->first);
      t->st.expired++;
    }
    maybe_log(t, now);
  }
  pthread_mutex_unlock(&t->mu);
  return NULL;
}

conntrack *conntrack_new(int limit, int64_t head_timeout_ms) {
  conntrack *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  int keep_free = limit / 10 > 0 ? limit / 10 : 1;
  t->high_water = limit - keep_free > 0 ? limit - keep_free : 1;
  t->head_timeout_ms = head_timeout_ms;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&t->cv, &ca);
  pthread_condattr_destroy(&ca);
  pthread_mutex_init(&t->mu, NULL);
  if (pthread_create(&t->sweeper, NULL, sweep, t) != 0) {
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
    return NULL;
  }
  return t;
}

/* Only after the server has stopped: no slot is left. */
void conntrack_free(conntrack *t) {
  if (!t) return;
  pthread_mutex_lock(&t->mu);
  t->stop = 1;
  pthread_cond_signal(&t->cv);
  pthread_mutex_unlock(&t->mu);
  pthread_join(t->sweeper, NULL);
  pthread_cond_destroy(&t->cv);
  pthread_mutex_destroy(&t->mu);
  free(t);
}

conn_slot *conntrack_open(conntrack *t, int fd) {
  conn_slot *s = calloc(1, sizeof *s);
  if (!s) return NULL; /* untracked: only the idle timeout applies */
  s->fd = fd;
  pthread_mutex_lock(&t->mu);
  append_slot(t, s, now_ms());
  t->st.open++;
  t->live++;
  /* near the limit: the longest-waiting connections make room (never the
   * new one itself: its client has only just connected) */
  while (t->live > t->high_water && t->first && t->first != s) {
    drop(t, t->first);
    t->st.evicted++;
  }
  pthread_mutex_unlock(&t->mu);
  return s;
}

void conntrack_head_done(conntrack *t, conn_slot *s) {
  if (!s) return;
  pthread_mutex_lock(&t->mu);
  unlink_slot(t, s);
  pthread_mutex_unlock(&t->mu);
}

void conntrack_idle(conntrack *t, conn_slot *s) {
  if (!s) return;
  pthread_mutex_lock(&t->mu);
  if (!s->dropped) {
    unlink_slot(t, s);
    append_slot(t, s, now_ms());
  }
  pthread_mutex_unlock(&t->mu);
}

void conntrack_close(conntrack *t, conn_slot *s) {
  if (!s) return;
  pthread_mutex_lock(&t->mu);
  unlink_slot(t, s);
  t->st.open--;
  if (!s->dropped) t->live--;
  pthread_mutex_unlock(&t->mu);
  free(s);
}

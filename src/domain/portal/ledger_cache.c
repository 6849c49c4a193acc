/* The portal's ledger cache (ledger_cache.h). One mutex guards a small
 * hash table and a least-recently-used list; a ledger is freed when it has
 * left the table and its last borrower's request has ended (refs). */
#include "domain/portal/ledger_cache.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/config.h"

enum { BUCKETS = 1024 };

typedef struct entry {
  int64_t ente_id, taxpayer_id, version;
  arena *own;
  ps_ledger l;
  size_t bytes;
  int refs;     /* the table's (while in it) and one per borrowing request */
  int in_table;
  struct entry *hnext, *prev, *next; /* bucket chain; LRU list, newest at head */
} entry;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static entry *bucket[BUCKETS];
static entry *head, *tail;
static size_t used;
static int64_t limit = -1; /* bytes; -1 until read from the configuration */
static int64_t hits;

static size_t slot(int64_t ente_id, int64_t taxpayer_id) {
  uint64_t h = (uint64_t)ente_id * 0x9E3779B97F4A7C15u ^ (uint64_t)taxpayer_id;
  return (size_t)(h % BUCKETS);
}

static void drop_ref(entry *e) {
  if (--e->refs > 0) return;
  arena_free(e->own);
  free(e);
}

static void release(void *arg) {
  pthread_mutex_lock(&mu);
  drop_ref(arg);
  pthread_mutex_unlock(&mu);
}

static void lru_unlink(entry *e) {
  if (e->prev) e->prev->next = e->next;
  else head = e->next;
  if (e->next) e->next->prev = e->prev;
  else tail = e->prev;
  e->prev = e->next = NULL;
}

static void lru_front(entry *e) {
  e->next = head;
  e->prev = NULL;
  if (head) head->prev = e;
  head = e;
  if (!tail) tail = e;
}

/* Takes e out of the table (its borrowers keep it until they end). */
static void evict(entry *e) {
  entry **p = &bucket[slot(e->ente_id, e->taxpayer_id)];
  while (*p != e) p = &(*p)->hnext;
  *p = e->hnext;
  lru_unlink(e);
  used -= e->bytes;
  e->in_table = 0;
  drop_ref(e);
}

static entry *find(int64_t ente_id, int64_t taxpayer_id) {
  for (entry *e = bucket[slot(ente_id, taxpayer_id)]; e; e = e->hnext)
    if (e->ente_id == ente_id && e->taxpayer_id == taxpayer_id) return e;
  return NULL;
}

static int64_t limit_bytes(void) {
  if (limit < 0) limit = config_int("portal", "ledger_cache_mb") * 1024 * 1024;
  return limit;
}

const ps_ledger *ledger_cache_get(int64_t ente_id, int64_t taxpayer_id, int64_t version, int full, arena *a) {
  pthread_mutex_lock(&mu);
  entry *e = find(ente_id, taxpayer_id);
  if (e && (e->version != version || (full && !e->l.full))) e = NULL;
  if (e) {
    e->refs++;
    hits++;
    lru_unlink(e);
    lru_front(e);
  }
  pthread_mutex_unlock(&mu);
  if (!e) return NULL;
  arena_defer(a, release, e);
  return &e->l;
}

const ps_ledger *ledger_cache_put(int64_t ente_id, int64_t taxpayer_id, int64_t version, arena *own,
                                  const ps_ledger *l, arena *a) {
  entry *e = calloc(1, sizeof *e);
  if (!e) abort(); /* as the arenas do */
  *e = (entry){.ente_id = ente_id, .taxpayer_id = taxpayer_id, .version = version, .own = own, .l = *l,
               .bytes = arena_bytes(own) + sizeof *e, .refs = 1};
  pthread_mutex_lock(&mu);
  int64_t max = limit_bytes();
  entry *old = find(ente_id, taxpayer_id);
  if (old && (old->version < version || (old->version == version && l->full && !old->l.full))) evict(old);
  /* one taxpayer never takes more than an eighth of the room */
  if (!find(ente_id, taxpayer_id) && (int64_t)e->bytes <= max / 8) {
    while (tail && (int64_t)(used + e->bytes) > max) evict(tail);
    size_t s = slot(ente_id, taxpayer_id);
    e->hnext = bucket[s];
    bucket[s] = e;
    lru_front(e);
    used += e->bytes;
    e->in_table = 1;
    e->refs++;
  }
  pthread_mutex_unlock(&mu);
  arena_defer(a, release, e);
  return &e->l;
}

int64_t ledger_cache_hits(void) {
  pthread_mutex_lock(&mu);
  int64_t n = hits;
  pthread_mutex_unlock(&mu);
  return n;
}

void ledger_cache_reset(int64_t limit_bytes_) {
  pthread_mutex_lock(&mu);
  while (tail) evict(tail);
  limit = limit_bytes_;
  hits = 0;
  pthread_mutex_unlock(&mu);
}

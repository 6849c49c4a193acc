#include "http/ratelimit.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8192 /* power of two */
#define PROBE 8
#define KEY_MAX 48 /* an IPv6 address in text fits */

typedef struct {
  char key[KEY_MAX];
  int64_t milli_tokens; /* 1000 = one request */
  int64_t last_ms;
} slot;

struct ratelimit {
  int64_t per_minute;
  pthread_mutex_t mu;
  slot *slots;
};

ratelimit *ratelimit_new(int64_t per_minute) {
  ratelimit *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->per_minute = per_minute;
  pthread_mutex_init(&r->mu, NULL);
  if (per_minute > 0) {
    r->slots = calloc(SLOTS, sizeof(slot));
    if (!r->slots) {
      free(r);
      return NULL;
    }
  }
  return r;
}

void ratelimit_free(ratelimit *r) {
  if (!r) return;
  pthread_mutex_destroy(&r->mu);
  free(r->slots);
  free(r);
}

static uint32_t hash(const char *s) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* The client's slot, or the least recently used one among its probe
 * window, reset for it. */
static slot *find(ratelimit *r, const char *key, int64_t now_ms) {
  uint32_t h = hash(key);
  slot *oldest = NULL;
  for (int i = 0; i < PROBE; i++) {
    slot *s = &r->slots[(h + (uint32_t)i) & (SLOTS - 1)];
    if (strcmp(s->key, key) == 0) return s;
    if (!s->key[0]) {
      oldest = s;
      break;
    }
    if (!oldest || s->last_ms < oldest->last_ms) oldest = s;
  }
  strncpy(oldest->key, key, KEY_MAX - 1);
  oldest->key[KEY_MAX - 1] = 0;
  oldest->milli_tokens = r->per_minute * 1000; /* a new client starts with a full bucket */
  oldest->last_ms = now_ms;
  return oldest;
}

int ratelimit_allow(ratelimit *r, const char *client, int64_t now_ms, int *retry_after) {
  if (!r || r->per_minute <= 0) return 1;
  pthread_mutex_lock(&r->mu);
  slot *s = find(r, client ? client : "?", now_ms);
  int64_t cap = r->per_minute * 1000;
  int64_t elapsed = now_ms - s->last_ms;
  /* per_minute tokens per 60,000 ms, in thousandths of a token; the clock
   * only advances when at least one thousandth was earned, so frequent
   * requests under a low limit still accrue */
  int64_t add = elapsed > 0 ? elapsed * r->per_minute / 60 : 0;
  if (add > 0) {
    s->milli_tokens = s->milli_tokens + add > cap ? cap : s->milli_tokens + add;
    s->last_ms = now_ms;
  }
  int ok = s->milli_tokens >= 1000;
  if (ok) {
    s->milli_tokens -= 1000;
  } else if (retry_after) {
    int64_t missing = 1000 - s->milli_tokens;
    *retry_after = (int)((missing * 60 / r->per_minute + 999) / 1000);
    if (*retry_after < 1) *retry_after = 1;
  }
  pthread_mutex_unlock(&r->mu);
  return ok;
}

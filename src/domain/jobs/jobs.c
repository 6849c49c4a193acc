/* Job queue rules: what may be enqueued, how a claim, a success and a
 * failure change a job, the backoff schedule, and the administrator's
 * retry and cancel (the only job changes with an audit row: the others are
 * the queue's own bookkeeping, like session housekeeping). */
#include "domain/jobs/jobs.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/jobs/jobs_store.h"

#define BACKOFF_CAP 86400 /* seconds: no retry waits longer than a day */

static const struct {
  const char *name, *label;
} states[JOB__STATES] = {
    [JOB_QUEUED] = {"queued", "In coda"},
    [JOB_RUNNING] = {"running", "In esecuzione"},
    [JOB_RETRY] = {"retry", "In attesa di un nuovo tentativo"},
    [JOB_DONE] = {"done", "Completato"},
    [JOB_DEAD] = {"dead", "Fallito definitivamente"},
    [JOB_CANCELLED] = {"cancelled", "Annullato"},
};

const char *job_state_name(job_state s) { return s >= 0 && s < JOB__STATES ? states[s].name : "dead"; }

const char *job_state_label_it(job_state s) {
  return s >= 0 && s < JOB__STATES ? states[s].label : states[JOB_DEAD].label;
}

int job_state_parse(const char *name) {
  for (int s = 0; name && s < JOB__STATES; s++)
    if (strcmp(states[s].name, name) == 0) return s;
  return -1;
}

static int kind_ok(const char *k) {
  size_t n = k ? strlen(k) : 0;
  if (n == 0 || n > JOB_KIND_MAX) return 0;
  for (const char *p = k; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.')) return 0;
  return 1;
}

/* A JSON object within the size limit. */
static int payload_ok(const char *p) {
  if (strlen(p) > JOB_PAYLOAD_MAX) return 0;
  json_error_t err;
  json_t *v = json_loads(p, JSON_REJECT_DUPLICATES, &err);
  int ok = v && json_is_object(v);
  json_decref(v);
  return ok;
}

/* A dedup key: printable, no control characters. */
static int key_ok(const char *k) {
  size_t n = strlen(k);
  if (n == 0 || n > JOB_DEDUP_MAX) return 0;
  for (const char *p = k; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) return 0;
  return 1;
}

err_code job_enqueue(db *d, const job_new *n, int64_t *id_out) {
  if (!db_in_tx(d)) {
    log_error("jobs: job_enqueue called outside a transaction");
    return ERR_INTERNAL;
  }
  const char *payload = n && n->payload ? n->payload : "{}";
  if (!n || !kind_ok(n->kind) || n->ente_id < 0 || !payload_ok(payload) ||
      (n->dedup_key && !key_ok(n->dedup_key)) || n->run_at < 0)
    return ERR_INVALID;
  int64_t id = 0;
  if (n->dedup_key) {
    err_code rc = js_pending_id(d, n->kind, n->dedup_key, &id);
    if (rc == ERR_OK) {
      if (id_out) *id_out = id;
      return ERR_OK;
    }
    if (rc != ERR_NOT_FOUND) return rc;
  }
  int64_t now = clock_now();
  job j = {.kind = (char *)n->kind,
           .ente_id = n->ente_id,
           .payload = (char *)payload,
           .dedup_key = (char *)n->dedup_key,
           .run_at = n->run_at ? n->run_at : now,
           .created_at = now};
  err_code rc = js_insert(d, &j, &id);
  if (rc == ERR_OK && id_out) *id_out = id;
  return rc;
}

typedef struct {
  arena *a;
  const char *worker;
  int64_t now, lease;
  job *out;
} claim_tx;

static err_code claim_fn(db *d, void *ctx) {
  claim_tx *t = ctx;
  int64_t id;
  job_state state;
  int attempts;
  err_code rc = js_next_due(d, t->now, &id, &state, &attempts);
  if (rc != ERR_OK) return rc;
  char *note = NULL;
  if (state == JOB_RUNNING)
    note = arena_printf(t->a,
                        "Il tentativo %d si è interrotto: il worker non ha risposto entro la scadenza.",
                        attempts);
  rc = js_mark_running(d, id, attempts, t->worker, t->now + t->lease, note, t->now);
  if (rc != ERR_OK) return rc == ERR_NOT_FOUND ? ERR_BUSY : rc;
  return js_get(d, t->a, id, t->out);
}

err_code job_claim(db *d, arena *a, const char *worker, int64_t now, int64_t lease, job *out) {
  if (!worker || !*worker || lease <= 0) return ERR_INVALID;
  claim_tx t = {a, worker, now, lease, out};
  return db_tx(d, claim_fn, &t);
}

typedef struct {
  const job *j;
  job_state state;
  int64_t run_at, now;
  const char *error;
  const job_new *next;
} end_tx;

static err_code end_fn(db *d, void *ctx) {
  end_tx *t = ctx;
  int finished = t->state == JOB_DONE || t->state == JOB_DEAD;
  err_code rc = js_end_claim(d, t->j->id, t->j->attempts, t->state, t->run_at, t->error,
                             finished ? t->now : 0, t->now);
  if (rc == ERR_NOT_FOUND) return ERR_CONFLICT;
  if (rc == ERR_OK && t->next) rc = job_enqueue(d, t->next, NULL);
  return rc;
}

err_code job_succeed(db *d, const job *j, int64_t now, const job_new *next) {
  end_tx t = {j, JOB_DONE, j->run_at, now, NULL, next};
  return db_tx(d, end_fn, &t);
}

int64_t job_backoff(int64_t base, int attempts, uint64_t rnd) {
  if (base < 1) base = 1;
  if (attempts < 1) attempts = 1;
  int64_t delay = base;
  for (int i = 1; i < attempts && delay < BACKOFF_CAP; i++) delay *= 2;
  if (delay > BACKOFF_CAP) delay = BACKOFF_CAP;
  int64_t half = delay / 2;
  return delay - (int64_t)(rnd % (uint64_t)(half + 1)); /* in [delay - half, delay] */
}

/* The error as kept: at most JOB_ERROR_MAX bytes, cut on a UTF-8
 * character boundary. */
static const char *clip_error(char *buf, const char *e) {
  if (!e || !*e) e = "Errore non specificato.";
  size_t n = strlen(e);
  if (n <= JOB_ERROR_MAX) return e;
  n = JOB_ERROR_MAX;
  while (n > 0 && ((unsigned char)e[n] & 0xC0) == 0x80) n--;
  memcpy(buf, e, n);
  buf[n] = 0;
  return buf;
}

err_code job_fail(db *d, const job *j, const char *error, int max_attempts, int64_t backoff_base,
                  int64_t now, int64_t *next_run) {
  char buf[JOB_ERROR_MAX + 1];
  end_tx t = {j, JOB_DEAD, j->run_at, now, clip_error(buf, error), NULL};
  if (j->attempts < max_attempts) {
    uint64_t rnd = sodium_init() < 0 ? (uint64_t)j->id * 0x9E3779B97F4A7C15ull
                                     : ((uint64_t)randombytes_random() << 32) | randombytes_random();
    t.state = JOB_RETRY;
    t.run_at = now + job_backoff(backoff_base, j->attempts, rnd);
  }
  err_code rc = db_tx(d, end_fn, &t);
  if (rc == ERR_OK && next_run) *next_run = t.state == JOB_RETRY ? t.run_at : 0;
  return rc;
}

typedef struct {
  int64_t id;
  const actor *who;
  int retry;
} admin_tx;

static json_t *job_json(const job *j) {
  return json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)j->id, "kind", j->kind, "state",
                   job_state_name(j->state), "attempts", j->attempts);
}

static err_code admin_fn(db *d, void *ctx) {
  admin_tx *t = ctx;
  arena *a = arena_new();
  job before;
  err_code rc = js_get(d, a, t->id, &before);
  if (rc == ERR_OK) {
    int64_t now = clock_now();
    unsigned from = t->retry ? (1u << JOB_DEAD) | (1u << JOB_RETRY) | (1u << JOB_CANCELLED)
                             : (1u << JOB_QUEUED) | (1u << JOB_RETRY) | (1u << JOB_DEAD);
    rc = js_set_state(d, t->id, from, t->retry ? JOB_QUEUED : JOB_CANCELLED,
                      t->retry ? now : before.run_at, t->retry, now);
    if (rc == ERR_NOT_FOUND) rc = ERR_CONFLICT;
  }
  job after;
  if (rc == ERR_OK) rc = js_get(d, a, t->id, &after);
  if (rc == ERR_OK)
    rc = audit_write_json(d, t->who, before.ente_id, t->retry ? "job.retry" : "job.cancel", "job",
                          t->id, job_json(&before), job_json(&after));
  arena_free(a);
  return rc;
}

err_code job_retry(db *d, int64_t id, const actor *who) {
  admin_tx t = {id, who, 1};
  return id > 0 ? db_tx(d, admin_fn, &t) : ERR_NOT_FOUND;
}

err_code job_cancel(db *d, int64_t id, const actor *who) {
  admin_tx t = {id, who, 0};
  return id > 0 ? db_tx(d, admin_fn, &t) : ERR_NOT_FOUND;
}

err_code job_get(db *d, arena *a, int64_t id, job *out) { return js_get(d, a, id, out); }

err_code job_list(db *d, arena *a, int state, int limit, job **out, size_t *n) {
  if (state >= JOB__STATES) return ERR_INVALID;
  if (limit <= 0 || limit > 1000) limit = 1000;
  return js_list(d, a, state, limit, out, n);
}

err_code job_counts(db *d, arena *a, job_count **out, size_t *n) { return js_counts(d, a, out, n); }

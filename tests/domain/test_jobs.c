/* The job queue and its runner on both backends: what may be enqueued and
 * deduplicated, the claim order, the backoff schedule, dead after the
 * kind's attempts, a lease that expires is claimed again (and the old
 * claim can no longer record an outcome), the administrator's retry and
 * cancel with their audit rows, periodic kinds, and concurrent workers
 * that never get the same job. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/jobs/jobs.h"
#include "fixture.h"
#include "jobs/jobs.h"

static testdb T;
static db *D;
static int64_t ENTE;
static const actor ADMIN = {"user", 1};
enum { T0 = 1800000000 };

static int setup(void **state) {
  D = fx_open(&T, "jobs");
  ENTE = fx_ente(D, "lavori", 81);
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

static void at(int64_t t) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)t);
  setenv("SPORTELLO_TEST_NOW", buf, 1);
}

static void clear_jobs(void) {
  if (db_exec_script(D, "DELETE FROM job") != DBR_DONE) fail_msg("%s", db_errmsg(D));
}

static err_code enqueue_fn(db *d, void *ctx) {
  job_new *n = ctx;
  int64_t id = 0;
  err_code rc = job_enqueue(d, n, &id);
  if (rc == ERR_OK) n->run_at = -id; /* hand the id back */
  return rc;
}

/* Enqueues in a transaction of its own; returns the id or fails. */
static int64_t put(const char *kind, const char *payload, int64_t run_at, const char *key) {
  job_new n = {.kind = kind, .ente_id = ENTE, .payload = payload, .run_at = run_at, .dedup_key = key};
  err_code rc = db_tx(D, enqueue_fn, &n);
  if (rc != ERR_OK) fail_msg("enqueue %s: %s", kind, err_slug(rc));
  return -n.run_at;
}

static err_code put_rc(const char *kind, const char *payload, const char *key) {
  job_new n = {.kind = kind, .payload = payload, .dedup_key = key};
  return db_tx(D, enqueue_fn, &n);
}

static job get(arena *a, int64_t id) {
  job j;
  assert_int_equal(job_get(D, a, id, &j), ERR_OK);
  return j;
}

static void test_enqueue_rules(void **state) {
  clear_jobs();
  at(T0);
  job_new n = {.kind = "outbox.send"};
  assert_int_equal(job_enqueue(D, &n, NULL), ERR_INTERNAL); /* outside a transaction */
  assert_int_equal(put_rc("", NULL, NULL), ERR_INVALID);
  assert_int_equal(put_rc("Outbox", NULL, NULL), ERR_INVALID);
  assert_int_equal(put_rc("outbox send", NULL, NULL), ERR_INVALID);
  assert_int_equal(put_rc("outbox", "non json", NULL), ERR_INVALID);
  assert_int_equal(put_rc("outbox", "[1,2]", NULL), ERR_INVALID);
  assert_int_equal(put_rc("outbox", "{\"a\":1,\"a\":2}", NULL), ERR_INVALID);
  assert_int_equal(put_rc("outbox", "{}", "chiave\ncon a capo"), ERR_INVALID);
  char *big = malloc(JOB_PAYLOAD_MAX + 20);
  snprintf(big, JOB_PAYLOAD_MAX + 20, "{\"x\":\"%0*d\"}", JOB_PAYLOAD_MAX, 0);
  assert_int_equal(put_rc("outbox", big, NULL), ERR_INVALID);
  free(big);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job", 0), 0);

  arena *a = arena_new();
  int64_t id = put("outbox.send", "{\"a\":1}", 0, NULL);
  job j = get(a, id);
  assert_string_equal(j.kind, "outbox.send");
  assert_int_equal(j.ente_id, ENTE);
  assert_string_equal(j.payload, "{\"a\":1}");
  assert_int_equal(j.state, JOB_QUEUED);
  assert_int_equal(j.attempts, 0);
  assert_int_equal(j.run_at, T0);
  assert_null(j.dedup_key);
  assert_int_equal(get(a, put("notice", NULL, 0, NULL)).payload[0], '{');
  /* a dedup key pending: the same job */
  int64_t d1 = put("reminder", "{}", 0, "avviso-7");
  assert_int_equal(put("reminder", "{}", 0, "avviso-7"), d1);
  assert_true(put("reminder", "{}", 0, "avviso-8") != d1);
  assert_true(put("notice", "{}", 0, "avviso-7") != d1); /* other kind */
  /* once it is done, the key is free again */
  job c;
  while (job_claim(D, a, "w", T0, 60, &c) == ERR_OK)
    if (c.id == d1) assert_int_equal(job_succeed(D, &c, T0, NULL), ERR_OK);
  assert_int_equal(get(a, d1).state, JOB_DONE);
  assert_true(put("reminder", "{}", 0, "avviso-7") != d1);
  arena_free(a);
  unsetenv("SPORTELLO_TEST_NOW");
}

static void test_claim_order_and_lease(void **state) {
  clear_jobs();
  at(T0);
  arena *a = arena_new();
  int64_t later = put("k", NULL, T0 + 100, NULL);
  int64_t second = put("k", NULL, T0 - 5, NULL);
  int64_t first = put("k", NULL, T0 - 10, NULL);
  job j;
  assert_int_equal(job_claim(D, a, "w1", T0, 60, &j), ERR_OK);
  assert_int_equal(j.id, first);
  assert_int_equal(j.state, JOB_RUNNING);
  assert_int_equal(j.attempts, 1);
  assert_int_equal(j.locked_until, T0 + 60);
  assert_string_equal(j.locked_by, "w1");
  job k;
  assert_int_equal(job_claim(D, a, "w2", T0, 60, &k), ERR_OK);
  assert_int_equal(k.id, second);
  assert_int_equal(job_claim(D, a, "w2", T0 + 30, 60, &k), ERR_NOT_FOUND); /* later is not due */
  assert_int_equal(job_succeed(D, &k, T0 + 30, NULL), ERR_OK);
  /* w1 crashed: past its lease the job is claimed again, and says why */
  job again;
  assert_int_equal(job_claim(D, a, "w3", T0 + 61, 60, &again), ERR_OK);
  assert_int_equal(again.id, first);
  assert_int_equal(again.attempts, 2);
  assert_string_equal(again.locked_by, "w3");
  assert_non_null(again.last_error);
  assert_non_null(strstr(again.last_error, "interrotto"));
  /* the old claim can no longer record an outcome */
  assert_int_equal(job_succeed(D, &j, T0 + 62, NULL), ERR_CONFLICT);
  assert_int_equal(job_fail(D, &j, "tardi", 5, 10, T0 + 62, NULL), ERR_CONFLICT);
  assert_int_equal(job_succeed(D, &again, T0 + 62, NULL), ERR_OK);
  job done = get(a, first);
  assert_int_equal(done.state, JOB_DONE);
  assert_int_equal(done.finished_at, T0 + 62);
  assert_int_equal(job_claim(D, a, "w3", T0 + 100, 60, &k), ERR_OK);
  assert_int_equal(k.id, later);
  arena_free(a);
  unsetenv("SPORTELLO_TEST_NOW");
}

static void test_backoff_schedule(void **state) {
  /* base * 2^(n-1), jittered down by at most half, capped at a day */
  for (int n = 1; n <= 6; n++) {
    int64_t full = 10ll << (n - 1);
    assert_int_equal(job_backoff(10, n, 0), full);
    assert_int_equal(job_backoff(10, n, (uint64_t)full / 2), full - full / 2);
    for (uint64_t r = 1; r < 2000; r += 37) {
      int64_t b = job_backoff(10, n, r * 2654435761u);
      assert_true(b >= full - full / 2 && b <= full);
    }
  }
  assert_int_equal(job_backoff(3600, 30, 0), 86400);
  assert_true(job_backoff(3600, 30, 12345) >= 43200);
  /* a failure schedules the retry inside those bounds and keeps the error */
  clear_jobs();
  at(T0);
  arena *a = arena_new();
  int64_t id = put("k", NULL, 0, NULL);
  int64_t now = T0;
  for (int n = 1; n <= 4; n++) {
    job j;
    assert_int_equal(job_claim(D, a, "w", now, 60, &j), ERR_OK);
    assert_int_equal(j.id, id);
    assert_int_equal(j.attempts, n);
    int64_t next = 0;
    assert_int_equal(job_fail(D, &j, "Server di posta non raggiungibile.", 5, 10, now, &next), ERR_OK);
    int64_t full = 10ll << (n - 1);
    assert_true(next - now >= full / 2 && next - now <= full);
    job r = get(a, id);
    assert_int_equal(r.state, JOB_RETRY);
    assert_int_equal(r.run_at, next);
    assert_string_equal(r.last_error, "Server di posta non raggiungibile.");
    assert_int_equal(job_claim(D, a, "w", next - 1, 60, &j), ERR_NOT_FOUND);
    now = next;
  }
  arena_free(a);
  unsetenv("SPORTELLO_TEST_NOW");
}

/* --- the runner, with kinds of the test's own --------------------------- */

static int ok_calls, fail_calls;

static err_code kind_ok(job_run *r) {
  ok_calls++;
  return db_in_tx(r->d) ? ERR_INTERNAL : ERR_OK;
}

static err_code kind_fail(job_run *r) {
  fail_calls++;
  r->error = arena_printf(r->a, "Tentativo %d non riuscito.", r->j->attempts);
  return ERR_UNAVAILABLE;
}

static const job_kind KINDS[] = {
    {"test.ok", kind_ok, .max_attempts = 2, .backoff_base = 5},
    {"test.fail", kind_fail, .max_attempts = 3, .backoff_base = 10},
    {"test.tick", kind_ok, .max_attempts = 2, .backoff_base = 5, .every = 60},
};
enum { NK = sizeof KINDS / sizeof KINDS[0] };

static void test_dead_after_max_attempts(void **state) {
  clear_jobs();
  fail_calls = 0;
  arena *a = arena_new();
  at(T0);
  int64_t id = put("test.fail", NULL, 0, NULL);
  int64_t now = T0;
  for (int n = 1; n <= 3; n++) {
    at(now);
    assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 1);
    assert_int_equal(fail_calls, n);
    job j = get(a, id);
    assert_string_equal(j.last_error, arena_printf(a, "Tentativo %d non riuscito.", n));
    if (n < 3) {
      assert_int_equal(j.state, JOB_RETRY);
      now = j.run_at;
    } else {
      assert_int_equal(j.state, JOB_DEAD);
      assert_int_equal(j.finished_at, now);
    }
  }
  at(now + 100000);
  assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 0); /* dead stays dead */
  assert_int_equal(fail_calls, 3);
  /* an unknown kind is dead at once, without a handler */
  int64_t unknown = put("test.nobody", NULL, 0, NULL);
  assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 1);
  job u = get(a, unknown);
  assert_int_equal(u.state, JOB_DEAD);
  assert_non_null(strstr(u.last_error, "sconosciuto"));
  /* a job whose worker vanished on its last attempt is dead when found */
  int64_t lost = put("test.ok", NULL, 0, NULL);
  job c;
  for (int n = 0; n < 2; n++) {
    at(now + 200000 + n * 1000);
    assert_int_equal(job_claim(D, a, "crasher", now + 200000 + n * 1000, 60, &c), ERR_OK);
    assert_int_equal(c.id, lost);
  }
  at(now + 300000);
  ok_calls = 0;
  assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 1);
  assert_int_equal(ok_calls, 0);
  assert_int_equal(get(a, lost).state, JOB_DEAD);
  arena_free(a);
  unsetenv("SPORTELLO_TEST_NOW");
}

static void test_success_and_periodic(void **state) {
  clear_jobs();
  ok_calls = 0;
  arena *a = arena_new();
  at(T0);
  int64_t id = put("test.ok", "{\"x\":1}", 0, NULL);
  assert_int_equal(jobs_schedule_periodic(D, KINDS, NK), ERR_OK);
  assert_int_equal(jobs_schedule_periodic(D, KINDS, NK), ERR_OK); /* no second one */
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job WHERE kind = 'test.tick'", 0), 1);
  assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 2);
  assert_int_equal(ok_calls, 2);
  assert_int_equal(get(a, id).state, JOB_DONE);
  /* the periodic kind's next run is queued a period later */
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job WHERE kind = 'test.tick' AND state = 'queued'"
                               " AND run_at = ?", T0 + 60), 1);
  assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 0);
  at(T0 + 60);
  assert_int_equal(jobs_run_due(D, KINDS, NK, "w", 60, 10), 1);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job WHERE kind = 'test.tick' AND state = 'done'", 0), 2);
  /* the registry's housekeeping runs through jobs_run_once */
  assert_int_equal(jobs_run_once(D), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job WHERE kind = 'housekeeping' AND state = 'done'", 0), 1);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job WHERE kind = 'housekeeping' AND state = 'queued'", 0), 1);
  arena_free(a);
  unsetenv("SPORTELLO_TEST_NOW");
}

static void test_admin_retry_and_cancel(void **state) {
  clear_jobs();
  arena *a = arena_new();
  at(T0);
  int64_t dead = put("test.fail", NULL, 0, NULL);
  assert_int_equal(db_exec_script(D, "UPDATE job SET state = 'dead', attempts = 3, last_error = 'x'"), DBR_DONE);
  int64_t queued = put("test.ok", NULL, T0 + 500, NULL);
  int64_t retries = fx_audit_count(D, "job.retry"), cancels = fx_audit_count(D, "job.cancel");
  at(T0 + 10);
  assert_int_equal(job_retry(D, dead, &ADMIN), ERR_OK);
  job j = get(a, dead);
  assert_int_equal(j.state, JOB_QUEUED);
  assert_int_equal(j.attempts, 0);
  assert_int_equal(j.run_at, T0 + 10);
  assert_string_equal(j.last_error, "x"); /* kept for the record */
  assert_int_equal(fx_audit_count(D, "job.retry"), retries + 1);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM audit_log WHERE action = 'job.retry' AND chain = ?", ENTE), 1);
  /* queued: retry makes no sense, cancel does */
  assert_int_equal(job_retry(D, queued, &ADMIN), ERR_CONFLICT);
  assert_int_equal(job_cancel(D, queued, &ADMIN), ERR_OK);
  assert_int_equal(get(a, queued).state, JOB_CANCELLED);
  assert_int_equal(fx_audit_count(D, "job.cancel"), cancels + 1);
  assert_int_equal(job_cancel(D, queued, &ADMIN), ERR_CONFLICT);
  assert_int_equal(job_retry(D, queued, &ADMIN), ERR_OK); /* a cancelled job can run again */
  /* a running job is left to its worker */
  job c;
  assert_int_equal(job_claim(D, a, "w", T0 + 10, 60, &c), ERR_OK);
  assert_int_equal(job_cancel(D, c.id, &ADMIN), ERR_CONFLICT);
  assert_int_equal(job_retry(D, c.id, &ADMIN), ERR_CONFLICT);
  assert_int_equal(job_retry(D, 999999, &ADMIN), ERR_NOT_FOUND);
  assert_int_equal(job_cancel(D, 0, &ADMIN), ERR_NOT_FOUND);
  /* lists and counts */
  job *list;
  size_t n;
  assert_int_equal(job_list(D, a, JOB_RUNNING, 10, &list, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(list[0].id, c.id);
  assert_int_equal(job_list(D, a, -1, 10, &list, &n), ERR_OK);
  assert_int_equal(n, 2);
  job_count *counts;
  assert_int_equal(job_counts(D, a, &counts, &n), ERR_OK);
  assert_int_equal(n, 2);
  fx_audit_ok(D);
  arena_free(a);
  unsetenv("SPORTELLO_TEST_NOW");
}

/* --- concurrent workers ------------------------------------------------ */

enum { CLAIMERS = 4, JOBS_N = 200 };

typedef struct {
  db *d;
  int n;
  int64_t ids[JOBS_N];
  int got;
  int errors;
} claimer;

static void *claimer_thread(void *arg) {
  claimer *c = arg;
  char name[16];
  snprintf(name, sizeof name, "c%d", c->n);
  for (;;) {
    arena *a = arena_new();
    job j;
    err_code rc = job_claim(c->d, a, name, clock_now(), 600, &j);
    if (rc == ERR_OK) {
      c->ids[c->got++] = j.id;
      if (job_succeed(c->d, &j, clock_now(), NULL) != ERR_OK) c->errors++;
    } else if (rc != ERR_NOT_FOUND) {
      c->errors++;
    }
    arena_free(a);
    if (rc == ERR_NOT_FOUND || c->got == JOBS_N) break;
  }
  return NULL;
}

static err_code many_fn(db *d, void *ctx) {
  for (int i = 0; i < JOBS_N; i++) {
    job_new n = {.kind = "test.ok", .payload = "{}"};
    err_code rc = job_enqueue(d, &n, NULL);
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

static void test_workers_never_share_a_job(void **state) {
  clear_jobs();
  unsetenv("SPORTELLO_TEST_NOW");
  assert_int_equal(db_tx(D, many_fn, NULL), ERR_OK);
  static claimer c[CLAIMERS];
  pthread_t th[CLAIMERS];
  for (int i = 0; i < CLAIMERS; i++) {
    memset(&c[i], 0, sizeof c[i]);
    c[i].n = i;
    c[i].d = testdb_open(&T);
  }
  for (int i = 0; i < CLAIMERS; i++) pthread_create(&th[i], NULL, claimer_thread, &c[i]);
  int total = 0, busy_workers = 0;
  for (int i = 0; i < CLAIMERS; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(c[i].errors, 0);
    total += c[i].got;
    busy_workers += c[i].got > 0;
    db_close(c[i].d);
  }
  assert_int_equal(total, JOBS_N);
  /* no id twice, across all workers */
  int64_t min = INT64_MAX;
  for (int i = 0; i < CLAIMERS; i++)
    for (int k = 0; k < c[i].got; k++) min = c[i].ids[k] < min ? c[i].ids[k] : min;
  static unsigned char seen[JOBS_N];
  memset(seen, 0, sizeof seen);
  for (int i = 0; i < CLAIMERS; i++)
    for (int k = 0; k < c[i].got; k++) {
      int64_t off = c[i].ids[k] - min;
      assert_true(off >= 0 && off < JOBS_N);
      if (seen[off]) fail_msg("job %lld claimed twice", (long long)c[i].ids[k]);
      seen[off] = 1;
    }
  assert_int_equal(fx_count(D, "SELECT count(*) FROM job WHERE state = 'done' AND attempts = 1", 0), JOBS_N);
  printf("# %s: %d jobs claimed by %d workers (%d of them got some)\n",
         testdb_is_pg(&T) ? "postgresql" : "sqlite", total, CLAIMERS, busy_workers);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_enqueue_rules),          cmocka_unit_test(test_claim_order_and_lease),
      cmocka_unit_test(test_backoff_schedule),       cmocka_unit_test(test_dead_after_max_attempts),
      cmocka_unit_test(test_success_and_periodic),   cmocka_unit_test(test_admin_retry_and_cancel),
      cmocka_unit_test(test_workers_never_share_a_job),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

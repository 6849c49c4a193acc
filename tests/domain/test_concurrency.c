/* Eight writers across two Enti for a while (SPORTELLO_STRESS_SECONDS,
 * default 30): each registers companies in its Ente and updates them,
 * every change with its audit row. No write may give up on contention
 * (ERR_BUSY is what the server turns into 503), and every chain must
 * verify afterwards with one row per change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/taxpayer/taxpayer.h"
#include "fixture.h"

enum { WRITERS = 8 };

static testdb T;
static db *D;
static int64_t ENTE[2];

static int setup(void **state) {
  D = fx_open(&T, "concurrency");
  ENTE[0] = fx_ente(D, "stress-uno", 71);
  ENTE[1] = fx_ente(D, "stress-due", 72);
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct {
  db_pool *pool;
  int n;          /* writer number */
  double until;   /* monotonic deadline */
  int64_t ok;     /* changes committed */
  int64_t busy;   /* ERR_BUSY: retries exhausted */
  int64_t other;  /* any other failure */
  err_code last;  /* the last failure */
  double max_ms;  /* slowest change */
} writer;

static taxpayer company(arena *a, int64_t ente_id, uint32_t seed) {
  taxpayer tp = {0};
  char *piva = arena_alloc(a, 12);
  fx_piva(seed, piva);
  tp.ente_id = ente_id;
  tp.kind = TP_COMPANY;
  tp.fiscal_code = piva;
  tp.vat_number = piva;
  tp.company_name = arena_printf(a, "Impresa %u S.r.l.", seed);
  tp.n_addresses = 1;
  tp.addresses = ARENA_ARRAY(a, tp_address, 1);
  tp.addresses[0] = (tp_address){"sede_legale", "Via Milano 10", "20100", "Milano", "MI", "IT"};
  return tp;
}

static void count(writer *w, err_code rc, double t0) {
  double ms = (now_s() - t0) * 1000;
  if (ms > w->max_ms) w->max_ms = ms;
  if (rc == ERR_OK)
    w->ok++;
  else if (rc == ERR_BUSY)
    w->busy++;
  else
    w->other++;
  if (rc != ERR_OK) w->last = rc;
}

static void *writer_thread(void *arg) {
  writer *w = arg;
  int64_t ente = ENTE[w->n % 2];
  for (uint32_t k = 0; now_s() < w->until; k++) {
    db *d = db_pool_acquire(w->pool);
    if (!d) {
      w->other++;
      continue;
    }
    arena *a = arena_new();
    problems pbs = {0};
    taxpayer tp = company(a, ente, (uint32_t)w->n * 1000000u + k + 1);
    double t0 = now_s();
    err_code rc = taxpayer_create(d, a, &tp, &fx_cli, &pbs);
    count(w, rc, t0);
    if (rc == ERR_OK) {
      tp.company_name = arena_printf(a, "Impresa %u rinominata S.r.l.", k);
      t0 = now_s();
      count(w, taxpayer_update(d, a, &tp, &fx_cli, &pbs), t0);
    }
    arena_free(a);
    db_pool_release(w->pool, d);
  }
  return NULL;
}

static void test_writers_never_give_up(void **state) {
  const char *env = getenv("SPORTELLO_STRESS_SECONDS");
  double secs = env ? atof(env) : 30;
  if (secs <= 0) secs = 30;
  int64_t before[2];
  for (int i = 0; i < 2; i++) before[i] = fx_count(D, "SELECT count(*) FROM audit_log WHERE chain = ?", ENTE[i]);
  db_pool *pool = db_pool_new(T.url, WRITERS);
  assert_non_null(pool);
  writer w[WRITERS];
  pthread_t th[WRITERS];
  double until = now_s() + secs;
  for (int i = 0; i < WRITERS; i++) {
    w[i] = (writer){.pool = pool, .n = i, .until = until};
    assert_int_equal(pthread_create(&th[i], NULL, writer_thread, &w[i]), 0);
  }
  int64_t ok = 0, busy = 0, other = 0, per_ente[2] = {0, 0};
  double max_ms = 0;
  for (int i = 0; i < WRITERS; i++) {
    pthread_join(th[i], NULL);
    ok += w[i].ok;
    busy += w[i].busy;
    other += w[i].other;
    per_ente[i % 2] += w[i].ok;
    if (w[i].max_ms > max_ms) max_ms = w[i].max_ms;
    if (w[i].busy || w[i].other)
      fprintf(stderr, "writer %d: %lld busy, %lld other (last %s)\n", i, (long long)w[i].busy,
              (long long)w[i].other, err_slug(w[i].last));
  }
  db_pool_free(pool);
  printf("# %s: %d writers, 2 Enti, %.0f s: %lld changes (%.0f/s), %lld busy, %lld other, slowest %.0f ms\n",
         testdb_is_pg(&T) ? "postgresql" : "sqlite", WRITERS, secs, (long long)ok, ok / secs,
         (long long)busy, (long long)other, max_ms);
  assert_int_equal(busy, 0);
  assert_int_equal(other, 0);
  assert_true(ok > 0);
  /* one audit row per change, each in its Ente's chain, and all intact */
  for (int i = 0; i < 2; i++)
    assert_int_equal(fx_count(D, "SELECT count(*) FROM audit_log WHERE chain = ?", ENTE[i]),
                     before[i] + per_ente[i]);
  fx_audit_ok(D);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_writers_never_give_up)};
  return cmocka_run_group_tests(tests, setup, teardown);
}

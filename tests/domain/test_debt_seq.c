/* The IUV sequence under concurrency: 8 threads, each on its own
 * connection, reserve blocks of bases in their own transactions (some of
 * which roll back) and create acts at the same time; no base and no NAV is
 * ever handed out twice, rolled-back reservations are reused, and the
 * sequence survives a new connection (a restart). Both backends. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "debt_fx.h"
#include "fixture.h"

enum { THREADS = 8, ROUNDS = 25, ACTS = 4 };

static testdb T;
static db *D;
static dfx_ente E;
static int64_t TP[THREADS];

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  D = fx_open(&T, "domain_debt_seq");
  E = dfx_setup(D, "sequenza", 8101, "03");
  for (int i = 0; i < THREADS; i++) TP[i] = dfx_taxpayer(D, E.ente_id, 100 + (unsigned)i);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  fx_close(&T, D);
  return 0;
}

typedef struct {
  int64_t first;
  int n;
  int rollback;
} reservation;

typedef struct {
  int idx;
  reservation got[ROUNDS];
  int n_got;
  int failures;
  int64_t acts[ACTS];
  int n_acts;
} worker;

typedef struct {
  reservation *r;
} res_tx;

static err_code reserve_fn(db *d, void *ctx) {
  res_tx *t = ctx;
  err_code rc = debt_iuv_reserve(d, E.ente_id, t->r->n, &t->r->first);
  if (rc != ERR_OK) return rc;
  /* a rolled-back transaction gives its bases back */
  return t->r->rollback ? ERR_CONFLICT : ERR_OK;
}

static void *run(void *arg) {
  worker *w = arg;
  db *d = testdb_open(&T);
  arena *a = arena_new();
  for (int i = 0; i < ROUNDS; i++) {
    reservation r = {0, 1 + (w->idx + i) % 3, (w->idx + i) % 5 == 0};
    res_tx t = {&r};
    /* as the domain does: a locking transaction (writers of the
     * sequence row wait for each other instead of failing) */
    err_code rc = db_tx_locking(d, reserve_fn, &t);
    if (r.rollback ? rc != ERR_CONFLICT : rc != ERR_OK) {
      fprintf(stderr, "# thread %d round %d: %s\n", w->idx, i, err_slug(rc));
      w->failures++;
    } else if (!r.rollback) {
      w->got[w->n_got++] = r;
    }
    if (i % (ROUNDS / ACTS) == 0 && w->n_acts < ACTS) {
      debt_act x = {0};
      debt_line l = {"tax", NULL, 9000 + w->idx};
      debt_option o[3] = {{0}, {0}, {0}};
      o[0].amount_cents = l.amount_cents;
      o[0].due_date = "2027-06-30";
      o[1].installment = 1;
      o[1].amount_cents = 4500;
      o[1].due_date = "2027-06-30";
      o[2].installment = 2;
      o[2].amount_cents = l.amount_cents - 4500;
      o[2].due_date = "2027-07-31";
      x.ente_id = E.ente_id;
      x.taxpayer_id = TP[w->idx];
      x.revenue_id = E.tari_id;
      x.act_type = "bonario";
      x.year = 2027;
      x.description = "TARI 2027";
      x.due_date = "2027-06-30";
      x.lines = &l;
      x.n_lines = 1;
      x.options = o;
      x.n_options = 3;
      debt_problems pbs;
      rc = debt_act_create(d, a, &x, &fx_cli, &pbs);
      if (rc != ERR_OK) {
        fprintf(stderr, "# thread %d act: %s\n", w->idx, err_slug(rc));
        w->failures++;
      } else {
        w->acts[w->n_acts++] = x.id;
      }
    }
  }
  arena_free(a);
  db_close(d);
  return NULL;
}

static int cmp_res(const void *x, const void *y) {
  const reservation *a = x, *b = y;
  return (a->first > b->first) - (a->first < b->first);
}

static void test_concurrent_sequence(void **state) {
  (void)state;
  static worker w[THREADS];
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].idx = i;
    assert_int_equal(pthread_create(&th[i], NULL, run, &w[i]), 0);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
  reservation all[THREADS * ROUNDS];
  size_t n = 0;
  int failures = 0, acts = 0;
  for (int i = 0; i < THREADS; i++) {
    failures += w[i].failures;
    acts += w[i].n_acts;
    for (int k = 0; k < w[i].n_got; k++) all[n++] = w[i].got[k];
  }
  assert_int_equal(failures, 0);
  assert_int_equal(acts, THREADS * ACTS);
  /* reserved blocks never overlap */
  qsort(all, n, sizeof all[0], cmp_res);
  for (size_t i = 1; i < n; i++)
    if (all[i].first < all[i - 1].first + all[i - 1].n)
      fail_msg("bases %lld..%lld and %lld overlap", (long long)all[i - 1].first,
               (long long)(all[i - 1].first + all[i - 1].n - 1), (long long)all[i].first);
  /* every NAV of the acts is distinct and none falls in a reserved block */
  int64_t options = fx_count(D, "SELECT COUNT(*) FROM debt_option WHERE ente_id = ?", E.ente_id);
  assert_int_equal(options, THREADS * ACTS * 3);
  assert_int_equal(fx_count(D, "SELECT COUNT(DISTINCT nav) FROM debt_option WHERE ente_id = ?", E.ente_id),
                   options);
  arena *a = arena_new();
  for (int i = 0; i < THREADS; i++)
    for (int k = 0; k < w[i].n_acts; k++) {
      debt_act x = dfx_get(D, a, E.ente_id, w[i].acts[k]);
      for (size_t j = 0; j < x.n_options; j++) {
        int64_t base = strtoll(x.options[j].iuv + 2, NULL, 10) / 100;
        for (size_t r = 0; r < n; r++)
          if (base >= all[r].first && base < all[r].first + all[r].n)
            fail_msg("NAV %s uses reserved base %lld", x.options[j].nav, (long long)base);
      }
    }
  /* committed bases are exactly 1..used: the rolled-back ones were reused */
  int64_t used = options;
  for (size_t i = 0; i < n; i++) used += all[i].n;
  debt_pagopa p;
  assert_int_equal(debt_pagopa_get(D, a, E.ente_id, &p), ERR_OK);
  assert_int_equal(p.iuv_next, used + 1);
  /* a new connection (a restart) continues the sequence */
  db *d2 = testdb_open(&T);
  debt_act x = dfx_act(d2, a, &E, TP[0], E.imu_id, 100, 0, "2027-02-28");
  assert_int_equal(strtoll(x.options[0].iuv + 2, NULL, 10) / 100, used + 1);
  db_close(d2);
  for (int i = 0; i < THREADS; i++)
    for (int k = 0; k < w[i].n_acts; k++) dfx_cache_ok(D, E.ente_id, w[i].acts[k]);
  arena_free(a);
  fx_audit_ok(D);
}

typedef struct {
  int idx, same;
  const char *nav;
  err_code rc;
  debt_booking b;
} payer;

static void *book(void *arg) {
  payer *p = arg;
  db *d = testdb_open(&T);
  arena *a = arena_new();
  char ref[32];
  snprintf(ref, sizeof ref, p->same ? "RT-SAME" : "RT-%d", p->idx);
  debt_payment pay = {0};
  pay.nav = p->nav;
  pay.amount_cents = 1000;
  pay.channel = "pagopa";
  pay.reference = ref;
  p->rc = debt_book_payment(d, a, E.ente_id, &pay, &fx_cli, &p->b);
  arena_free(a);
  db_close(d);
  return NULL;
}

/* The same receipt on 8 connections at once books once; 8 different
 * receipts on one act at once all book, and the cache adds them all. */
static void test_concurrent_bookings(void **state) {
  (void)state;
  arena *a = arena_new();
  for (int same = 1; same >= 0; same--) {
    debt_act x = dfx_act(D, a, &E, TP[same], E.imu_id, 100000, 0, "2027-06-30");
    payer p[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
      p[i] = (payer){i, same, x.options[0].nav, ERR_INTERNAL, {0}};
      assert_int_equal(pthread_create(&th[i], NULL, book, &p[i]), 0);
    }
    int fresh = 0;
    for (int i = 0; i < THREADS; i++) {
      pthread_join(th[i], NULL);
      assert_int_equal(p[i].rc, ERR_OK);
      fresh += !p[i].b.duplicate;
    }
    int64_t mv =
        fx_count(D, "SELECT COUNT(*) FROM debt_movement WHERE kind = 'payment' AND act_id = ?", x.id);
    assert_int_equal(fresh, same ? 1 : THREADS);
    assert_int_equal(mv, same ? 1 : THREADS);
    debt_act g = dfx_get(D, a, E.ente_id, x.id);
    assert_int_equal(g.residual_cents, 100000 - 1000 * mv);
    dfx_cache_ok(D, E.ente_id, x.id);
  }
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_concurrent_sequence),
                                     cmocka_unit_test(test_concurrent_bookings)};
  return cmocka_run_group_tests(tests, setup, teardown);
}

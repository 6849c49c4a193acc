/* The connection pool under several threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "testdb.h"

static testdb T;

static int setup(void **state) {
  testdb_init(&T, "pool");
  db *d = testdb_open_migrated(&T);
  char *sql = db_expand_tokens(db_backend(d),
                               "DROP TABLE IF EXISTS t_pool;"
                               "CREATE TABLE t_pool (id @PK@, thread BIGINT NOT NULL, i BIGINT NOT NULL,"
                               " UNIQUE (thread, i))");
  int ok = db_exec_script(d, sql) == DBR_DONE;
  free(sql);
  db_close(d);
  return ok ? 0 : -1;
}

static int teardown(void **state) {
  db *d = testdb_open(&T);
  db_exec_script(d, "DROP TABLE IF EXISTS t_pool");
  db_close(d);
  testdb_cleanup(&T);
  return 0;
}

enum { POOL = 3, THREADS = 8, ITERS = 40 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int in_use, max_in_use;

typedef struct {
  db_pool *p;
  int64_t thread;
  int64_t i;
  int failures;
} worker;

static err_code insert_fn(db *d, void *vctx) {
  worker *w = vctx;
  db_stmt *st = db_prepare(d, "INSERT INTO t_pool (thread, i) VALUES (?, ?)");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, w->thread);
  db_bind_int(st, 2, w->i);
  db_rc rc = db_step(st);
  db_finish(st);
  return db_rc_err(rc);
}

static void *work(void *arg) {
  worker *w = arg;
  for (w->i = 0; w->i < ITERS; w->i++) {
    db *d = db_pool_acquire(w->p);
    if (!d) {
      w->failures++;
      continue;
    }
    pthread_mutex_lock(&mu);
    if (++in_use > max_in_use) max_in_use = in_use;
    pthread_mutex_unlock(&mu);
    if (db_tx(d, insert_fn, w) != ERR_OK) w->failures++;
    if (db_in_tx(d)) w->failures++;
    pthread_mutex_lock(&mu);
    in_use--;
    pthread_mutex_unlock(&mu);
    db_pool_release(w->p, d);
  }
  return NULL;
}

static void test_threads(void **state) {
  db_pool *p = db_pool_new(T.url, POOL);
  assert_non_null(p);
  worker w[THREADS];
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++) {
    w[i] = (worker){p, i, 0, 0};
    pthread_create(&th[i], NULL, work, &w[i]);
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(w[i].failures, 0);
  }
  assert_true(max_in_use >= 1 && max_in_use <= POOL);
  db *d = db_pool_acquire(p);
  assert_non_null(d);
  db_stmt *st = db_prepare(d, "SELECT count(*), count(DISTINCT thread) FROM t_pool");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), THREADS * ITERS);
  assert_int_equal(db_col_int(st, 1), THREADS);
  db_finish(st);
  db_pool_release(p, d);
  db_pool_free(p);
}

typedef struct {
  db_pool *p;
  db *got;
} waiter;

static void *wait_acquire(void *arg) {
  waiter *w = arg;
  w->got = db_pool_acquire(w->p);
  return NULL;
}

/* With every connection out, acquire waits for a release. */
static void test_acquire_waits(void **state) {
  db_pool *p = db_pool_new(T.url, 1);
  db *d = db_pool_acquire(p);
  assert_non_null(d);
  waiter w = {p, NULL};
  pthread_t th;
  pthread_create(&th, NULL, wait_acquire, &w);
  struct timespec ts = {0, 150 * 1000000L};
  nanosleep(&ts, NULL);
  assert_null(w.got);
  db_pool_release(p, d);
  pthread_join(th, NULL);
  assert_ptr_equal(w.got, d);
  assert_int_equal(db_ping(w.got), ERR_OK);
  db_pool_release(p, w.got);
  db_pool_free(p);
}

static void test_unreachable_database(void **state) {
  db_pool *p = db_pool_new("postgresql://sportello@127.0.0.1:1/sportello", 2);
  assert_non_null(p);
  assert_null(db_pool_acquire(p));
  assert_null(db_pool_acquire(p)); /* the failed slot was given back */
  db_pool_free(p);
  p = db_pool_new("sqlite:/nonexistent-dir/x.db", 2);
  assert_null(db_pool_acquire(p));
  db_pool_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_acquire_waits),
      cmocka_unit_test(test_unreachable_database),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* The transaction runner: commit, rollback on error, retry on ERR_BUSY
 * (synthetic, SQLite lock contention, PostgreSQL serialization failure),
 * nesting, read-only snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "testdb.h"

static testdb T;
static db *D;

static int setup(void **state) {
  testdb_init(&T, "tx");
  D = testdb_open_migrated(&T);
  char *sql =
      db_expand_tokens(db_backend(D),
                       "DROP TABLE IF EXISTS t_tx;"
                       "CREATE TABLE t_tx (id @PK@, who TEXT NOT NULL UNIQUE, n BIGINT NOT NULL DEFAULT 0)");
  int ok = db_exec_script(D, sql) == DBR_DONE;
  free(sql);
  return ok ? 0 : -1;
}

static int teardown(void **state) {
  db_exec_script(D, "DROP TABLE IF EXISTS t_tx");
  db_close(D);
  testdb_cleanup(&T);
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static err_code insert_who(db *d, const char *who, int64_t n) {
  db_stmt *st = db_prepare(d, "INSERT INTO t_tx (who, n) VALUES (?, ?)");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, who);
  db_bind_int(st, 2, n);
  db_rc rc = db_step(st);
  db_finish(st);
  return db_rc_err(rc);
}

static int64_t count_like(db *d, const char *pattern) {
  db_stmt *st = db_prepare(d, "SELECT count(*) FROM t_tx WHERE who LIKE ?");
  assert_non_null(st);
  db_bind_text(st, 1, pattern);
  assert_int_equal(db_step(st), DBR_ROW);
  int64_t n = db_col_int(st, 0);
  db_finish(st);
  return n;
}

typedef struct {
  const char *who;
  err_code result; /* what fn returns after inserting */
  int busy_first;  /* return ERR_BUSY on this many first calls */
  int calls;
  int saw_in_tx;
} ins_ctx;

static err_code ins_fn(db *d, void *vctx) {
  ins_ctx *c = vctx;
  c->calls++;
  c->saw_in_tx = db_in_tx(d);
  err_code rc = insert_who(d, c->who, c->calls);
  if (rc != ERR_OK) return rc;
  if (c->calls <= c->busy_first) return ERR_BUSY;
  return c->result;
}

/* One row written by its own transaction (a write outside db_tx is
 * refused). */
static err_code insert_tx(db *d, const char *who) {
  ins_ctx c = {.who = who, .result = ERR_OK};
  return db_tx(d, ins_fn, &c);
}

/* A bare INSERT outside db_tx is refused and names the statement. */
static void test_write_outside_tx_refused(void **state) {
  int64_t before = count_like(D, "%");
  assert_int_equal(insert_who(D, "bare", 0), ERR_STORAGE);
  assert_non_null(strstr(db_errmsg(D), "INSERT INTO t_tx"));
  assert_int_equal(count_like(D, "%"), before);
  db_stmt *st = db_prepare(D, "  /* c */ -- x\n delete FROM t_tx WHERE who = 'none'");
  assert_non_null(st);
  assert_int_equal(db_step(st), DBR_ERROR);
  db_finish(st);
  /* reads are fine, and so is the same write inside db_tx */
  assert_int_equal(insert_tx(D, "bare"), ERR_OK);
  assert_int_equal(count_like(D, "%"), before + 1);
}

static void test_commit(void **state) {
  ins_ctx c = {.who = "commit", .result = ERR_OK};
  assert_false(db_in_tx(D));
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_OK);
  assert_int_equal(c.calls, 1);
  assert_true(c.saw_in_tx);
  assert_false(db_in_tx(D));
  assert_int_equal(count_like(D, "commit"), 1);
}

static void test_rollback_on_error(void **state) {
  ins_ctx c = {.who = "rollback", .result = ERR_INVALID};
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_INVALID);
  assert_int_equal(c.calls, 1);
  assert_false(db_in_tx(D));
  assert_int_equal(count_like(D, "rollback"), 0);
}

static err_code two_inserts_fn(db *d, void *ctx) {
  err_code rc = insert_who(d, "dup-first", 1);
  if (rc != ERR_OK) return rc;
  return insert_who(d, "commit", 2); /* unique violation */
}

static void test_rollback_on_constraint(void **state) {
  assert_int_equal(db_tx(D, two_inserts_fn, NULL), ERR_CONFLICT);
  assert_int_equal(count_like(D, "dup-first"), 0);
  /* the connection is usable afterwards */
  ins_ctx c = {.who = "after-conflict", .result = ERR_OK};
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_OK);
}

static void test_retry_on_busy(void **state) {
  ins_ctx c = {.who = "retried", .result = ERR_OK, .busy_first = 2};
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_OK);
  assert_int_equal(c.calls, 3);
  assert_int_equal(count_like(D, "retried"), 1); /* the two failed attempts left nothing */
}

static void test_busy_is_bounded(void **state) {
  ins_ctx c = {.who = "never", .result = ERR_OK, .busy_first = 1000};
  double t0 = now_s();
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_BUSY);
  assert_true(c.calls > 2 && c.calls <= 20);
  assert_true(now_s() - t0 < 10.0);
  assert_int_equal(count_like(D, "never"), 0);
}

static err_code inner_fail_fn(db *d, void *ctx) {
  err_code rc = insert_who(d, "nested-inner", 0);
  return rc != ERR_OK ? rc : ERR_NOT_FOUND;
}

static err_code outer_fn(db *d, void *ctx) {
  err_code rc = insert_who(d, "nested-outer", 0);
  if (rc != ERR_OK) return rc;
  return db_tx(d, inner_fail_fn, NULL); /* joins; its error rolls back all */
}

static err_code write_fn(db *d, void *ctx) { return insert_who(d, "in-read", 0); }

static err_code read_then_write_fn(db *d, void *ctx) { return db_tx(d, write_fn, NULL); }

static void test_nested(void **state) {
  assert_int_equal(db_tx(D, outer_fn, NULL), ERR_NOT_FOUND);
  assert_false(db_in_tx(D));
  assert_int_equal(count_like(D, "nested-%"), 0);
  /* a write transaction inside a read one is refused */
  assert_int_equal(db_tx_read(D, read_then_write_fn, NULL), ERR_INTERNAL);
  /* and a plain write inside a read-only transaction fails */
  assert_true(db_tx_read(D, write_fn, NULL) != ERR_OK);
  assert_false(db_in_tx(D));
  assert_int_equal(count_like(D, "in-read"), 0);
  /* the connection is writable again afterwards */
  ins_ctx c = {.who = "after-read", .result = ERR_OK};
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_OK);
}

typedef struct {
  db *other;
  int64_t first, second;
} snap_ctx;

static err_code snapshot_fn(db *d, void *vctx) {
  snap_ctx *c = vctx;
  c->first = count_like(d, "%");
  /* another connection commits a row meanwhile */
  if (insert_tx(c->other, "snapshot-other") != ERR_OK) return ERR_INTERNAL;
  c->second = count_like(d, "%");
  return ERR_OK;
}

static void test_read_snapshot(void **state) {
  snap_ctx c = {.other = testdb_open(&T)};
  assert_int_equal(db_tx_read(D, snapshot_fn, &c), ERR_OK);
  assert_int_equal(c.first, c.second);
  assert_int_equal(count_like(D, "%"), c.first + 1);
  db_close(c.other);
}

/* The request snapshot: reads outside db_tx see one state; a db_tx in the
 * middle ends it first (so the write is not trapped in it) and later reads
 * see the change; ending twice is harmless. */
static void test_request_snapshot(void **state) {
  db *other = testdb_open(&T);
  db_snapshot_begin(D);
  assert_false(db_in_tx(D)); /* not a db_tx: nothing counts it as one */
  int64_t before = count_like(D, "%");
  assert_int_equal(insert_tx(other, "req-snap-other"), ERR_OK);
  if (db_backend(D) == DB_SQLITE)
    assert_int_equal(count_like(D, "%"), before); /* still the snapshot */
  ins_ctx c = {.who = "req-snap-write", .result = ERR_OK};
  assert_int_equal(db_tx(D, ins_fn, &c), ERR_OK);
  assert_int_equal(c.calls, 1);
  assert_int_equal(count_like(D, "req-snap-%"), 2); /* sees both now */
  if (db_backend(D) == DB_SQLITE) {
    /* ... in a fresh snapshot opened after the db_tx */
    assert_int_equal(insert_tx(other, "req-snap-other2"), ERR_OK);
    assert_int_equal(count_like(D, "req-snap-%"), 2);
  }
  db_snapshot_end(D);
  db_snapshot_end(D);
  /* a snapshot left open is closed when the connection goes back to work */
  db_snapshot_begin(D);
  db_snapshot_end(D);
  assert_int_equal(insert_tx(other, "req-snap-after"), ERR_OK);
  assert_int_equal(count_like(D, "req-snap-%"), db_backend(D) == DB_SQLITE ? 4 : 3);
  db_close(other);
}

/* PostgreSQL: a statement failure that fn ignores must not be reported
 * as a successful commit (the server answers COMMIT with ROLLBACK). */
static err_code ignore_failure_fn(db *d, void *ctx) {
  insert_who(d, "ignored-ok", 0);
  insert_who(d, "commit", 0); /* unique violation, ignored */
  return ERR_OK;
}

static void test_pg_ignored_failure(void **state) {
  if (!testdb_is_pg(&T)) skip();
  assert_true(db_tx(D, ignore_failure_fn, NULL) != ERR_OK);
  assert_int_equal(count_like(D, "ignored-ok"), 0);
}

/* SQLite: another connection holds the write lock longer than our busy
 * timeout; a bare BEGIN IMMEDIATE fails with BUSY but db_tx retries until
 * the holder commits, and both rows end up written. */
typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int holding;
} hold_ctx;

static err_code hold_fn(db *d, void *vctx) {
  hold_ctx *h = vctx;
  err_code rc = insert_who(d, "holder", 0);
  pthread_mutex_lock(&h->mu);
  h->holding = 1;
  pthread_cond_signal(&h->cv);
  pthread_mutex_unlock(&h->mu);
  sleep_ms(400);
  return rc;
}

static void *holder_thread(void *arg) {
  db *d = testdb_open(&T);
  err_code *rc = malloc(sizeof *rc);
  *rc = db_tx(d, hold_fn, arg);
  db_close(d);
  return rc;
}

static void test_sqlite_lock_contention(void **state) {
  if (testdb_is_pg(&T)) skip();
  hold_ctx h = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
  pthread_t th;
  pthread_create(&th, NULL, holder_thread, &h);
  pthread_mutex_lock(&h.mu);
  while (!h.holding) pthread_cond_wait(&h.cv, &h.mu);
  pthread_mutex_unlock(&h.mu);

  db *b = testdb_open(&T);
  db_set_busy_timeout(b, 20);
  assert_int_equal(db_exec_script(b, "BEGIN IMMEDIATE"), DBR_BUSY); /* the lock is really held */
  double t0 = now_s();
  ins_ctx c = {.who = "contender", .result = ERR_OK};
  assert_int_equal(db_tx(b, ins_fn, &c), ERR_OK);
  assert_true(now_s() - t0 > 0.1); /* it had to wait for the holder */
  void *ret;
  pthread_join(th, &ret);
  assert_int_equal(*(err_code *)ret, ERR_OK);
  free(ret);
  assert_int_equal(count_like(b, "holder"), 1);
  assert_int_equal(count_like(b, "contender"), 1);
  db_close(b);
}

/* PostgreSQL: the classic write skew. Both transactions count the rows,
 * wait for each other, then insert; SERIALIZABLE aborts one with 40001,
 * the runner retries it and both commit. */
static pthread_barrier_t skew_barrier;

typedef struct {
  const char *who;
  int calls;
  err_code rc;
} skew_ctx;

static err_code skew_fn(db *d, void *vctx) {
  skew_ctx *c = vctx;
  c->calls++;
  db_stmt *st = db_prepare(d, "SELECT count(*) FROM t_tx WHERE who LIKE 'skew-%'");
  if (!st) return ERR_INTERNAL;
  db_rc rc = db_step(st);
  int64_t n = db_col_int(st, 0);
  db_finish(st);
  if (rc != DBR_ROW) return db_rc_err(rc);
  if (c->calls == 1) pthread_barrier_wait(&skew_barrier);
  return insert_who(d, c->who, n);
}

static void *skew_thread(void *arg) {
  skew_ctx *c = arg;
  db *d = testdb_open(&T);
  c->rc = db_tx(d, skew_fn, c);
  db_close(d);
  return NULL;
}

static void test_pg_serialization_retry(void **state) {
  if (!testdb_is_pg(&T)) skip();
  pthread_barrier_init(&skew_barrier, NULL, 2);
  skew_ctx a = {.who = "skew-a"}, b = {.who = "skew-b"};
  pthread_t ta, tb;
  pthread_create(&ta, NULL, skew_thread, &a);
  pthread_create(&tb, NULL, skew_thread, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  pthread_barrier_destroy(&skew_barrier);
  assert_int_equal(a.rc, ERR_OK);
  assert_int_equal(b.rc, ERR_OK);
  assert_true(a.calls + b.calls >= 3); /* one of them was retried */
  assert_int_equal(count_like(D, "skew-%"), 2);
  /* the retried one saw the other's row: counts 0 and 1 */
  db_stmt *st = db_prepare(D, "SELECT sum(n) FROM t_tx WHERE who LIKE 'skew-%'");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 1);
  db_finish(st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_write_outside_tx_refused),
      cmocka_unit_test(test_commit),
      cmocka_unit_test(test_rollback_on_error),
      cmocka_unit_test(test_rollback_on_constraint),
      cmocka_unit_test(test_retry_on_busy),
      cmocka_unit_test(test_busy_is_bounded),
      cmocka_unit_test(test_nested),
      cmocka_unit_test(test_read_snapshot),
      cmocka_unit_test(test_request_snapshot),
      cmocka_unit_test(test_pg_ignored_failure),
      cmocka_unit_test(test_sqlite_lock_contention),
      cmocka_unit_test(test_pg_serialization_retry),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

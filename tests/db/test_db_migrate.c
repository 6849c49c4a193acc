/* The migration runner: fresh apply, idempotence, concurrent runners. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "testdb.h"

static int64_t scalar(db *d, const char *sql) {
  db_stmt *st = db_prepare(d, sql);
  assert_non_null(st);
  db_rc rc = db_step(st);
  if (rc != DBR_ROW) fail_msg("%s: %s", sql, db_errmsg(d));
  int64_t v = db_col_int(st, 0);
  db_finish(st);
  return v;
}

static void test_embedded_list(void **state) {
  assert_true(db_migrations_count >= 1);
  int has_audit = 0;
  for (int i = 0; i < db_migrations_count; i++) {
    assert_true(db_migrations[i].version > 0);
    if (i > 0) assert_true(db_migrations[i].version > db_migrations[i - 1].version);
    assert_true(strlen(db_migrations[i].name) > 0);
    assert_true(strlen(db_migrations[i].sql) > 0);
    if (db_migrations[i].version == 2 && strcmp(db_migrations[i].name, "audit") == 0) has_audit = 1;
  }
  assert_true(has_audit);
}

static void test_fresh_then_idempotent(void **state) {
  testdb t;
  testdb_init(&t, "migrate");
  db *d = testdb_open(&t);
  assert_int_equal(db_pending_migrations(d), db_migrations_count);
  int applied = -1;
  assert_int_equal(db_migrate(d, &applied), ERR_OK);
  assert_int_equal(applied, db_migrations_count);
  assert_int_equal(db_pending_migrations(d), 0);
  assert_int_equal(scalar(d, "SELECT count(*) FROM schema_migrations"), db_migrations_count);
  assert_int_equal(scalar(d, "SELECT max(version) FROM schema_migrations"),
                   db_migrations[db_migrations_count - 1].version);
  assert_true(scalar(d, "SELECT min(applied_at) FROM schema_migrations") > 1600000000);
  /* the audit migrations ran: per-Ente chains, none written yet (a fresh
   * database carries no first-epoch head) */
  assert_int_equal(scalar(d, "SELECT count(*) FROM audit_chain"), 0);
  assert_int_equal(scalar(d, "SELECT count(*) FROM audit_log"), 0);

  applied = -1;
  assert_int_equal(db_migrate(d, &applied), ERR_OK);
  assert_int_equal(applied, 0);
  /* a new connection agrees */
  db *d2 = testdb_open(&t);
  assert_int_equal(db_pending_migrations(d2), 0);
  assert_int_equal(db_migrate(d2, &applied), ERR_OK);
  assert_int_equal(applied, 0);
  assert_int_equal(scalar(d2, "SELECT count(*) FROM schema_migrations"), db_migrations_count);
  db_close(d2);
  db_close(d);
  testdb_cleanup(&t);
}

typedef struct {
  const testdb *t;
  err_code rc;
  int applied;
} mig_job;

static void *migrate_thread(void *arg) {
  mig_job *j = arg;
  db *d = testdb_open(j->t);
  j->rc = db_migrate(d, &j->applied);
  db_close(d);
  return NULL;
}

/* Several runners at once (separate connections, as separate processes
 * would be): every migration is applied exactly once. */
static void test_concurrent_runners(void **state) {
  testdb t;
  testdb_init(&t, "migrate_conc");
  enum { N = 4 };
  mig_job jobs[N];
  pthread_t th[N];
  for (int i = 0; i < N; i++) {
    jobs[i] = (mig_job){&t, ERR_INTERNAL, 0};
    pthread_create(&th[i], NULL, migrate_thread, &jobs[i]);
  }
  int total = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(jobs[i].rc, ERR_OK);
    total += jobs[i].applied;
  }
  assert_int_equal(total, db_migrations_count);
  db *d = testdb_open(&t);
  assert_int_equal(db_pending_migrations(d), 0);
  assert_int_equal(scalar(d, "SELECT count(*) FROM schema_migrations"), db_migrations_count);
  assert_int_equal(scalar(d, "SELECT count(*) FROM audit_chain"), 0);
  db_close(d);
  testdb_cleanup(&t);
}

static err_code migrate_fn(db *d, void *ctx) {
  int applied;
  return db_migrate(d, &applied);
}

static void test_migrate_inside_tx_refused(void **state) {
  db *d = db_open("sqlite::memory:", NULL, 0);
  assert_non_null(d);
  assert_int_equal(db_tx(d, migrate_fn, NULL), ERR_INTERNAL);
  int applied = 0;
  assert_int_equal(db_migrate(d, &applied), ERR_OK);
  assert_int_equal(applied, db_migrations_count);
  db_close(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_embedded_list),
      cmocka_unit_test(test_fresh_then_idempotent),
      cmocka_unit_test(test_concurrent_runners),
      cmocka_unit_test(test_migrate_inside_tx_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The declarative binds and results (db.h PARAMS/RESULTS, F_* row specs)
 * on both backends: every parameter and result kind, NULLs, constraint
 * and not-found mapping, row arrays, streaming, and that a failing
 * statement records its cause with the calling function's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "testdb.h"

static testdb T;
static db *D;
static arena *A;

typedef struct {
  int64_t id;
  char *name;
  int qty;
  const char *note;
  int kind; /* from text via F_FN */
} row_t;

static void read_kind(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  const char *s = db_col_text(st, col);
  *(int *)dst = s && strcmp(s, "big") == 0 ? 2 : 1;
}

static const db_result ROW[] = {F_INT(row_t, id), F_DUP(row_t, name), F_I32(row_t, qty),
                                F_DUP(row_t, note), F_FN(row_t, kind, read_kind), F_END};

static int setup(void **state) {
  (void)state;
  testdb_init(&T, "spec");
  D = testdb_open_migrated(&T);
  D->bare_writes_ok = 1; /* statement helpers, not transactions, are tested here */
  A = arena_new();
  char *x = db_expand_tokens(db_backend(D),
                             "DROP TABLE IF EXISTS t_spec;"
                             "CREATE TABLE t_spec (id @PK@, name TEXT NOT NULL UNIQUE,"
                             " qty INTEGER NOT NULL, note TEXT, kind TEXT, b @BLOB@);");
  if (db_exec_script(D, x) != DBR_DONE) fail_msg("ddl: %s", db_errmsg(D));
  free(x);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  db_exec_script(D, "DROP TABLE IF EXISTS t_spec");
  db_close(D);
  arena_free(A);
  testdb_cleanup(&T);
  return 0;
}

static int64_t add(const char *name, int qty, const char *note, const char *kind) {
  int64_t id = 0;
  assert_int_equal(db_insert(D,
                             "INSERT INTO t_spec (name, qty, note, kind, b) VALUES (?,?,?,?,?) "
                             "RETURNING id",
                             PARAMS(P_TEXT(name), P_INT(qty), P_TEXT(note), P_TEXT(kind),
                                    P_BLOB("a\0b", 3)),
                             &id),
                   ERR_OK);
  assert_true(id > 0);
  return id;
}

static void test_insert_get(void **state) {
  (void)state;
  int64_t id = add("uno", 3, NULL, "big");
  int64_t qty = 0;
  char *name = NULL, *note = (char *)"x";
  void *blob = NULL;
  size_t bn = 0;
  assert_int_equal(db_get(D, A, "SELECT name, qty, note, b FROM t_spec WHERE id = ?",
                          PARAMS(P_INT(id)),
                          RESULTS(R_DUP(&name), R_INT(&qty), R_DUP(&note), R_BLOB(&blob, &bn))),
                   ERR_OK);
  assert_string_equal(name, "uno");
  assert_int_equal(qty, 3);
  assert_null(note);
  assert_int_equal(bn, 3);
  assert_memory_equal(blob, "a\0b", 3);
  assert_int_equal(db_get(D, A, "SELECT qty FROM t_spec WHERE id = ?", PARAMS(P_INT(id + 1000)),
                          RESULTS(R_INT(&qty))),
                   ERR_NOT_FOUND);
  /* an optional out-parameter left NULL skips its column, the others are read */
  int64_t *no_qty = NULL;
  name = NULL;
  assert_int_equal(db_get(D, A, "SELECT qty, name FROM t_spec WHERE id = ?", PARAMS(P_INT(id)),
                          RESULTS(R_INT(no_qty), R_DUP(&name))),
                   ERR_OK);
  assert_string_equal(name, "uno");
  /* a row into a struct through the shared spec */
  row_t r;
  assert_int_equal(db_get_into(D, A, "SELECT id, name, qty, note, kind FROM t_spec WHERE id = ?",
                               PARAMS(P_INT(id)), ROW, &r),
                   ERR_OK);
  assert_int_equal(r.id, id);
  assert_string_equal(r.name, "uno");
  assert_int_equal(r.qty, 3);
  assert_null(r.note);
  assert_int_equal(r.kind, 2);
}

/* The shared blob table: stored once by its hash, read back whole. */
static void test_blob(void **state) {
  (void)state;
  const char *sha = "00000000000000000000000000000000000000000000000000000000000000aa";
  assert_int_equal(db_blob_put(D, sha, "a\0b", 3, 1), ERR_OK);
  assert_int_equal(db_blob_put(D, sha, "a\0b", 3, 2), ERR_OK); /* again: nothing new */
  int64_t n = 0;
  assert_int_equal(db_get(D, NULL, "SELECT count(*) FROM blob WHERE sha256 = ?", PARAMS(P_TEXT(sha)),
                          RESULTS(R_INT(&n))),
                   ERR_OK);
  assert_int_equal(n, 1);
  const void *data = NULL;
  size_t len = 0;
  assert_int_equal(db_blob_get(D, A, sha, &data, &len), ERR_OK);
  assert_int_equal(len, 3);
  assert_memory_equal(data, "a\0b", 3);
  assert_int_equal(db_blob_get(D, A, "ff", &data, &len), ERR_NOT_FOUND);
  assert_null(data);
}

static void test_conflict_and_exec(void **state) {
  (void)state;
  int64_t id = add("due", 1, "n", "small");
  assert_int_equal(db_insert(D, "INSERT INTO t_spec (name, qty) VALUES (?, ?) RETURNING id",
                             PARAMS(P_TEXT("due"), P_INT(5)), NULL),
                   ERR_CONFLICT);
  int64_t n = -1;
  assert_int_equal(db_exec(D, "UPDATE t_spec SET qty = qty + ? WHERE name = ?",
                           PARAMS(P_INT(2), P_TEXT("due")), &n),
                   ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(db_exec_one(D, "UPDATE t_spec SET note = ? WHERE id = ?",
                               PARAMS(P_NULL, P_INT(id))),
                   ERR_OK);
  assert_int_equal(db_exec_one(D, "UPDATE t_spec SET note = ? WHERE id = ?",
                               PARAMS(P_TEXT("z"), P_INT(-1))),
                   ERR_NOT_FOUND);
  int64_t cnt = 0;
  assert_int_equal(db_get(D, NULL, "SELECT count(*) FROM t_spec WHERE note IS NULL AND id = ?",
                          PARAMS(P_INT_OR_NULL(id)), RESULTS(R_INT(&cnt))),
                   ERR_OK);
  assert_int_equal(cnt, 1);
}

static err_code count_cb(void *row, void *ctx) {
  row_t *r = row;
  int *seen = ctx;
  assert_non_null(r->name);
  return ++*seen == 2 ? ERR_CONFLICT : ERR_OK; /* stop after two rows */
}

static void test_list_each(void **state) {
  (void)state;
  add("tre", 7, "t", NULL);
  size_t n = 0;
  err_code rc = ERR_INTERNAL;
  row_t *v = db_list(D, A, "SELECT id, name, qty, note, kind FROM t_spec ORDER BY name", NULL, ROW,
                     sizeof(row_t), &n, &rc);
  assert_int_equal(rc, ERR_OK);
  assert_true(n >= 3);
  for (size_t i = 1; i < n; i++) assert_true(strcmp(v[i - 1].name, v[i].name) < 0);
  v = db_list(D, A, "SELECT id, name, qty, note, kind FROM t_spec WHERE qty < ?",
              PARAMS(P_INT(-5)), ROW, sizeof(row_t), &n, &rc);
  assert_int_equal(rc, ERR_OK);
  assert_non_null(v);
  assert_int_equal(n, 0);
  int seen = 0;
  row_t r;
  assert_int_equal(db_each(D, A, "SELECT id, name, qty, note, kind FROM t_spec", NULL, ROW, &r,
                           count_cb, &seen),
                   ERR_CONFLICT);
  assert_int_equal(seen, 2);
}

static void a_store_function(void) {
  int64_t x;
  assert_int_equal(db_get(D, NULL, "SELECT nope FROM t_spec_missing", NULL, RESULTS(R_INT(&x))),
                   ERR_STORAGE);
}

static void test_cause_names_function(void **state) {
  (void)state;
  err_cause_clear();
  a_store_function();
  const char *c = err_cause_peek();
  assert_non_null(c);
  assert_non_null(strstr(c, "a_store_function"));
  assert_non_null(strstr(c, "t_spec_missing"));
}

/* A batch reads what the single calls read, several times over (on
 * PostgreSQL the second run uses the statements prepared by the first),
 * leaves the connection usable after a failure, refuses writes and more
 * than DB_BATCH_MAX statements. */
static void test_batch(void **state) {
  (void)state;
  int64_t id = add("batch", 4, "b", "big");
  for (int round = 0; round < 2; round++) {
    db_batch b;
    db_batch_init(&b, D, A);
    row_t *all = NULL, *none = NULL, one, missing;
    size_t nall = 9, nnone = 9;
    int found = -1, found2 = -1;
    db_batch_list(&b, "SELECT id, name, qty, note, kind FROM t_spec ORDER BY name", NULL, ROW, sizeof(row_t),
                  &all, &nall);
    db_batch_get_into(&b, "SELECT id, name, qty, note, kind FROM t_spec WHERE id = ?", PARAMS(P_INT(id)), ROW,
                      &one, &found);
    db_batch_get_into(&b, "SELECT id, name, qty, note, kind FROM t_spec WHERE id = ?", PARAMS(P_INT(-id)), ROW,
                      &missing, &found2);
    db_batch_list(&b, "SELECT id, name, qty, note, kind FROM t_spec WHERE qty < ?", PARAMS(P_INT(-5)), ROW,
                  sizeof(row_t), &none, &nnone);
    assert_int_equal(db_batch_run(&b), ERR_OK);
    size_t n = 0;
    err_code rc;
    row_t *v = db_list(D, A, "SELECT id, name, qty, note, kind FROM t_spec ORDER BY name", NULL, ROW,
                       sizeof(row_t), &n, &rc);
    assert_int_equal(nall, n);
    for (size_t i = 0; i < n; i++) assert_string_equal(all[i].name, v[i].name);
    assert_int_equal(found, 1);
    assert_int_equal(one.id, id);
    assert_string_equal(one.name, "batch");
    assert_int_equal(one.kind, 2);
    assert_int_equal(found2, 0);
    assert_int_equal(missing.id, 0);
    assert_non_null(none);
    assert_int_equal(nnone, 0);
  }
  /* on PostgreSQL, outside a transaction, the reads share one snapshot */
  if (db_backend(D) == DB_PG) {
    db_batch b;
    db_batch_init(&b, D, A);
    char *iso = NULL;
    int found = 0;
    typedef struct {
      char *v;
    } iso_row;
    static const db_result ISO[] = {F_DUP(iso_row, v), F_END};
    iso_row r1, r2;
    db_batch_get_into(&b, "SELECT current_setting('transaction_isolation')", NULL, ISO, &r1, &found);
    db_batch_get_into(&b, "SELECT current_setting('transaction_read_only')", NULL, ISO, &r2, &found);
    assert_int_equal(db_batch_run(&b), ERR_OK);
    iso = r1.v;
    assert_string_equal(iso, "repeatable read");
    assert_string_equal(r2.v, "on");
    /* unless the reads need not agree: then each runs on its own */
    db_batch_init(&b, D, A);
    b.snapshot = 0;
    db_batch_get_into(&b, "SELECT current_setting('transaction_isolation')", NULL, ISO, &r1, &found);
    db_batch_get_into(&b, "SELECT current_setting('transaction_read_only')", NULL, ISO, &r2, &found);
    assert_int_equal(db_batch_run(&b), ERR_OK);
    assert_string_equal(r1.v, "read committed");
    assert_string_equal(r2.v, "off");
  }
  /* a failing statement: the batch fails whole, its cause names it, the
   * outputs are empty and the connection keeps working */
  db_batch b;
  db_batch_init(&b, D, A);
  row_t *all = NULL, one;
  size_t nall = 0;
  int found = 0;
  int64_t x = 0;
  err_cause_clear();
  db_batch_get_into(&b, "SELECT id, name, qty, note, kind FROM t_spec WHERE id = ?", PARAMS(P_INT(id)), ROW, &one,
                    &found);
  db_batch_list(&b, "SELECT nope FROM t_spec_missing", NULL, ROW, sizeof(row_t), &all, &nall);
  db_batch_list(&b, "SELECT id, name, qty, note, kind FROM t_spec", NULL, ROW, sizeof(row_t), &all, &nall);
  assert_int_equal(db_batch_run(&b), ERR_STORAGE);
  assert_non_null(strstr(err_cause_peek(), "t_spec_missing"));
  assert_int_equal(found, 0);
  assert_null(all);
  assert_int_equal(nall, 0);
  assert_false(db_in_tx(D));
  assert_int_equal(db_get(D, NULL, "SELECT qty FROM t_spec WHERE id = ?", PARAMS(P_INT(id)), RESULTS(R_INT(&x))),
                   ERR_OK);
  assert_int_equal(x, 4);
  /* a write is refused; so is one statement too many */
  db_batch_init(&b, D, A);
  db_batch_list(&b, "UPDATE t_spec SET qty = 0 RETURNING id, name, qty, note, kind", NULL, ROW, sizeof(row_t), &all,
                &nall);
  assert_int_equal(db_batch_run(&b), ERR_INTERNAL);
  db_batch_init(&b, D, A);
  for (int i = 0; i <= DB_BATCH_MAX; i++)
    db_batch_get_into(&b, "SELECT id, name, qty, note, kind FROM t_spec WHERE id = ?", PARAMS(P_INT(id)), ROW,
                      &one, &found);
  assert_int_equal(db_batch_run(&b), ERR_INTERNAL);
  assert_int_equal(found, 0);
  assert_int_equal(db_get(D, NULL, "SELECT qty FROM t_spec WHERE id = ?", PARAMS(P_INT(id)), RESULTS(R_INT(&x))),
                   ERR_OK);
  assert_int_equal(x, 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_insert_get),
      cmocka_unit_test(test_blob),
      cmocka_unit_test(test_conflict_and_exec),
      cmocka_unit_test(test_list_each),
      cmocka_unit_test(test_cause_names_function),
      cmocka_unit_test(test_batch),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

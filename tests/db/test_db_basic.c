/* Statements on both backends: binds and columns of every type, '?'
 * handling, constraint mapping, changes/RETURNING, statement reuse,
 * error texts, and (PostgreSQL) reconnecting a killed connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "testdb.h"

static testdb T;
static db *D;

/* Runs a parameterless statement to completion. */
static db_rc run(db *d, const char *sql) {
  db_stmt *st = db_prepare(d, sql);
  if (!st) return DBR_ERROR;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
  }
  db_finish(st);
  return rc;
}

/* Test DDL with the migration tokens expanded for this backend. */
static void ddl(const char *sql) {
  char *x = db_expand_tokens(db_backend(D), sql);
  assert_non_null(x);
  if (db_exec_script(D, x) != DBR_DONE) fail_msg("ddl failed: %s: %s", x, db_errmsg(D));
  free(x);
}

static int64_t count_rows(const char *sql) {
  db_stmt *st = db_prepare(D, sql);
  assert_non_null(st);
  assert_int_equal(db_step(st), DBR_ROW);
  int64_t n = db_col_int(st, 0);
  db_finish(st);
  return n;
}

static int setup(void **state) {
  testdb_init(&T, "basic");
  D = testdb_open_migrated(&T);
  /* these tests are about statements, not transactions: bare writes are
   * allowed here (test_db_tx checks they are refused elsewhere) */
  D->bare_writes_ok = 1;
  ddl("DROP TABLE IF EXISTS t_db_child;"
      "DROP TABLE IF EXISTS t_db_parent;"
      "DROP TABLE IF EXISTS t_db_types;"
      "CREATE TABLE t_db_types (k BIGINT PRIMARY KEY, i BIGINT, t TEXT, b @BLOB@);"
      "CREATE TABLE t_db_parent (id @PK@, name TEXT NOT NULL UNIQUE,"
      " qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0));"
      "CREATE TABLE t_db_child (id @PK@, parent_id BIGINT NOT NULL REFERENCES t_db_parent (id));");
  return 0;
}

static int teardown(void **state) {
  db_exec_script(D,
                 "DROP TABLE IF EXISTS t_db_child; DROP TABLE IF EXISTS t_db_parent;"
                 " DROP TABLE IF EXISTS t_db_types");
  db_close(D);
  testdb_cleanup(&T);
  return 0;
}

static void insert_types(int64_t k, const int64_t *i, const char *t, const void *b, size_t bn, int bnull) {
  db_stmt *st = db_prepare(D, "INSERT INTO t_db_types (k, i, t, b) VALUES (?, ?, ?, ?)");
  assert_non_null(st);
  db_bind_int(st, 1, k);
  if (i)
    db_bind_int(st, 2, *i);
  else
    db_bind_null(st, 2);
  db_bind_text(st, 3, t);
  if (bnull)
    db_bind_null(st, 4);
  else
    db_bind_blob(st, 4, b, bn);
  db_rc rc = db_step(st);
  if (rc != DBR_DONE) fail_msg("insert %lld: %d %s", (long long)k, rc, db_errmsg(D));
  assert_int_equal(db_changes(st), 1);
  db_finish(st);
}

static void test_types_roundtrip(void **state) {
  unsigned char bytes[256];
  for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
  size_t bign = 200000;
  unsigned char *big = malloc(bign);
  char *bigtext = malloc(bign + 1);
  assert_true(big && bigtext);
  for (size_t i = 0; i < bign; i++) {
    big[i] = (unsigned char)(i * 7919u >> 3);
    bigtext[i] = (char)('a' + i % 26);
  }
  bigtext[bign] = 0;
  int64_t vmax = INT64_MAX, vmin = INT64_MIN, vneg = -1, vzero = 0;
  const char *utf8 = "Città di Sant'Agata ✓ \"q\" ? $1 \\x00";
  insert_types(1, &vmax, utf8, bytes, sizeof bytes, 0);
  insert_types(2, &vmin, "", "", 0, 0);
  insert_types(3, NULL, NULL, NULL, 0, 1);
  insert_types(4, &vneg, bigtext, big, bign, 0);
  insert_types(5, &vzero, "0", "\0\0\0", 3, 0);

  db_stmt *st = db_prepare(D, "SELECT k, i, t, b FROM t_db_types ORDER BY k");
  assert_non_null(st);
  int n = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    n++;
    int64_t k = db_col_int(st, 0);
    size_t bl = 99;
    const void *b = db_col_blob(st, 3, &bl);
    switch (k) {
      case 1:
        assert_int_equal(db_col_int(st, 1), INT64_MAX);
        assert_string_equal(db_col_text(st, 2), utf8);
        assert_int_equal(bl, 256);
        assert_memory_equal(b, bytes, 256);
        break;
      case 2:
        assert_true(db_col_int(st, 1) == INT64_MIN);
        assert_false(db_col_is_null(st, 2));
        assert_string_equal(db_col_text(st, 2), "");
        assert_false(db_col_is_null(st, 3));
        assert_non_null(b);
        assert_int_equal(bl, 0);
        break;
      case 3:
        assert_true(db_col_is_null(st, 1));
        assert_true(db_col_is_null(st, 2));
        assert_true(db_col_is_null(st, 3));
        assert_int_equal(db_col_int(st, 1), 0);
        assert_null(db_col_text(st, 2));
        assert_null(b);
        assert_int_equal(bl, 0);
        break;
      case 4:
        assert_int_equal(db_col_int(st, 1), -1);
        assert_string_equal(db_col_text(st, 2), bigtext);
        assert_int_equal(bl, bign);
        assert_memory_equal(b, big, bign);
        /* asking twice in one row gives the same bytes */
        assert_ptr_equal(db_col_blob(st, 3, &bl), b);
        assert_int_equal(bl, bign);
        break;
      case 5:
        assert_int_equal(db_col_int(st, 1), 0);
        assert_false(db_col_is_null(st, 1));
        assert_int_equal(bl, 3);
        assert_memory_equal(b, "\0\0\0", 3);
        break;
      default:
        fail_msg("unexpected key %lld", (long long)k);
    }
  }
  db_finish(st);
  assert_int_equal(rc, DBR_DONE);
  assert_int_equal(n, 5);

  /* large ints also survive as bound parameters echoed by the server */
  st = db_prepare(D, "SELECT ?, ?");
  db_bind_int(st, 1, INT64_MAX);
  db_bind_int(st, 2, INT64_MIN + 1);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_true(db_col_int(st, 0) == INT64_MAX);
  assert_true(db_col_int(st, 1) == INT64_MIN + 1);
  db_finish(st);
  free(big);
  free(bigtext);
}

static void test_question_mark_in_literals(void **state) {
  db_stmt *st = db_prepare(D, "SELECT '?', ?, 'it''s ?', ? AS \"why?\" /* ? */ -- trailing ?\n");
  assert_non_null(st);
  db_bind_text(st, 1, "uno");
  db_bind_int(st, 2, 42);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_string_equal(db_col_text(st, 0), "?");
  assert_string_equal(db_col_text(st, 1), "uno");
  assert_string_equal(db_col_text(st, 2), "it's ?");
  assert_int_equal(db_col_int(st, 3), 42);
  assert_int_equal(db_step(st), DBR_DONE);
  db_finish(st);

  /* a WHERE on a literal containing '?' with one real parameter */
  insert_types(100, NULL, "a?b", NULL, 0, 1);
  st = db_prepare(D, "SELECT count(*) FROM t_db_types WHERE t = 'a?b' AND k = ?");
  db_bind_int(st, 1, 100);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 1);
  db_finish(st);
  assert_int_equal(run(D, "DELETE FROM t_db_types WHERE k = 100"), DBR_DONE);
}

static void expect_pg(const char *in, const char *out, int n) {
  int got = -1;
  char *s = db_sql_to_pg(in, &got);
  assert_non_null(s);
  assert_string_equal(s, out);
  assert_int_equal(got, n);
  free(s);
}

static void test_translate_placeholders(void **state) {
  expect_pg("SELECT 1", "SELECT 1", 0);
  expect_pg("SELECT ?, ?", "SELECT $1, $2", 2);
  expect_pg("WHERE a = '?' AND b = ?", "WHERE a = '?' AND b = $1", 1);
  expect_pg("'it''s ?' || ?", "'it''s ?' || $1", 1);
  expect_pg("\"col?\" = ?", "\"col?\" = $1", 1);
  expect_pg("? -- what?\n, ?", "$1 -- what?\n, $2", 2);
  expect_pg("? /* ? */ ?", "$1 /* ? */ $2", 2);
  expect_pg("E'\\'?' = ?", "E'\\'?' = $1", 1);
  expect_pg("'unterminated ?", "'unterminated ?", 0);
  expect_pg("?????????????", "$1$2$3$4$5$6$7$8$9$10$11$12$13", 13);
}

static void test_expand_tokens(void **state) {
  char *s = db_expand_tokens(DB_SQLITE, "id @PK@, b @BLOB@, x @OTHER@");
  assert_string_equal(s, "id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB, x @OTHER@");
  free(s);
  s = db_expand_tokens(DB_PG, "id @PK@, b @BLOB@");
  assert_string_equal(s, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA");
  free(s);
}

static const char *const INS = "INSERT INTO t_db_parent (name, qty) VALUES (?, ?) RETURNING id";

/* INS prepared and bound, not yet stepped. */
static db_stmt *parent_insert(const char *name, int64_t qty) {
  db_stmt *st = db_prepare(D, INS);
  assert_non_null(st);
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, qty);
  return st;
}

static db_rc insert_parent(const char *name, int64_t qty, int64_t *id) {
  db_stmt *st = parent_insert(name, qty);
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    if (id) *id = db_col_int(st, 0);
    rc = db_step(st);
  }
  db_finish(st);
  return rc;
}

static void test_constraints(void **state) {
  int64_t id1 = 0, id2 = 0;
  assert_int_equal(insert_parent("uno", 1, &id1), DBR_DONE);
  assert_int_equal(insert_parent("due", 2, &id2), DBR_DONE);
  assert_true(id1 > 0 && id2 == id1 + 1);
  assert_int_equal(insert_parent("uno", 3, NULL), DBR_CONSTRAINT); /* unique */
  assert_true(strlen(db_errmsg(D)) > 0);
  assert_int_equal(insert_parent("tre", -1, NULL), DBR_CONSTRAINT); /* check */
  db_stmt *st = db_prepare(D, "INSERT INTO t_db_parent (name) VALUES (?)");
  db_bind_null(st, 1);
  assert_int_equal(db_step(st), DBR_CONSTRAINT); /* not null */
  db_finish(st);
  st = db_prepare(D, "INSERT INTO t_db_child (parent_id) VALUES (?)");
  db_bind_int(st, 1, id2 + 1000);
  assert_int_equal(db_step(st), DBR_CONSTRAINT); /* foreign key */
  db_finish(st);
  assert_int_equal(db_rc_err(DBR_CONSTRAINT), ERR_CONFLICT);
  /* the connection is still fine afterwards */
  assert_int_equal(count_rows("SELECT count(*) FROM t_db_parent"), 2);
}

static void test_changes_and_bools(void **state) {
  assert_int_equal(insert_parent("a", 0, NULL), DBR_DONE);
  assert_int_equal(insert_parent("b", 0, NULL), DBR_DONE);
  assert_int_equal(insert_parent("c", 0, NULL), DBR_DONE);
  db_stmt *st = db_prepare(D, "UPDATE t_db_parent SET qty = qty + ? WHERE name IN ('a', 'b', 'c')");
  db_bind_int(st, 1, 5);
  assert_int_equal(db_step(st), DBR_DONE);
  assert_int_equal(db_changes(st), 3);
  db_finish(st);
  st = db_prepare(D, "DELETE FROM t_db_parent WHERE name = ?");
  db_bind_text(st, 1, "zzz");
  assert_int_equal(db_step(st), DBR_DONE);
  assert_int_equal(db_changes(st), 0);
  db_finish(st);
  /* PostgreSQL booleans read as 1/0 like SQLite's */
  st = db_prepare(D, "SELECT 1 = 1, 1 = 2, EXISTS (SELECT 1 FROM t_db_parent WHERE qty = ?)");
  db_bind_int(st, 1, 5);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 1);
  assert_int_equal(db_col_int(st, 1), 0);
  assert_int_equal(db_col_int(st, 2), 1);
  db_finish(st);
}

/* The same SQL open twice at once gets two statements; a finished one is
 * reused from the cache. */
static void test_nested_same_sql(void **state) {
  const char *q = "SELECT name FROM t_db_parent WHERE qty >= ? ORDER BY name";
  db_stmt *outer = db_prepare(D, q);
  db_bind_int(outer, 1, 0);
  int rows = 0;
  while (db_step(outer) == DBR_ROW) {
    db_stmt *inner = db_prepare(D, q);
    assert_ptr_not_equal(inner, outer);
    db_bind_int(inner, 1, 0);
    int in = 0;
    while (db_step(inner) == DBR_ROW) in++;
    db_finish(inner);
    assert_true(in >= 5);
    assert_non_null(db_col_text(outer, 0)); /* outer row still readable */
    rows++;
  }
  db_finish(outer);
  assert_true(rows >= 5);
  db_stmt *again = db_prepare(D, q);
  assert_true(again == outer || again != NULL);
  db_finish(again);
}

static void test_errors(void **state) {
  db_stmt *st = db_prepare(D, "SELEC 1");
  if (st) {
    assert_int_equal(db_step(st), DBR_ERROR);
    db_finish(st);
  }
  assert_true(strlen(db_errmsg(D)) > 0);
  /* a parameter index out of range fails the step, not the process */
  st = db_prepare(D, "SELECT ?");
  assert_non_null(st);
  db_bind_int(st, 1, 1);
  db_bind_int(st, 2, 2);
  assert_int_equal(db_step(st), DBR_ERROR);
  db_finish(st);
  /* and the cached statement works again after finish */
  st = db_prepare(D, "SELECT ?");
  db_bind_int(st, 1, 7);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 7);
  db_finish(st);
  assert_int_equal(db_exec_script(D, "SELECT 1; SELECT 2"), DBR_DONE);
  assert_int_equal(db_exec_script(D, "SELECT 1; NOT SQL"), DBR_ERROR);
}

/* True when st was finished: a finished cached statement is handed out
 * again for the same SQL, a busy one never is. */
static int finished(db_stmt *st, const char *sql) {
  db_stmt *again = db_prepare(D, sql);
  int same = again == st;
  db_finish(again);
  return same;
}

static const char *const QTY = "SELECT qty FROM t_db_parent WHERE name = ?";

static err_code step_insert(const char *name, int64_t qty, int64_t *id) {
  db_stmt *st = parent_insert(name, qty);
  err_code rc = db_step_insert_id(st, id);
  assert_true(finished(st, INS));
  return rc;
}

static void test_step_insert_id(void **state) {
  int64_t id1 = 0, id2 = 0;
  assert_int_equal(step_insert("ins-1", 1, &id1), ERR_OK);
  assert_int_equal(step_insert("ins-2", 2, &id2), ERR_OK);
  assert_true(id1 > 0 && id2 == id1 + 1);
  assert_int_equal(step_insert("ins-3", 3, NULL), ERR_OK);
  int64_t keep = 77;
  assert_int_equal(step_insert("ins-1", 4, &keep), ERR_CONFLICT); /* unique */
  assert_int_equal(step_insert("ins-4", -1, &keep), ERR_CONFLICT); /* check */
  assert_int_equal(keep, 77);
  /* no RETURNING: the insert runs but gives no id, which is a bug */
  db_stmt *st = db_prepare(D, "INSERT INTO t_db_parent (name) VALUES (?)");
  db_bind_text(st, 1, "ins-5");
  assert_int_equal(db_step_insert_id(st, &keep), ERR_INTERNAL);
  assert_int_equal(count_rows("SELECT count(*) FROM t_db_parent WHERE name LIKE 'ins-%'"), 4);
}

static void test_step_int_and_row(void **state) {
  assert_int_equal(step_insert("int-1", 42, NULL), ERR_OK);
  int64_t v = -1;
  db_stmt *st = db_prepare(D, QTY);
  db_bind_text(st, 1, "int-1");
  assert_int_equal(db_step_int(st, &v), ERR_OK);
  assert_int_equal(v, 42);
  assert_true(finished(st, QTY));
  st = db_prepare(D, QTY);
  db_bind_text(st, 1, "int-none");
  v = -1;
  assert_int_equal(db_step_int(st, &v), ERR_NOT_FOUND);
  assert_int_equal(v, -1);
  assert_true(finished(st, QTY));
  st = db_prepare(D, QTY);
  db_bind_text(st, 1, "int-1");
  assert_int_equal(db_step_int(st, NULL), ERR_OK);
  /* a failing statement reports its error, not "not found" */
  st = db_prepare(D, "SELECT ?");
  db_bind_int(st, 2, 1); /* out of range: the step fails */
  assert_int_equal(db_step_int(st, &v), ERR_STORAGE);

  /* db_step_row leaves a found row readable until the caller finishes */
  const char *q = "SELECT name, qty FROM t_db_parent WHERE name = ?";
  st = db_prepare(D, q);
  db_bind_text(st, 1, "int-1");
  assert_int_equal(db_step_row(st), ERR_OK);
  assert_string_equal(db_col_text(st, 0), "int-1");
  assert_int_equal(db_col_int(st, 1), 42);
  assert_false(finished(st, q));
  db_finish(st);
  st = db_prepare(D, q);
  db_bind_text(st, 1, "int-none");
  assert_int_equal(db_step_row(st), ERR_NOT_FOUND);
  assert_true(finished(st, q));
}

static void test_step_exec(void **state) {
  for (int i = 0; i < 3; i++) {
    char name[32];
    snprintf(name, sizeof name, "exec-%d", i);
    assert_int_equal(step_insert(name, i, NULL), ERR_OK);
  }
  const char *upd = "UPDATE t_db_parent SET qty = qty + ? WHERE name LIKE ?";
  db_stmt *st = db_prepare(D, upd);
  db_bind_int(st, 1, 10);
  db_bind_text(st, 2, "exec-%");
  int64_t n = -1;
  assert_int_equal(db_step_exec(st, &n), ERR_OK);
  assert_int_equal(n, 3);
  assert_true(finished(st, upd));
  st = db_prepare(D, upd);
  db_bind_int(st, 1, 1);
  db_bind_text(st, 2, "exec-none");
  assert_int_equal(db_step_exec(st, &n), ERR_OK);
  assert_int_equal(n, 0);
  st = db_prepare(D, upd);
  db_bind_int(st, 1, -100); /* violates qty >= 0 */
  db_bind_text(st, 2, "exec-%");
  assert_int_equal(db_step_exec(st, NULL), ERR_CONFLICT);
  assert_true(finished(st, upd));
  assert_int_equal(count_rows("SELECT sum(qty) FROM t_db_parent WHERE name LIKE 'exec-%'"), 33);

  /* exactly one row, or ERR_NOT_FOUND (the statement still ran) */
  st = db_prepare(D, upd);
  db_bind_int(st, 1, 1);
  db_bind_text(st, 2, "exec-0");
  assert_int_equal(db_step_exec_one(st), ERR_OK);
  st = db_prepare(D, upd);
  db_bind_int(st, 1, 1);
  db_bind_text(st, 2, "exec-none");
  assert_int_equal(db_step_exec_one(st), ERR_NOT_FOUND);
  st = db_prepare(D, upd);
  db_bind_int(st, 1, 1);
  db_bind_text(st, 2, "exec-%");
  assert_int_equal(db_step_exec_one(st), ERR_NOT_FOUND);
  st = db_prepare(D, upd);
  db_bind_int(st, 1, -100);
  db_bind_text(st, 2, "exec-0");
  assert_int_equal(db_step_exec_one(st), ERR_CONFLICT);
  assert_true(finished(st, upd));
  assert_int_equal(count_rows("SELECT sum(qty) FROM t_db_parent WHERE name LIKE 'exec-%'"), 37);
}

typedef struct {
  int64_t qty;
  char *name;
} parent_row;

static void read_parent(db_stmt *st, arena *a, void *item) {
  parent_row *p = item;
  p->name = arena_strdup(a, db_col_text(st, 0));
  p->qty = db_col_int(st, 1);
}

static void test_step_rows_and_one(void **state) {
  for (int i = 0; i < 40; i++) { /* more than the first capacity (16) */
    char name[32];
    snprintf(name, sizeof name, "rows-%02d", i);
    assert_int_equal(step_insert(name, i * 3, NULL), ERR_OK);
  }
  arena *a = arena_new();
  const char *q = "SELECT name, qty FROM t_db_parent WHERE name LIKE ? ORDER BY name";
  db_stmt *st = db_prepare(D, q);
  db_bind_text(st, 1, "rows-%");
  size_t n = 0;
  err_code rc = ERR_INTERNAL;
  parent_row *v = db_step_rows(st, a, sizeof *v, read_parent, &n, &rc);
  assert_int_equal(rc, ERR_OK);
  assert_int_equal(n, 40);
  for (size_t i = 0; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "rows-%02zu", i);
    assert_string_equal(v[i].name, name);
    assert_int_equal(v[i].qty, (int64_t)i * 3);
  }
  assert_true(finished(st, q));

  /* no rows: an empty array, not NULL */
  st = db_prepare(D, q);
  db_bind_text(st, 1, "rows-none%");
  n = 99;
  v = db_step_rows(st, a, sizeof *v, read_parent, &n, &rc);
  assert_int_equal(rc, ERR_OK);
  assert_non_null(v);
  assert_int_equal(n, 0);

  /* integer column */
  const char *qi = "SELECT qty FROM t_db_parent WHERE name LIKE ? ORDER BY qty DESC";
  st = db_prepare(D, qi);
  db_bind_text(st, 1, "rows-1%");
  int64_t *q3 = db_step_rows(st, a, sizeof *q3, db_row_int, &n, &rc);
  assert_int_equal(rc, ERR_OK);
  assert_int_equal(n, 10);
  assert_int_equal(q3[0], 57);
  assert_int_equal(q3[9], 30);

  /* a failing statement: NULL, no rows, the error */
  st = db_prepare(D, "SELECT ?");
  db_bind_int(st, 2, 1);
  n = 99;
  assert_null(db_step_rows(st, a, sizeof *q3, db_row_int, &n, &rc));
  assert_int_equal(rc, ERR_STORAGE);
  assert_int_equal(n, 0);

  /* one row into a zeroed item; none leaves the item alone */
  const char *q1 = "SELECT name, qty FROM t_db_parent WHERE name = ?";
  parent_row one = {-1, NULL};
  st = db_prepare(D, q1);
  db_bind_text(st, 1, "rows-07");
  assert_int_equal(db_step_one(st, a, sizeof one, read_parent, &one), ERR_OK);
  assert_string_equal(one.name, "rows-07");
  assert_int_equal(one.qty, 21);
  assert_true(finished(st, q1));
  st = db_prepare(D, q1);
  db_bind_text(st, 1, "rows-none");
  assert_int_equal(db_step_one(st, a, sizeof one, read_parent, &one), ERR_NOT_FOUND);
  assert_string_equal(one.name, "rows-07");
  assert_true(finished(st, q1));
  arena_free(a);
}

static void test_open_errors_hide_password(void **state) {
  char err[512];
  const char *urls[] = {
      "postgresql://sportello:S3cr3tPw@127.0.0.1:1/sportello",
      "postgresql://sportello:S3cr3tPw@127.0.0.1:notaport/sportello",
      "postgres://u:S3cr3tPw@127.0.0.1:1/x?sslmode=bogusS3cr3tPw",
      "postgresql://u:S3%63r3tPw@127.0.0.1:1/x",
  };
  for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
    err[0] = 0;
    assert_null(db_open(urls[i], err, sizeof err));
    assert_true(strlen(err) > 0);
    if (strstr(err, "S3cr3tPw") || strstr(err, "S3%63r3tPw")) fail_msg("password leaked: %s", err);
  }
  assert_null(db_open("mysql://x", err, sizeof err));
  assert_true(strlen(err) > 0);
  assert_null(db_open("sqlite:/nonexistent-dir/x/y.db", err, sizeof err));
  assert_true(strlen(err) > 0);
  db *m = db_open("sqlite::memory:", err, sizeof err);
  assert_non_null(m);
  assert_int_equal(db_backend(m), DB_SQLITE);
  assert_int_equal(db_ping(m), ERR_OK);
  db_close(m);
}

/* PostgreSQL: a connection killed by the server reports UNAVAILABLE, and
 * db_ping brings it back with its statements re-prepared. */
static void test_pg_reconnect(void **state) {
  if (!testdb_is_pg(&T)) skip();
  db *victim = testdb_open(&T);
  db_stmt *st = db_prepare(victim, "SELECT pg_backend_pid()");
  assert_int_equal(db_step(st), DBR_ROW);
  int64_t pid = db_col_int(st, 0);
  db_finish(st);
  /* int parameters are BIGINT; an INTEGER argument needs a cast */
  st = db_prepare(D, "SELECT pg_terminate_backend(CAST(? AS INTEGER))");
  db_bind_int(st, 1, pid);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 1);
  db_finish(st);
  st = db_prepare(victim, "SELECT pg_backend_pid()");
  db_rc rc = db_step(st);
  if (rc != DBR_UNAVAILABLE) fail_msg("step after kill: %d %s", rc, db_errmsg(victim));
  db_finish(st);
  assert_int_equal(db_ping(victim), ERR_OK);
  st = db_prepare(victim, "SELECT pg_backend_pid()");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_true(db_col_int(st, 0) != pid);
  db_finish(st);
  db_close(victim);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_types_roundtrip),
      cmocka_unit_test(test_question_mark_in_literals),
      cmocka_unit_test(test_translate_placeholders),
      cmocka_unit_test(test_expand_tokens),
      cmocka_unit_test(test_constraints),
      cmocka_unit_test(test_changes_and_bools),
      cmocka_unit_test(test_nested_same_sql),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_step_insert_id),
      cmocka_unit_test(test_step_int_and_row),
      cmocka_unit_test(test_step_exec),
      cmocka_unit_test(test_step_rows_and_one),
      cmocka_unit_test(test_open_errors_hide_password),
      cmocka_unit_test(test_pg_reconnect),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

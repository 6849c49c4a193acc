/* The audit chain: writes link up and verify; edited, deleted-in-the-
 * middle, deleted-at-the-tail and appended-outside rows are all reported;
 * concurrent writers keep one unbroken chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/audit/audit.h"
#include "testdb.h"

static testdb T;
static db *D;
static char genesis[80];

static int setup(void **state) {
  testdb_init(&T, "audit");
  D = testdb_open_migrated(&T);
  db_stmt *st = db_prepare(D, "SELECT last_hash FROM audit_head WHERE id = 1");
  if (!st || db_step(st) != DBR_ROW) return -1;
  snprintf(genesis, sizeof genesis, "%s", db_col_text(st, 0));
  db_finish(st);
  return 0;
}

static int teardown(void **state) {
  db_close(D);
  testdb_cleanup(&T);
  return 0;
}

static void exec_ok(const char *sql) {
  if (db_exec_script(D, sql) != DBR_DONE) fail_msg("%s: %s", sql, db_errmsg(D));
}

/* Back to an empty chain (the state the migration leaves). */
static void reset_chain(void) {
  exec_ok("DELETE FROM audit_log");
  db_stmt *st = db_prepare(D, "UPDATE audit_head SET last_id = 0, last_hash = ? WHERE id = 1");
  db_bind_text(st, 1, genesis);
  assert_int_equal(db_step(st), DBR_DONE);
  db_finish(st);
}

typedef struct {
  audit_entry e;
  err_code after; /* what the transaction returns after writing */
} write_ctx;

static err_code write_fn(db *d, void *vctx) {
  write_ctx *c = vctx;
  err_code rc = audit_write(d, &c->e);
  return rc != ERR_OK ? rc : c->after;
}

/* Row i gets varied content: NULL and non-NULL JSON, with and without an
 * Ente, Unicode text. */
static audit_entry entry(int i, char *buf, size_t n) {
  snprintf(buf, n, "{\"n\":%d,\"nome\":\"Niccolò\"}", i);
  audit_entry e = {
      .who = {i % 3 ? "user" : "system", i % 3 ? 10 + i : 0},
      .ente_id = i % 4 ? 1 + i % 2 : 0,
      .action = i % 2 ? "taxpayer.update" : "taxpayer.create",
      .object_type = "taxpayer",
      .object_id = 100 + i,
      .before_json = i % 2 ? buf : NULL,
      .after_json = i % 5 == 4 ? NULL : buf,
  };
  return e;
}

static void write_n(db *d, int n) {
  for (int i = 1; i <= n; i++) {
    char buf[128];
    write_ctx c = {entry(i, buf, sizeof buf), ERR_OK};
    err_code rc = db_tx(d, write_fn, &c);
    if (rc != ERR_OK) fail_msg("audit write %d: %d %s", i, rc, db_errmsg(d));
  }
}

static void expect_ok(int64_t rows) {
  arena *a = arena_new();
  audit_report r;
  err_code rc = audit_verify(D, a, &r);
  if (rc != ERR_OK) fail_msg("verify: %d %s", rc, r.problem ? r.problem : "(no problem text)");
  assert_int_equal(r.rows, rows);
  assert_int_equal(r.first_bad_id, 0);
  assert_null(r.problem);
  arena_free(a);
}

static void expect_broken(int64_t bad_id, const char *needle) {
  arena *a = arena_new();
  audit_report r;
  assert_int_equal(audit_verify(D, a, &r), ERR_CONFLICT);
  assert_int_equal(r.first_bad_id, bad_id);
  assert_non_null(r.problem);
  if (!strstr(r.problem, needle)) fail_msg("problem '%s' lacks '%s'", r.problem, needle);
  arena_free(a);
}

static void test_write_requires_tx(void **state) {
  char buf[128];
  audit_entry e = entry(1, buf, sizeof buf);
  assert_int_equal(audit_write(D, &e), ERR_INTERNAL);
  audit_entry bad = e;
  bad.action = NULL;
  write_ctx c = {bad, ERR_OK};
  assert_int_equal(db_tx(D, write_fn, &c), ERR_INVALID);
}

static void test_chain_links_and_verifies(void **state) {
  reset_chain();
  expect_ok(0);
  setenv("SPORTELLO_TEST_NOW", "1767225600", 1);
  write_n(D, 20);
  unsetenv("SPORTELLO_TEST_NOW");
  expect_ok(20);
  db_stmt *st = db_prepare(D, "SELECT id, at, prev_hash, hash, ente_id FROM audit_log ORDER BY id");
  char prev[80];
  snprintf(prev, sizeof prev, "%s", genesis);
  int64_t want = 1;
  while (db_step(st) == DBR_ROW) {
    assert_int_equal(db_col_int(st, 0), want);
    assert_int_equal(db_col_int(st, 1), 1767225600);
    assert_string_equal(db_col_text(st, 2), prev);
    const char *h = db_col_text(st, 3);
    assert_int_equal(strlen(h), 64);
    assert_int_equal(strspn(h, "0123456789abcdef"), 64);
    assert_string_not_equal(h, prev);
    /* ente_id 0 is stored as NULL */
    assert_int_equal(db_col_is_null(st, 4), want % 4 == 0);
    snprintf(prev, sizeof prev, "%s", h);
    want++;
  }
  db_finish(st);
  assert_int_equal(want, 21);
  st = db_prepare(D, "SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 20);
  assert_string_equal(db_col_text(st, 1), prev);
  db_finish(st);
}

typedef struct {
  json_t *before, *after;
} json_ctx;

static err_code write_json_fn(db *d, void *vctx) {
  json_ctx *c = vctx;
  actor who = {"user", 1};
  return audit_write_json(d, &who, 1, "taxpayer.update", "taxpayer", 5, c->before, c->after);
}

/* A side that could not be built (json_pack on text that is not UTF-8
 * returns NULL) fails the transaction: never a row without its content. */
static void test_json_content_never_lost(void **state) {
  reset_chain();
  write_n(D, 2);
  json_ctx cases[] = {
      {json_pack("{s:s}", "nome", "Rossi"), NULL},
      {json_pack("{s:s}", "nome", "Rossi"), json_pack("{s:s}", "nome", "Form\xc0\xaf")},
      {NULL, json_pack("{s:s}", "nome", "Comune \xff")},
      {json_null(), json_null()},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(db_tx(D, write_json_fn, &cases[i]), ERR_INTERNAL);
  expect_ok(2);
  /* a creation (no previous state) and a deletion (json_null after) */
  json_ctx create = {NULL, json_pack("{s:s}", "nome", "Niccol\xc3\xb2")};
  assert_int_equal(db_tx(D, write_json_fn, &create), ERR_OK);
  json_ctx del = {json_pack("{s:s}", "nome", "Niccol\xc3\xb2"), json_null()};
  assert_int_equal(db_tx(D, write_json_fn, &del), ERR_OK);
  expect_ok(4);
  db_stmt *st = db_prepare(D, "SELECT before_json, after_json FROM audit_log WHERE id > 2 ORDER BY id");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_true(db_col_is_null(st, 0));
  assert_string_equal(db_col_text(st, 1), "{\"nome\":\"Niccol\xc3\xb2\"}");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_string_equal(db_col_text(st, 0), "{\"nome\":\"Niccol\xc3\xb2\"}");
  assert_true(db_col_is_null(st, 1));
  db_finish(st);
}

/* A rolled-back change leaves no audit row and no gap in the ids. */
static void test_rollback_leaves_no_gap(void **state) {
  reset_chain();
  write_n(D, 3);
  char buf[128];
  write_ctx c = {entry(9, buf, sizeof buf), ERR_INVALID};
  assert_int_equal(db_tx(D, write_fn, &c), ERR_INVALID);
  write_n(D, 2);
  expect_ok(5);
}

static void test_edited_fields_detected(void **state) {
  static const char *edits[] = {
      "UPDATE audit_log SET action = 'user.delete' WHERE id = 7",
      "UPDATE audit_log SET at = at + 1 WHERE id = 7",
      "UPDATE audit_log SET actor_id = 999 WHERE id = 7",
      "UPDATE audit_log SET actor_kind = 'cli' WHERE id = 7",
      "UPDATE audit_log SET ente_id = 5 WHERE id = 8",    /* NULL -> 5 */
      "UPDATE audit_log SET ente_id = NULL WHERE id = 7", /* 2 -> NULL */
      "UPDATE audit_log SET object_type = 'user' WHERE id = 7",
      "UPDATE audit_log SET object_id = 1 WHERE id = 7",
      "UPDATE audit_log SET before_json = '' WHERE id = 8", /* NULL -> '' */
      "UPDATE audit_log SET after_json = '{}' WHERE id = 7",
      "UPDATE audit_log SET hash = prev_hash WHERE id = 7",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    reset_chain();
    write_n(D, 12);
    expect_ok(12);
    exec_ok(edits[i]);
    int64_t id = strstr(edits[i], "id = 8") ? 8 : 7;
    expect_broken(id, "modificata");
  }
  /* a rewritten link is caught at the row whose prev_hash was changed */
  reset_chain();
  write_n(D, 12);
  exec_ok("UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE id = 3) WHERE id = 7");
  expect_broken(7, "non è collegata");
}

static void test_deleted_middle_detected(void **state) {
  reset_chain();
  write_n(D, 20);
  exec_ok("DELETE FROM audit_log WHERE id = 7");
  expect_broken(7, "Manca la riga 7");
  exec_ok("DELETE FROM audit_log WHERE id IN (8, 9)");
  expect_broken(7, "Mancano le righe da 7 a 9");
  reset_chain();
  write_n(D, 5);
  exec_ok("DELETE FROM audit_log WHERE id = 1");
  expect_broken(1, "Manca la riga 1");
}

static void test_deleted_tail_detected(void **state) {
  reset_chain();
  write_n(D, 20);
  exec_ok("DELETE FROM audit_log WHERE id = 20");
  expect_broken(20, "righe finali");
  exec_ok("DELETE FROM audit_log");
  expect_broken(1, "righe finali");
}

static void test_rows_beyond_head_detected(void **state) {
  reset_chain();
  write_n(D, 10);
  /* the head is moved back, as if the last row were appended outside */
  exec_ok("UPDATE audit_head SET last_id = 9, last_hash = (SELECT hash FROM audit_log WHERE id = 9)");
  expect_broken(10, "oltre la testa");
  reset_chain();
  write_n(D, 4);
  exec_ok("UPDATE audit_head SET last_hash = 'x'");
  expect_broken(4, "testa della catena");
  exec_ok("DELETE FROM audit_head");
  expect_broken(1, "assente");
  reset_chain(); /* recreates nothing: put the head back */
  db_stmt *st = db_prepare(D, "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, ?)");
  db_bind_text(st, 1, genesis);
  assert_int_equal(db_step(st), DBR_DONE);
  db_finish(st);
  expect_ok(0);
}

/* Fields are length-prefixed: moving bytes from one field to the next
 * changes the hash. */
static void test_fields_do_not_run_together(void **state) {
  char h1[80], h2[80];
  const char *pairs[2][2] = {{"ab", "c"}, {"a", "bc"}};
  for (int k = 0; k < 2; k++) {
    reset_chain();
    setenv("SPORTELLO_TEST_NOW", "1767225600", 1);
    write_ctx c = {{.who = {"cli", 0}, .action = pairs[k][0], .object_type = pairs[k][1], .object_id = 1},
                   ERR_OK};
    assert_int_equal(db_tx(D, write_fn, &c), ERR_OK);
    unsetenv("SPORTELLO_TEST_NOW");
    db_stmt *st = db_prepare(D, "SELECT hash FROM audit_log WHERE id = 1");
    assert_int_equal(db_step(st), DBR_ROW);
    snprintf(k ? h2 : h1, 80, "%s", db_col_text(st, 0));
    db_finish(st);
  }
  assert_string_not_equal(h1, h2);
}

enum { WRITERS = 5, EACH = 12 };

typedef struct {
  db_pool *p;
  int n;
  int failures;
} writer;

static void *writer_thread(void *arg) {
  writer *w = arg;
  for (int i = 0; i < EACH; i++) {
    db *d = db_pool_acquire(w->p);
    if (!d) {
      w->failures++;
      continue;
    }
    char buf[128];
    write_ctx c = {entry(w->n * 100 + i, buf, sizeof buf), ERR_OK};
    if (db_tx(d, write_fn, &c) != ERR_OK) w->failures++;
    db_pool_release(w->p, d);
  }
  return NULL;
}

static void test_concurrent_writers(void **state) {
  reset_chain();
  db_pool *p = db_pool_new(T.url, WRITERS);
  writer w[WRITERS];
  pthread_t th[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    w[i] = (writer){p, i, 0};
    pthread_create(&th[i], NULL, writer_thread, &w[i]);
  }
  for (int i = 0; i < WRITERS; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(w[i].failures, 0);
  }
  db_pool_free(p);
  expect_ok(WRITERS * EACH);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_write_requires_tx),         cmocka_unit_test(test_chain_links_and_verifies),
      cmocka_unit_test(test_rollback_leaves_no_gap),    cmocka_unit_test(test_edited_fields_detected),
      cmocka_unit_test(test_deleted_middle_detected),   cmocka_unit_test(test_deleted_tail_detected),
      cmocka_unit_test(test_rows_beyond_head_detected), cmocka_unit_test(test_fields_do_not_run_together),
      cmocka_unit_test(test_concurrent_writers),        cmocka_unit_test(test_json_content_never_lost),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

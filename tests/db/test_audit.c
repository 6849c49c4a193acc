/* The audit chains: writes link up per chain and verify; edited,
 * deleted-in-the-middle, deleted-at-the-tail, moved and appended-outside
 * rows are all reported for the chain they are in while the other chains
 * stay intact; rows written before per-Ente chains (migration 0004) still
 * verify; concurrent writers keep every chain unbroken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "domain/audit/audit.h"
#include "testdb.h"

static testdb T;
static db *D;
static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

static int setup(void **state) {
  testdb_init(&T, "audit");
  D = testdb_open_migrated(&T);
  return 0;
}

static int teardown(void **state) {
  db_close(D);
  testdb_cleanup(&T);
  return 0;
}

static void exec_on(db *d, const char *sql) {
  if (db_exec_script(d, sql) != DBR_DONE) fail_msg("%s: %s", sql, db_errmsg(d));
}

static void exec_ok(const char *sql) { exec_on(D, sql); }

/* Back to no chains at all (the state the migration leaves). */
static void reset_chain(void) { exec_ok("DELETE FROM audit_log; DELETE FROM audit_chain"); }

typedef struct {
  audit_entry e;
  err_code after; /* what the transaction returns after writing */
} write_ctx;

static err_code write_fn(db *d, void *vctx) {
  write_ctx *c = vctx;
  err_code rc = audit_write(d, &c->e);
  return rc != ERR_OK ? rc : c->after;
}

/* Row i of chain ente gets varied content: NULL and non-NULL JSON,
 * different actors, Unicode text. */
static audit_entry entry(int i, int64_t ente, char *buf, size_t n) {
  snprintf(buf, n, "{\"n\":%d,\"nome\":\"Niccolò\"}", i);
  audit_entry e = {
      .who = {i % 3 ? "user" : "system", i % 3 ? 10 + i : 0},
      .ente_id = ente,
      .action = i % 2 ? "taxpayer.update" : "taxpayer.create",
      .object_type = "taxpayer",
      .object_id = 100 + i,
      .before_json = i % 2 ? buf : NULL,
      .after_json = i % 5 == 4 ? NULL : buf,
  };
  return e;
}

static void write_chain(db *d, int64_t ente, int n) {
  for (int i = 1; i <= n; i++) {
    char buf[128];
    write_ctx c = {entry(i, ente, buf, sizeof buf), ERR_OK};
    err_code rc = db_tx(d, write_fn, &c);
    if (rc != ERR_OK) fail_msg("audit write %d: %d %s", i, rc, db_errmsg(d));
  }
}

/* n rows in chain 1 (the tamper tests' chain) */
static void write_n(db *d, int n) { write_chain(d, 1, n); }

static void expect_ok_on(db *d, int64_t rows) {
  arena *a = arena_new();
  audit_report r;
  err_code rc = audit_verify(d, a, &r);
  if (rc != ERR_OK) fail_msg("verify: %d %s", rc, r.problem ? r.problem : "(no problem text)");
  assert_int_equal(r.rows, rows);
  assert_int_equal(r.first_bad_id, 0);
  assert_null(r.problem);
  arena_free(a);
}

static void expect_ok(int64_t rows) { expect_ok_on(D, rows); }

static void expect_broken_on(db *d, int64_t chain, int64_t bad_seq, const char *needle) {
  arena *a = arena_new();
  audit_report r;
  assert_int_equal(audit_verify(d, a, &r), ERR_CONFLICT);
  assert_int_equal(r.bad_chain, chain);
  assert_int_equal(r.first_bad_id, bad_seq);
  assert_non_null(r.problem);
  if (!strstr(r.problem, needle)) fail_msg("problem '%s' lacks '%s'", r.problem, needle);
  /* the same through the one-chain verify */
  assert_int_equal(audit_verify_chain(d, a, chain, &r), ERR_CONFLICT);
  assert_int_equal(r.n_chains, 1);
  assert_int_equal(r.first_bad_id, bad_seq);
  arena_free(a);
}

static void expect_broken(int64_t bad_seq, const char *needle) { expect_broken_on(D, 1, bad_seq, needle); }

static void test_write_requires_tx(void **state) {
  char buf[128];
  audit_entry e = entry(1, 1, buf, sizeof buf);
  assert_int_equal(audit_write(D, &e), ERR_INTERNAL);
  audit_entry bad = e;
  bad.action = NULL;
  write_ctx c = {bad, ERR_OK};
  assert_int_equal(db_tx(D, write_fn, &c), ERR_INVALID);
  bad = e;
  bad.ente_id = -1; /* the first-epoch chain takes no new rows */
  c.e = bad;
  assert_int_equal(db_tx(D, write_fn, &c), ERR_INVALID);
}

static void test_chain_links_and_verifies(void **state) {
  reset_chain();
  expect_ok(0);
  setenv("SPORTELLO_TEST_NOW", "1767225600", 1);
  write_chain(D, 0, 3);
  write_n(D, 20);
  unsetenv("SPORTELLO_TEST_NOW");
  expect_ok(23);
  db_stmt *st = db_prepare(D,
                           "SELECT seq, at, prev_hash, hash, ente_id FROM audit_log WHERE chain = 1"
                           " ORDER BY seq");
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
    assert_int_equal(db_col_int(st, 4), 1);
    snprintf(prev, sizeof prev, "%s", h);
    want++;
  }
  db_finish(st);
  assert_int_equal(want, 21);
  st = db_prepare(D, "SELECT last_seq, last_hash FROM audit_chain WHERE chain = 1");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 20);
  assert_string_equal(db_col_text(st, 1), prev);
  db_finish(st);
  /* chain 0: ente_id 0 is stored as NULL, positions start again at 1 */
  st = db_prepare(D, "SELECT count(*), min(seq), max(seq) FROM audit_log WHERE chain = 0 AND ente_id IS NULL");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 3);
  assert_int_equal(db_col_int(st, 1), 1);
  assert_int_equal(db_col_int(st, 2), 3);
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
  db_stmt *st = db_prepare(D, "SELECT before_json, after_json FROM audit_log WHERE chain = 1 AND seq > 2 ORDER BY seq");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_true(db_col_is_null(st, 0));
  assert_string_equal(db_col_text(st, 1), "{\"nome\":\"Niccol\xc3\xb2\"}");
  assert_int_equal(db_step(st), DBR_ROW);
  assert_string_equal(db_col_text(st, 0), "{\"nome\":\"Niccol\xc3\xb2\"}");
  assert_true(db_col_is_null(st, 1));
  db_finish(st);
}

/* A rolled-back change leaves no audit row and no gap in the positions. */
static void test_rollback_leaves_no_gap(void **state) {
  reset_chain();
  write_n(D, 3);
  char buf[128];
  write_ctx c = {entry(9, 1, buf, sizeof buf), ERR_INVALID};
  assert_int_equal(db_tx(D, write_fn, &c), ERR_INVALID);
  write_n(D, 2);
  expect_ok(5);
}

static void test_edited_fields_detected(void **state) {
  static const char *edits[] = {
      "UPDATE audit_log SET action = 'user.delete' WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET at = at + 1 WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET actor_id = 999 WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET actor_kind = 'cli' WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET ente_id = 5 WHERE chain = 1 AND seq = 8",
      "UPDATE audit_log SET ente_id = NULL WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET object_type = 'user' WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET object_id = 1 WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET before_json = '' WHERE chain = 1 AND seq = 8", /* NULL -> '' */
      "UPDATE audit_log SET after_json = '{}' WHERE chain = 1 AND seq = 7",
      "UPDATE audit_log SET hash = prev_hash WHERE chain = 1 AND seq = 7",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    reset_chain();
    write_n(D, 12);
    write_chain(D, 2, 4);
    expect_ok(16);
    exec_ok(edits[i]);
    int64_t seq = strstr(edits[i], "seq = 8") ? 8 : 7;
    expect_broken(seq, "modificata");
  }
  /* an ente_id added to a row about no Ente (chain 0) */
  reset_chain();
  write_chain(D, 0, 5);
  exec_ok("UPDATE audit_log SET ente_id = 5 WHERE chain = 0 AND seq = 2");
  expect_broken_on(D, 0, 2, "modificata");
  /* a rewritten link is caught at the row whose prev_hash was changed */
  reset_chain();
  write_n(D, 12);
  exec_ok("UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE chain = 1 AND seq = 3)"
          " WHERE chain = 1 AND seq = 7");
  expect_broken(7, "non è collegata");
}

static void test_deleted_middle_detected(void **state) {
  reset_chain();
  write_n(D, 20);
  exec_ok("DELETE FROM audit_log WHERE chain = 1 AND seq = 7");
  expect_broken(7, "Manca la riga 7");
  exec_ok("DELETE FROM audit_log WHERE chain = 1 AND seq IN (8, 9)");
  expect_broken(7, "Mancano le righe da 7 a 9");
  reset_chain();
  write_n(D, 5);
  exec_ok("DELETE FROM audit_log WHERE chain = 1 AND seq = 1");
  expect_broken(1, "Manca la riga 1");
}

static void test_deleted_tail_detected(void **state) {
  reset_chain();
  write_n(D, 20);
  exec_ok("DELETE FROM audit_log WHERE chain = 1 AND seq = 20");
  expect_broken(20, "righe finali");
  exec_ok("DELETE FROM audit_log");
  expect_broken(1, "righe finali");
}

static void test_rows_beyond_head_detected(void **state) {
  reset_chain();
  write_n(D, 10);
  /* the head is moved back, as if the last row were appended outside */
  exec_ok("UPDATE audit_chain SET last_seq = 9, last_hash = (SELECT hash FROM audit_log"
          " WHERE chain = 1 AND seq = 9) WHERE chain = 1");
  expect_broken(10, "oltre la testa");
  reset_chain();
  write_n(D, 4);
  exec_ok("UPDATE audit_chain SET last_hash = 'x'");
  expect_broken(4, "testa della catena");
  exec_ok("DELETE FROM audit_chain");
  expect_broken(1, "assente");
  exec_ok("DELETE FROM audit_log");
  expect_ok(0);
}

/* Chains are independent: a break in one leaves the others intact and is
 * reported for that chain only; a row moved to another chain is caught. */
static void test_chains_independent(void **state) {
  reset_chain();
  for (int i = 0; i < 4; i++) {
    write_chain(D, 0, 1);
    write_chain(D, 1, 2);
    write_chain(D, 2, 3);
  }
  expect_ok(24);
  arena *a = arena_new();
  audit_report r;
  assert_int_equal(audit_verify(D, a, &r), ERR_OK);
  assert_int_equal(r.n_chains, 3);
  assert_int_equal(r.chains[0].chain, 0);
  assert_int_equal(r.chains[0].rows, 4);
  assert_int_equal(r.chains[1].rows, 8);
  assert_int_equal(r.chains[2].chain, 2);
  assert_int_equal(r.chains[2].rows, 12);
  /* a chain never written to is intact and empty */
  assert_int_equal(audit_verify_chain(D, a, 7, &r), ERR_OK);
  assert_int_equal(r.rows, 0);
  exec_ok("DELETE FROM audit_log WHERE chain = 2 AND seq = 5");
  assert_int_equal(audit_verify(D, a, &r), ERR_CONFLICT);
  assert_int_equal(r.bad_chain, 2);
  assert_int_equal(r.first_bad_id, 5);
  assert_int_equal(r.n_chains, 3);
  assert_null(r.chains[0].problem);
  assert_null(r.chains[1].problem);
  assert_non_null(r.chains[2].problem);
  assert_int_equal(r.rows, 4 + 8 + 4);
  assert_int_equal(audit_verify_chain(D, a, 1, &r), ERR_OK);
  assert_int_equal(r.rows, 8);
  /* a row moved from chain 1 to the end of chain 0 */
  reset_chain();
  write_chain(D, 0, 3);
  write_chain(D, 1, 3);
  exec_ok("UPDATE audit_log SET chain = 0, seq = 4 WHERE chain = 1 AND seq = 3");
  exec_ok("UPDATE audit_chain SET last_seq = 4, last_hash = (SELECT hash FROM audit_log"
          " WHERE chain = 0 AND seq = 4) WHERE chain = 0");
  assert_int_equal(audit_verify(D, a, &r), ERR_CONFLICT);
  assert_non_null(r.chains[0].problem);
  assert_non_null(r.chains[1].problem);
  /* rows left without their chain's head */
  reset_chain();
  write_chain(D, 2, 3);
  exec_ok("DELETE FROM audit_chain WHERE chain = 2");
  expect_broken_on(D, 2, 1, "assente");
  arena_free(a);
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
    db_stmt *st = db_prepare(D, "SELECT hash FROM audit_log WHERE chain = 0 AND seq = 1");
    assert_int_equal(db_step(st), DBR_ROW);
    snprintf(k ? h2 : h1, 80, "%s", db_col_text(st, 0));
    db_finish(st);
  }
  assert_string_not_equal(h1, h2);
}

/* --- rows written before migration 0004 ------------------------------ */

/* The first-epoch row hash, written out here independently of audit.c:
 * tag, prev_hash, id, at, actor_kind, actor_id, ente_id, action,
 * object_type, object_id, before_json, after_json; each field 'N' or 'V' +
 * 8-byte big-endian length + bytes. */
static void v1_field(crypto_hash_sha256_state *h, const char *v) {
  if (!v) {
    crypto_hash_sha256_update(h, (const unsigned char *)"N", 1);
    return;
  }
  uint64_t n = strlen(v);
  unsigned char hdr[9] = {'V'};
  for (int i = 0; i < 8; i++) hdr[1 + i] = (unsigned char)(n >> (56 - 8 * i));
  crypto_hash_sha256_update(h, hdr, 9);
  crypto_hash_sha256_update(h, (const unsigned char *)v, n);
}

static void v1_int(crypto_hash_sha256_state *h, long long v) {
  char b[24];
  snprintf(b, sizeof b, "%lld", v);
  v1_field(h, b);
}

static void v1_hash(const char *prev, long long id, long long ente, const char *after, char out[65]) {
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  v1_field(&h, "sportello.audit.v1");
  v1_field(&h, prev);
  v1_int(&h, id);
  v1_int(&h, 1700000000 + id);
  v1_field(&h, "cli");
  v1_int(&h, 0);
  if (ente)
    v1_int(&h, ente);
  else
    v1_field(&h, NULL);
  v1_field(&h, "ente.create");
  v1_field(&h, "ente");
  v1_int(&h, id);
  v1_field(&h, NULL);
  v1_field(&h, after);
  unsigned char md[32];
  crypto_hash_sha256_final(&h, md);
  sodium_bin2hex(out, 65, md, 32);
}

static err_code old_rows_fn(db *d, void *ctx) {
  char prev[65], hash[65];
  snprintf(prev, sizeof prev, "%s", genesis);
  for (long long id = 1; id <= 6; id++) {
    long long ente = id % 2 ? id : 0;
    v1_hash(prev, id, ente, "{\"x\":1}", hash);
    db_stmt *st = db_prepare(d,
                             "INSERT INTO audit_log (id, at, actor_kind, actor_id, ente_id, action,"
                             " object_type, object_id, before_json, after_json, prev_hash, hash)"
                             " VALUES (?, ?, 'cli', 0, ?, 'ente.create', 'ente', ?, NULL, '{\"x\":1}', ?, ?)");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, 1700000000 + id);
    if (ente)
      db_bind_int(st, 3, ente);
    else
      db_bind_null(st, 3);
    db_bind_int(st, 4, id);
    db_bind_text(st, 5, prev);
    db_bind_text(st, 6, hash);
    err_code rc = db_step_exec(st, NULL);
    if (rc != ERR_OK) return rc;
    snprintf(prev, sizeof prev, "%s", hash);
  }
  db_stmt *st = db_prepare(d, "UPDATE audit_head SET last_id = 6, last_hash = ? WHERE id = 1");
  db_bind_text(st, 1, prev);
  return db_step_exec_one(st);
}

/* A database at version 3 with six first-epoch rows is migrated: its rows
 * become chain -1 and still verify; new rows go to per-Ente chains; an
 * edited or deleted old row is still found. */
static void test_first_epoch_rows_still_verify(void **state) {
  testdb t;
  testdb_init(&t, "audit_epoch");
  db *d = testdb_open(&t);
  exec_on(d, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
             " applied_at BIGINT NOT NULL)");
  for (int i = 0; i < db_migrations_count && db_migrations[i].version <= 3; i++) {
    char *sql = db_expand_tokens(db_backend(d), db_migrations[i].sql);
    exec_on(d, sql);
    free(sql);
    char rec[160];
    snprintf(rec, sizeof rec, "INSERT INTO schema_migrations VALUES (%d, '%s', 0)", db_migrations[i].version,
             db_migrations[i].name);
    exec_on(d, rec);
  }
  assert_int_equal(db_tx(d, old_rows_fn, NULL), ERR_OK);
  int applied = 0;
  assert_int_equal(db_migrate(d, &applied), ERR_OK);
  assert_true(applied >= 1);
  expect_ok_on(d, 6);
  arena *a = arena_new();
  audit_report r;
  assert_int_equal(audit_verify(d, a, &r), ERR_OK);
  assert_int_equal(r.n_chains, 1);
  assert_int_equal(r.chains[0].chain, AUDIT_CHAIN_EPOCH1);
  write_chain(d, 3, 2);
  write_chain(d, 0, 1);
  expect_ok_on(d, 9);
  assert_int_equal(audit_verify_chain(d, a, AUDIT_CHAIN_EPOCH1, &r), ERR_OK);
  assert_int_equal(r.rows, 6);
  arena_free(a);
  exec_on(d, "UPDATE audit_log SET after_json = '{\"x\":2}' WHERE chain = -1 AND seq = 4");
  expect_broken_on(d, AUDIT_CHAIN_EPOCH1, 4, "modificata");
  exec_on(d, "DELETE FROM audit_log WHERE chain = -1 AND seq >= 4");
  expect_broken_on(d, AUDIT_CHAIN_EPOCH1, 4, "righe finali");
  db_close(d);
  testdb_cleanup(&t);
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
    write_ctx c = {entry(w->n * 100 + i, w->n % 3, buf, sizeof buf), ERR_OK};
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
      cmocka_unit_test(test_chains_independent),        cmocka_unit_test(test_first_epoch_rows_still_verify),
      cmocka_unit_test(test_concurrent_writers),
      cmocka_unit_test(test_json_content_never_lost),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

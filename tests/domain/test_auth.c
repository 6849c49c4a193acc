/* Sessions (create, lookup, expiry with SPORTELLO_TEST_NOW, last-seen
 * refresh, disabled users, destroy), sessions ended by a new password or a
 * disable, pruning and API token scope. Sign-in throttling: test_login.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include "core/arena.h"
#include "domain/auth/auth.h"
#include "domain/ente/ente.h"
#include "fixture.h"

static testdb T;
static db *D;
static int64_t UID, E1, E2;

static void set_now(int64_t t) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)t);
  setenv("SPORTELLO_TEST_NOW", buf, 1);
}

static int setup(void **state) {
  D = fx_open(&T, "domain_auth");
  if (auth_key_ensure(D, NULL) != ERR_OK) return -1;
  set_now(1800000000);
  E1 = fx_ente(D, "auth-uno", 4001);
  E2 = fx_ente(D, "auth-due", 4002);
  user u = {0};
  u.username = "operatore";
  u.full_name = "Operatore di Prova";
  u.role = ROLE_OPERATOR;
  int64_t ids[] = {E1};
  arena *a = arena_new();
  err_code rc = user_create(D, a, &u, "password-di-prova", ids, 1, &fx_cli, &UID, NULL);
  arena_free(a);
  return rc == ERR_OK ? 0 : -1;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

static int64_t last_seen(int64_t sid) {
  return fx_count(D, "SELECT last_seen_at FROM session WHERE id = ?", sid);
}

static void test_session_lifecycle(void **state) {
  const int64_t t0 = 1800000000;
  set_now(t0);
  arena *a = arena_new();
  char *token = NULL;
  session s = {0};
  int64_t audits = fx_audit_count(D, "session.create");
  assert_int_equal(session_create(D, a, UID, 3600, &token, &s), ERR_OK);
  assert_int_equal(fx_audit_count(D, "session.create"), audits + 1);
  assert_non_null(token);
  assert_int_equal(strlen(token), 43);
  assert_true(s.id > 0);
  assert_int_equal(s.user_id, UID);
  assert_int_equal(s.expires_at, t0 + 3600);
  assert_non_null(s.csrf);
  assert_true(strlen(s.csrf) >= 32);

  /* only the SHA-256 is stored */
  unsigned char h[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  db_stmt *st = db_prepare(D, "SELECT token_hash FROM session WHERE id = ?");
  db_bind_int(st, 1, s.id);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_string_equal(db_col_text(st, 0), hex);
  db_finish(st);

  /* a second session is a different secret */
  char *token2 = NULL;
  session s2;
  assert_int_equal(session_create(D, a, UID, 60, &token2, &s2), ERR_OK);
  assert_string_not_equal(token, token2);
  assert_string_not_equal(s.csrf, s2.csrf);

  session got;
  user u;
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_OK);
  assert_int_equal(got.id, s.id);
  assert_string_equal(got.csrf, s.csrf);
  assert_int_equal(u.id, UID);
  assert_string_equal(u.username, "operatore");
  assert_int_equal(u.role, ROLE_OPERATOR);

  /* last_seen_at moves at most once a minute */
  assert_int_equal(last_seen(s.id), t0);
  set_now(t0 + 30);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_OK);
  assert_int_equal(last_seen(s.id), t0);
  set_now(t0 + 61);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_OK);
  assert_int_equal(last_seen(s.id), t0 + 61);

  /* expiry: the 60-second session is gone, the hour-long one is alive */
  set_now(t0 + 60);
  assert_int_equal(session_lookup(D, a, token2, &got, &u), ERR_UNAUTHORIZED);
  set_now(t0 + 3599);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_OK);
  set_now(t0 + 3600);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_UNAUTHORIZED);
  set_now(t0 + 100);

  /* garbage and unknown tokens */
  assert_int_equal(session_lookup(D, a, NULL, &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(session_lookup(D, a, "", &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(session_lookup(D, a, "abc'; DROP TABLE session; --", &got, &u),
                   ERR_UNAUTHORIZED);
  char forged[44];
  memcpy(forged, token, 44);
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  assert_int_equal(session_lookup(D, a, forged, &got, &u), ERR_UNAUTHORIZED);

  /* a disabled user's sessions end, and do not come back when enabled */
  assert_int_equal(user_set_active(D, UID, 0, &fx_cli), ERR_OK);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_UNAUTHORIZED);
  char *t3;
  assert_int_equal(session_create(D, a, UID, 60, &t3, NULL), ERR_UNAUTHORIZED);
  assert_int_equal(user_set_active(D, UID, 1, &fx_cli), ERR_OK);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(session_create(D, a, UID, 3600, &token, &s), ERR_OK);

  /* sign-out */
  int64_t destroys = fx_audit_count(D, "session.destroy");
  assert_int_equal(session_destroy(D, token), ERR_OK);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(session_destroy(D, token), ERR_OK); /* twice is fine */
  assert_int_equal(fx_audit_count(D, "session.destroy"), destroys + 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM session WHERE id = ?", s.id), 0);

  /* bad arguments */
  assert_int_equal(session_create(D, a, UID, 0, &t3, NULL), ERR_INVALID);
  assert_int_equal(session_create(D, a, UID + 999, 60, &t3, NULL), ERR_UNAUTHORIZED);
  arena_free(a);
}

/* A new password, a disable and an enable each end the user's sessions in
 * the same transaction, and the audit row says how many. */
static void test_sessions_end(void **state) {
  set_now(1800004000);
  arena *a = arena_new();
  char *t1, *t2;
  session s, got;
  user u;
  assert_int_equal(session_create(D, a, UID, 3600, &t1, &s), ERR_OK);
  assert_int_equal(session_create(D, a, UID, 3600, &t2, &s), ERR_OK);
  assert_int_equal(user_set_password(D, a, UID, "nuova-password-2026", &fx_cli, NULL), ERR_OK);
  assert_int_equal(session_lookup(D, a, t1, &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(session_lookup(D, a, t2, &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM session WHERE user_id = ?", UID), 0);
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.passwd' AND "
                            "after_json LIKE '%\"sessions_ended\":2%' AND object_id = ?",
                            UID),
                   1);
  /* disabled, then enabled again: the old session does not come back */
  assert_int_equal(session_create(D, a, UID, 3600, &t1, &s), ERR_OK);
  assert_int_equal(user_set_active(D, UID, 0, &fx_cli), ERR_OK);
  assert_int_equal(user_set_active(D, UID, 1, &fx_cli), ERR_OK);
  assert_int_equal(session_lookup(D, a, t1, &got, &u), ERR_UNAUTHORIZED);
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.disable' AND "
                            "after_json LIKE '%\"sessions_ended\":1%' AND object_id = ?",
                            UID),
                   1);
  /* an enable also ends sessions left over by a disable of an older version */
  assert_int_equal(session_create(D, a, UID, 3600, &t1, &s), ERR_OK);
  assert_int_equal(user_set_active(D, UID, 1, &fx_cli), ERR_OK);
  assert_int_equal(session_lookup(D, a, t1, &got, &u), ERR_UNAUTHORIZED);
  /* the others' sessions are untouched */
  int64_t other = 0;
  user o = {0};
  o.username = "altro.utente";
  o.full_name = "Altro Utente";
  o.role = ROLE_ADMIN;
  assert_int_equal(user_create(D, a, &o, "password-di-prova", NULL, 0, &fx_cli, &other, NULL), ERR_OK);
  assert_int_equal(session_create(D, a, other, 3600, &t2, &s), ERR_OK);
  assert_int_equal(user_set_password(D, a, UID, "password-di-prova", &fx_cli, NULL), ERR_OK);
  assert_int_equal(session_lookup(D, a, t2, &got, &u), ERR_OK);
  fx_audit_ok(D);
  arena_free(a);
}

/* Sign-in failures for the pruning test: wrong passwords from addr. */
static void fail_login(arena *a, const char *addr) {
  login_request in = {"operatore", "password-sbagliata", addr, NULL, 5, 900};
  login_result out;
  assert_int_equal(auth_login(D, a, &in, &out), ERR_LOGIN_FAILED);
}

static void test_prune(void **state) {
  const int64_t t0 = 1800003000;
  set_now(t0);
  arena *a = arena_new();
  char *live, *dead;
  session s;
  assert_int_equal(session_create(D, a, UID, 7200, &live, &s), ERR_OK);
  assert_int_equal(session_create(D, a, UID, 60, &dead, &s), ERR_OK);
  fail_login(a, "192.0.2.1");
  set_now(t0 + 86400 + 10);
  fail_login(a, "192.0.2.2");
  int64_t sessions = fx_count(D, "SELECT COUNT(*) FROM session", 0);
  assert_int_equal(auth_prune(D, t0 + 3600), ERR_OK);
  /* the expired session is gone, the live one stays; only day-old failures go */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM session WHERE id = ?", s.id), 0);
  assert_true(fx_count(D, "SELECT COUNT(*) FROM session", 0) < sessions);
  set_now(t0 + 3600);
  session got;
  user u;
  assert_int_equal(session_lookup(D, a, live, &got, &u), ERR_OK);
  assert_int_equal(auth_prune(D, t0 + 86400 + 20), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM login_failure WHERE failed_at < ?", t0 + 60),
                   0);
  assert_true(fx_count(D, "SELECT COUNT(*) FROM login_failure WHERE failed_at > ?", t0 + 86400) >
              0);
  arena_free(a);
}

static void test_api_tokens(void **state) {
  set_now(1800002000);
  arena *a = arena_new();
  int64_t both[] = {E1, E2};
  char *tok = NULL;
  int64_t id = 0;
  problem pb = {0};
  assert_int_equal(api_token_create(D, a, "Gestionale tributi", both, 2, &fx_cli, &tok, &id, &pb),
                   ERR_OK);
  assert_int_equal(strlen(tok), 43);
  assert_int_equal(fx_audit_count(D, "api_token.create"), 1);
  /* the secret is not in the audit row, nor in the table */
  db_stmt *st = db_prepare(D, "SELECT COUNT(*) FROM api_token WHERE token_hash = ?");
  db_bind_text(st, 1, tok);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_int_equal(db_col_int(st, 0), 0);
  db_finish(st);

  int64_t only1[] = {E1};
  char *tok1 = NULL;
  assert_int_equal(api_token_create(D, a, "Solo uno", only1, 1, &fx_cli, &tok1, NULL, &pb), ERR_OK);

  api_token t;
  assert_int_equal(api_token_lookup(D, a, tok, &t), ERR_OK);
  assert_int_equal(t.id, id);
  assert_string_equal(t.name, "Gestionale tributi");
  assert_int_equal(t.n_ente, 2);
  assert_int_equal(api_token_check_ente(&t, E1), ERR_OK);
  assert_int_equal(api_token_check_ente(&t, E2), ERR_OK);
  assert_int_equal(api_token_lookup(D, a, tok1, &t), ERR_OK);
  assert_int_equal(t.n_ente, 1);
  assert_int_equal(api_token_check_ente(&t, E1), ERR_OK);
  assert_int_equal(api_token_check_ente(&t, E2), ERR_NOT_FOUND);

  assert_int_equal(api_token_lookup(D, a, "nope", &t), ERR_UNAUTHORIZED);
  assert_int_equal(api_token_lookup(D, a, NULL, &t), ERR_UNAUTHORIZED);

  api_token *list;
  size_t n;
  assert_int_equal(api_token_list(D, a, &list, &n), ERR_OK);
  assert_int_equal(n, 2);

  /* revoked tokens stop working */
  assert_int_equal(api_token_revoke(D, id, &fx_cli), ERR_OK);
  assert_int_equal(api_token_lookup(D, a, tok, &t), ERR_UNAUTHORIZED);
  assert_int_equal(api_token_revoke(D, id, &fx_cli), ERR_NOT_FOUND);
  assert_int_equal(api_token_list(D, a, &list, &n), ERR_OK);
  assert_int_equal(n, 1);

  /* validation */
  char *bad;
  assert_int_equal(api_token_create(D, a, "", both, 2, &fx_cli, &bad, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "name");
  assert_int_equal(api_token_create(D, a, "x", NULL, 0, &fx_cli, &bad, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "ente_ids");
  int64_t missing[] = {E2 + 999};
  assert_int_equal(api_token_create(D, a, "x", missing, 1, &fx_cli, &bad, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "ente_ids");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM api_token", 0), 2);
  arena_free(a);
  fx_audit_ok(D);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_session_lifecycle),
      cmocka_unit_test(test_sessions_end),
      cmocka_unit_test(test_prune),
      cmocka_unit_test(test_api_tokens),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

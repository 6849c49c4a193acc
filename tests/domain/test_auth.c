/* Sessions (create, lookup, expiry with SPORTELLO_TEST_NOW, last-seen
 * refresh, disabled users, destroy), login throttling and API token scope. */
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

  /* a disabled user's sessions stop working, and work again when enabled */
  assert_int_equal(user_set_active(D, UID, 0, &fx_cli), ERR_OK);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_UNAUTHORIZED);
  char *t3;
  assert_int_equal(session_create(D, a, UID, 60, &t3, NULL), ERR_UNAUTHORIZED);
  assert_int_equal(user_set_active(D, UID, 1, &fx_cli), ERR_OK);
  assert_int_equal(session_lookup(D, a, token, &got, &u), ERR_OK);

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

static void test_throttle(void **state) {
  const int64_t t0 = 1800001000;
  set_now(t0);
  const char *key = "ip:192.0.2.7";
  assert_int_equal(login_throttle_check(D, key, 3, 600), ERR_OK);
  login_throttle_fail(D, key);
  login_throttle_fail(D, key);
  assert_int_equal(login_throttle_check(D, key, 3, 600), ERR_OK);
  set_now(t0 + 10);
  login_throttle_fail(D, key);
  assert_int_equal(login_throttle_check(D, key, 3, 600), ERR_RATE_LIMITED);
  /* other keys are not affected */
  assert_int_equal(login_throttle_check(D, "ip:192.0.2.8", 3, 600), ERR_OK);
  /* the window slides: after 600 s the first two failures no longer count */
  set_now(t0 + 600);
  assert_int_equal(login_throttle_check(D, key, 3, 600), ERR_OK);
  assert_int_equal(login_throttle_check(D, key, 1, 600), ERR_RATE_LIMITED);
  /* clear forgets everything for the key */
  login_throttle_clear(D, key);
  assert_int_equal(login_throttle_check(D, key, 1, 600), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM login_failure", 0), 0);

  /* very long keys are stored hashed, still counted */
  char longkey[1000];
  memset(longkey, 'x', sizeof longkey - 1);
  longkey[sizeof longkey - 1] = 0;
  login_throttle_fail(D, longkey);
  assert_int_equal(login_throttle_check(D, longkey, 1, 600), ERR_RATE_LIMITED);
  login_throttle_clear(D, longkey);
  assert_int_equal(login_throttle_check(D, longkey, 1, 600), ERR_OK);

  /* old rows are pruned as failures accumulate */
  set_now(t0);
  for (int i = 0; i < 70; i++) login_throttle_fail(D, "old");
  set_now(t0 + 2 * 86400);
  for (int i = 0; i < 70; i++) login_throttle_fail(D, "new");
  assert_int_equal(
      fx_count(D, "SELECT COUNT(*) FROM login_failure WHERE failed_at < ?", t0 + 86400), 0);
  login_throttle_clear(D, "new");
}

static void test_prune(void **state) {
  const int64_t t0 = 1800003000;
  set_now(t0);
  arena *a = arena_new();
  char *live, *dead;
  session s;
  assert_int_equal(session_create(D, a, UID, 7200, &live, &s), ERR_OK);
  assert_int_equal(session_create(D, a, UID, 60, &dead, &s), ERR_OK);
  login_throttle_fail(D, "prune-old");
  set_now(t0 + 86400 + 10);
  login_throttle_fail(D, "prune-new");
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
  assert_int_equal(login_throttle_check(D, "prune-old", 1, 10 * 86400), ERR_OK);
  assert_int_equal(login_throttle_check(D, "prune-new", 1, 10 * 86400), ERR_RATE_LIMITED);
  login_throttle_clear(D, "prune-new");
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
      cmocka_unit_test(test_throttle),
      cmocka_unit_test(test_prune),
      cmocka_unit_test(test_api_tokens),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

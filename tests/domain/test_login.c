/* Sign-in (auth_login): one normalisation for the throttle and the
 * password, check-and-record in one transaction (parallel attempts), the
 * per-client / per-address / per-account rules that slow an attacker down
 * without locking the real user out, device cookies, the server key and the
 * anonymous CSRF tokens it signs. Time is moved with SPORTELLO_TEST_NOW. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include "core/arena.h"
#include "domain/auth/auth.h"
#include "domain/ente/ente.h"
#include "fixture.h"

enum { N = 5, W = 900 };
static const char PW[] = "password-di-prova";
static const char WRONG[] = "password-sbagliata";

static testdb T;
static db *D;
static int64_t NOW = 1800000000;

static void set_now(int64_t t) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)t);
  setenv("SPORTELLO_TEST_NOW", buf, 1);
}

/* Each test starts an hour after the previous one's window. */
static void next_epoch(void) {
  NOW += 10 * W;
  set_now(NOW);
}

static void add_user(const char *name) {
  user u = {0};
  u.username = (char *)name;
  u.full_name = "Utente di Prova";
  u.role = ROLE_ADMIN;
  int64_t id;
  arena *a = arena_new();
  assert_int_equal(user_create(D, a, &u, PW, NULL, 0, &fx_cli, &id, NULL), ERR_OK);
  arena_free(a);
}

static int setup(void **state) {
  D = fx_open(&T, "domain_login");
  set_now(NOW);
  /* the first use makes the key and keeps it in the database */
  if (auth_key_ensure(D, NULL) != ERR_OK) return -1;
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

/* One attempt; *device (if not NULL) is sent and, on success, replaced by
 * the cookie handed out. */
static err_code try_login(arena *a, const char *name, const char *pw, const char *addr, char **device,
                          int64_t *retry) {
  login_request in = {name, pw, addr, device ? *device : NULL, N, W};
  login_result out;
  err_code e = auth_login(D, a, &in, &out);
  if (e == ERR_OK && device) *device = out.device;
  if (retry) *retry = out.retry_after;
  if (e == ERR_OK) {
    assert_non_null(out.device);
    assert_true(out.u.id > 0);
  }
  return e;
}

static void test_key_stored(void **state) {
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM server_secret", 0), 1);
  assert_int_equal(fx_count(D, "SELECT length(value) FROM server_secret", 0), 64);
  assert_int_equal(auth_key_ensure(D, NULL), ERR_OK); /* loaded once */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM server_secret", 0), 1);
}

static void test_normalised(void **state) {
  next_epoch();
  arena *a = arena_new();
  add_user("victim3");
  int64_t retry = 0;
  for (int i = 0; i < N; i++)
    assert_int_equal(try_login(a, "victim3", WRONG, "192.0.2.3", NULL, NULL), ERR_LOGIN_FAILED);
  assert_int_equal(try_login(a, "VICTIM3", WRONG, "192.0.2.3", NULL, &retry), ERR_LOGIN_THROTTLED);
  assert_true(retry > 0 && retry <= W);
  assert_int_equal(try_login(a, "  Victim3\t", WRONG, "192.0.2.3", NULL, NULL), ERR_LOGIN_THROTTLED);
  assert_int_equal(try_login(a, "Victim3 ", PW, "192.0.2.3", NULL, NULL), ERR_LOGIN_THROTTLED);
  /* a refused attempt is not counted: the window ends W after the failures */
  set_now(NOW + W + 1);
  assert_int_equal(try_login(a, "Victim3 ", PW, "192.0.2.3", NULL, NULL), ERR_OK);
  /* bad input */
  assert_int_equal(try_login(a, "   ", PW, "192.0.2.3", NULL, NULL), ERR_INVALID);
  char longname[100];
  memset(longname, 'x', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  assert_int_equal(try_login(a, longname, PW, "192.0.2.3", NULL, NULL), ERR_INVALID);
  arena_free(a);
}

typedef struct {
  const testdb *t;
  pthread_barrier_t *go;
  err_code rc;
} par_job;

static void *par_thread(void *arg) {
  par_job *j = arg;
  db *d = testdb_open(j->t);
  arena *a = arena_new();
  login_request in = {"victim6", WRONG, "192.0.2.6", NULL, N, W};
  login_result out;
  pthread_barrier_wait(j->go);
  j->rc = auth_login(d, a, &in, &out);
  arena_free(a);
  db_close(d);
  return NULL;
}

static void test_parallel(void **state) {
  next_epoch();
  add_user("victim6");
  enum { THREADS = 16 };
  pthread_t th[THREADS];
  par_job jobs[THREADS];
  pthread_barrier_t go;
  pthread_barrier_init(&go, NULL, THREADS);
  for (int i = 0; i < THREADS; i++) {
    jobs[i] = (par_job){&T, &go, ERR_OK};
    pthread_create(&th[i], NULL, par_thread, &jobs[i]);
  }
  int wrong = 0, limited = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(th[i], NULL);
    if (jobs[i].rc == ERR_LOGIN_FAILED) wrong++;
    if (jobs[i].rc == ERR_LOGIN_THROTTLED) limited++;
  }
  pthread_barrier_destroy(&go);
  assert_int_equal(wrong, N); /* exactly N passwords were checked */
  assert_int_equal(limited, THREADS - N);
}

static void test_no_lockout(void **state) {
  next_epoch();
  arena *a = arena_new();
  add_user("victim4");
  char *device = NULL;
  int64_t retry = 0;
  assert_int_equal(try_login(a, "victim4", PW, "192.0.2.40", &device, NULL), ERR_OK);
  /* the attacker's address is blocked after N failures */
  for (int i = 0; i < N; i++)
    assert_int_equal(try_login(a, "victim4", WRONG, "198.51.100.1", NULL, NULL), ERR_LOGIN_FAILED);
  assert_int_equal(try_login(a, "victim4", PW, "198.51.100.1", NULL, NULL), ERR_LOGIN_THROTTLED);
  /* other unknown addresses are spaced W/N apart on this account */
  assert_int_equal(try_login(a, "victim4", PW, "198.51.100.2", NULL, &retry), ERR_LOGIN_THROTTLED);
  assert_int_equal(retry, W / N);
  set_now(NOW + W / N);
  assert_int_equal(try_login(a, "victim4", WRONG, "198.51.100.3", NULL, NULL), ERR_LOGIN_FAILED);
  assert_int_equal(try_login(a, "victim4", WRONG, "198.51.100.4", NULL, &retry), ERR_LOGIN_THROTTLED);
  assert_int_equal(retry, W / N);
  set_now(NOW + W / N + 10);
  /* the real user: their device from anywhere, their known address */
  char *again = device;
  assert_int_equal(try_login(a, "victim4", PW, "203.0.113.9", &again, NULL), ERR_OK);
  assert_string_equal(again, device); /* the same device cookie is renewed */
  assert_int_equal(try_login(a, "victim4", PW, "192.0.2.40", NULL, NULL), ERR_OK);
  /* and the attacker still is not */
  assert_int_equal(try_login(a, "victim4", PW, "198.51.100.1", NULL, NULL), ERR_LOGIN_THROTTLED);
  assert_int_equal(try_login(a, "victim4", PW, "198.51.100.5", NULL, NULL), ERR_LOGIN_THROTTLED);
  arena_free(a);
}

static void test_device(void **state) {
  next_epoch();
  arena *a = arena_new();
  add_user("victim8");
  add_user("victim7");
  char *device = NULL;
  assert_int_equal(try_login(a, "victim8", PW, "192.0.2.80", &device, NULL), ERR_OK);
  /* a device has its own allowance of N */
  char *d2 = device;
  for (int i = 0; i < N; i++)
    assert_int_equal(try_login(a, "victim8", WRONG, "192.0.2.81", &d2, NULL), ERR_LOGIN_FAILED);
  assert_int_equal(try_login(a, "victim8", PW, "192.0.2.82", &d2, NULL), ERR_LOGIN_THROTTLED);
  /* it does not count for another account, nor when tampered with */
  for (int i = 0; i < N; i++)
    assert_int_equal(try_login(a, "victim7", WRONG, "198.51.100.70", NULL, NULL), ERR_LOGIN_FAILED);
  char *other = device;
  assert_int_equal(try_login(a, "victim7", PW, "198.51.100.71", &other, NULL), ERR_LOGIN_THROTTLED);
  char *bad = arena_strdup(a, device);
  bad[5] = bad[5] == 'A' ? 'B' : 'A';
  assert_int_equal(try_login(a, "victim7", PW, "198.51.100.72", &bad, NULL), ERR_LOGIN_THROTTLED);
  arena_free(a);
}

static void test_address(void **state) {
  next_epoch();
  arena *a = arena_new();
  add_user("victim9");
  char *device = NULL;
  assert_int_equal(try_login(a, "victim9", PW, "192.0.2.90", &device, NULL), ERR_OK);
  for (int i = 0; i < 4 * N; i++) {
    char name[32];
    snprintf(name, sizeof name, "nessuno%02d", i);
    assert_int_equal(try_login(a, name, WRONG, "192.0.2.90", NULL, NULL), ERR_LOGIN_FAILED);
  }
  assert_int_equal(try_login(a, "nessuno99", WRONG, "192.0.2.90", NULL, NULL), ERR_LOGIN_THROTTLED);
  /* a known address keeps its own allowance, and so does a device */
  assert_int_equal(try_login(a, "victim9", PW, "192.0.2.90", NULL, NULL), ERR_OK);
  assert_int_equal(try_login(a, "victim9", PW, "192.0.2.90", &device, NULL), ERR_OK);
  /* known addresses are forgotten after 30 days */
  set_now(NOW + 31 * 86400);
  assert_int_equal(auth_prune(D, NOW + 31 * 86400), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM login_known WHERE account = 'victim9'", 0), 0);
  NOW += 31 * 86400;
  arena_free(a);
}

static void test_anon_csrf(void **state) {
  next_epoch();
  arena *a = arena_new();
  const char *cookie = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
  char *tok = auth_anon_csrf_token(a, cookie);
  assert_non_null(tok);
  assert_string_not_equal(tok, cookie);
  assert_true(auth_anon_csrf_ok(cookie, tok, 7200));
  /* the attacker's own pair, another cookie, a tampered token: refused */
  assert_false(auth_anon_csrf_ok(cookie, cookie, 7200));
  assert_false(auth_anon_csrf_ok("Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx6", tok, 7200));
  char *bad = arena_strdup(a, tok);
  bad[20] = bad[20] == 'A' ? 'B' : 'A';
  assert_false(auth_anon_csrf_ok(cookie, bad, 7200));
  assert_false(auth_anon_csrf_ok(cookie, "", 7200));
  assert_false(auth_anon_csrf_ok(cookie, NULL, 7200));
  assert_false(auth_anon_csrf_ok(NULL, tok, 7200));
  /* tokens expire */
  set_now(NOW + 7199);
  assert_true(auth_anon_csrf_ok(cookie, tok, 7200));
  set_now(NOW + 7201);
  assert_false(auth_anon_csrf_ok(cookie, tok, 7200));
  /* and one stamped in the future (another server's clock far ahead) too */
  set_now(NOW + 3600);
  char *future = auth_anon_csrf_token(a, cookie);
  set_now(NOW);
  assert_false(auth_anon_csrf_ok(cookie, future, 7200));
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_key_stored), cmocka_unit_test(test_normalised), cmocka_unit_test(test_parallel),
      cmocka_unit_test(test_no_lockout), cmocka_unit_test(test_device),     cmocka_unit_test(test_address),
      cmocka_unit_test(test_anon_csrf),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

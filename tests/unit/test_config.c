/* Configuration table: defaults, INI file, environment, flags, errors and
 * the dump that hides secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/config.h"

static char tmp_path[64];

/* Writes text to a fresh temporary file; returns its path. */
static const char *write_ini(const char *text) {
  strcpy(tmp_path, "/tmp/sp-test-config-XXXXXX");
  int fd = mkstemp(tmp_path);
  assert_true(fd >= 0);
  size_t n = strlen(text);
  assert_int_equal(write(fd, text, n), (ssize_t)n);
  close(fd);
  return tmp_path;
}

/* Every SPORTELLO_<SECTION>_<KEY> variable, so the host cannot leak in. */
static void clear_env(void) {
  size_t n;
  const cfg_def *d = config_defs(&n);
  for (size_t i = 0; i < n; i++) {
    char name[128];
    snprintf(name, sizeof name, "SPORTELLO_%s_%s", d[i].section, d[i].key);
    for (char *p = name; *p; p++)
      if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    unsetenv(name);
  }
}

static int setup(void **state) {
  (void)state;
  clear_env();
  return 0;
}

/* Loads an INI text; returns config_load's result, message in err. */
static int load_text(const char *text, char *err, size_t errlen) {
  const char *p = write_ini(text);
  int rc = config_load(p, err, errlen);
  unlink(p);
  return rc;
}

static char *dump_to_string(void) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  config_dump(f);
  fclose(f);
  return buf;
}

static void test_defaults_before_load(void **state) {
  (void)state;
  /* runs first: nothing loaded yet */
  assert_int_equal(config_int("server", "threads"), 0);
  assert_string_equal(config_str("server", "listen"), "127.0.0.1:8080");
  assert_false(config_bool("server", "behind_tls"));
  assert_true(config_bool("server", "migrate"));
  assert_string_equal(config_str("security", "secret_key"), "");
}

static void test_defaults(void **state) {
  (void)state;
  char err[256] = "";
  assert_int_equal(config_load(NULL, err, sizeof err), 0);
  assert_string_equal(config_str("server", "listen"), "127.0.0.1:8080");
  assert_int_equal(config_int("server", "threads"), 0);
  assert_int_equal(config_int("server", "connection_limit"), 1000);
  assert_int_equal(config_int("server", "max_body_bytes"), 1048576);
  assert_int_equal(config_int("server", "max_header_bytes"), 16384);
  assert_int_equal(config_int("server", "timeout_seconds"), 15);
  assert_false(config_bool("server", "behind_tls"));
  assert_string_equal(config_str("server", "base_url"), "http://127.0.0.1:8080");
  assert_string_equal(config_str("server", "static_dir"), "web/static");
  assert_true(config_bool("server", "workers"));
  assert_true(config_bool("server", "migrate"));
  assert_string_equal(config_str("database", "url"), "sqlite:var/sportello.db");
  assert_int_equal(config_int("database", "pool_size"), 8);
  assert_string_equal(config_str("security", "secret_key"), "");
  assert_int_equal(config_int("security", "session_ttl_seconds"), 28800);
  assert_int_equal(config_int("security", "login_max_failures"), 5);
  assert_int_equal(config_int("security", "login_window_seconds"), 900);
  assert_string_equal(config_str("log", "level"), "info");
  assert_true(config_bool("log", "access_log"));
}

static void test_file(void **state) {
  (void)state;
  char err[256] = "";
  int rc = load_text("# comment\n"
                     "[server]\n"
                     "threads = 16\n"
                     "behind_tls = yes\n"
                     "listen = [::1]:9090\n"
                     "base_url = https://tributi.comune.example.it\n"
                     "\n; another comment\n"
                     "[database]\n"
                     "url = postgresql://sportello:s3cret@db.example:5432/sportello\n"
                     "[log]\n"
                     "level = debug\n"
                     "access_log = off\n",
                     err, sizeof err);
  if (rc) fail_msg("%s", err);
  assert_int_equal(config_int("server", "threads"), 16);
  assert_true(config_bool("server", "behind_tls"));
  assert_string_equal(config_str("server", "listen"), "[::1]:9090");
  assert_string_equal(config_str("server", "base_url"), "https://tributi.comune.example.it");
  assert_string_equal(config_str("database", "url"), "postgresql://sportello:s3cret@db.example:5432/sportello");
  assert_string_equal(config_str("log", "level"), "debug");
  assert_false(config_bool("log", "access_log"));
  assert_int_equal(config_int("database", "pool_size"), 8); /* untouched keys keep defaults */

  /* a later load starts again from the defaults */
  assert_int_equal(load_text("[server]\nworkers = false\n", err, sizeof err), 0);
  assert_int_equal(config_int("server", "threads"), 0);
  assert_false(config_bool("server", "workers"));
}

/* Loads text that must fail; err must contain needle; config unchanged. */
static void expect_error(const char *text, const char *needle) {
  char err[512] = "";
  assert_int_equal(load_text("[server]\nthreads = 7\n", err, sizeof err), 0);
  if (load_text(text, err, sizeof err) != -1) fail_msg("accepted: %s", text);
  if (!strstr(err, needle)) fail_msg("message '%s' lacks '%s'", err, needle);
  assert_int_equal(config_int("server", "threads"), 7);
}

static void test_file_errors(void **state) {
  (void)state;
  expect_error("[server]\nnonexistent = 1\n", "[server] nonexistent");
  expect_error("[nosection]\nthreads = 1\n", "[nosection] threads");
  expect_error("threads = 1\n", "Chiave sconosciuta");
  expect_error("[server]\nthreads = abc\n", "server.threads");
  expect_error("[server]\nthreads = -1\n", "tra 0 e 256");
  expect_error("[server]\nthreads = 257\n", "server.threads");
  expect_error("[server]\nthreads = 12abc\n", "server.threads");
  expect_error("[server]\nthreads =\n", "server.threads");
  expect_error("[server]\nthreads = 99999999999999999999999\n", "server.threads");
  expect_error("[server]\nmax_body_bytes = 1023\n", "server.max_body_bytes");
  expect_error("[security]\nsession_ttl_seconds = 299\n", "security.session_ttl_seconds");
  expect_error("[server]\nbehind_tls = maybe\n", "server.behind_tls");
  expect_error("[log]\nlevel = verbose\n", "log.level");
  expect_error("[server]\nlisten = 8080\n", "server.listen");
  expect_error("[server]\nlisten = host:70000\n", "server.listen");
  expect_error("[server]\nbase_url = https://example.it/\n", "server.base_url");
  expect_error("[server]\nbase_url = example.it\n", "server.base_url");
  expect_error("[database]\nurl = mysql://x/y\n", "database.url");
  expect_error("[database]\nurl =\n", "database.url");
  expect_error("[server]\nthreads = 4\ngarbage line\n", "riga 3");
  expect_error("[server]\n\nnonexistent = 1\n", "riga 3");
  expect_error("[server]\nthreads = 8 ; inline comments are not comments\n", "server.threads");
  /* the rejected value is not echoed: it could be a secret */
  char err[512];
  assert_int_equal(load_text("[security]\nsecret_key = tooShortSecret\n", err, sizeof err), -1);
  assert_non_null(strstr(err, "security.secret_key"));
  assert_null(strstr(err, "tooShortSecret"));
  /* boundaries are inclusive */
  assert_int_equal(load_text("[server]\nthreads = 256\n[security]\nlogin_window_seconds = 60\n", err, sizeof err),
                   0);
  assert_int_equal(config_int("server", "threads"), 256);
  assert_int_equal(config_int("security", "login_window_seconds"), 60);
}

/* [pagopa]: broker 11 digits, station id characters, allowed_ips CIDRs. */
static void test_pagopa_keys(void **state) {
  (void)state;
  expect_error("[pagopa]\nbroker_id = 1234567890\n", "pagopa.broker_id");
  expect_error("[pagopa]\nbroker_id = 1234567890A\n", "pagopa.broker_id");
  expect_error("[pagopa]\nstation_id = 15376371009 01\n", "pagopa.station_id");
  expect_error("[pagopa]\nallowed_ips = 10.0.0.0/33\n", "pagopa.allowed_ips");
  expect_error("[pagopa]\nallowed_ips = 10.0.0.0/8, nodo.pagopa.it\n", "pagopa.allowed_ips");
  expect_error("[pagopa]\nmax_request_bytes = 100\n", "pagopa.max_request_bytes");
  char err[512];
  assert_int_equal(load_text("[pagopa]\nbroker_id = 15376371009\nstation_id = 15376371009_01\n"
                             "allowed_ips = 10.0.0.0/8, 2001:db8::/32,192.0.2.7\n",
                             err, sizeof err),
                   0);
  assert_string_equal(config_str("pagopa", "broker_id"), "15376371009");
  assert_string_equal(config_str("pagopa", "station_id"), "15376371009_01");
  assert_string_equal(config_str("pagopa", "allowed_ips"), "10.0.0.0/8, 2001:db8::/32,192.0.2.7");
}

static void test_missing_file(void **state) {
  (void)state;
  char err[512] = "";
  assert_int_equal(config_load("/nonexistent/sportello.ini", err, sizeof err), -1);
  assert_non_null(strstr(err, "/nonexistent/sportello.ini"));
}

static void test_long_value(void **state) {
  (void)state;
  char text[2200], dir[1500], err[256];
  memset(dir, 'd', sizeof dir - 1);
  dir[sizeof dir - 1] = 0;
  snprintf(text, sizeof text, "[server]\nstatic_dir = %s\n", dir);
  assert_int_equal(load_text(text, err, sizeof err), 0);
  assert_string_equal(config_str("server", "static_dir"), dir);
}

static void test_env(void **state) {
  (void)state;
  char err[512] = "";
  setenv("SPORTELLO_SERVER_THREADS", "32", 1);
  setenv("SPORTELLO_LOG_ACCESS_LOG", "false", 1);
  setenv("SPORTELLO_SECURITY_SECRET_KEY", "0123456789abcdef0123456789abcdef", 1);
  int rc = load_text("[server]\nthreads = 16\nworkers = false\n", err, sizeof err);
  if (rc) fail_msg("%s", err);
  assert_int_equal(config_int("server", "threads"), 32); /* env beats file */
  assert_false(config_bool("server", "workers"));        /* file beats default */
  assert_false(config_bool("log", "access_log"));
  assert_string_equal(config_str("security", "secret_key"), "0123456789abcdef0123456789abcdef");
  /* a bad environment value is an error naming the variable */
  setenv("SPORTELLO_DATABASE_POOL_SIZE", "1000", 1);
  assert_int_equal(config_load(NULL, err, sizeof err), -1);
  assert_non_null(strstr(err, "database.pool_size"));
  assert_non_null(strstr(err, "SPORTELLO_DATABASE_POOL_SIZE"));
  assert_int_equal(config_int("server", "threads"), 32); /* unchanged after a failed load */
  clear_env();
}

static void test_set(void **state) {
  (void)state;
  char err[512] = "";
  assert_int_equal(config_load(NULL, err, sizeof err), 0);
  assert_int_equal(config_set("server", "threads", "12", err, sizeof err), 0);
  assert_int_equal(config_int("server", "threads"), 12);
  assert_int_equal(config_set("server", "listen", "0.0.0.0:80", err, sizeof err), 0);
  assert_string_equal(config_str("server", "listen"), "0.0.0.0:80");
  assert_int_equal(config_set("server", "threads", "x", err, sizeof err), -1);
  assert_non_null(strstr(err, "server.threads"));
  assert_int_equal(config_int("server", "threads"), 12);
  assert_int_equal(config_set("server", "nope", "1", err, sizeof err), -1);
  assert_non_null(strstr(err, "server.nope"));
  assert_int_equal(config_set("server", "behind_tls", "true", err, sizeof err), 0);
  assert_true(config_bool("server", "behind_tls"));
}

static void test_dump(void **state) {
  (void)state;
  char err[512] = "";
  int rc = load_text("[database]\nurl = postgresql://sportello:Pa55w0rd@db:5432/sp?sslmode=require\n"
                     "[security]\nsecret_key = my-very-secret-signing-key-0123456789\n",
                     err, sizeof err);
  if (rc) fail_msg("%s", err);
  char *out = dump_to_string();
  assert_null(strstr(out, "Pa55w0rd"));
  assert_null(strstr(out, "my-very-secret"));
  assert_non_null(strstr(out, "\nurl = postgresql://sportello:***@db:5432/sp?sslmode=require\n"));
  assert_non_null(strstr(out, "\nsecret_key = (impostato)\n"));
  assert_non_null(strstr(out, "\n[server]\n"));
  assert_non_null(strstr(out, "\nthreads = 0\n"));
  assert_non_null(strstr(out, "\nbehind_tls = false\n"));
  /* every key line is preceded by its comment */
  size_t n;
  const cfg_def *d = config_defs(&n);
  for (size_t i = 0; i < n; i++) {
    char want[512];
    snprintf(want, sizeof want, "# %s\n%s = ", d[i].help_it, d[i].key);
    if (!strstr(out, want)) fail_msg("dump lacks %s.%s with its help", d[i].section, d[i].key);
  }
  free(out);

  assert_int_equal(config_load(NULL, err, sizeof err), 0);
  out = dump_to_string();
  assert_non_null(strstr(out, "\nsecret_key = (non impostato)\n"));
  assert_non_null(strstr(out, "\nurl = sqlite:var/sportello.db\n"));
  free(out);
}

static void test_redact_url(void **state) {
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"postgresql://u:pw@host/db", "postgresql://u:***@host/db"},
      {"postgresql://u:p@ss:w@host:5432/db", "postgresql://u:***@host:5432/db"},
      {"postgresql://u@host/db", "postgresql://u@host/db"},
      {"postgresql://host/db?user=u&password=pw&sslmode=require",
       "postgresql://host/db?user=u&password=***&sslmode=require"},
      {"postgres://u:a@h/d?password=b", "postgres://u:***@h/d?password=***"},
      {"sqlite:var/sportello.db", "sqlite:var/sportello.db"},
      {"sqlite::memory:", "sqlite::memory:"},
      {"postgresql://h/db?mypassword=x", "postgresql://h/db?mypassword=x"},
      {"", ""},
  };
  char out[256];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    config_redact_url(cases[i].in, out, sizeof out);
    assert_string_equal(out, cases[i].out);
  }
  config_redact_url("postgresql://u:pw@host/db", out, 17);
  assert_string_equal(out, "postgresql://u:*");
  config_redact_url(NULL, out, sizeof out);
  assert_string_equal(out, "");
}

/* config/sportello.ini.example names every key, in its section, and
 * loading it gives the defaults. */
static void test_example_file(void **state) {
  (void)state;
  char path[1024], err[512] = "";
  snprintf(path, sizeof path, "%s/config/sportello.ini.example", SOURCE_DIR);
  if (config_load(path, err, sizeof err)) fail_msg("%s", err);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  static char text[65536];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = 0;
  size_t n;
  const cfg_def *d = config_defs(&n);
  for (size_t i = 0; i < n; i++) {
    char sec[64], key[128];
    snprintf(sec, sizeof sec, "\n[%s]\n", d[i].section);
    snprintf(key, sizeof key, "\n%s =", d[i].key);
    const char *s = strstr(text, sec);
    if (!s) fail_msg("example lacks [%s]", d[i].section);
    const char *k = strstr(s, key);
    const char *next = strstr(s + 1, "\n[");
    if (!k || (next && k > next)) fail_msg("example lacks %s.%s in its section", d[i].section, d[i].key);
    if (d[i].type == CFG_STR && !d[i].secret)
      assert_string_equal(config_str(d[i].section, d[i].key), d[i].def);
  }
  assert_int_equal(config_int("server", "threads"), 0);
  assert_string_equal(config_str("security", "secret_key"), "");
}

/* Reading a key that does not exist, or with the wrong type, is a bug and
 * aborts. */
static void test_unknown_key_aborts(void **state) {
  (void)state;
  for (size_t i = 0; i < 2; i++) {
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      freopen("/dev/null", "w", stderr);
      if (i == 0)
        config_str("server", "no_such_key");
      else
        config_int("server", "listen");
      _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(test_defaults_before_load, setup),
      cmocka_unit_test_setup(test_defaults, setup),
      cmocka_unit_test_setup(test_file, setup),
      cmocka_unit_test_setup(test_file_errors, setup),
      cmocka_unit_test_setup(test_pagopa_keys, setup),
      cmocka_unit_test_setup(test_missing_file, setup),
      cmocka_unit_test_setup(test_long_value, setup),
      cmocka_unit_test_setup(test_env, setup),
      cmocka_unit_test_setup(test_set, setup),
      cmocka_unit_test_setup(test_dump, setup),
      cmocka_unit_test_setup(test_redact_url, setup),
      cmocka_unit_test_setup(test_example_file, setup),
      cmocka_unit_test_setup(test_unknown_key_aborts, setup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

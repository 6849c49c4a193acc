/* See fixture.h. */
#include "fixture.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "domain/ente/ente.h"

const actor fx_cli = {"cli", 0};

db *fx_open(testdb *t, const char *name) {
  setenv("SPORTELLO_PWHASH_FAST", "1", 1);
  testdb_init(t, name);
  return testdb_open_migrated(t);
}

void fx_close(testdb *t, db *d) {
  db_close(d);
  testdb_cleanup(t);
}

int64_t fx_count(db *d, const char *sql, int64_t param) {
  db_stmt *st = db_prepare(d, sql);
  if (!st) return -1;
  if (strchr(sql, '?')) db_bind_int(st, 1, param);
  int64_t v = -1;
  if (db_step(st) == DBR_ROW) v = db_col_int(st, 0);
  db_finish(st);
  return v;
}

int64_t fx_audit_count(db *d, const char *action) {
  db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = ?");
  if (!st) return -1;
  db_bind_text(st, 1, action);
  int64_t v = -1;
  if (db_step(st) == DBR_ROW) v = db_col_int(st, 0);
  db_finish(st);
  return v;
}

void fx_audit_ok(db *d) {
  arena *a = arena_new();
  audit_report r = {0};
  err_code rc = audit_verify(d, a, &r);
  if (rc != ERR_OK)
    fprintf(stderr, "audit: %s (row %lld)\n", r.problem ? r.problem : "?",
            (long long)r.first_bad_id);
  assert_int_equal(rc, ERR_OK);
  assert_true(r.rows > 0);
  arena_free(a);
}

void fx_piva(uint32_t seed, char out[12]) {
  /* matricola from seed (never all zero), office 001..100, Luhn digit */
  snprintf(out, 12, "%07u%03u", (unsigned)(seed % 9999999u) + 1u, (unsigned)(seed % 100u) + 1u);
  int sum = 0;
  for (int i = 0; i < 10; i++) {
    int v = out[i] - '0';
    if (i % 2 == 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  out[10] = (char)('0' + (10 - sum % 10) % 10);
  out[11] = 0;
}

void fx_cf(const char *first15, char out[17]) {
  static const int odd[36] = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, /* 0-9 */
                              1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                              20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (int i = 0; i < 15; i++) {
    char c = first15[i];
    int idx = (c >= '0' && c <= '9') ? c - '0' : 10 + (c - 'A');
    int even_val = (c >= '0' && c <= '9') ? c - '0' : c - 'A';
    sum += (i % 2 == 0) ? odd[idx] : even_val;
  }
  memcpy(out, first15, 15);
  out[15] = (char)('A' + sum % 26);
  out[16] = 0;
}

int64_t fx_ente(db *d, const char *slug, uint32_t seed) {
  char fc[12];
  fx_piva(seed, fc);
  ente e = {0};
  e.slug = (char *)slug;
  e.name = (char *)slug;
  e.fiscal_code = fc;
  e.population = 1000;
  int64_t id = 0;
  arena *a = arena_new();
  problems pbs = {0};
  err_code rc = ente_create(d, a, &e, &fx_cli, &id, &pbs);
  for (size_t i = 0; i < pbs.n; i++)
    fprintf(stderr, "fx_ente %s: %s %s\n", slug, pbs.items[i].field ? pbs.items[i].field : "",
            pbs.items[i].message);
  arena_free(a);
  assert_int_equal(rc, ERR_OK);
  assert_true(id > 0);
  return id;
}

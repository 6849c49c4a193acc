/* The debt domain: pagoPA settings, revenue types and the taxonomy, exact
 * transfer splits, act validation (every problem, nothing written), NAVs
 * from the sequence, the derivation through every event with the cache
 * checked against a recomputation, idempotent booking and the single /
 * installment rules, notice lookups, brackets, ledger immutability and
 * Ente isolation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "domain/pagopa/nav.h"
#include "debt_fx.h"
#include "fixture.h"

static testdb T;
static db *D;
static dfx_ente E, E2;
static arena *A;

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1); /* 2027-01-15 */
  D = fx_open(&T, "domain_debt");
  E = dfx_setup(D, "debito-uno", 7001, "07");
  E2 = dfx_setup(D, "debito-due", 7002, "08");
  A = arena_new();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  fx_audit_ok(D);
  arena_free(A);
  fx_close(&T, D);
  return 0;
}

static void test_pagopa_settings(void **state) {
  (void)state;
  debt_pagopa p = {E.ente_id, "7", NULL, NULL, NULL, 0};
  problem pb;
  int64_t audits = fx_audit_count(D, "debt.pagopa");
  assert_int_equal(debt_pagopa_set(D, &p, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "segregation_code");
  p.segregation_code = "07";
  p.cbill = "AB-12";
  assert_int_equal(debt_pagopa_set(D, &p, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "cbill");
  assert_int_equal(fx_audit_count(D, "debt.pagopa"), audits);
  debt_pagopa got;
  assert_int_equal(debt_pagopa_get(D, A, E.ente_id, &got), ERR_OK);
  assert_string_equal(got.segregation_code, "07");
  assert_string_equal(got.cbill, "AB123");
  assert_int_equal(debt_pagopa_get(D, A, 999999, &got), ERR_NOT_FOUND);
  ente e;
  assert_int_equal(ente_resolve(D, A, "debito-uno", &e), ERR_OK);
  assert_int_equal(e.id, E.ente_id);
  assert_int_equal(ente_resolve(D, A, E2.ente_cf, &e), ERR_OK);
  assert_int_equal(e.id, E2.ente_id);
  assert_int_equal(ente_resolve(D, A, "00000000000", &e), ERR_NOT_FOUND);
}

static void test_revenue(void **state) {
  (void)state;
  debt_split s = {"123", "", "IT61X0542811101000000123456", "9/01011IM/", "permille", 1000};
  debt_revenue r = {0};
  r.ente_id = E.ente_id;
  r.code = "bad code!";
  r.taxonomy = "9/0101100im";
  r.iban = "IT60Y0542811101000000123456"; /* wrong CIN */
  r.postal_account = "12a";
  r.splits = &s;
  r.n_splits = 1;
  debt_problems pbs;
  int64_t before = fx_count(D, "SELECT COUNT(*) FROM debt_revenue", 0);
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_INVALID);
  const char *want[] = {"code",
                        "name",
                        "taxonomy",
                        "iban",
                        "postal_account",
                        "splits[0].beneficiary_fiscal_code",
                        "splits[0].beneficiary_name",
                        "splits[0].iban",
                        "splits[0].taxonomy",
                        "splits[0].share"};
  assert_int_equal(pbs.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < pbs.n; i++) assert_string_equal(pbs.items[i].field, want[i]);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_revenue", 0), before);

  debt_revenue dup = {0};
  dup.ente_id = E.ente_id;
  dup.code = "IMU";
  dup.name = "Altra IMU";
  dup.taxonomy = "9/0101100IM/";
  dup.iban = DFX_IBAN;
  assert_int_equal(debt_revenue_add(D, A, &dup, &fx_cli, &pbs), ERR_REVENUE_DUPLICATE);
  assert_string_equal(pbs.items[0].field, "code");
  dup.ente_id = E2.ente_id;
  dup.code = "CANONE";
  dup.spontaneous = 1;
  dup.iban = "IT30O0760103200000012345678";
  dup.postal_account = "123456";
  assert_int_equal(debt_revenue_add(D, A, &dup, &fx_cli, &pbs), ERR_OK);
  debt_revenue *v;
  size_t n;
  assert_int_equal(debt_revenue_list(D, A, E.ente_id, &v, &n), ERR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(v[0].code, "IMU"); /* upper-cased */
  assert_string_equal(v[1].code, "TARI");
  assert_int_equal(v[1].n_splits, 1);
  assert_string_equal(v[1].splits[0].share_kind, "permille_on_top");
  debt_revenue got;
  assert_int_equal(debt_revenue_by_code(D, A, E2.ente_id, "canone", &got), ERR_OK);
  assert_true(got.spontaneous);
  assert_string_equal(got.postal_account, "123456");
  assert_int_equal(debt_revenue_by_code(D, A, E.ente_id, "CANONE", &got), ERR_NOT_FOUND);
}

/* The postal account and its Poste authorisation: validated (nothing
 * written on a problem), stored with the account, updated through a new
 * revenue on the same IBAN or `revenue postal` (audited, only when they
 * change), and handed to the notice only when both are there; another
 * Ente's act is not found. */
static void test_postal(void **state) {
  (void)state;
  debt_revenue r = {0};
  r.ente_id = E.ente_id;
  r.code = "LAMPADE";
  r.name = "Lampade votive";
  r.taxonomy = "9/0114100TS/";
  r.iban = "IT32D0760103200000001234567";
  r.postal_auth = "AUT. DB/SSIC/E 1";
  debt_problems pbs;
  int64_t accounts = fx_count(D, "SELECT COUNT(*) FROM debt_account", 0);
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_INVALID); /* no account */
  assert_int_equal(pbs.n, 1);
  assert_string_equal(pbs.items[0].field, "postal_auth");
  r.postal_account = "1234567";
  r.postal_auth = "AUT.\tDB";
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_INVALID); /* control character */
  assert_string_equal(pbs.items[0].field, "postal_auth");
  char long_auth[DEBT_POSTAL_AUTH_MAX + 2];
  memset(long_auth, 'A', sizeof long_auth - 1);
  long_auth[sizeof long_auth - 1] = 0;
  r.postal_auth = long_auth;
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_INVALID);
  assert_string_equal(pbs.items[0].field, "postal_auth");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_account", 0), accounts);

  long_auth[DEBT_POSTAL_AUTH_MAX] = 0; /* exactly the limit */
  r.postal_auth = long_auth;
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_OK);
  r.id = 0;
  r.code = "LAMPADE2";
  r.postal_auth = " AUT. DB/SSIC/E 12345 DEL 01/01/2026 ";
  int64_t audits = fx_audit_count(D, "debt.account.postal");
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_OK); /* same IBAN: the account updated */
  assert_int_equal(fx_audit_count(D, "debt.account.postal"), audits + 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_account", 0), accounts + 1);
  debt_revenue got;
  assert_int_equal(debt_revenue_by_code(D, A, E.ente_id, "LAMPADE", &got), ERR_OK);
  assert_string_equal(got.postal_account, "1234567");
  assert_string_equal(got.postal_auth, "AUT. DB/SSIC/E 12345 DEL 01/01/2026");
  /* a revenue naming no postal account gets the account's */
  debt_revenue r3 = r;
  r3.id = 0;
  r3.code = "LAMPADE3";
  r3.postal_account = r3.postal_auth = NULL;
  assert_int_equal(debt_revenue_add(D, A, &r3, &fx_cli, &pbs), ERR_OK);
  assert_string_equal(r3.postal_auth, "AUT. DB/SSIC/E 12345 DEL 01/01/2026");
  assert_int_equal(fx_audit_count(D, "debt.account.postal"), audits + 1);

  int64_t tp = dfx_taxpayer(D, E.ente_id, 901);
  debt_act x = dfx_act(D, A, &E, tp, got.id, 5000, 0, "2027-03-31");
  debt_act y = dfx_act(D, A, &E, tp, E.imu_id, 5000, 0, "2027-03-31");
  debt_postal p;
  assert_int_equal(debt_act_postal(D, A, E.ente_id, x.id, &p), ERR_OK);
  assert_string_equal(p.account, "1234567");
  assert_string_equal(p.auth, "AUT. DB/SSIC/E 12345 DEL 01/01/2026");
  assert_int_equal(debt_act_postal(D, A, E.ente_id, y.id, &p), ERR_OK); /* IMU: no postal account */
  assert_null(p.account);
  assert_null(p.auth);
  assert_int_equal(debt_act_postal(D, A, E2.ente_id, x.id, &p), ERR_NOT_FOUND);

  /* revenue postal: the same again writes nothing; an account without the
   * authorisation gives no bollettino; unknown IBAN; removal */
  assert_int_equal(debt_account_postal_set(D, A, E.ente_id, r.iban, "1234567",
                                           "AUT. DB/SSIC/E 12345 DEL 01/01/2026", &fx_cli, &pbs),
                   ERR_OK);
  assert_int_equal(fx_audit_count(D, "debt.account.postal"), audits + 1);
  assert_int_equal(debt_account_postal_set(D, A, E.ente_id, r.iban, NULL, "AUT", &fx_cli, &pbs), ERR_INVALID);
  assert_string_equal(pbs.items[0].field, "postal_auth");
  assert_int_equal(debt_account_postal_set(D, A, E2.ente_id, r.iban, "1", "AUT", &fx_cli, &pbs),
                   ERR_NOT_FOUND);
  assert_int_equal(debt_account_postal_set(D, A, E.ente_id, r.iban, "7654321", NULL, &fx_cli, &pbs), ERR_OK);
  assert_int_equal(fx_audit_count(D, "debt.account.postal"), audits + 2);
  assert_int_equal(debt_act_postal(D, A, E.ente_id, x.id, &p), ERR_OK);
  assert_null(p.account);
  assert_null(p.auth);
  assert_int_equal(debt_account_postal_set(D, A, E.ente_id, r.iban, NULL, NULL, &fx_cli, &pbs), ERR_OK);
  assert_int_equal(debt_revenue_by_code(D, A, E.ente_id, "LAMPADE", &got), ERR_OK);
  assert_null(got.postal_account);
  assert_null(got.postal_auth);
  assert_int_equal(fx_audit_count(D, "debt.account.postal"), audits + 3);
}

/* Every code of the shared taxonomy passes the format check; the file
 * check finds present codes and not a well-formed absent one. */
static void test_taxonomy(void **state) {
  (void)state;
  const char *path = SHARED_DIR "/spec/pagopa/taxonomy/tassonomia_v33.json";
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char buf[1 << 16];
  int checked = 0;
  while (fgets(buf, sizeof buf, f)) {
    char *p = strstr(buf, "\"DATI SPECIFICI DI INCASSO\": \"");
    if (!p) continue;
    p += strlen("\"DATI SPECIFICI DI INCASSO\": \"");
    char *q = strchr(p, '"');
    *q = 0;
    if (debt_taxonomy_check(p)) fail_msg("%s refused", p);
    checked++;
  }
  fclose(f);
  assert_int_equal(checked, 623);
  const char *bad[] = {
      "", "9/0101100IM", "9/0101100im/", "A/0101100IM/", "9-0101100IM/", "9/010110XIM/", "9/0101100IM//"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_non_null(debt_taxonomy_check(bad[i]));
  assert_int_equal(debt_taxonomy_file_has(path, "9/0201102IM/"), 1);
  assert_int_equal(debt_taxonomy_file_has(path, "9/0101199ZZ/"), 0);
  assert_int_equal(debt_taxonomy_file_has("/nonexistent.json", "9/0201102IM/"), -1);
}

/* Transfers and installments always sum exactly. */
static void test_splits_sum(void **state) {
  (void)state;
  debt_revenue tari;
  assert_int_equal(debt_revenue_get(D, A, E.ente_id, E.tari_id, &tari), ERR_OK);
  debt_transfer *t;
  size_t n;
  assert_int_equal(debt_split_amount(A, &tari, E.ente_cf, "Ente", 10500, &t, &n), ERR_OK);
  assert_int_equal(n, 2);
  assert_int_equal(t[0].amount_cents, 10000); /* TARI */
  assert_int_equal(t[1].amount_cents, 500);   /* TEFA 5% on top */
  assert_int_equal(t[0].position, 1);
  assert_string_equal(t[0].iban, DFX_IBAN);
  assert_string_equal(t[1].taxonomy, "9/0201102IM/");
  debt_split sp[4] = {{"1", "a", "x", "y", "permille", 333},
                      {"2", "b", "x", "y", "fixed", 7},
                      {"3", "c", "x", "y", "permille_on_top", 11},
                      {"4", "d", "x", "y", "permille", 1}};
  debt_revenue r = tari;
  r.splits = sp;
  r.n_splits = 4;
  uint64_t seed = 12345;
  for (int k = 0; k < 20000; k++) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    int64_t amount = (int64_t)(seed >> 33) % 5000000 + 3000;
    assert_int_equal(debt_split_amount(A, &r, E.ente_cf, "Ente", amount, &t, &n), ERR_OK);
    assert_int_equal(n, 5);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
      assert_true(t[i].amount_cents > 0);
      sum += t[i].amount_cents;
    }
    assert_int_equal(sum, amount);
    int64_t parts[72], w[72];
    size_t np = 2 + (size_t)(seed % 70);
    for (size_t i = 0; i < np; i++) w[i] = 1 + (int64_t)((seed >> (i % 40)) % 1000);
    debt_split_parts(amount, k % 2 ? w : NULL, np, parts);
    sum = 0;
    for (size_t i = 0; i < np; i++) sum += parts[i];
    assert_int_equal(sum, amount);
  }
  /* the others would leave nothing to the Ente */
  assert_int_equal(debt_split_amount(A, &r, E.ente_cf, "Ente", 8, &t, &n), ERR_TRANSFERS_SUM);
}

static int64_t rows_total(void) {
  return fx_count(D, "SELECT COUNT(*) FROM debt_act", 0) +
         fx_count(D, "SELECT COUNT(*) FROM debt_option", 0) +
         fx_count(D, "SELECT COUNT(*) FROM debt_movement", 0) +
         fx_count(D, "SELECT COUNT(*) FROM audit_log", 0);
}

static void test_act_validation(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 1);
  int64_t other_tp = dfx_taxpayer(D, E2.ente_id, 2);
  int64_t before = rows_total();
  debt_line lines[2] = {{"tax", NULL, 10000}, {"fee", NULL, -5}};
  debt_transfer tr[2] = {{0, "123", NULL, "IT60X0542811101000000123456", NULL, "9/0101100IM/", 60},
                         {0, "00000000000", NULL, "XX", NULL, "bad", 30}};
  debt_option opts[3] = {{0}, {0}, {0}};
  opts[0].amount_cents = 10000;
  opts[0].due_date = "2027-02-30";
  opts[0].transfers = tr;
  opts[0].n_transfers = 2;
  opts[1].installment = 1;
  opts[1].amount_cents = 100;
  opts[1].due_date = "2027-03-01";
  opts[2].installment = 3;
  opts[2].amount_cents = 100;
  opts[2].due_date = "2027-04-01";
  debt_act x = {0};
  x.ente_id = E.ente_id;
  x.taxpayer_id = tp;
  x.revenue_id = E.imu_id;
  x.act_type = "multa";
  x.year = 1900;
  x.description = "  ";
  x.due_date = "2027-13-01";
  x.number = "12 34";
  x.lines = lines;
  x.n_lines = 2;
  debt_problems pbs;
  assert_int_equal(debt_act_create(D, A, &x, &fx_cli, &pbs), ERR_INVALID);
  const char *want[] = {"act_type", "year",          "description",          "due_date",
                        "number",   "lines[1].kind", "lines[1].amount_cents"};
  assert_int_equal(pbs.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < pbs.n; i++) assert_string_equal(pbs.items[i].field, want[i]);
  /* the header fixed: now the options' problems all come out */
  x.act_type = "accertamento";
  x.year = 2026;
  x.description = "IMU 2024 accertamento";
  x.due_date = "2027-03-01";
  x.number = NULL;
  x.n_lines = 1;
  x.options = opts;
  x.n_options = 3;
  assert_int_equal(debt_act_create(D, A, &x, &fx_cli, &pbs), ERR_TRANSFERS_SUM);
  const char *want2[] = {"options[0].due_date",
                         "options[0].transfers[0].beneficiary_fiscal_code",
                         "options[0].transfers[1].beneficiary_fiscal_code",
                         "options[0].transfers[1].iban",
                         "options[0].transfers[1].taxonomy",
                         "options[0].transfers",
                         "options",
                         "options"};
  for (size_t i = 0; i < pbs.n; i++) fprintf(stderr, "# %s\n", pbs.items[i].field);
  assert_int_equal(pbs.n, sizeof want2 / sizeof want2[0]);
  for (size_t i = 0; i < pbs.n; i++) assert_string_equal(pbs.items[i].field, want2[i]);
  x.taxpayer_id = other_tp; /* another Ente's taxpayer */
  x.options = NULL;
  x.n_options = 0;
  assert_int_equal(debt_act_create(D, A, &x, &fx_cli, &pbs), ERR_INVALID);
  assert_string_equal(pbs.items[0].field, "taxpayer_id");
  assert_int_equal(rows_total(), before);
}

static void test_act_create(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 3);
  int64_t audits = fx_audit_count(D, "debt.act.create");
  debt_act x = dfx_act(D, A, &E, tp, E.tari_id, 21000, 3, "2027-03-31");
  assert_true(x.id > 0);
  assert_string_equal(x.state, "issued");
  assert_int_equal(x.residual_cents, 21000);
  assert_int_equal(fx_audit_count(D, "debt.act.create"), audits + 1);
  debt_act g = dfx_get(D, A, E.ente_id, x.id);
  assert_int_equal(g.n_options, 4);
  assert_int_equal(g.charged_cents, 21000);
  assert_string_equal(g.taxpayer_cf, x.taxpayer_cf ? x.taxpayer_cf : g.taxpayer_cf);
  assert_string_equal(g.revenue_code, "TARI");
  for (size_t i = 0; i < g.n_options; i++) {
    const debt_option *o = &g.options[i];
    assert_null(nav_validate(o->nav));
    assert_int_equal(o->nav[0], '3');
    assert_memory_equal(o->nav + 1, "07", 2); /* segregation code */
    assert_string_equal(o->nav + 1, o->iuv);
    assert_string_equal(o->state, "open");
    int64_t sum = 0;
    assert_int_equal(o->n_transfers, 2);
    for (size_t k = 0; k < o->n_transfers; k++) sum += o->transfers[k].amount_cents;
    assert_int_equal(sum, o->amount_cents);
  }
  assert_int_equal(g.options[1].amount_cents + g.options[2].amount_cents + g.options[3].amount_cents, 21000);
  /* automatic numbers per type and year; a hand number moves the counter */
  debt_act y = dfx_act(D, A, &E, tp, E.imu_id, 5000, 0, "2027-03-31");
  assert_int_equal(atoi(y.number), atoi(x.number) + 1);
  y.id = 0;
  y.number = "40";
  y.options = NULL;
  y.n_options = 0;
  debt_problems pbs;
  assert_int_equal(debt_act_create(D, A, &y, &fx_cli, &pbs), ERR_OK);
  debt_act z = dfx_act(D, A, &E, tp, E.imu_id, 5000, 0, "2027-03-31");
  assert_string_equal(z.number, "41");
  y.id = 0;
  y.options = NULL;
  y.n_options = 0;
  assert_int_equal(debt_act_create(D, A, &y, &fx_cli, &pbs), ERR_ACT_DUPLICATE);
  assert_string_equal(pbs.items[0].field, "number");
  /* explicit transfers are kept when they sum up */
  debt_transfer tr[2] = {{0, E.ente_cf, NULL, DFX_IBAN, NULL, "9/0101100IM/", 3000},
                         {0, E2.ente_cf, NULL, DFX_IBAN2, NULL, "9/0101100IM/", 2000}};
  debt_option o1 = {0};
  o1.amount_cents = 5000;
  o1.due_date = "2027-03-31";
  o1.transfers = tr;
  o1.n_transfers = 2;
  y.number = NULL;
  y.options = &o1;
  y.n_options = 1;
  assert_int_equal(debt_act_create(D, A, &y, &fx_cli, &pbs), ERR_OK);
  g = dfx_get(D, A, E.ente_id, y.id);
  assert_int_equal(g.options[0].transfers[1].amount_cents, 2000);
  assert_string_equal(g.options[0].transfers[1].beneficiary_cf, E2.ente_cf);
  /* an Ente without pagoPA settings cannot issue notices */
  int64_t bare = fx_ente(D, "senza-pagopa", 7099);
  debt_revenue br = {0};
  br.ente_id = bare;
  br.code = "IMU";
  br.name = "IMU";
  br.taxonomy = "9/0101100IM/";
  br.iban = DFX_IBAN;
  assert_int_equal(debt_revenue_add(D, A, &br, &fx_cli, &pbs), ERR_OK);
  debt_act w = {0};
  debt_line wl = {"tax", NULL, 100};
  w.ente_id = bare;
  w.taxpayer_id = dfx_taxpayer(D, bare, 4);
  w.revenue_id = br.id;
  w.act_type = "bonario";
  w.year = 2026;
  w.description = "x";
  w.due_date = "2027-03-31";
  w.lines = &wl;
  w.n_lines = 1;
  int64_t before = rows_total();
  assert_int_equal(debt_act_create(D, A, &w, &fx_cli, &pbs), ERR_PAGOPA_SETUP);
  assert_int_equal(rows_total(), before);
  dfx_cache_ok(D, E.ente_id, x.id);
}

static debt_booking pay(int64_t ente_id, const char *nav, int64_t cents, const char *channel, const char *ref,
                        err_code want) {
  debt_payment p = {0};
  p.nav = nav;
  p.amount_cents = cents;
  p.channel = channel;
  p.reference = ref;
  p.evidence = "test";
  debt_booking b;
  assert_int_equal(debt_book_payment(D, A, ente_id, &p, &fx_cli, &b), want);
  return b;
}

static void expect_notice(const char *nav, err_code want) {
  debt_notice n;
  assert_int_equal(debt_notice_lookup(D, A, E.ente_id, nav, "2027-01-15", &n), want);
}

/* issued -> notified -> partly paid -> partial relief (reissued) -> plan
 * -> installment paid -> coattivo; and paid, overpaid and refunded,
 * relieved, refunded, cancelled, compensated. Cache checked at each step. */
static void test_state_derivation(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 10);
  debt_act x = dfx_act(D, A, &E, tp, E.imu_id, 100000, 0, "2027-02-28");
  const char *nav0 = x.options[0].nav;
  assert_int_equal(debt_act_event(D, A, E.ente_id, x.id, "notified", "2027-01-10", NULL, &fx_cli), ERR_OK);
  debt_act g = dfx_get(D, A, E.ente_id, x.id);
  assert_string_equal(g.state, "notified");
  assert_string_equal(g.notification_date, "2027-01-10");
  dfx_cache_ok(D, E.ente_id, x.id);
  pay(E.ente_id, nav0, 30000, "counter", "CASSA-1", ERR_OK);
  g = dfx_get(D, A, E.ente_id, x.id);
  assert_string_equal(g.state, "partly_paid");
  assert_int_equal(g.residual_cents, 70000);
  expect_notice(nav0, ERR_OK);
  debt_notice nt;
  assert_int_equal(debt_notice_lookup(D, A, E.ente_id, nav0, "2027-01-15", &nt), ERR_OK);
  assert_int_equal(nt.due_today, 70000);
  dfx_cache_ok(D, E.ente_id, x.id);
  /* partial relief: the open option is reissued for the new residual */
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, x.id, 20000, "sgravio parziale", &fx_cli), ERR_OK);
  g = dfx_get(D, A, E.ente_id, x.id);
  assert_int_equal(g.residual_cents, 50000);
  assert_int_equal(g.n_options, 2);
  assert_string_equal(g.options[0].state, "replaced");
  assert_int_equal(g.options[1].amount_cents, 50000);
  assert_int_equal(g.options[1].generation, 2);
  expect_notice(nav0, ERR_NOTICE_CANCELLED);
  expect_notice(g.options[1].nav, ERR_OK);
  dfx_cache_ok(D, E.ente_id, x.id);
  /* plan: 50000 is in the 100.01-500.00 bracket of the default: 2..4 */
  debt_problems pbs;
  assert_int_equal(debt_act_plan(D, A, E.ente_id, x.id, 5, "2027-02-28", &fx_cli, &pbs), ERR_INSTALLMENTS);
  assert_string_equal(pbs.items[0].field, "installments");
  assert_int_equal(debt_act_plan(D, A, E.ente_id, x.id, 0, "2027-01-31", &fx_cli, &pbs), ERR_OK);
  g = dfx_get(D, A, E.ente_id, x.id);
  assert_string_equal(g.state, "installments");
  assert_int_equal(g.n_options, 6);
  assert_string_equal(g.options[2].due_date, "2027-01-31");
  assert_string_equal(g.options[3].due_date, "2027-02-28"); /* month end kept */
  assert_string_equal(g.options[5].due_date, "2027-04-30");
  assert_int_equal(g.options[2].amount_cents, 12500);
  dfx_cache_ok(D, E.ente_id, x.id);
  pay(E.ente_id, g.options[2].nav, 12500, "pagopa", "RT-INST-1", ERR_OK);
  g = dfx_get(D, A, E.ente_id, x.id);
  assert_string_equal(g.state, "installments");
  assert_string_equal(g.options[2].state, "paid");
  assert_string_equal(g.options[3].state, "open");
  expect_notice(g.options[2].nav, ERR_NOTICE_PAID);
  assert_int_equal(debt_act_event(D, A, E.ente_id, x.id, "coattivo", NULL, "ruolo", &fx_cli), ERR_OK);
  g = dfx_get(D, A, E.ente_id, x.id);
  assert_string_equal(g.state, "coattivo");
  expect_notice(g.options[3].nav, ERR_NOTICE_EXPIRED);
  assert_int_equal(debt_act_event(D, A, E.ente_id, x.id, "coattivo", NULL, NULL, &fx_cli), ERR_ACT_STATE);
  dfx_cache_ok(D, E.ente_id, x.id);

  /* paid, then overpaid (flagged), refunded back to paid */
  debt_act y = dfx_act(D, A, &E, tp, E.imu_id, 20000, 0, "2027-02-28");
  debt_booking b = pay(E.ente_id, y.options[0].nav, 20000, "pagopa", "RT-Y-1", ERR_OK);
  assert_string_equal(b.state, "paid");
  assert_int_equal(b.to_refund, 0);
  b = pay(E.ente_id, y.options[0].nav, 20000, "bank_transfer", "CRO-Y-2", ERR_OK);
  assert_string_equal(b.state, "paid");
  assert_int_equal(b.to_refund, 20000);
  assert_int_equal(debt_record_refund(D, A, E.ente_id, y.id, 20001, NULL, "troppo", &fx_cli), ERR_INVALID);
  assert_int_equal(debt_record_refund(D, A, E.ente_id, y.id, 20000, "BON-1", "rimborso", &fx_cli), ERR_OK);
  assert_int_equal(debt_record_refund(D, A, E.ente_id, y.id, 20000, "BON-1", "rimborso", &fx_cli),
                   ERR_OK); /* same reference: nothing more */
  g = dfx_get(D, A, E.ente_id, y.id);
  assert_string_equal(g.state, "paid");
  assert_int_equal(g.residual_cents, 0);
  assert_int_equal(debt_act_cancel(D, A, E.ente_id, y.id, "annullo", &fx_cli), ERR_ACT_STATE);
  dfx_cache_ok(D, E.ente_id, y.id);
  /* whole relief after payment: relieved with a credit, refunded */
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, y.id, 0, "non dovuto", &fx_cli), ERR_OK);
  g = dfx_get(D, A, E.ente_id, y.id);
  assert_string_equal(g.state, "relieved");
  assert_int_equal(g.residual_cents, -20000);
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, y.id, 0, "ancora", &fx_cli), ERR_ACT_STATE);
  assert_int_equal(debt_record_refund(D, A, E.ente_id, y.id, 20000, NULL, "rimborso", &fx_cli), ERR_OK);
  g = dfx_get(D, A, E.ente_id, y.id);
  assert_string_equal(g.state, "refunded");
  expect_notice(y.options[0].nav, ERR_NOTICE_PAID);
  dfx_cache_ok(D, E.ente_id, y.id);

  /* cancelled with part paid; relief whole without payments */
  debt_act c = dfx_act(D, A, &E, tp, E.imu_id, 9000, 0, "2027-02-28");
  pay(E.ente_id, c.options[0].nav, 1000, "f24", NULL, ERR_OK);
  assert_int_equal(debt_act_cancel(D, A, E.ente_id, c.id, "  ", &fx_cli), ERR_INVALID);
  assert_int_equal(debt_act_cancel(D, A, E.ente_id, c.id, "autotutela", &fx_cli), ERR_OK);
  g = dfx_get(D, A, E.ente_id, c.id);
  assert_string_equal(g.state, "cancelled");
  assert_int_equal(g.residual_cents, 0);
  expect_notice(c.options[0].nav, ERR_NOTICE_CANCELLED);
  assert_int_equal(debt_act_cancel(D, A, E.ente_id, c.id, "di nuovo", &fx_cli), ERR_ACT_STATE);
  dfx_cache_ok(D, E.ente_id, c.id);
  debt_act r = dfx_act(D, A, &E, tp, E.imu_id, 7000, 0, "2027-02-28");
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, r.id, 7001, "troppo", &fx_cli), ERR_INVALID);
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, r.id, 0, "sgravio totale", &fx_cli), ERR_OK);
  g = dfx_get(D, A, E.ente_id, r.id);
  assert_string_equal(g.state, "relieved");
  assert_int_equal(g.residual_cents, 0);
  expect_notice(r.options[0].nav, ERR_NOTICE_CANCELLED);
  dfx_cache_ok(D, E.ente_id, r.id);

  /* compensation: a credit of one act pays another of the same taxpayer */
  debt_act k1 = dfx_act(D, A, &E, tp, E.imu_id, 5000, 0, "2027-02-28");
  debt_act k2 = dfx_act(D, A, &E, tp, E.imu_id, 3000, 0, "2027-02-28");
  pay(E.ente_id, k1.options[0].nav, 9000, "bank_transfer", "CRO-K1", ERR_OK);
  assert_int_equal(debt_compensate(D, A, E.ente_id, k1.id, k2.id, 4001, "x", &fx_cli), ERR_ACT_STATE);
  assert_int_equal(debt_compensate(D, A, E.ente_id, k1.id, k2.id, 3000, "compensazione", &fx_cli), ERR_OK);
  assert_string_equal(dfx_get(D, A, E.ente_id, k1.id).state, "paid");
  assert_int_equal(dfx_get(D, A, E.ente_id, k1.id).residual_cents, -1000);
  assert_string_equal(dfx_get(D, A, E.ente_id, k2.id).state, "paid");
  assert_int_equal(dfx_get(D, A, E.ente_id, k2.id).residual_cents, 0);
  dfx_cache_ok(D, E.ente_id, k1.id);
  dfx_cache_ok(D, E.ente_id, k2.id);
}

/* A booking is idempotent on its reference; the single payment and the
 * installments exclude each other; the right fault for each notice. */
static void test_booking(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 20);
  debt_act x = dfx_act(D, A, &E, tp, E.tari_id, 30000, 3, "2027-03-31");
  int64_t mv = fx_count(D, "SELECT COUNT(*) FROM debt_movement", 0);
  debt_booking b1 = pay(E.ente_id, x.options[0].nav, 30000, "pagopa", "RT-1", ERR_OK);
  debt_booking b2 = pay(E.ente_id, x.options[0].nav, 30000, "pagopa", "RT-1", ERR_OK);
  assert_false(b1.duplicate);
  assert_true(b2.duplicate);
  assert_int_equal(b1.movement_id, b2.movement_id);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_movement", 0), mv + 1);
  debt_act g = dfx_get(D, A, E.ente_id, x.id);
  assert_string_equal(g.state, "paid");
  assert_string_equal(g.options[0].state, "paid");
  for (int i = 1; i <= 3; i++) {
    assert_string_equal(g.options[i].state, "superseded");
    expect_notice(g.options[i].nav, ERR_NOTICE_PAID);
  }
  /* an installment first: the single payment is no longer payable */
  debt_act y = dfx_act(D, A, &E, tp, E.tari_id, 30000, 3, "2027-03-31");
  pay(E.ente_id, y.options[1].nav, y.options[1].amount_cents, "pagopa", "RT-2", ERR_OK);
  g = dfx_get(D, A, E.ente_id, y.id);
  assert_string_equal(g.state, "partly_paid");
  assert_string_equal(g.options[0].state, "superseded");
  expect_notice(g.options[0].nav, ERR_NOTICE_CANCELLED);
  expect_notice(g.options[2].nav, ERR_OK);
  /* a receipt for a superseded single payment still books (money is never
   * lost) and the overpayment is flagged */
  debt_booking b3 = pay(E.ente_id, y.options[0].nav, 30000, "pagopa", "RT-3", ERR_OK);
  assert_int_equal(b3.to_refund, y.options[1].amount_cents);
  /* faults */
  expect_notice("301000000000000000", ERR_NOTICE_UNKNOWN); /* bad check digits */
  char nav[19], iuv[18];
  assert_int_equal(nav_build_aux3(7, 9999999999ULL, iuv, nav), ERR_OK);
  expect_notice(nav, ERR_NOTICE_UNKNOWN);
  pay(E.ente_id, nav, 100, "pagopa", "RT-X", ERR_NOTICE_UNKNOWN);
  pay(E.ente_id, x.options[0].nav, 100, "pagopa", NULL, ERR_INVALID); /* pagoPA needs a ref */
  pay(E.ente_id, x.options[0].nav, 0, "counter", NULL, ERR_INVALID);
  pay(E.ente_id, x.options[0].nav, 100, "cash", NULL, ERR_INVALID);
  /* another Ente does not see this notice */
  debt_notice n;
  assert_int_equal(debt_notice_lookup(D, A, E2.ente_id, x.options[1].nav, "2027-01-15", &n),
                   ERR_NOTICE_UNKNOWN);
  pay(E2.ente_id, x.options[1].nav, 100, "pagopa", "RT-E2", ERR_NOTICE_UNKNOWN);
  /* expiry by valid_until */
  debt_act z = {0};
  debt_line l = {"sanction", "verbale", 4200};
  debt_option o = {0};
  o.amount_cents = 4200;
  o.due_date = "2027-01-10";
  o.valid_until = "2027-01-14";
  z.ente_id = E.ente_id;
  z.taxpayer_id = tp;
  z.revenue_id = E.imu_id;
  z.act_type = "verbale";
  z.year = 2027;
  z.description = "Verbale 1";
  z.due_date = "2027-01-10";
  z.lines = &l;
  z.n_lines = 1;
  z.options = &o;
  z.n_options = 1;
  debt_problems pbs;
  assert_int_equal(debt_act_create(D, A, &z, &fx_cli, &pbs), ERR_OK);
  expect_notice(o.nav, ERR_NOTICE_EXPIRED);
  assert_int_equal(debt_notice_lookup(D, A, E.ente_id, o.nav, "2027-01-14", &n), ERR_OK);
  assert_int_equal(n.due_today, 4200);
  assert_true(n.option->n_transfers >= 1); /* the option's transfers are read, the lines are not */
  int64_t sum = 0;
  for (size_t i = 0; i < n.option->n_transfers; i++) sum += n.option->transfers[i].amount_cents;
  assert_int_equal(sum, n.option->amount_cents);
  assert_int_equal(n.act.n_lines, 0);
  assert_int_equal(debt_notice_lookup(D, A, E.ente_id, o.iuv, "2027-01-14", &n), ERR_OK);
  dfx_cache_ok(D, E.ente_id, x.id);
  dfx_cache_ok(D, E.ente_id, y.id);
}

static void test_find(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 30);
  debt_act x = dfx_act(D, A, &E, tp, E.imu_id, 1234, 2, "2027-06-16");
  debt_act *v;
  size_t n;
  debt_query q = {0};
  q.nav = x.options[2].nav;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(v[0].id, x.id);
  char grouped[NAV_GROUPED_SIZE];
  nav_format_grouped(x.options[1].nav, grouped);
  q.nav = grouped;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(debt_find(D, A, E2.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 0);
  q = (debt_query){0};
  q.iuv = x.options[0].iuv;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 1);
  q = (debt_query){0};
  debt_act g = dfx_get(D, A, E.ente_id, x.id);
  q.fiscal_code = g.taxpayer_cf;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 1);
  q.number = x.number;
  q.year = 2026;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 1);
  q.year = 2025;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 0);
  q = (debt_query){0};
  q.nav = "not a nav";
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &n), ERR_OK);
  assert_int_equal(n, 0);
}

/* The default brackets are the shared L. 160/2019 table; an Ente's own
 * replace them; bad tables are refused. */
static void test_brackets(void **state) {
  (void)state;
  FILE *f = fopen(SHARED_DIR "/data/rateizzazione_l160_2019_c796.csv", "r");
  assert_non_null(f);
  static char text[8192];
  size_t len = fread(text, 1, sizeof text - 1, f);
  text[len] = 0;
  fclose(f);
  debt_bracket *file, *db_rows;
  size_t nf, nd;
  problem pb;
  assert_int_equal(debt_brackets_parse_csv(A, text, &file, &nf, &pb), ERR_OK);
  int own = -1;
  assert_int_equal(debt_brackets_get(D, A, E.ente_id, &db_rows, &nd, &own), ERR_OK);
  assert_int_equal(own, 0);
  assert_int_equal(nf, nd);
  assert_int_equal(nf, 6);
  for (size_t i = 0; i < nf; i++) {
    assert_int_equal(file[i].from_cents, db_rows[i].from_cents);
    assert_int_equal(file[i].to_cents, db_rows[i].to_cents);
    assert_int_equal(file[i].min_installments, db_rows[i].min_installments);
    assert_int_equal(file[i].max_installments, db_rows[i].max_installments);
  }
  assert_int_equal(debt_bracket_for(db_rows, nd, 10000)->max_installments, 0);
  assert_int_equal(debt_bracket_for(db_rows, nd, 10001)->max_installments, 4);
  assert_int_equal(debt_bracket_for(db_rows, nd, 600001)->min_installments, 25);
  assert_int_equal(debt_bracket_for(db_rows, nd, 9000000000)->max_installments, 72);
  /* an Ente's own, more generous table */
  const char *own_csv =
      "amount_from_eur,amount_to_eur,min_installments,max_installments,note\n"
      "0.00,50.00,0,0,x\n50.01,,2,10,y\n";
  debt_bracket *b;
  size_t nb;
  assert_int_equal(debt_brackets_parse_csv(A, own_csv, &b, &nb, &pb), ERR_OK);
  assert_int_equal(debt_brackets_set(D, E2.ente_id, b, nb, &fx_cli, &pb), ERR_OK);
  assert_int_equal(debt_brackets_get(D, A, E2.ente_id, &db_rows, &nd, &own), ERR_OK);
  assert_int_equal(own, 1);
  assert_int_equal(nd, 2);
  int64_t tp = dfx_taxpayer(D, E2.ente_id, 40);
  debt_act x = dfx_act(D, A, &E2, tp, E2.imu_id, 8000, 0, "2027-02-28");
  debt_problems pbs;
  assert_int_equal(debt_act_plan(D, A, E2.ente_id, x.id, 11, "2027-02-28", &fx_cli, &pbs), ERR_INSTALLMENTS);
  assert_int_equal(debt_act_plan(D, A, E2.ente_id, x.id, 10, "2027-02-28", &fx_cli, &pbs), ERR_OK);
  assert_int_equal(dfx_get(D, A, E2.ente_id, x.id).n_options, 11);
  /* the default refuses a plan for 80.00 */
  debt_act y = dfx_act(D, A, &E, dfx_taxpayer(D, E.ente_id, 41), E.imu_id, 8000, 0, "2027-02-28");
  assert_int_equal(debt_act_plan(D, A, E.ente_id, y.id, 0, "2027-02-28", &fx_cli, &pbs), ERR_INSTALLMENTS);
  /* bad tables */
  const char *bad[] = {
      "amount_from_eur,amount_to_eur,min_installments,max_installments\n"
      "0.00,50.00,0,0\n60.00,,2,10\n", /* gap */
      "amount_from_eur,amount_to_eur,min_installments,max_installments\n"
      "0.00,,0,0\n50.01,,2,10\n", /* open-ended not last */
      "amount_from_eur,amount_to_eur,min_installments,max_installments\n"
      "0.00,,5,2\n", /* min > max */
      "amount_from_eur,amount_to_eur,min_installments,max_installments\n"
      "0,50,0,0\n", /* euros with two decimals */
      "from,to\n0.00,,1,2\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(debt_brackets_parse_csv(A, bad[i], &b, &nb, &pb), ERR_INVALID);
  /* back to the default */
  assert_int_equal(debt_brackets_set(D, E2.ente_id, NULL, 0, &fx_cli, &pb), ERR_OK);
  assert_int_equal(debt_brackets_get(D, A, E2.ente_id, &db_rows, &nd, &own), ERR_OK);
  assert_int_equal(own, 0);
}

/* No statement anywhere in the sources changes or removes a ledger or
 * event row, and rows written earlier are byte for byte the same after
 * every operation of the other tests. */
static void test_ledger_immutable(void **state) {
  (void)state;
  const char *cmd =
      "grep -rniE '(update|delete from|replace into|insert or replace into)"
      "[[:space:]]+debt_(movement|event)' " SOURCE_DIR "/src";
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char line[512];
  int hits = 0;
  while (fgets(line, sizeof line, p)) {
    fprintf(stderr, "# %s", line);
    hits++;
  }
  pclose(p);
  assert_int_equal(hits, 0);
  /* the grep itself finds a planted statement */
  p = popen(
      "printf 'x \"UPDATE debt_movement SET\"' | grep -ciE "
      "'(update|delete from)[[:space:]]+debt_(movement|event)'",
      "r");
  assert_non_null(fgets(line, sizeof line, p));
  pclose(p);
  assert_int_equal(atoi(line), 1);
  /* snapshot, operate, compare the prefix */
  int64_t tp = dfx_taxpayer(D, E.ente_id, 50);
  debt_act x = dfx_act(D, A, &E, tp, E.imu_id, 60000, 0, "2027-02-28");
  pay(E.ente_id, x.options[0].nav, 1000, "counter", "IMM-1", ERR_OK);
  debt_movement *m1;
  size_t n1;
  assert_int_equal(debt_act_movements(D, A, E.ente_id, x.id, &m1, &n1), ERR_OK);
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, x.id, 2000, "parziale", &fx_cli), ERR_OK);
  debt_problems pbs;
  assert_int_equal(debt_act_plan(D, A, E.ente_id, x.id, 5, "2027-03-01", &fx_cli, &pbs), ERR_OK);
  assert_int_equal(debt_act_cancel(D, A, E.ente_id, x.id, "fine", &fx_cli), ERR_OK);
  debt_movement *m2;
  size_t n2;
  assert_int_equal(debt_act_movements(D, A, E.ente_id, x.id, &m2, &n2), ERR_OK);
  assert_int_equal(n2, n1 + 2);
  for (size_t i = 0; i < n1; i++) {
    assert_int_equal(m1[i].id, m2[i].id);
    assert_string_equal(m1[i].kind, m2[i].kind);
    assert_int_equal(m1[i].amount_cents, m2[i].amount_cents);
    assert_int_equal(m1[i].option_id, m2[i].option_id);
    assert_int_equal(m1[i].at, m2[i].at);
  }
  debt_event *ev;
  size_t ne;
  assert_int_equal(debt_act_events(D, A, E.ente_id, x.id, &ev, &ne), ERR_OK);
  assert_int_equal(ne, 2);
  assert_string_equal(ev[0].kind, "plan");
  assert_string_equal(ev[1].kind, "cancelled");
  dfx_cache_ok(D, E.ente_id, x.id);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pagopa_settings), cmocka_unit_test(test_revenue),
      cmocka_unit_test(test_postal),          cmocka_unit_test(test_taxonomy),
      cmocka_unit_test(test_splits_sum),      cmocka_unit_test(test_act_validation),
      cmocka_unit_test(test_act_create),      cmocka_unit_test(test_state_derivation),
      cmocka_unit_test(test_booking),         cmocka_unit_test(test_find),
      cmocka_unit_test(test_brackets),        cmocka_unit_test(test_ledger_immutable),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* The portal domain on both backends: the rule tables the migration seeds
 * (legal rates equal to ../shared/data/legal_interest_rates.csv) and the
 * ravvedimento computed with them equal to the cent to every row of
 * ../shared/data/ravvedimento_worked_examples.csv; settings (host, spread
 * bounds, logo), delegations, payment channels in decreasing fee order,
 * citizen sessions (expiry, sign-out), OIDC sign-ins used once, the
 * statement at a date (residual and interest from the ledger), acts of
 * another taxpayer invisible, traffic fines and their bands, spontaneous
 * payments only for allowed revenues. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/csv.h"
#include "core/date.h"
#include "debt_fx.h"
#include "db/db_internal.h"
#include "domain/portal/ledger_cache.h"
#include "domain/portal/portal.h"
#include "fixture.h"

static testdb T;
static db *D;
static dfx_ente E, E2;
static arena *A;

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1); /* 2027-01-15 */
  D = fx_open(&T, "domain_portal");
  E = dfx_setup(D, "portale-uno", 8101, "11");
  E2 = dfx_setup(D, "portale-due", 8102, "12");
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

static int pct_bp(const char *s) {
  int whole = atoi(s), frac = 0, digits = 0;
  const char *dot = strchr(s, '.');
  if (dot)
    for (const char *p = dot + 1; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
      frac = frac * 10 + (*p - '0');
  while (digits++ < 2) frac *= 10;
  return whole * 100 + frac;
}

static int64_t eur(const char *s) {
  long long w = atoll(s);
  const char *dot = strchr(s, '.');
  return w * 100 + (dot ? (dot[1] - '0') * 10 + (dot[2] ? dot[2] - '0' : 0) : 0);
}

static void test_rates_seeded_from_shared_table(void **state) {
  (void)state;
  interest_rate *r;
  size_t n;
  assert_int_equal(portal_rates(D, A, &r, &n), ERR_OK);
  FILE *f = csv_open("legal_interest_rates.csv");
  assert_non_null(f);
  char line[2048], *fl[16];
  size_t rows = 0;
  while (fgets(line, sizeof line, f)) {
    if (csv_split(line, fl, 16) < 2) continue;
    int year = atoi(fl[0]), found = 0;
    for (size_t i = 0; i < n; i++)
      if (r[i].year == year) {
        assert_int_equal(r[i].rate_bp, pct_bp(fl[1]));
        found = 1;
      }
    if (!found) fail_msg("year %d of the shared table is not in legal_interest_rate", year);
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, n);
}

static void test_ravvedimento_worked_examples(void **state) {
  (void)state;
  interest_rate *rates;
  ravv_band *bands;
  size_t nr, nb;
  assert_int_equal(portal_rates(D, A, &rates, &nr), ERR_OK);
  assert_int_equal(portal_ravv_bands(D, A, &bands, &nb), ERR_OK);
  FILE *f = csv_open("ravvedimento_worked_examples.csv");
  assert_non_null(f);
  char line[4096], *fl[20];
  int rows = 0, ravv = 0;
  while (fgets(line, sizeof line, f)) {
    if (csv_split(line, fl, 20) < 14) continue;
    civil_date due, pay;
    assert_int_equal(date_parse_iso(fl[2], &due), 0);
    assert_int_equal(date_parse_iso(fl[3], &pay), 0);
    int64_t tax = eur(fl[1]);
    if (strcmp(fl[4], "n/a") != 0) {
      ravv_result r;
      assert_int_equal(ravv_compute(tax, due, pay, bands, nb, rates, nr, &r), 0);
      assert_string_equal(r.band->regime, fl[4]);
      if (strncmp(fl[6], r.band->band, strlen(r.band->band)) != 0)
        fail_msg("%s: band %s, table %s", fl[0], r.band->band, fl[6]);
      assert_int_equal(r.days_late, atoi(fl[5]));
      if (r.sanction_cents != eur(fl[9]))
        fail_msg("%s: sanction %lld, table %s", fl[0], (long long)r.sanction_cents, fl[9]);
      if (r.interest_cents != eur(fl[12]))
        fail_msg("%s: interest %lld, table %s", fl[0], (long long)r.interest_cents, fl[12]);
      if (r.total_cents != eur(fl[13]))
        fail_msg("%s: total %lld, table %s", fl[0], (long long)r.total_cents, fl[13]);
      ravv++;
    } else {
      interest_result ir;
      int spread = strstr(fl[0], "+ 3 points") ? 300 : 0;
      assert_int_equal(interest_compute(tax, due, pay, rates, nr, spread, &ir), 0);
      assert_int_equal(ir.cents, eur(fl[12]));
    }
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 7);
  assert_int_equal(ravv, 5);
  /* the nominal deadline that fell on a Sunday gives the same as the
   * effective one once moved, and a payment on the deadline is not late */
  ravv_result r;
  assert_int_equal(
      ravv_compute(100000, (civil_date){2024, 6, 17}, (civil_date){2024, 6, 17}, bands, nb, rates, nr, &r),
      -1);
}

static void test_settings(void **state) {
  (void)state;
  portal_settings s;
  assert_int_equal(portal_settings_get(D, A, E.ente_id, &s), ERR_OK);
  assert_int_equal(s.spread_bp, 0);
  assert_null(s.host);
  problem pb = {0};
  s.host = "Tributi.Portale-Uno.example.IT";
  s.spread_bp = 301;
  assert_int_equal(portal_settings_set(D, A, &s, NULL, 0, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "spread");
  s.spread_bp = 150;
  s.coattivo_url = "http://insecure.example.org";
  assert_int_equal(portal_settings_set(D, A, &s, NULL, 0, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "coattivo_url");
  s.coattivo_url = "https://coattivo.example.org/uno";
  assert_int_equal(portal_settings_set(D, A, &s, "GIF89a", 6, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "logo");
  static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
  assert_int_equal(portal_settings_set(D, A, &s, png, sizeof png, &fx_cli, &pb), ERR_OK);
  ente e;
  assert_int_equal(portal_ente_by_host(D, A, "tributi.portale-uno.example.it:8443", &e), ERR_OK);
  assert_int_equal(e.id, E.ente_id);
  assert_int_equal(portal_ente_by_host(D, A, "altro.example.it", &e), ERR_NOT_FOUND);
  /* the host belongs to one Ente */
  portal_settings s2 = {.ente_id = E2.ente_id, .host = "tributi.portale-uno.example.it"};
  assert_int_equal(portal_settings_set(D, A, &s2, NULL, 0, &fx_cli, &pb), ERR_CONFLICT);
  const void *logo;
  size_t len;
  assert_int_equal(portal_logo(D, A, E.ente_id, &logo, &len), ERR_OK);
  assert_int_equal(len, sizeof png);
  assert_int_equal(portal_settings_get(D, A, E.ente_id, &s), ERR_OK);
  assert_int_equal(s.spread_bp, 150);
  assert_true(s.has_logo);
  /* back to no spread for the statement test */
  s.spread_bp = 0;
  err_code rc = portal_settings_set(D, A, &s, NULL, 0, &fx_cli, &pb);
  if (rc != ERR_OK) fail_msg("%s: %s", err_slug(rc), pb.message ? pb.message : "");
  assert_int_equal(fx_audit_count(D, "portal.settings"), 2);
}

static void test_channels_and_delegations(void **state) {
  (void)state;
  problem pb = {0};
  size_t n;
  assert_int_equal(payment_channels_import(D, A,
                                           "psp,channel,description,fee_eur\nA,carta,x,1.00\nB,conto,y,2.50\n"
                                           "C,app,z,0.30\n",
                                           &fx_cli, &n, &pb),
                   ERR_OK);
  payment_channel *ch;
  assert_int_equal(payment_channels_list(D, A, &ch, &n), ERR_OK);
  assert_int_equal(n, 3);
  assert_int_equal(ch[0].fee_cents, 250);
  assert_int_equal(ch[2].fee_cents, 30);
  /* a bad line: nothing replaced */
  assert_int_equal(
      payment_channels_import(D, A, "psp,channel,description,fee_eur\nA,carta,x,uno\n", &fx_cli, &n, &pb),
      ERR_INVALID);
  assert_int_equal(payment_channels_list(D, A, &ch, &n), ERR_OK);
  assert_int_equal(n, 3);
  char icf[17], ccf[17], other[17];
  fx_cf("RSSMRA80A01H501", icf);
  fx_cf("BNCGNN75C41F205", ccf);
  fx_cf("VRDLGI60T10L219", other);
  portal_delegation dl = {0, E.ente_id, icf, ccf, "2026-01-01", "2027-12-31"};
  assert_int_equal(portal_delegation_add(D, A, &dl, &fx_cli, &pb), ERR_OK);
  assert_int_equal(portal_may_see(D, E.ente_id, icf, ccf, "2027-01-15"), ERR_OK);
  assert_int_equal(portal_may_see(D, E.ente_id, icf, icf, "2027-01-15"), ERR_OK);
  assert_int_equal(portal_may_see(D, E.ente_id, icf, other, "2027-01-15"), ERR_NOT_FOUND);
  assert_int_equal(portal_may_see(D, E.ente_id, icf, ccf, "2028-01-01"), ERR_NOT_FOUND);  /* expired */
  assert_int_equal(portal_may_see(D, E2.ente_id, icf, ccf, "2027-01-15"), ERR_NOT_FOUND); /* other Ente */
  assert_int_equal(portal_may_see(D, E.ente_id, ccf, icf, "2027-01-15"), ERR_NOT_FOUND);  /* not symmetric */
  assert_int_equal(portal_delegation_revoke(D, E.ente_id, icf, ccf, &fx_cli), ERR_OK);
  assert_int_equal(portal_may_see(D, E.ente_id, icf, ccf, "2027-01-15"), ERR_NOT_FOUND);
  dl = (portal_delegation){0, E.ente_id, icf, "NOTACODE", NULL, NULL};
  assert_int_equal(portal_delegation_add(D, A, &dl, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "client");
}

static void test_citizen_sessions(void **state) {
  (void)state;
  char cf[17];
  fx_cf("RSSMRA80A01H501", cf);
  char *tok;
  citizen c, got;
  assert_int_equal(citizen_session_create(D, A, "RSSMRA80A01H50X", NULL, NULL, "demo", 600, &tok, &c),
                   ERR_INVALID);
  assert_int_equal(citizen_session_create(D, A, cf, "Mario Rossi", "https://www.spid.gov.it/SpidL2", "oidc",
                                          600, &tok, &c),
                   ERR_OK);
  assert_int_equal(citizen_session_lookup(D, A, tok, &got), ERR_OK);
  assert_string_equal(got.fiscal_code, cf);
  assert_string_equal(got.acr, "https://www.spid.gov.it/SpidL2");
  assert_int_equal(strlen(got.csrf), 43);
  assert_int_equal(citizen_session_lookup(D, A, "x", &got), ERR_UNAUTHORIZED);
  /* expiry */
  setenv("SPORTELLO_TEST_NOW", "1800000601", 1);
  assert_int_equal(citizen_session_lookup(D, A, tok, &got), ERR_UNAUTHORIZED);
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  assert_int_equal(citizen_session_destroy(D, tok), ERR_OK);
  assert_int_equal(citizen_session_lookup(D, A, tok, &got), ERR_UNAUTHORIZED);
  assert_true(fx_audit_count(D, "citizen.signin") >= 1);
  /* a sign-in in progress is used once */
  oidc_pending p, q;
  assert_int_equal(oidc_pending_begin(D, A, E.ente_id, "/enti/portale-uno/area-personale", 600, &p), ERR_OK);
  assert_int_equal(oidc_pending_take(D, A, p.state, &q), ERR_OK);
  assert_string_equal(q.nonce, p.nonce);
  assert_string_equal(q.verifier, p.verifier);
  assert_int_equal(q.ente_id, E.ente_id);
  assert_int_equal(oidc_pending_take(D, A, p.state, &q), ERR_NOT_FOUND);
  assert_int_equal(oidc_pending_begin(D, A, 0, "/x", 60, &p), ERR_OK);
  setenv("SPORTELLO_TEST_NOW", "1800000061", 1);
  assert_int_equal(oidc_pending_take(D, A, p.state, &q), ERR_NOT_FOUND);
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  /* RFC 7636 appendix B */
  assert_string_equal(oidc_pkce_challenge(A, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void test_statement(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 41), tp2 = dfx_taxpayer(D, E.ente_id, 42);
  debt_act x = dfx_act(D, A, &E, tp, E.imu_id, 100000, 0, "2025-06-16");
  x = dfx_get(D, A, E.ente_id, x.id);
  debt_act y = dfx_act(D, A, &E, tp, E.imu_id, 50000, 0, "2027-02-01");
  debt_act z = dfx_act(D, A, &E, tp2, E.imu_id, 70000, 0, "2025-06-16");
  /* 40000 paid on 2025-12-31 */
  debt_payment pay = {.option_id = x.options[0].id,
                      .amount_cents = 40000,
                      .channel = "counter",
                      .reference = "ST-1",
                      .value_date = "2025-12-31"};
  assert_int_equal(debt_book_payment(D, A, E.ente_id, &pay, &fx_cli, NULL), ERR_OK);
  const char *cf = x.taxpayer_cf;
  debt_act got;
  assert_non_null(cf);
  assert_int_equal(portal_act_of(D, A, E.ente_id, cf, x.id, &got), ERR_OK);
  assert_int_equal(portal_act_of(D, A, E.ente_id, cf, z.id, &got), ERR_NOT_FOUND);  /* another taxpayer's */
  assert_int_equal(portal_act_of(D, A, E2.ente_id, cf, x.id, &got), ERR_NOT_FOUND); /* another Ente */
  interest_rate *rates;
  size_t nr;
  assert_int_equal(portal_rates(D, A, &rates, &nr), ERR_OK);
  portal_statement st;
  /* acts issued after the date are not in it */
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2025-12-30", &st), ERR_OK);
  assert_int_equal(st.n, 0);
  /* today (2027-01-15): x owed 1000 EUR from 2025-06-16 up to the payment
   * of 400 on 2025-12-31 (included), then 600; y is not due yet; 2027 keeps
   * the last rate of the table. One rounding for x. */
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-01-15", &st), ERR_OK);
  interest_result i1, i2;
  assert_int_equal(
      interest_compute(100000, (civil_date){2025, 6, 16}, (civil_date){2025, 12, 31}, rates, nr, 0, &i1), 0);
  assert_int_equal(
      interest_compute(60000, (civil_date){2025, 12, 31}, (civil_date){2027, 1, 15}, rates, nr, 0, &i2), 0);
  int64_t want_x = interest_num_round(interest_num(&i1, 100000) + interest_num(&i2, 60000));
  assert_true(want_x > i1.cents); /* both periods count */
  int64_t res = 0, intr = 0;
  int seen_x = 0, seen_y = 0;
  for (size_t i = 0; i < st.n; i++) {
    if (st.acts[i].act.id == x.id) {
      seen_x = 1;
      assert_int_equal(st.acts[i].interest_cents, want_x);
      assert_int_equal(st.acts[i].residual_cents, 60000);
      assert_int_equal(st.acts[i].overdue_cents, 60000);
    }
    if (st.acts[i].act.id == y.id) {
      seen_y = 1;
      assert_int_equal(st.acts[i].interest_cents, 0);
    }
    assert_true(st.acts[i].act.id != z.id);
    res += st.acts[i].residual_cents;
    intr += st.acts[i].interest_cents;
  }
  assert_true(seen_x && seen_y);
  assert_int_equal(st.total_residual_cents, res);
  assert_int_equal(st.total_interest_cents, intr);
  assert_int_equal(res, 60000 + 50000);
  /* a month later y is overdue too */
  portal_statement st2;
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-02-15", &st2), ERR_OK);
  for (size_t i = 0; i < st2.n; i++)
    if (st2.acts[i].act.id == y.id) assert_true(st2.acts[i].interest_cents > 0);
  /* the Ente's spread raises the rate */
  portal_settings s;
  problem pb;
  portal_settings_get(D, A, E.ente_id, &s);
  s.spread_bp = 300;
  assert_int_equal(portal_settings_set(D, A, &s, NULL, 0, &fx_cli, &pb), ERR_OK);
  portal_statement st3;
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-01-15", &st3), ERR_OK);
  assert_true(st3.total_interest_cents > st.total_interest_cents);
  s.spread_bp = 0;
  assert_int_equal(portal_settings_set(D, A, &s, NULL, 0, &fx_cli, &pb), ERR_OK);
  /* the situation by year and revenue */
  portal_situation_view v;
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  portal_situation_row *rows = v.rows;
  size_t n = v.nr, na = v.na;
  debt_act *acts = v.acts;
  assert_int_equal(v.settings.spread_bp, 0);
  assert_int_equal(v.nc, 0);
  assert_true(n >= 1);
  assert_true(na >= 2);
  /* acts newest first: year, then id, descending; every act counted once */
  int counted = 0;
  for (size_t i = 0; i < n; i++) counted += rows[i].acts;
  assert_int_equal(counted, (int)na);
  for (size_t i = 1; i < na; i++)
    assert_true(acts[i - 1].year > acts[i].year ||
                (acts[i - 1].year == acts[i].year && acts[i - 1].id > acts[i].id));
  int64_t to_pay = 0;
  for (size_t i = 0; i < n; i++) to_pay += rows[i].to_pay_cents;
  assert_int_equal(to_pay, 110000);
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2026-13-01", &st), ERR_INVALID);
}

/* The ledger cache: a page read twice with nothing changed is served from
 * it; a payment, a relief, an installment plan and a new act (each bumps
 * the taxpayer's ledger version) are seen at the next read, on both
 * backends; another process's change is seen too (the version is read from
 * the database each time); a revenue renamed shows its new name although
 * the acts come from the cache; with no room nothing is kept. */
static void test_ledger_cache(void **state) {
  (void)state;
  ledger_cache_reset(-1);
  int64_t tp = dfx_taxpayer(D, E.ente_id, 43);
  debt_act x = dfx_act(D, A, &E, tp, E.imu_id, 90000, 0, "2025-06-16");
  x = dfx_get(D, A, E.ente_id, x.id);
  const char *cf = x.taxpayer_cf;
  portal_situation_view v;
  portal_statement st;
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(v.na, 1);
  assert_int_equal(v.acts[0].residual_cents, 90000);
  assert_int_equal(ledger_cache_hits(), 0);
  /* the situation kept the acts only: the statement reads the whole
   * ledger, which then serves both pages */
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-01-15", &st), ERR_OK);
  assert_int_equal(ledger_cache_hits(), 0);
  assert_int_equal(st.total_residual_cents, 90000);
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-01-15", &st), ERR_OK);
  assert_int_equal(ledger_cache_hits(), 1);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(ledger_cache_hits(), 2);
  assert_int_equal(v.acts[0].residual_cents, 90000);
  /* a payment */
  debt_payment pay = {.option_id = x.options[0].id,
                      .amount_cents = 30000,
                      .channel = "counter",
                      .reference = "LC-1",
                      .value_date = "2025-12-01"};
  assert_int_equal(debt_book_payment(D, A, E.ente_id, &pay, &fx_cli, NULL), ERR_OK);
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-01-15", &st), ERR_OK);
  assert_int_equal(ledger_cache_hits(), 2);
  assert_int_equal(st.total_residual_cents, 60000);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(ledger_cache_hits(), 3);
  assert_int_equal(v.acts[0].paid_cents, 30000);
  /* a relief */
  assert_int_equal(debt_act_relieve(D, A, E.ente_id, x.id, 10000, "sgravio parziale", &fx_cli), ERR_OK);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(v.acts[0].residual_cents, 50000);
  /* an installment plan */
  debt_problems pbs = {0};
  assert_int_equal(debt_act_plan(D, A, E.ente_id, x.id, 2, "2026-02-01", &fx_cli, &pbs), ERR_OK);
  assert_int_equal(portal_statement_at(D, A, E.ente_id, cf, "2027-01-15", &st), ERR_OK);
  assert_int_equal(st.n, 1);
  assert_int_equal(st.acts[0].installments, 2);
  /* a new act */
  dfx_act(D, A, &E, tp, E.imu_id, 12000, 0, "2025-09-16");
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(v.na, 2);
  int64_t h = ledger_cache_hits();
  /* another process: a change made straight in the database, with the
   * version bump every ledger operation makes */
  D->bare_writes_ok = 1;
  assert_int_equal(db_exec(D, "UPDATE debt_act SET residual_cents = 1 WHERE id = ?", PARAMS(P_INT(x.id)), NULL),
                   ERR_OK);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(ledger_cache_hits(), h + 1); /* no bump yet: the kept ledger */
  assert_int_equal(db_exec(D, "UPDATE taxpayer SET ledger_version = ledger_version + 1 WHERE id = ?",
                           PARAMS(P_INT(tp)), NULL),
                   ERR_OK);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(ledger_cache_hits(), h + 1);
  int one = 0;
  for (size_t i = 0; i < v.na; i++) one += v.acts[i].id == x.id && v.acts[i].residual_cents == 1;
  assert_int_equal(one, 1);
  /* a revenue's new name, over the kept acts */
  assert_int_equal(db_exec(D, "UPDATE debt_revenue SET name = 'IMU rinominata' WHERE id = ?",
                           PARAMS(P_INT(E.imu_id)), NULL),
                   ERR_OK);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(ledger_cache_hits(), h + 2);
  assert_string_equal(v.rows[0].revenue_name, "IMU rinominata");
  D->bare_writes_ok = 0;
  /* no room: every read goes to the database, with the same result */
  ledger_cache_reset(0);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(portal_situation_read(D, A, E.ente_id, cf, cf, "2026-01-01", &v), ERR_OK);
  assert_int_equal(ledger_cache_hits(), 0);
  assert_int_equal(v.na, 2);
  ledger_cache_reset(-1);
}

static void test_fines_and_spontaneous(void **state) {
  (void)state;
  int64_t tp = dfx_taxpayer(D, E.ente_id, 51);
  debt_act any = dfx_act(D, A, &E, tp, E.imu_id, 1000, 0, "2027-01-31");
  any = dfx_get(D, A, E.ente_id, any.id);
  debt_problems pbs;
  portal_fine f = {.ente_id = E.ente_id,
                   .report_number = "V/77/2027",
                   .plate = "ab 123 cd",
                   .violation_date = "2027-01-12",
                   .notification_date = "2027-01-12",
                   .min_cents = 4200,
                   .max_cents = 17300,
                   .costs_cents = 1450,
                   .reduction_allowed = 1,
                   .taxpayer_cf = any.taxpayer_cf};
  /* no CDS revenue yet */
  assert_int_equal(portal_fine_create(D, A, &f, &fx_cli, &pbs), ERR_INVALID);
  debt_revenue r = {.ente_id = E.ente_id,
                    .code = "CDS",
                    .name = "Codice della strada",
                    .taxonomy = "9/0102100SA/",
                    .iban = DFX_IBAN};
  assert_int_equal(debt_revenue_add(D, A, &r, &fx_cli, &pbs), ERR_OK);
  f.plate = "ab 123 cd";
  assert_int_equal(portal_fine_create(D, A, &f, &fx_cli, &pbs), ERR_OK);
  portal_fine g;
  assert_int_equal(portal_fine_find(D, A, E.ente_id, "V/77/2027", "AB123CD", NULL, &g), ERR_OK);
  assert_int_equal(g.act_id, f.act_id);
  assert_int_equal(portal_fine_find(D, A, E.ente_id, "V/77/2027", NULL, "2027-01-12", &g), ERR_OK);
  assert_int_equal(portal_fine_find(D, A, E.ente_id, "V/77/2027", "ZZ999ZZ", NULL, &g), ERR_NOT_FOUND);
  assert_int_equal(portal_fine_find(D, A, E2.ente_id, "V/77/2027", "AB123CD", NULL, &g), ERR_NOT_FOUND);
  ente e;
  ente_get(D, A, E.ente_id, &e);
  fine_amount fa;
  assert_int_equal(portal_fine_amount(&e, &g, "2027-01-15", &fa), 0);
  assert_int_equal(fa.total_cents, 2940 + 1450);
  assert_int_equal(portal_fine_amount(&e, &g, "2027-02-11", &fa), 0);
  assert_int_equal(fa.total_cents, 4200 + 1450);
  debt_act act;
  assert_int_equal(debt_act_get(D, A, E.ente_id, f.act_id, &act), ERR_OK);
  assert_string_equal(act.act_type, "verbale");
  assert_int_equal(act.charged_cents, 4200 + 1450);
  /* spontaneous: only revenues the Ente allows */
  portal_spontaneous sp = {"IMU", 2500, "Diritti", any.taxpayer_cf, NULL, NULL, NULL};
  assert_int_equal(portal_spontaneous_create(D, A, E.ente_id, &sp, &fx_cli, &act, &pbs), ERR_INVALID);
  assert_string_equal(pbs.items[0].field, "revenue");
  debt_revenue r2 = {.ente_id = E.ente_id,
                     .code = "DIRITTI",
                     .name = "Diritti di segreteria",
                     .taxonomy = "9/0103100TS/",
                     .iban = DFX_IBAN,
                     .spontaneous = 1};
  assert_int_equal(debt_revenue_add(D, A, &r2, &fx_cli, &pbs), ERR_OK);
  sp.revenue_code = "DIRITTI";
  assert_int_equal(portal_spontaneous_create(D, A, E.ente_id, &sp, &fx_cli, &act, &pbs), ERR_OK);
  assert_int_equal(act.options[0].amount_cents, 2500);
  assert_int_equal(strlen(act.options[0].nav), 18);
  /* a payer unknown to the registry is registered with the names given */
  char cf[17];
  fx_cf("GLLFNC70M15F839", cf);
  int64_t before = fx_count(D, "SELECT count(*) FROM taxpayer", 0);
  portal_spontaneous nw = {"DIRITTI", 1000, "Certificato", cf, "Galli", NULL, NULL};
  assert_int_equal(portal_spontaneous_create(D, A, E.ente_id, &nw, &fx_cli, &act, &pbs), ERR_INVALID);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM taxpayer", 0), before); /* nothing half-written */
  nw.payer_given_name = "Franco";
  assert_int_equal(portal_spontaneous_create(D, A, E.ente_id, &nw, &fx_cli, &act, &pbs), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM taxpayer", 0), before + 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rates_seeded_from_shared_table),
      cmocka_unit_test(test_ravvedimento_worked_examples),
      cmocka_unit_test(test_settings),
      cmocka_unit_test(test_channels_and_delegations),
      cmocka_unit_test(test_citizen_sessions),
      cmocka_unit_test(test_statement),
      cmocka_unit_test(test_ledger_cache),
      cmocka_unit_test(test_fines_and_spontaneous),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* Canone unico: the rule file (every bad row refused with its line, nothing
 * written; a new file replaces the old one as a whole), and quotes checked
 * against fees computed by hand (the arithmetic is in each comment). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "domain/canone/canone.h"
#include "fixture.h"

static testdb T;
static db *D;
static arena *A;
static int64_t E1, E2;

static const char RULES[] =
    "rule,code,value\n"
    "# tariffs per m²\n"
    "annual_tariff,,30.00\n"
    "daily_tariff,,\"0,60\"\n" /* a comma decimal, quoted */
    "zone,A,1.2\n"
    "zone,B,1\n"
    "use,dehors,0.8\n"
    "use,ponteggio,1.000\n"
    "minimum_fee,,25.00\n"
    "surface_rounding,,up\n"
    "result_rounding,,cent\n";

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  D = fx_open(&T, "domain_canone");
  E1 = fx_ente(D, "canone-uno", 9101);
  E2 = fx_ente(D, "canone-due", 9102);
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

static canone_rules rules_of(const char *csv) {
  canone_row *rows;
  size_t n;
  canone_rules r;
  problems pbs = {0};
  err_code rc = canone_parse_csv(A, csv, strlen(csv), &rows, &n, &r, &pbs);
  if (rc != ERR_OK) fail_msg("rules do not parse: %s %s", pbs.items[0].field, pbs.items[0].message);
  return r;
}

static int64_t quote(const canone_rules *r, const char *zone, const char *use, const char *kind,
                     const char *m2, const char *start, const char *end, canone_quote *qt) {
  canone_request q;
  problems pbs = {0};
  assert_int_equal(canone_request_parse(A, zone, use, kind, m2, start, end, &q, &pbs), ERR_OK);
  err_code rc = canone_compute(A, r, &q, qt, &pbs);
  if (rc != ERR_OK) fail_msg("quote failed: %s %s", pbs.items[0].field, pbs.items[0].message);
  return qt->amount_cents;
}

static const char *line_value(const canone_quote *qt, const char *code) {
  for (size_t i = 0; i < qt->n_lines; i++)
    if (strcmp(qt->lines[i].code, code) == 0) return qt->lines[i].value;
  return NULL;
}

static void test_decimals(void **state) {
  (void)state;
  int64_t v;
  assert_int_equal(canone_parse_decimal("12,5", 2, 1000000, &v), 0);
  assert_int_equal(v, 1250);
  assert_int_equal(canone_parse_decimal(" 0.125 ", 3, 1000000, &v), 0);
  assert_int_equal(v, 125);
  assert_int_equal(canone_parse_decimal("7", 2, 1000000, &v), 0);
  assert_int_equal(v, 700);
  assert_int_equal(canone_parse_decimal("1.234,5", 2, 100000000, &v), -1); /* no thousands separators */
  assert_int_equal(canone_parse_decimal("12,345", 2, 1000000, &v), -1);    /* too many decimals */
  assert_int_equal(canone_parse_decimal("12,", 2, 1000000, &v), -1);
  assert_int_equal(canone_parse_decimal(",5", 2, 1000000, &v), -1);
  assert_int_equal(canone_parse_decimal("-1", 2, 1000000, &v), -1);
  assert_int_equal(canone_parse_decimal("1e3", 2, 1000000, &v), -1);
  assert_int_equal(canone_parse_decimal("10001", 0, 10000, &v), -1);
  assert_string_equal(canone_format_scaled(A, 123456789, 2), "1.234.567,89");
  assert_string_equal(canone_format_scaled(A, 1300, 2), "13");
  assert_string_equal(canone_format_scaled(A, 1200, 3), "1,2");
}

static void test_temporary(void **state) {
  (void)state;
  canone_rules r = rules_of(RULES);
  canone_quote qt;
  /* 0,60 €/m²/day × 1,2 × 0,8 × 13 m² (12,35 rounded up) × 10 days
   * (1 to 10 June, both counted) = 0,576 × 130 = 74,88 € exactly:
   * 60 × 1200 × 800 × 1300 × 1000 × 10 / 10^11 = 7488 */
  assert_int_equal(quote(&r, "A", "dehors", "temporary", "12,35", "2026-06-01", "2026-06-10", &qt), 7488);
  assert_string_equal(line_value(&qt, "surface_declared"), "12,35 m²");
  assert_string_equal(line_value(&qt, "surface"), "13 m²");
  assert_string_equal(line_value(&qt, "days"), "10");
  assert_string_equal(line_value(&qt, "tariff"), "0,60 €");
  assert_string_equal(line_value(&qt, "zone"), "1,2");
  assert_string_equal(line_value(&qt, "amount"), "74,88 €");
  assert_null(line_value(&qt, "minimum"));
  assert_int_equal(qt.installments, 1);
  /* zone and use codes match whatever their case */
  assert_int_equal(quote(&r, "a", "DEHORS", "temporary", "12,35", "2026-06-01", "2026-06-10", &qt), 7488);
  /* one day, start = end: 0,60 × 1,2 × 0,8 × 1 m² × 1 = 0,576 € -> 58 cents,
   * below the minimum fee of 25,00 € -> 2500 */
  assert_int_equal(quote(&r, "A", "dehors", "temporary", "0.4", "2026-06-01", "2026-06-01", &qt), 2500);
  assert_int_equal(qt.computed_cents, 58);
  assert_true(qt.minimum_applied);
  assert_string_equal(line_value(&qt, "minimum"), "25,00 €");
}

static void test_half_up_once(void **state) {
  (void)state;
  /* no surface rounding: 0,61 × 1 × 1 × 2,5 m² × 1 day = 1,525 € -> 1,53 €
   * (half up); 61 × 1000 × 1000 × 250 × 1000 / 10^11 = 152,5 -> 153 */
  canone_rules r = rules_of(
      "rule,code,value\nannual_tariff,,10\ndaily_tariff,,0.61\nzone,Z,1\n"
      "use,U,1\nsurface_rounding,,none\n");
  canone_quote qt;
  assert_int_equal(quote(&r, "Z", "U", "temporary", "2.5", "2026-03-02", "2026-03-02", &qt), 153);
  /* one rounding point: 0,61 × 1,115 × 0,333 × 7,77 m² × 3 days =
   * 61 × 1115 × 333 × 777 × 1000 × 3 / 10^11:
   *   61 × 1115 = 68015; × 333 = 22648995; × 777000 = 17598269115000; × 3 = 52794807345000
   *   / 10^11 = 527,94807345 -> 528 cents.
   * Rounding each step to the cent would give 0,61×1,115 = 0,68; ×0,333 = 0,23; ×7,77 = 1,79;
   * ×3 = 5,37 €: a different (wrong) figure. */
  canone_rules r2 = rules_of(
      "rule,code,value\nannual_tariff,,10\ndaily_tariff,,0.61\nzone,Z,1.115\n"
      "use,U,0.333\nsurface_rounding,,none\n");
  assert_int_equal(quote(&r2, "Z", "U", "temporary", "7.77", "2026-03-02", "2026-03-04", &qt), 528);
}

static void test_permanent(void **state) {
  (void)state;
  canone_rules r = rules_of(RULES);
  canone_quote qt;
  /* 30,00 €/m²/year × 1,2 × 0,8 × 13 m² = 374,40 € */
  assert_int_equal(quote(&r, "A", "dehors", "permanent", "12,35", "2026-07-01", NULL, &qt), 37440);
  assert_int_equal(qt.days, 0);
  /* first year pro rata by days, result to the euro: 1 July to 31 December
   * 2026 = 31+31+30+31+30+31 = 184 of 365 days; 374,40 × 184 / 365 =
   * 68.889,6 / 365 = 188,7386... € -> 189 € (one rounding, to the euro) */
  canone_rules p = rules_of(
      "rule,code,value\nannual_tariff,,30.00\ndaily_tariff,,0.60\nzone,A,1.2\n"
      "use,dehors,0.8\nfirst_year_prorata,,days\nresult_rounding,,euro\n");
  assert_int_equal(quote(&p, "A", "dehors", "permanent", "12,35", "2026-07-01", NULL, &qt), 18900);
  assert_string_equal(line_value(&qt, "prorata"), "184/365");
  /* in a leap year from 1 March: 306 of 366 days; 374,40 × 306 / 366 =
   * 114.566,4 / 366 = 313,0229... -> 313 € */
  assert_int_equal(quote(&p, "A", "dehors", "permanent", "13", "2028-03-01", NULL, &qt), 31300);
  assert_string_equal(line_value(&qt, "prorata"), "306/366");
  /* surface tiers and installments: 1.500 m², the part beyond 1.000 m² at
   * 10%: 1.000 + 500 × 0,1 = 1.050 m²; 30,00 × 1,2 × 0,8 × 1.050 =
   * 30.240,00 €, above 5.000 € -> 4 installments of 7.560,00 € */
  canone_rules t = rules_of(
      "rule,code,value\nannual_tariff,,30.00\ndaily_tariff,,0.60\nzone,A,1.2\n"
      "use,dehors,0.8\nsurface_tier,1000,0.1\ninstallment_threshold,,5000\n"
      "installments,,4\n");
  assert_int_equal(quote(&t, "A", "dehors", "permanent", "1500", "2026-01-01", NULL, &qt), 3024000);
  assert_string_equal(line_value(&qt, "surface_effective"), "1.050 m²");
  assert_int_equal(qt.installments, 4);
  assert_int_equal(qt.installment_cents[0], 756000);
  assert_int_equal(qt.installment_cents[3], 756000);
  /* 100,01 € in 4 installments: 25,00 × 4 + 1 cent on the first:
   * 1 m² × 100,01 € (tariff) × 1 × 1, threshold 100 € */
  canone_rules i = rules_of(
      "rule,code,value\nannual_tariff,,100.01\ndaily_tariff,,1\nzone,A,1\nuse,U,1\n"
      "installment_threshold,,100\n");
  assert_int_equal(quote(&i, "A", "U", "permanent", "1", "2026-01-01", NULL, &qt), 10001);
  assert_int_equal(qt.installments, 4);
  assert_int_equal(qt.installment_cents[0], 2501);
  assert_int_equal(qt.installment_cents[1], 2500);
}

static void test_request_problems(void **state) {
  (void)state;
  canone_request q;
  problems pbs = {0};
  assert_int_equal(canone_request_parse(A, "", "u!", "forever", "1,234", "2026-02-30", NULL, &q, &pbs),
                   ERR_INVALID);
  assert_true(problems_has(&pbs, "zone"));
  assert_true(problems_has(&pbs, "use"));
  assert_true(problems_has(&pbs, "kind"));
  assert_true(problems_has(&pbs, "surface_m2"));
  assert_true(problems_has(&pbs, "start"));
  problems_clear(&pbs);
  assert_int_equal(canone_request_parse(A, "A", "U", "temporary", "1", "2026-05-02", "2026-05-01", &q, &pbs),
                   ERR_INVALID);
  assert_true(problems_has(&pbs, "end"));
  problems_clear(&pbs);
  assert_int_equal(canone_request_parse(A, "A", "U", "temporary", "1", "2026-05-02", NULL, &q, &pbs),
                   ERR_INVALID);
  assert_true(problems_has(&pbs, "end"));
  /* unknown zone and use */
  canone_rules r = rules_of(RULES);
  canone_quote qt;
  problems_clear(&pbs);
  assert_int_equal(
      canone_request_parse(A, "C", "banco", "temporary", "1", "2026-05-01", "2026-05-01", &q, &pbs), ERR_OK);
  assert_int_equal(canone_compute(A, &r, &q, &qt, &pbs), ERR_INVALID);
  assert_true(problems_has(&pbs, "zone"));
  assert_true(problems_has(&pbs, "use"));
}

static const char *problem_at(const problems *pbs, const char *field) { return problems_for(pbs, field); }

static void test_import(void **state) {
  (void)state;
  problems pbs = {0};
  size_t n = 0;
  assert_int_equal(canone_import(D, A, E1, RULES, strlen(RULES), &fx_cli, &pbs, &n), ERR_OK);
  assert_int_equal(n, 9);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM canone_rule WHERE ente_id = ?", E1), 9);
  int64_t audits = fx_audit_count(D, "canone.rules");
  assert_int_equal(audits, 1);
  /* a file with bad rows: each refused with its line, nothing written */
  const char bad[] =
      "rule,code,value\n"
      "annual_tariff,,30,5,1\n" /* line 2: four columns */
      "daily_tariff,,zero\n"    /* line 3 */
      "zone,A,1.2\n"
      "zone,a,1.5\n"             /* line 5: duplicate code */
      "use,dehors,-1\n"          /* line 6 */
      "surface_rounding,,down\n" /* line 7 */
      "colour,,blue\n"           /* line 8 */
      "annual_tariff,,30\n";
  assert_int_equal(canone_import(D, A, E1, bad, strlen(bad), &fx_cli, &pbs, &n), ERR_INVALID);
  assert_non_null(problem_at(&pbs, "riga 2"));
  assert_non_null(problem_at(&pbs, "riga 3"));
  assert_null(problem_at(&pbs, "riga 4"));
  assert_non_null(problem_at(&pbs, "riga 5"));
  assert_non_null(problem_at(&pbs, "riga 6"));
  assert_non_null(problem_at(&pbs, "riga 7"));
  assert_non_null(strstr(problem_at(&pbs, "riga 8"), "colour"));
  assert_non_null(problem_at(&pbs, "file")); /* no use left */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM canone_rule WHERE ente_id = ?", E1), 9);
  assert_int_equal(fx_audit_count(D, "canone.rules"), audits);
  problems_clear(&pbs);
  assert_int_equal(canone_import(D, A, E1, "zone,A,1\n", 9, &fx_cli, &pbs, &n), ERR_INVALID);
  assert_non_null(problem_at(&pbs, "riga 1")); /* no header */
  /* the stored rules quote like the parsed ones */
  canone_request q;
  canone_quote qt;
  problems_clear(&pbs);
  assert_int_equal(
      canone_request_parse(A, "A", "dehors", "temporary", "12,35", "2026-06-01", "2026-06-10", &q, &pbs),
      ERR_OK);
  assert_int_equal(canone_quote_for(D, A, E1, &q, &qt, &pbs), ERR_OK);
  assert_int_equal(qt.amount_cents, 7488);
  /* the other Ente has none */
  assert_int_equal(canone_quote_for(D, A, E2, &q, &qt, &pbs), ERR_CANONE_RULES);
  /* a new file replaces the old one as a whole */
  const char next[] = "rule,code,value\r\nannual_tariff,,40\r\ndaily_tariff,,0.70\r\nzone,B,1\r\nuse,U,1\r\n";
  assert_int_equal(canone_import(D, A, E1, next, strlen(next), &fx_cli, &pbs, &n), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM canone_rule WHERE ente_id = ?", E1), 4);
  assert_int_equal(canone_quote_for(D, A, E1, &q, &qt, &pbs), ERR_INVALID); /* zone A is gone */
  canone_row *rows;
  assert_int_equal(canone_rows_get(D, A, E1, &rows, &n), ERR_OK);
  assert_int_equal(n, 4);
  assert_string_equal(rows[1].rule, "daily_tariff");
  assert_string_equal(rows[1].value, "0.70");
  assert_int_equal(fx_audit_count(D, "canone.rules"), 2);
}

/* The shared background table (unverified figures) is only a fixture: its
 * first class read as rules gives 30,00 € × 1 × 1 × 10 m² = 300,00 €. */
static void test_shared_fixture(void **state) {
  (void)state;
  FILE *f = fopen(SHARED_DIR "/data/canone_unico_tariffe_standard.csv", "r");
  assert_non_null(f);
  char line[512], annual[32] = "", daily[32] = "";
  if (fgets(line, sizeof line, f) && fgets(line, sizeof line, f)) {
    char *save, *p = strtok_r(line, ",", &save);
    p = strtok_r(NULL, ",", &save);
    p = strtok_r(NULL, ",", &save);
    if (p) snprintf(annual, sizeof annual, "%s", p);
    p = strtok_r(NULL, ",", &save);
    if (p) snprintf(daily, sizeof daily, "%s", p);
  }
  fclose(f);
  canone_rules r = rules_of(arena_printf(
      A, "rule,code,value\nannual_tariff,,%s\ndaily_tariff,,%s\nzone,1,1\nuse,x,1\n", annual, daily));
  canone_quote qt;
  int64_t cents;
  assert_int_equal(canone_parse_decimal(annual, 2, CANONE_MAX_TARIFF, &cents), 0);
  assert_int_equal(quote(&r, "1", "x", "permanent", "10", "2026-01-01", NULL, &qt), cents * 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decimals),         cmocka_unit_test(test_temporary),
      cmocka_unit_test(test_half_up_once),     cmocka_unit_test(test_permanent),
      cmocka_unit_test(test_request_problems), cmocka_unit_test(test_import),
      cmocka_unit_test(test_shared_fixture),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

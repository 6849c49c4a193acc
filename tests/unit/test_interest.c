/* Late interest and traffic-fine bands (src/core/interest.c, fines.c):
 * interest equal to the cent to every row of the shared worked examples,
 * with the rates of the shared legal-rate table (read in place), the
 * segments per calendar year as the table lists them; the fine bands on
 * the days around their limits, with windows moving past holidays. The
 * ravvedimento sanctions are checked with the tables the migration loads
 * (tests/portal/test_portal_calc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "core/calendar.h"
#include "core/fines.h"
#include "core/interest.h"
#include "csv.h"

static civil_date D(int y, int m, int d) { return (civil_date){y, m, d}; }

/* "2.5" -> 250, "0.05" -> 5, "1.25" -> 125 (basis points). */
static int pct_to_bp(const char *s) {
  int whole = atoi(s), frac = 0, digits = 0;
  const char *dot = strchr(s, '.');
  if (dot)
    for (const char *p = dot + 1; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
      frac = frac * 10 + (*p - '0');
  while (digits++ < 2) frac *= 10;
  return whole * 100 + frac;
}

/* "1014.08" -> 101408 */
static int64_t eur_to_cents(const char *s) {
  long long w = atoll(s);
  const char *dot = strchr(s, '.');
  int c = 0;
  if (dot) c = (dot[1] - '0') * 10 + (dot[2] ? dot[2] - '0' : 0);
  return w * 100 + c;
}

static interest_rate RATES[64];
static size_t N_RATES;

static void load_rates(void) {
  FILE *f = csv_open("legal_interest_rates.csv");
  assert_non_null(f);
  char line[2048], *fl[16];
  N_RATES = 0;
  while (fgets(line, sizeof line, f)) {
    if (csv_split(line, fl, 16) < 2) continue;
    RATES[N_RATES++] = (interest_rate){atoi(fl[0]), pct_to_bp(fl[1])};
  }
  fclose(f);
  assert_true(N_RATES >= 20);
}

static void test_worked_examples_interest(void **state) {
  (void)state;
  load_rates();
  FILE *f = csv_open("ravvedimento_worked_examples.csv");
  assert_non_null(f);
  char line[4096], *fl[20];
  int rows = 0;
  while (fgets(line, sizeof line, f)) {
    int n = csv_split(line, fl, 20);
    if (n < 14) continue;
    civil_date due, pay;
    assert_int_equal(date_parse_iso(fl[2], &due), 0);
    assert_int_equal(date_parse_iso(fl[3], &pay), 0);
    int spread = strstr(fl[0], "+ 3 points") ? 300 : 0;
    interest_result r;
    assert_int_equal(interest_compute(eur_to_cents(fl[1]), due, pay, RATES, N_RATES, spread, &r), 0);
    if (r.cents != eur_to_cents(fl[12]))
      fail_msg("%s: interest %lld cents, table %s", fl[0], (long long)r.cents, fl[12]);
    /* the segments, when the row lists them ("2024:15@2.5%;2025:10@2.0%") */
    if (strchr(fl[10], '@')) {
      size_t k = 0;
      for (char *tok = strtok(fl[10], ";"); tok; tok = strtok(NULL, ";"), k++) {
        assert_true(k < r.n_seg);
        assert_int_equal(r.seg[k].year, atoi(tok));
        assert_int_equal(r.seg[k].days, atoi(strchr(tok, ':') + 1));
        assert_int_equal(r.seg[k].rate_bp, pct_to_bp(strchr(tok, '@') + 1));
      }
      assert_int_equal(k, r.n_seg);
    }
    if (fl[5][0]) assert_int_equal(r.days, atoi(fl[5]));
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 7);
}

static void test_interest_edges(void **state) {
  (void)state;
  load_rates();
  interest_result r;
  /* nothing on the deadline itself, one day after it */
  assert_int_equal(interest_compute(100000, D(2025, 3, 1), D(2025, 3, 1), RATES, N_RATES, 0, &r), 0);
  assert_int_equal(r.cents, 0);
  assert_int_equal(r.n_seg, 0);
  assert_int_equal(interest_compute(3650000, D(2025, 3, 1), D(2025, 3, 2), RATES, N_RATES, 0, &r), 0);
  assert_int_equal(r.cents, 200); /* 36500 EUR x 2% / 365 = 2 EUR */
  /* rounding half-up once: 9125 cents x 2% x 1/365 = 0.5 cents -> 1 */
  assert_int_equal(interest_compute(9125, D(2025, 3, 1), D(2025, 3, 2), RATES, N_RATES, 0, &r), 0);
  assert_int_equal(r.cents, 1);
  assert_int_equal(interest_compute(9124, D(2025, 3, 1), D(2025, 3, 2), RATES, N_RATES, 0, &r), 0);
  assert_int_equal(r.cents, 0);
  /* a year without a rate is an error, not zero */
  assert_int_equal(interest_compute(100, D(2006, 12, 1), D(2007, 1, 2), RATES, N_RATES, 0, &r), -1);
  /* after the last year of the table its rate stays in force */
  assert_int_equal(interest_compute(3650000, D(2030, 3, 1), D(2030, 3, 2), RATES, N_RATES, 0, &r), 0);
  assert_int_equal(r.seg[0].rate_bp, RATES[N_RATES - 1].rate_bp);
  /* 200 acts over 18 years worth of segments */
  assert_int_equal(interest_compute(100, D(2007, 1, 1), D(2026, 12, 31), RATES, N_RATES, 0, &r), 0);
  assert_int_equal(r.n_seg, 20);
}

static void test_fine_bands(void **state) {
  (void)state;
  work_calendar c;
  work_calendar_init(&c, NULL);
  fine_terms t = {D(2025, 3, 3), 4200, 17300, 1450, 1}; /* Monday */
  fine_amount a;
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 3, 3), &a), 0);
  assert_int_equal(a.band, FINE_REDUCED);
  assert_int_equal(a.fine_cents, 2940);
  assert_int_equal(a.total_cents, 2940 + 1450);
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 3, 8), &a), 0); /* day 5 */
  assert_int_equal(a.band, FINE_REDUCED);
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 3, 9), &a), 0); /* day 6 */
  assert_int_equal(a.band, FINE_MINIMUM);
  assert_int_equal(a.total_cents, 4200 + 1450);
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 5, 2), &a), 0); /* day 60 */
  assert_int_equal(a.band, FINE_MINIMUM);
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 5, 3), &a), 0); /* day 61 */
  assert_int_equal(a.band, FINE_HALF_MAX);
  assert_int_equal(a.fine_cents, 8650);
  assert_int_equal(a.costs_cents, 1450); /* costs never reduced */
  /* no reduction where the law excludes it */
  t.reduction_allowed = 0;
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 3, 4), &a), 0);
  assert_int_equal(a.band, FINE_MINIMUM);
  /* notified 2025-04-20 (Easter Sunday): day 5 is 25 April (holiday) ->
   * the window ends on Saturday 26 April */
  t = (fine_terms){D(2025, 4, 20), 4200, 17300, 0, 1};
  civil_date until = fine_reduced_until(&c, t.notified);
  assert_int_equal(until.d, 26);
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 4, 26), &a), 0);
  assert_int_equal(a.band, FINE_REDUCED);
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 4, 27), &a), 0);
  assert_int_equal(a.band, FINE_MINIMUM);
  /* day 5 on a Sunday moves to Monday; odd cents round half-up */
  t = (fine_terms){D(2025, 6, 3), 4205, 17300, 0, 1};
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 6, 9), &a), 0);
  assert_int_equal(a.band, FINE_REDUCED);
  assert_int_equal(a.fine_cents, 2944); /* 2943.5 */
  /* the patron saint day moves it too */
  work_calendar p;
  work_calendar_init(&p, "06-09");
  assert_int_equal(fine_amount_on(&p, &t, D(2025, 6, 10), &a), 0);
  assert_int_equal(a.band, FINE_REDUCED);
  /* before notification: refused */
  assert_int_equal(fine_amount_on(&c, &t, D(2025, 6, 2), &a), -1);
}

/* interest_table_num against interest_compute + interest_num: the same
 * numerator and the same errors, for periods inside the table's years and
 * outside them, with and without a spread, with a table that has a gap. */
static void check_table(const interest_rate *rates, size_t n, int spread, int last_year, unsigned seed) {
  interest_table t;
  interest_table_init(&t, rates, n, spread, last_year);
  srand(seed);
  int64_t start = date_to_days(D(2003, 1, 1));
  for (int i = 0; i < 20000; i++) {
    civil_date due = date_from_days(start + rand() % (30 * 366));
    civil_date to = date_from_days(date_to_days(due) + rand() % (i % 10 ? 800 : 12000) - 5);
    if (i % 97 == 0) due = (civil_date){2000 + i % 30, 12, 31}; /* a year's last day */
    int64_t principal = 1 + rand() % 10000000;
    interest_result r;
    int want = interest_compute(principal, due, to, rates, n, spread, &r);
    __int128 got = -1;
    int rc = interest_table_num(&t, principal, due, to, &got);
    assert_int_equal(rc, want);
    if (want == 0) assert_true(got == interest_num(&r, principal));
  }
}

static void test_interest_table(void **state) {
  (void)state;
  load_rates();
  check_table(RATES, N_RATES, 0, 2026, 1);
  check_table(RATES, N_RATES, 300, 2026, 2);
  check_table(RATES, N_RATES, 150, 2040, 3); /* years after the table's last */
  check_table(RATES, N_RATES, 0, 1990, 4);   /* before it: the slow way */
  interest_rate gap[] = {{2010, 100}, {2011, 200}, {2013, 300}, {2015, 50}};
  check_table(gap, 4, 25, 2030, 5);
  check_table(gap, 0, 0, 2030, 6);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_worked_examples_interest),
      cmocka_unit_test(test_interest_edges),
      cmocka_unit_test(test_interest_table),
      cmocka_unit_test(test_fine_bands),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

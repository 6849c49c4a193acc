/* Civil dates, Easter, the Europe/Rome clock and clock_now. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/clock.h"
#include "core/date.h"
#include "csv.h"

static civil_date D(int y, int m, int d) {
  civil_date r = {y, m, d};
  return r;
}

static void test_valid(void **state) {
  (void)state;
  assert_true(date_valid(2024, 2, 29));
  assert_false(date_valid(2023, 2, 29));
  assert_false(date_valid(1900, 2, 29));
  assert_true(date_valid(2000, 2, 29));
  assert_true(date_valid(1800, 1, 1));
  assert_true(date_valid(2200, 12, 31));
  assert_false(date_valid(1799, 12, 31));
  assert_false(date_valid(2201, 1, 1));
  assert_false(date_valid(2024, 13, 1));
  assert_false(date_valid(2024, 0, 1));
  assert_false(date_valid(2024, 4, 31));
  assert_false(date_valid(2024, 1, 0));
  assert_true(date_valid(2024, 12, 31));
}

static void test_parse_format(void **state) {
  (void)state;
  civil_date d = {0, 0, 0};
  char buf[11];
  assert_int_equal(date_parse_iso("2024-02-29", &d), 0);
  assert_int_equal(d.y, 2024);
  assert_int_equal(d.m, 2);
  assert_int_equal(d.d, 29);
  date_format_iso(d, buf);
  assert_string_equal(buf, "2024-02-29");
  date_format_it(d, buf);
  assert_string_equal(buf, "29/02/2024");
  const char *bad_iso[] = {"2023-02-29", "2024-2-01", "2024-02-1", "2024-02-01x", "", " 2024-02-01",
                           "2024/02/01", "20240201", "2024-13-01", "abcd-ef-gh", "2024-02-0"};
  for (size_t i = 0; i < sizeof bad_iso / sizeof bad_iso[0]; i++) {
    if (date_parse_iso(bad_iso[i], &d) != -1) fail_msg("accepted %s", bad_iso[i]);
  }
  assert_int_equal(date_parse_iso(NULL, &d), -1);

  assert_int_equal(date_parse_it("01/02/2024", &d), 0);
  assert_true(d.y == 2024 && d.m == 2 && d.d == 1);
  assert_int_equal(date_parse_it("1/2/2024", &d), 0);
  assert_true(d.y == 2024 && d.m == 2 && d.d == 1);
  assert_int_equal(date_parse_it("31/12/1999", &d), 0);
  assert_true(d.y == 1999 && d.m == 12 && d.d == 31);
  const char *bad_it[] = {"31/04/2024", "01-02-2024", "01/02/24", "001/02/2024", "01/02/20245",
                          "/02/2024",   "01//2024",   "29/02/2023", "", "01/02/2024 "};
  for (size_t i = 0; i < sizeof bad_it / sizeof bad_it[0]; i++) {
    if (date_parse_it(bad_it[i], &d) != -1) fail_msg("accepted %s", bad_it[i]);
  }
  date_format_it(D(1850, 7, 4), buf);
  assert_string_equal(buf, "04/07/1850");
}

static void test_days(void **state) {
  (void)state;
  assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
  assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
  assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
  assert_int_equal(date_to_days(D(2024, 1, 1)), 19723);
  assert_int_equal(date_to_days(D(1800, 1, 1)), -62091);
  /* walk every day 1800..2200: consecutive numbers and exact round trip */
  civil_date d = D(1800, 1, 1);
  int64_t n = date_to_days(d);
  while (d.y <= 2200) {
    assert_true(date_valid(d.y, d.m, d.d));
    assert_int_equal(date_to_days(d), n);
    civil_date back = date_from_days(n);
    assert_int_equal(date_cmp(back, d), 0);
    /* next day by hand */
    d.d++;
    if (!date_valid(d.y, d.m, d.d) && d.y <= 2200) {
      d.d = 1;
      if (++d.m > 12) {
        d.m = 1;
        d.y++;
      }
    }
    n++;
  }
  assert_int_equal(n - date_to_days(D(1800, 1, 1)), 146097 + 365); /* 1800..2199 is one 400-year cycle, + 2200 */
}

static void test_weekday_cmp_add(void **state) {
  (void)state;
  assert_int_equal(date_weekday(D(1970, 1, 1)), 4);
  assert_int_equal(date_weekday(D(2024, 1, 1)), 1);
  assert_int_equal(date_weekday(D(2026, 10, 4)), 7);
  assert_int_equal(date_weekday(D(1900, 1, 1)), 1);
  assert_int_equal(date_weekday(D(2025, 6, 16)), 1);
  assert_true(date_cmp(D(2024, 1, 1), D(2024, 1, 2)) < 0);
  assert_true(date_cmp(D(2024, 2, 1), D(2024, 1, 31)) > 0);
  assert_true(date_cmp(D(2023, 12, 31), D(2024, 1, 1)) < 0);
  assert_int_equal(date_cmp(D(2024, 5, 5), D(2024, 5, 5)), 0);
  civil_date r = date_add_days(D(2024, 2, 28), 1);
  assert_true(r.y == 2024 && r.m == 2 && r.d == 29);
  r = date_add_days(D(2024, 12, 31), 1);
  assert_true(r.y == 2025 && r.m == 1 && r.d == 1);
  r = date_add_days(D(2024, 3, 1), -1);
  assert_true(r.y == 2024 && r.m == 2 && r.d == 29);
  r = date_add_days(D(2024, 1, 1), 366);
  assert_true(r.y == 2025 && r.m == 1 && r.d == 1);

  /* weekday column of the shared holiday table */
  static const char *names[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  FILE *f = csv_open("holidays_it_2024_2030.csv");
  assert_non_null(f);
  char line[1024];
  int rows = 0;
  while (fgets(line, sizeof line, f)) {
    char *fl[8];
    if (csv_split(line, fl, 8) < 3) continue;
    civil_date d;
    assert_int_equal(date_parse_iso(fl[0], &d), 0);
    assert_string_equal(names[date_weekday(d)], fl[2]);
    rows++;
  }
  fclose(f);
  assert_true(rows > 80);
}

static void test_easter(void **state) {
  (void)state;
  static const int known[][3] = {{1818, 3, 22}, {1943, 4, 25}, {1954, 4, 18}, {2000, 4, 23}, {2008, 3, 23},
                                 {2011, 4, 24}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},
                                 {2038, 4, 25}, {2100, 3, 28}, {2285, 3, 22}};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    civil_date e = date_easter(known[i][0]);
    assert_int_equal(e.y, known[i][0]);
    assert_int_equal(e.m, known[i][1]);
    assert_int_equal(e.d, known[i][2]);
  }
  /* always a Sunday between 22 March and 25 April */
  for (int y = 1800; y <= 2200; y++) {
    civil_date e = date_easter(y);
    assert_int_equal(date_weekday(e), 7);
    assert_true(date_cmp(e, D(y, 3, 22)) >= 0 && date_cmp(e, D(y, 4, 25)) <= 0);
  }
}

static void test_rome(void **state) {
  (void)state;
  /* 2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC */
  assert_int_equal(rome_utc_offset(1743296400 - 1), 3600);
  assert_int_equal(rome_utc_offset(1743296400), 7200);
  assert_int_equal(rome_utc_offset(1761440400 - 1), 7200);
  assert_int_equal(rome_utc_offset(1761440400), 3600);
  assert_int_equal(rome_utc_offset(1711846800), 7200); /* 2024-03-31 01:00Z */
  assert_int_equal(rome_utc_offset(1729990800), 3600); /* 2024-10-27 01:00Z */
  assert_int_equal(rome_utc_offset(0), 3600);

  char buf[21];
  time_format_rome(1743296400 - 1, buf);
  assert_string_equal(buf, "30/03/2025 01:59");
  time_format_rome(1743296400, buf);
  assert_string_equal(buf, "30/03/2025 03:00");
  time_format_rome(1761440400 - 1, buf);
  assert_string_equal(buf, "26/10/2025 02:59");
  time_format_rome(1761440400, buf);
  assert_string_equal(buf, "26/10/2025 02:00");

  civil_date d = date_today_rome(1751322600); /* 2025-06-30 22:30Z = 00:30 on 1 July in Rome */
  assert_true(d.y == 2025 && d.m == 7 && d.d == 1);
  d = date_today_rome(1767223800); /* 2025-12-31 23:30Z = 00:30 on 1 January */
  assert_true(d.y == 2026 && d.m == 1 && d.d == 1);
  d = date_today_rome(1767223800 - 3600); /* 22:30Z = 23:30 on 31 December */
  assert_true(d.y == 2025 && d.m == 12 && d.d == 31);

  time_format_iso_utc(0, buf);
  assert_string_equal(buf, "1970-01-01T00:00:00Z");
  time_format_iso_utc(1700000000, buf);
  assert_string_equal(buf, "2023-11-14T22:13:20Z");
  time_format_iso_utc(-1, buf);
  assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

/* Independent oracle: the system tz database, for every 20 minutes of
 * 1996..2037 (the EU rule has applied in Italy since 1996). */
static void test_rome_vs_tzdata(void **state) {
  (void)state;
  if (setenv("TZ", "Europe/Rome", 1) != 0) fail();
  tzset();
  struct tm tm;
  time_t probe = 1751322600;
  localtime_r(&probe, &tm);
  if (tm.tm_gmtoff != 7200) skip(); /* no tzdata installed */
  int64_t from = 820454400;  /* 1996-01-01 */
  int64_t to = 2145916800;   /* 2038-01-01 */
  for (int64_t t = from; t < to; t += 1200) {
    time_t tt = (time_t)t;
    localtime_r(&tt, &tm);
    if (rome_utc_offset(t) != tm.tm_gmtoff) fail_msg("offset differs at %lld", (long long)t);
    if (t % 86400 == 0) {
      civil_date d = date_today_rome(t);
      assert_true(d.y == tm.tm_year + 1900 && d.m == tm.tm_mon + 1 && d.d == tm.tm_mday);
    }
  }
  unsetenv("TZ");
  tzset();
}

static void test_clock(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", "1700000000", 1);
  assert_int_equal(clock_now(), 1700000000);
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1); /* re-read at every call */
  assert_int_equal(clock_now(), 1800000000);
  setenv("SPORTELLO_TEST_NOW", "12abc", 1); /* malformed: real clock */
  int64_t now = (int64_t)time(NULL);
  assert_true(clock_now() >= now && clock_now() <= now + 5);
  unsetenv("SPORTELLO_TEST_NOW");
  now = (int64_t)time(NULL);
  assert_true(clock_now() >= now && clock_now() <= now + 5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid),  cmocka_unit_test(test_parse_format), cmocka_unit_test(test_days),
      cmocka_unit_test(test_weekday_cmp_add), cmocka_unit_test(test_easter), cmocka_unit_test(test_rome),
      cmocka_unit_test(test_rome_vs_tzdata), cmocka_unit_test(test_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Italian working-day calendar against the shared holiday and IMU tables
 * and hand-checked cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/calendar.h"
#include "csv.h"

static civil_date D(int y, int m, int d) {
  civil_date r = {y, m, d};
  return r;
}

static void assert_date(civil_date got, int y, int m, int d) {
  if (got.y != y || got.m != m || got.d != d)
    fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.y, got.m, got.d, y, m, d);
}

/* Our names may carry accents ("Lunedì"); the table is plain ASCII. */
static void fold_ascii(const char *in, char *out, size_t n) {
  size_t w = 0;
  for (; *in && w + 1 < n; in++) {
    if ((unsigned char)in[0] == 0xc3 && (unsigned char)in[1] == 0xac) {
      out[w++] = 'i';
      in++;
    } else {
      out[w++] = *in;
    }
  }
  out[w] = 0;
}

static void test_holiday_table(void **state) {
  (void)state;
  work_calendar none;
  assert_int_equal(work_calendar_init(&none, NULL), 0);
  FILE *f = csv_open("holidays_it_2024_2030.csv");
  assert_non_null(f);
  static char listed[7][13][32]; /* [year-2024][month][day] */
  memset(listed, 0, sizeof listed);
  char line[1024];
  int rows = 0;
  while (fgets(line, sizeof line, f)) {
    char *fl[8];
    if (csv_split(line, fl, 8) < 4) continue;
    civil_date d;
    assert_int_equal(date_parse_iso(fl[0], &d), 0);
    const char *name = NULL;
    if (!cal_is_holiday(&none, d, &name)) fail_msg("%s (%s) is not a holiday", fl[0], fl[3]);
    char folded[128];
    fold_ascii(name, folded, sizeof folded);
    if (strncmp(fl[3], folded, strlen(folded)) != 0) fail_msg("%s: name %s, table %s", fl[0], name, fl[3]);
    assert_false(cal_is_working_day(&none, d));
    assert_true(cal_is_holiday(NULL, d, NULL)); /* NULL calendar = national only */
    listed[d.y - 2024][d.m][d.d] = 1;
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 12 * 2 + 13 * 5); /* 4 October from 2026 */
  int checked = 0;
  for (civil_date d = D(2024, 1, 1); d.y <= 2030; d = date_add_days(d, 1)) {
    const char *name = "unchanged";
    if (!listed[d.y - 2024][d.m][d.d]) {
      if (cal_is_holiday(&none, d, &name)) fail_msg("%04d-%02d-%02d is a holiday (%s)", d.y, d.m, d.d, name);
      assert_null(name);
      assert_int_equal(cal_is_working_day(&none, d), date_weekday(d) <= 5);
      checked++;
    }
  }
  assert_int_equal(checked, 2557 - rows);
}

static void test_imu_deadlines(void **state) {
  (void)state;
  FILE *f = csv_open("imu_deadlines_2024_2030.csv");
  assert_non_null(f);
  char line[512];
  int rows = 0;
  while (fgets(line, sizeof line, f)) {
    char *fl[6];
    if (csv_split(line, fl, 6) < 5) continue;
    civil_date nominal, effective;
    assert_int_equal(date_parse_iso(fl[2], &nominal), 0);
    assert_int_equal(date_parse_iso(fl[4], &effective), 0);
    civil_date got = cal_working_day_on_or_after(NULL, nominal);
    assert_date(got, effective.y, effective.m, effective.d);
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 14);
}

static void test_working_days(void **state) {
  (void)state;
  work_calendar c;
  assert_int_equal(work_calendar_init(&c, ""), 0);
  /* Good Friday 2025: Easter, Easter Monday, then Tue-Thu; the 4th is not
   * Friday 25 April (Liberazione) but Monday 28 */
  assert_date(cal_add_working_days(&c, D(2025, 4, 18), 1), 2025, 4, 22);
  assert_date(cal_add_working_days(&c, D(2025, 4, 18), 3), 2025, 4, 24);
  assert_date(cal_add_working_days(&c, D(2025, 4, 18), 4), 2025, 4, 28);
  assert_date(cal_add_working_days(&c, D(2024, 3, 29), 1), 2024, 4, 2);
  assert_date(cal_add_working_days(&c, D(2025, 4, 22), -1), 2025, 4, 18);
  assert_date(cal_add_working_days(&c, D(2025, 4, 28), -4), 2025, 4, 18);
  /* n = 0 is the day itself, even a Sunday */
  assert_date(cal_add_working_days(&c, D(2025, 4, 20), 0), 2025, 4, 20);
  /* ten working days across a plain week-end */
  assert_date(cal_add_working_days(&c, D(2025, 3, 3), 10), 2025, 3, 17);

  assert_date(cal_next_working_day(&c, D(2025, 12, 24)), 2025, 12, 29);
  assert_date(cal_next_working_day(&c, D(2025, 12, 22)), 2025, 12, 23);
  assert_date(cal_working_day_on_or_after(&c, D(2025, 12, 22)), 2025, 12, 22);
  assert_date(cal_working_day_on_or_after(&c, D(2025, 12, 25)), 2025, 12, 29);
  assert_date(cal_working_day_on_or_after(&c, D(2025, 12, 31)), 2025, 12, 31);
  assert_date(cal_working_day_on_or_after(&c, D(2026, 1, 1)), 2026, 1, 2);

  /* Good Friday is a working day; Easter Monday is not */
  assert_true(cal_is_working_day(&c, D(2025, 4, 18)));
  assert_false(cal_is_working_day(&c, D(2025, 4, 21)));
  assert_false(cal_is_working_day(&c, D(2025, 4, 19))); /* Saturday */
}

static void test_4_october(void **state) {
  (void)state;
  const char *name = NULL;
  assert_false(cal_is_holiday(NULL, D(2025, 10, 4), NULL));
  assert_false(cal_is_holiday(NULL, D(2024, 10, 4), NULL));
  assert_true(cal_is_working_day(NULL, D(2024, 10, 4))); /* a Friday */
  assert_true(cal_is_holiday(NULL, D(2026, 10, 4), &name));
  assert_string_equal(name, "San Francesco d'Assisi");
  assert_false(cal_is_working_day(NULL, D(2027, 10, 4))); /* a Monday */
  assert_false(cal_is_working_day(NULL, D(2030, 10, 4))); /* a Friday */
  assert_date(cal_next_working_day(NULL, D(2030, 10, 3)), 2030, 10, 7);
  assert_date(cal_next_working_day(NULL, D(2024, 10, 3)), 2024, 10, 4);
}

static void test_patron(void **state) {
  (void)state;
  work_calendar milano, roma, assisi;
  const char *name = NULL;
  assert_int_equal(work_calendar_init(&milano, "12-07"), 0); /* Sant'Ambrogio */
  assert_int_equal(work_calendar_init(&roma, "06-29"), 0);   /* Santi Pietro e Paolo */
  assert_int_equal(work_calendar_init(&assisi, "10-04"), 0);
  assert_true(cal_is_holiday(&milano, D(2026, 12, 7), &name));
  assert_string_equal(name, "Festa del Santo Patrono");
  assert_false(cal_is_holiday(NULL, D(2026, 12, 7), NULL));
  /* Friday 4 December 2026: Monday 7 is the patron, Tuesday 8 Immacolata */
  assert_date(cal_next_working_day(&milano, D(2026, 12, 4)), 2026, 12, 9);
  assert_date(cal_next_working_day(&roma, D(2026, 12, 4)), 2026, 12, 7);
  assert_false(cal_is_working_day(&roma, D(2026, 6, 29)));
  assert_true(cal_is_working_day(&milano, D(2026, 6, 29)));
  assert_date(cal_add_working_days(&roma, D(2026, 6, 26), 1), 2026, 6, 30);
  /* patron on a national holiday: national name wins; before 2026 the
   * patron alone makes 4 October a holiday */
  assert_true(cal_is_holiday(&assisi, D(2026, 10, 4), &name));
  assert_string_equal(name, "San Francesco d'Assisi");
  assert_true(cal_is_holiday(&assisi, D(2024, 10, 4), &name));
  assert_string_equal(name, "Festa del Santo Patrono");
}

static void test_calendar_init(void **state) {
  (void)state;
  work_calendar c;
  assert_int_equal(work_calendar_init(&c, "02-29"), 0);
  assert_true(c.patron_month == 2 && c.patron_day == 29);
  assert_int_equal(work_calendar_init(&c, NULL), 0);
  assert_true(c.patron_month == 0 && c.patron_day == 0);
  const char *bad[] = {"6-29", "13-01", "02-30", "00-10", "06-00", "06-29x", "06/29", "ab-cd", "0629", "06-2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    c.patron_month = 99;
    if (work_calendar_init(&c, bad[i]) != -1) fail_msg("accepted %s", bad[i]);
    assert_int_equal(c.patron_month, 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_holiday_table), cmocka_unit_test(test_imu_deadlines), cmocka_unit_test(test_working_days),
      cmocka_unit_test(test_4_october),     cmocka_unit_test(test_patron),        cmocka_unit_test(test_calendar_init),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Money parsing, formatting and the one rounding rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/money.h"

static void test_parse_ok(void **state) {
  (void)state;
  static const struct {
    const char *in;
    int64_t cents;
  } ok[] = {
      {"1234", 123400},
      {"1234,5", 123450},
      {"1.234,56", 123456},
      {"1234.56", 123456},
      {"1234.5", 123450},
      {"-0,05", -5},
      {"0", 0},
      {"-0", 0},
      {"0,01", 1},
      {"1.234", 123400}, /* thousands, not 1.234 euro */
      {"12.345.678", 1234567800},
      {"1.234.567,89", 123456789},
      {"-1.234,5", -123450},
      {" 12,30 ", 1230},
      {"1.5", 150},
      {"007", 700},
      {"92233720368547758,07", INT64_MAX},
      {"-92.233.720.368.547.758,07", -INT64_MAX},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    int64_t v = 42;
    if (money_parse(ok[i].in, &v) != 0) fail_msg("rejected '%s'", ok[i].in);
    if (v != ok[i].cents) fail_msg("'%s' -> %lld", ok[i].in, (long long)v);
  }
}

static void test_parse_bad(void **state) {
  (void)state;
  static const char *bad[] = {"",         "-",          " ",           "abc",      "12,345",   "12.345.6",
                              "1,234.56", "12,",        ",5",          ".5",       "1.23.456", "1234.567",
                              "12.34,5",  "1..234",     "1 234",       "--1",      "+1",       "1e3",
                              "12a",      "1.2345,00",  "1234.5.6",    "0x10",     "1,2,3",    "12.",
                              "€ 12",     "12 €",       "1.234,567",   "- 5",      "5-",       "1.234.56",
                              "92233720368547758,08",   "99999999999999999999", "-92233720368547758,08"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t v = 42;
    if (money_parse(bad[i], &v) != -1) fail_msg("accepted '%s' as %lld", bad[i], (long long)v);
    assert_int_equal(v, 42); /* untouched on error */
  }
  int64_t v;
  assert_int_equal(money_parse(NULL, &v), -1);
}

static void test_format(void **state) {
  (void)state;
  static const struct {
    int64_t cents;
    const char *out;
  } cases[] = {
      {0, "0,00"},
      {5, "0,05"},
      {-5, "-0,05"},
      {100, "1,00"},
      {99999, "999,99"},
      {100000, "1.000,00"},
      {123456, "1.234,56"},
      {-123456, "-1.234,56"},
      {100000000, "1.000.000,00"},
      {INT64_MAX, "92.233.720.368.547.758,07"},
      {INT64_MIN, "-92.233.720.368.547.758,08"},
  };
  char buf[32];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    money_format_it(cases[i].cents, buf);
    assert_string_equal(buf, cases[i].out);
  }
  /* format then parse gives the value back */
  for (int64_t c = -2000000; c <= 2000000; c += 997) {
    int64_t back;
    money_format_it(c, buf);
    assert_int_equal(money_parse(buf, &back), 0);
    assert_int_equal(back, c);
  }
}

static void test_div_round(void **state) {
  (void)state;
  static const int64_t cases[][3] = {
      {5, 2, 3},     {-5, 2, -3},   {5, -2, -3},  {-5, -2, 3},   {4, 3, 1},       {7, 3, 2},
      {-7, 3, -2},   {1, 3, 0},     {-1, 3, 0},   {0, 7, 0},     {149, 100, 1},   {150, 100, 2},
      {-150, 100, -2}, {-149, 100, -1}, {1, 2, 1}, {-1, 2, -1},  {INT64_MAX, INT64_MAX, 1},
      {INT64_MAX, 2, INT64_C(4611686018427387904)}, {INT64_MIN, 2, INT64_MIN / 2},
      {INT64_MIN, -1, INT64_MAX}, /* saturates */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t got = money_div_round(cases[i][0], cases[i][1]);
    if (got != cases[i][2])
      fail_msg("%lld/%lld -> %lld, want %lld", (long long)cases[i][0], (long long)cases[i][1], (long long)got,
               (long long)cases[i][2]);
  }
}

static void test_mul_ratio(void **state) {
  (void)state;
  assert_int_equal(money_mul_ratio(10000, 1, 3), 3333);
  assert_int_equal(money_mul_ratio(10000, 2, 3), 6667);
  assert_int_equal(money_mul_ratio(-10000, 2, 3), -6667);
  assert_int_equal(money_mul_ratio(1, 1, 2), 1);
  assert_int_equal(money_mul_ratio(-1, 1, 2), -1);
  assert_int_equal(money_mul_ratio(3, 1, 2), 2);
  /* 1000,00 euro at 2.5% for 10 days on 365: 0,684... -> 68 cents */
  assert_int_equal(money_mul_ratio(100000, 25 * 10, 1000 * 365), 68);
  /* 30% reduction of 173,00 -> 51,90 */
  assert_int_equal(money_mul_ratio(17300, 30, 100), 5190);
  /* the intermediate product does not overflow */
  assert_int_equal(money_mul_ratio(INT64_MAX, 1000, 1000), INT64_MAX);
  assert_int_equal(money_mul_ratio(INT64_MAX / 3, 3, 1), INT64_MAX / 3 * 3);
  assert_int_equal(money_mul_ratio(INT64_MAX, 3, 1), INT64_MAX); /* saturates */
  assert_int_equal(money_mul_ratio(INT64_MIN, 3, 1), INT64_MIN);
  assert_int_equal(money_mul_ratio(INT64_C(1) << 62, INT64_C(1) << 40, INT64_C(1) << 41), INT64_C(1) << 61);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_ok),  cmocka_unit_test(test_parse_bad), cmocka_unit_test(test_format),
      cmocka_unit_test(test_div_round), cmocka_unit_test(test_mul_ratio),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

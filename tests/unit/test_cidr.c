/* CIDR address lists ([pagopa] allowed_ips): parsing and matching of IPv4,
 * IPv6 and IPv4-mapped IPv6 addresses, prefix edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/cidr.h"

static void test_check(void **state) {
  (void)state;
  const char *good[] = {
      "",          " ",    "10.0.0.0/8", "10.0.0.0/8,192.168.1.7", " 10.0.0.0/8 , 2001:db8::/32 ",
      "0.0.0.0/0", "::/0", "::1",        "192.0.2.7/32",           "2001:db8::1/128"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (cidr_list_check(good[i])) fail_msg("refused: '%s'", good[i]);
  const char *bad[] = {"10.0.0.0/33", "2001:db8::/129", "10.0.0/8",    "nodo.pagopa.it",
                       "10.0.0.0/",   "10.0.0.0/-1",    "10.0.0.0/8a", "10.0.0.256",
                       "/8",          "10.0.0.0/0008"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (!cidr_list_check(bad[i])) fail_msg("accepted: '%s'", bad[i]);
}

static void test_match(void **state) {
  (void)state;
  const char *l = "10.0.0.0/8, 192.168.1.128/25, 2001:db8::/32, 203.0.113.9";
  assert_true(cidr_list_match(l, "10.1.2.3"));
  assert_true(cidr_list_match(l, "10.255.255.255"));
  assert_false(cidr_list_match(l, "11.0.0.0"));
  assert_true(cidr_list_match(l, "192.168.1.128"));
  assert_true(cidr_list_match(l, "192.168.1.255"));
  assert_false(cidr_list_match(l, "192.168.1.127"));
  assert_true(cidr_list_match(l, "203.0.113.9"));
  assert_false(cidr_list_match(l, "203.0.113.10"));
  assert_true(cidr_list_match(l, "2001:db8:ffff::1"));
  assert_false(cidr_list_match(l, "2001:db9::1"));
  assert_true(cidr_list_match(l, "::ffff:10.9.8.7")); /* IPv4-mapped */
  assert_false(cidr_list_match(l, "::ffff:11.9.8.7"));
  assert_false(cidr_list_match(l, "not-an-ip"));
  assert_false(cidr_list_match(l, NULL));
  assert_false(cidr_list_match("", "10.1.2.3"));
  assert_true(cidr_list_match("0.0.0.0/0", "198.51.100.1"));
  assert_false(cidr_list_match("0.0.0.0/0", "2001:db8::1")); /* families do not mix */
  assert_false(cidr_list_match("10.0.0.0/33", "10.1.2.3"));  /* a bad list matches nothing */
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_check), cmocka_unit_test(test_match)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* text_check: the one UTF-8 and control-character check every text input
 * goes through (Unicode table 3-7 boundaries, both sides of each). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/text.h"

static text_fault chk(const char *s) { return text_check(s, strlen(s), 0); }

static void test_well_formed(void **state) {
  (void)state;
  assert_int_equal(chk(""), TEXT_OK);
  assert_int_equal(chk("Niccol\xc3\xb2 D'\xc3\x80rpino"), TEXT_OK);
  assert_int_equal(chk("\xc2\xa0"), TEXT_OK);         /* U+00A0, first after C1 */
  assert_int_equal(chk("\xe0\xa0\x80"), TEXT_OK);     /* U+0800 */
  assert_int_equal(chk("\xed\x9f\xbf"), TEXT_OK);     /* U+D7FF */
  assert_int_equal(chk("\xee\x80\x80"), TEXT_OK);     /* U+E000 */
  assert_int_equal(chk("\xe2\x82\xac"), TEXT_OK);     /* euro sign */
  assert_int_equal(chk("\xf0\x90\x80\x80"), TEXT_OK); /* U+10000 */
  assert_int_equal(chk("\xf4\x8f\xbf\xbf"), TEXT_OK); /* U+10FFFF */
}

static void test_ill_formed(void **state) {
  (void)state;
  assert_int_equal(chk("Form\xc0\xaf"), TEXT_BAD_UTF8);     /* overlong '/' */
  assert_int_equal(chk("\xc1\xbf"), TEXT_BAD_UTF8);         /* overlong */
  assert_int_equal(chk("\xe0\x9f\xbf"), TEXT_BAD_UTF8);     /* overlong 3-byte */
  assert_int_equal(chk("\xf0\x8f\xbf\xbf"), TEXT_BAD_UTF8); /* overlong 4-byte */
  assert_int_equal(chk("\xed\xa0\x80"), TEXT_BAD_UTF8);     /* U+D800 surrogate */
  assert_int_equal(chk("\xed\xbf\xbf"), TEXT_BAD_UTF8);     /* U+DFFF surrogate */
  assert_int_equal(chk("\xf4\x90\x80\x80"), TEXT_BAD_UTF8); /* U+110000 */
  assert_int_equal(chk("\xf5\x80\x80\x80"), TEXT_BAD_UTF8);
  assert_int_equal(chk("\xff\xfe"), TEXT_BAD_UTF8);
  assert_int_equal(chk("\x80"), TEXT_BAD_UTF8); /* stray continuation */
  assert_int_equal(chk("\xc3"), TEXT_BAD_UTF8); /* truncated */
  assert_int_equal(chk("\xe2\x82"), TEXT_BAD_UTF8);
  assert_int_equal(chk("\xe2\x82x"), TEXT_BAD_UTF8);
  /* the length given is what counts, not the NUL */
  assert_int_equal(text_check("\xc3\xa8", 1, 0), TEXT_BAD_UTF8);
  /* bad UTF-8 wins over a control character wherever they are */
  assert_int_equal(chk("\x01\xff"), TEXT_BAD_UTF8);
}

static void test_controls(void **state) {
  (void)state;
  assert_int_equal(text_check("a\0b", 3, 1), TEXT_CONTROL);
  assert_int_equal(chk("a\x01"), TEXT_CONTROL);
  assert_int_equal(chk("a\x1b[0m"), TEXT_CONTROL);
  assert_int_equal(chk("a\x1f"), TEXT_CONTROL);
  assert_int_equal(chk("a\x7f"), TEXT_CONTROL);     /* DEL */
  assert_int_equal(chk("a\xc2\x80"), TEXT_CONTROL); /* U+0080 */
  assert_int_equal(chk("a\xc2\x85"), TEXT_CONTROL); /* NEL */
  assert_int_equal(chk("a\xc2\x9f"), TEXT_CONTROL); /* U+009F */
  assert_int_equal(chk(" ~"), TEXT_OK);
  /* tab, LF, CR: only in multi-line fields */
  assert_int_equal(chk("a\tb"), TEXT_CONTROL);
  assert_int_equal(chk("a\nb"), TEXT_CONTROL);
  assert_int_equal(chk("a\r\nb"), TEXT_CONTROL);
  assert_int_equal(text_check("a\tb\r\nc", 6, 1), TEXT_OK);
  assert_int_equal(text_check("a\x0b", 2, 1), TEXT_CONTROL); /* vertical tab */
  assert_int_equal(text_check("a\x7f", 2, 1), TEXT_CONTROL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_well_formed),
      cmocka_unit_test(test_ill_formed),
      cmocka_unit_test(test_controls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

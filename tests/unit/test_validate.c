/* Validators against every row of the shared example tables, plus e-mail
 * and mobile cases and CF decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/validate.h"
#include "csv.h"

/* The message must fit the reason column of the table. */
static void assert_reason(const char *code, const char *msg, const char *reason) {
  static const struct {
    const char *reason, *needle, *alt;
  } map[] = {
      {"length", "caratteri", "11 cifre"}, {"checksum", "controllo", NULL}, {"date", "data di nascita", NULL},
      {"zero_matricola", "matricola", NULL}, {"mod97", "cifre di controllo", NULL}, {"CIN", "CIN", NULL},
      {"country", "italiano", NULL},
  };
  if (!msg) fail_msg("%s accepted, expected %s", code, reason);
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(map[i].reason, reason) == 0) {
      if (!strstr(msg, map[i].needle) && !(map[i].alt && strstr(msg, map[i].alt)))
        fail_msg("%s: '%s' does not explain %s", code, msg, reason);
      return;
    }
  /* "format": anything but the messages of the other reasons */
  assert_string_equal(reason, "format");
  assert_null(strstr(msg, "controllo"));
  assert_null(strstr(msg, "data di nascita"));
}

static void test_cf_table(void **state) {
  (void)state;
  FILE *f = csv_open("codice_fiscale_examples.csv");
  assert_non_null(f);
  char line[1024];
  int rows = 0, valid = 0;
  while (fgets(line, sizeof line, f)) {
    char *fl[6];
    if (csv_split(line, fl, 6) < 3) continue;
    const char *msg = validate_codice_fiscale(fl[0]);
    const char *any = validate_fiscal_code_any(fl[0]);
    if (strcmp(fl[1], "true") == 0) {
      if (msg) fail_msg("%s rejected: %s", fl[0], msg);
      assert_null(any);
      valid++;
    } else {
      assert_reason(fl[0], msg, fl[2]);
      assert_non_null(any);
    }
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 13);
  assert_int_equal(valid, 7);
}

static void test_cf_cases(void **state) {
  (void)state;
  assert_string_equal(validate_codice_fiscale("RCCMNL83S18D969"), "Il codice fiscale deve avere 16 caratteri.");
  assert_string_equal(validate_codice_fiscale("RCCMNL83S18D969X"),
                      "Il carattere di controllo del codice fiscale non è corretto.");
  assert_non_null(validate_codice_fiscale("rccmnl83s18d969h")); /* lower case: normalise first */
  assert_non_null(validate_codice_fiscale(NULL));
  assert_non_null(validate_codice_fiscale("RCCMNL8WS18D969H")); /* W is not an omocodia letter */
  assert_non_null(validate_codice_fiscale("1CCMNL83S18D969H"));
  char cf[] = " rccmnl 83s18 d969h ";
  normalize_code(cf);
  assert_string_equal(cf, "RCCMNL83S18D969H");
  assert_null(validate_codice_fiscale(cf));
}

static void test_cf_decode(void **state) {
  (void)state;
  civil_date b;
  char sex, bf[5];
  assert_int_equal(cf_decode("RCCMNL83S18D969H", 2025, &b, &sex, bf), 0);
  assert_true(b.y == 1983 && b.m == 11 && b.d == 18);
  assert_int_equal(sex, 'M');
  assert_string_equal(bf, "D969");
  assert_int_equal(cf_decode("CNTCHR83T41D969D", 2025, &b, &sex, bf), 0);
  assert_true(b.y == 1983 && b.m == 12 && b.d == 1);
  assert_int_equal(sex, 'F');
  assert_int_equal(cf_decode("BNCLRA85M52F205I", 2025, &b, &sex, bf), 0);
  assert_true(b.y == 1985 && b.m == 8 && b.d == 12);
  assert_int_equal(sex, 'F');
  assert_string_equal(bf, "F205");
  /* century from the reference year */
  assert_int_equal(cf_decode("VRDGPP13E10H501O", 2025, &b, &sex, bf), 0);
  assert_true(b.y == 2013 && b.m == 5 && b.d == 10);
  assert_int_equal(cf_decode("VRDGPP13E10H501O", 2012, &b, &sex, bf), 0);
  assert_int_equal(b.y, 1913);
  /* omocodia undone in the place code and in the date */
  assert_int_equal(cf_decode("MRORSS80A01HRLMB", 2025, &b, &sex, bf), 0);
  assert_string_equal(bf, "H501");
  assert_true(b.y == 1980 && b.m == 1 && b.d == 1);
  assert_int_equal(cf_decode("RCCMNL83S18D96VW", 2025, &b, &sex, bf), 0);
  assert_string_equal(bf, "D969");
  assert_int_equal(cf_decode("RCCMNL83S18D969X", 2025, &b, &sex, bf), -1);
}

static void test_piva_table(void **state) {
  (void)state;
  FILE *f = csv_open("partita_iva_examples.csv");
  assert_non_null(f);
  char line[1024];
  int rows = 0, warnings = 0;
  while (fgets(line, sizeof line, f)) {
    char *fl[6];
    if (csv_split(line, fl, 6) < 3) continue;
    const char *msg = validate_partita_iva(fl[0]);
    if (strcmp(fl[1], "true") == 0) {
      if (msg) fail_msg("%s rejected: %s", fl[0], msg);
      assert_null(partita_iva_warning(fl[0]));
      assert_null(validate_fiscal_code_any(fl[0])); /* numeric CF of companies */
    } else if (strcmp(fl[1], "warning") == 0) {
      if (msg) fail_msg("%s rejected: %s", fl[0], msg);
      assert_non_null(partita_iva_warning(fl[0]));
      assert_null(validate_fiscal_code_any(fl[0]));
      warnings++;
    } else {
      assert_reason(fl[0], msg, fl[2]);
      assert_null(partita_iva_warning(fl[0]));
      assert_non_null(validate_fiscal_code_any(fl[0]));
      /* the same rules as a codice fiscale: refused, and said so */
      const char *cf_msg = validate_cf_numeric(fl[0]);
      assert_non_null(cf_msg);
      if (!strstr(cf_msg, "codice fiscale")) fail_msg("%s: %s", fl[0], cf_msg);
      assert_null(strstr(validate_fiscal_code_any(fl[0]), "partita IVA"));
    }
    if (strcmp(fl[1], "false") != 0) assert_null(validate_cf_numeric(fl[0]));
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 10);
  assert_int_equal(warnings, 1);
  assert_non_null(validate_partita_iva(NULL));
  assert_non_null(validate_fiscal_code_any("ABC"));
  assert_non_null(validate_fiscal_code_any(""));
}

static void test_iban_table(void **state) {
  (void)state;
  FILE *f = csv_open("iban_examples.csv");
  assert_non_null(f);
  char line[1024];
  int rows = 0;
  while (fgets(line, sizeof line, f)) {
    char *fl[6];
    if (csv_split(line, fl, 6) < 3) continue;
    const char *msg = validate_iban_it(fl[0]);
    if (strcmp(fl[1], "true") == 0) {
      if (msg) fail_msg("%s rejected: %s", fl[0], msg);
      assert_null(validate_iban(fl[0]));
    } else {
      assert_reason(fl[0], msg, fl[2]);
    }
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 10);
  /* valid foreign IBANs pass the generic check */
  assert_null(validate_iban("DE89370400440532013000"));
  assert_null(validate_iban("GB82WEST12345698765432"));
  assert_null(validate_iban("FR1420041010050500013M02606"));
  assert_non_null(validate_iban("DE8937040044053201300"));   /* 21 chars, DE needs 22 */
  assert_non_null(validate_iban("GB82WEST12345698765433"));  /* mod 97 */
  assert_non_null(validate_iban("it60x0542811101000000123456")); /* not normalised */
  assert_non_null(validate_iban(""));
  assert_non_null(validate_iban(NULL));
  char typed[] = "it60 x054 2811 1010 0000 0123 456";
  normalize_code(typed);
  assert_null(validate_iban_it(typed));
}

static void test_email(void **state) {
  (void)state;
  const char *good[] = {"mario.rossi@example.it", "a@b.co", "x+tag@sub.example.com", "o'neil@comune.roma.it",
                        "user_1@xn--comune-d1a.it", "UFFICIO.TRIBUTI@Comune.Example.IT"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (validate_email(good[i])) fail_msg("%s rejected: %s", good[i], validate_email(good[i]));
  const char *bad[] = {"", "mario", "mario@", "@example.it", "a@@example.it", "a@b@example.it", "a@localhost",
                       "a@example", "a@.example.it", "a@example..it", "a@-example.it", "a@example-.it",
                       ".a@example.it", "a.@example.it", "a..b@example.it", "a b@example.it", "a@exa mple.it",
                       "a@example.i", "a@example.123", "a@exam_ple.it", "mario rossi <m@example.it>"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (!validate_email(bad[i])) fail_msg("%s accepted", bad[i]);
  assert_non_null(validate_email(NULL));
  char local[80], addr[300];
  memset(local, 'a', 65);
  local[65] = 0;
  snprintf(addr, sizeof addr, "%s@example.it", local);
  assert_non_null(validate_email(addr)); /* local part of 65 */
  local[64] = 0;
  snprintf(addr, sizeof addr, "%s@example.it", local);
  assert_null(validate_email(addr));
  /* 255 chars in total with valid labels */
  char longaddr[300] = "a@";
  while (strlen(longaddr) < 250) strcat(longaddr, "abcdefghij.");
  strcat(longaddr, "example.it");
  assert_true(strlen(longaddr) > 254);
  assert_non_null(validate_email(longaddr));
}

static void test_mobile(void **state) {
  (void)state;
  char out[16];
  const struct {
    const char *in, *e164;
  } good[] = {
      {"3331234567", "+393331234567"}, {"+39 333 1234567", "+393331234567"}, {"0039 333 123 4567", "+393331234567"},
      {"333 123456", "+39333123456"},  {"+393201234567", "+393201234567"},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    if (validate_mobile(good[i].in)) fail_msg("%s rejected", good[i].in);
    assert_int_equal(mobile_normalize(good[i].in, out), 0);
    assert_string_equal(out, good[i].e164);
  }
  const char *bad[] = {"", "0612345678", "+33 612345678", "33312345", "333123456789", "333-1234567",
                       "+39+3331234567", "39 3331234567x", "3331234567+", "+39", "00393"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (!validate_mobile(bad[i])) fail_msg("%s accepted", bad[i]);
    assert_int_equal(mobile_normalize(bad[i], out), -1);
  }
  assert_non_null(validate_mobile(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cf_table),   cmocka_unit_test(test_cf_cases), cmocka_unit_test(test_cf_decode),
      cmocka_unit_test(test_piva_table), cmocka_unit_test(test_iban_table), cmocka_unit_test(test_email),
      cmocka_unit_test(test_mobile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* NAV / IUV / RF rules and 2D-code payloads over every vector of
 * ../shared/spec/pagopa/test-vectors (read in place). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <jansson.h>
#include "csv.h"
#include "domain/pagopa/nav.h"

#define VECTORS "../spec/pagopa/test-vectors/" /* relative to SHARED_DIR/data */

enum { K_KIND, K_VALUE, K_EC_CF, K_AUX, K_CODE, K_BASE, K_CHECK, K_IUV, K_VALID, K_NFIELDS = 13 };

/* Inserts a space every 4 characters ("RF18 5390 ...", "3022 0240 ..."). */
static void spaced(const char *s, char *out) {
  size_t w = 0;
  for (size_t i = 0; s[i]; i++) {
    if (i && i % 4 == 0) out[w++] = ' ';
    out[w++] = s[i];
  }
  out[w] = 0;
}

static void check_nav_row(char **f) {
  const char *nav = f[K_VALUE];
  int expect = strcmp(f[K_VALID], "true") == 0;
  const char *why = nav_validate(nav);
  if (expect && why) fail_msg("%s: expected valid, got '%s'", nav, why);
  if (!expect && !why) fail_msg("%s: expected invalid, accepted", nav);

  /* the parts the vector names, whether or not the check digits are right */
  int aux = atoi(f[K_AUX]);
  assert_int_equal(nav[0] - '0', aux);
  assert_int_equal(strlen(f[K_CHECK]), 2);
  assert_memory_equal(nav + 16, f[K_CHECK], 2);
  assert_string_equal(nav + (aux == 0 ? 3 : 1), f[K_IUV]);

  char grouped[NAV_GROUPED_SIZE], back[19];
  nav_format_grouped(nav, grouped);
  assert_int_equal(strlen(grouped), 22);
  assert_int_equal(grouped[4], ' ');
  if (expect) {
    nav_info info;
    assert_int_equal(nav_decode(nav, &info), ERR_OK);
    assert_int_equal(info.aux, aux);
    assert_string_equal(info.iuv, f[K_IUV]);
    assert_int_equal(info.check, atoi(f[K_CHECK]));
    if (aux == 0 || aux == 3) assert_int_equal(info.code, atoi(f[K_CODE]));
    /* the printed grouped form reads back */
    assert_null(nav_parse(grouped, back));
    assert_string_equal(back, nav);
  } else {
    nav_info info = {.aux = 42};
    assert_int_equal(nav_decode(nav, &info), ERR_INVALID);
    assert_int_equal(info.aux, 42);
    assert_non_null(nav_parse(grouped, back));
  }
  if (aux == 3) {
    /* building from segregation code + base gives the vector when it is
     * valid, and different check digits when it is not */
    char iuv[18], built[19];
    assert_int_equal(nav_build_aux3(atoi(f[K_CODE]), strtoull(f[K_BASE], NULL, 10), iuv, built), ERR_OK);
    if (expect) {
      assert_string_equal(built, nav);
      assert_string_equal(iuv, f[K_IUV]);
    } else {
      assert_memory_equal(built, nav, 16);
      assert_memory_not_equal(built + 16, nav + 16, 2);
      assert_null(nav_validate(built));
    }
  }
}

static void check_rf_row(char **f) {
  int expect = strcmp(f[K_VALID], "true") == 0;
  const char *why = rf_validate(f[K_VALUE]);
  if (expect && why) fail_msg("%s: expected valid, got '%s'", f[K_VALUE], why);
  if (!expect && !why) fail_msg("%s: expected invalid, accepted", f[K_VALUE]);
  char sp[64];
  spaced(f[K_VALUE], sp);
  assert_int_equal(rf_validate(sp) == NULL, expect);
}

static void test_vectors_csv(void **state) {
  (void)state;
  FILE *in = csv_open(VECTORS "nav_iuv_vectors.csv");
  assert_non_null(in);
  char line[2048];
  int navs = 0, rfs = 0, invalid = 0;
  while (fgets(line, sizeof line, in)) {
    char *f[K_NFIELDS];
    if (csv_split(line, f, K_NFIELDS) < K_VALID + 1) continue;
    if (strcmp(f[K_VALID], "true") != 0) invalid++;
    if (strcmp(f[K_KIND], "NAV") == 0) {
      check_nav_row(f);
      navs++;
    } else if (strcmp(f[K_KIND], "RF") == 0) {
      check_rf_row(f);
      rfs++;
    } else {
      fail_msg("unknown kind '%s'", f[K_KIND]);
    }
  }
  fclose(in);
  /* every row was read: the file has 13 NAVs and 3 RFs, 3 of them invalid */
  assert_int_equal(navs, 13);
  assert_int_equal(rfs, 3);
  assert_int_equal(invalid, 3);
}

static void test_build_and_bounds(void **state) {
  (void)state;
  char iuv[18], nav[19];
  assert_int_equal(nav_build_aux3(0, 0, iuv, nav), ERR_OK);
  assert_string_equal(nav, "300000000000000003"); /* 3*10^15 mod 93 = 3 */
  assert_int_equal(nav_mod93("3000000000000000", 16), 3);
  assert_int_equal(nav_build_aux3(99, NAV_BASE_MAX, iuv, nav), ERR_OK);
  assert_null(nav_validate(nav));
  assert_int_equal(nav_build_aux3(100, 0, iuv, nav), ERR_INVALID);
  assert_int_equal(nav_build_aux3(-1, 0, iuv, nav), ERR_INVALID);
  assert_int_equal(nav_build_aux3(1, NAV_BASE_MAX + 1, iuv, nav), ERR_INVALID);
  assert_int_equal(nav_mod93("", 0), -1);
  assert_int_equal(nav_mod93("12a", 3), -1);
  /* every single-digit error in a valid NAV is caught */
  const char *good = "302202400000000111";
  char bad[19];
  for (int i = 0; i < 18; i++) {
    for (char d = '0'; d <= '9'; d++) {
      if (d == good[i]) continue;
      memcpy(bad, good, 19);
      bad[i] = d;
      if (i == 0 && d == '1') continue; /* aux 1 has no check digits */
      if (!nav_validate(bad)) fail_msg("accepted %s", bad);
    }
  }
  /* aux 1: 17 free digits; aux >= 4 unknown */
  assert_null(nav_validate("112345678901234567"));
  assert_non_null(nav_validate("412345678901234567"));
  assert_non_null(nav_validate("30220240000000011"));
  assert_non_null(nav_validate("3022024000000001111"));
  assert_non_null(nav_validate(NULL));
}

static void test_parse(void **state) {
  (void)state;
  char nav[19] = "untouched";
  assert_null(nav_parse(" 3022 0240 0000 0001 11 ", nav));
  assert_string_equal(nav, "302202400000000111");
  assert_null(nav_parse("302202400000000212", nav));
  assert_string_equal(nav, "302202400000000212");
  assert_null(nav_parse("3022-0240-0000-0001-11", nav));
  strcpy(nav, "untouched");
  assert_non_null(nav_parse("3022 0240 0000 0001 1", nav));   /* 17 digits */
  assert_non_null(nav_parse("3022 0240 0000 0001 111", nav)); /* 19 digits */
  assert_non_null(nav_parse("3022 0240 0000 0001 1x", nav));  /* a letter */
  assert_non_null(nav_parse("3022 0240 0000 0001 12", nav));  /* wrong check */
  assert_non_null(nav_parse("", nav));
  assert_non_null(nav_parse(NULL, nav));
  assert_string_equal(nav, "untouched");
  char g[NAV_GROUPED_SIZE];
  nav_format_grouped("302202400000000111", g);
  assert_string_equal(g, "3022 0240 0000 0001 11");
}

static void test_rf_extra(void **state) {
  (void)state;
  assert_null(rf_validate("rf18 5390 0754 7034"));
  assert_non_null(rf_validate("RF19539007547034"));
  assert_non_null(rf_validate("RF18"));
  assert_non_null(rf_validate("XX18539007547034"));
  assert_non_null(rf_validate("RF18-5390"));
  assert_non_null(rf_validate("RF181234567890123456789012")); /* 26 chars */
  assert_non_null(rf_validate(NULL));
}

static json_t *load_2d(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/spec/pagopa/test-vectors/notice_2d_codes.json", SHARED_DIR);
  json_error_t err;
  json_t *j = json_load_file(path, 0, &err);
  if (!j) fail_msg("%s: %s", path, err.text);
  return j;
}

static void test_qr_vectors(void **state) {
  (void)state;
  json_t *j = load_2d();
  json_t *qr = json_object_get(j, "qr");
  assert_true(json_array_size(qr) >= 5);
  size_t i;
  json_t *v;
  json_array_foreach(qr, i, v) {
    const char *payload = json_string_value(json_object_get(v, "payload"));
    json_t *valid = json_object_get(v, "valid");
    char nav[19], cf[12];
    int64_t cents = -1;
    err_code rc = nav_qr_parse(payload, nav, cf, &cents);
    if (json_is_false(valid)) {
      if (rc == ERR_OK) fail_msg("accepted %s", payload);
      continue;
    }
    /* true, and null (the spec's layout example: an aux-1 NAV, format only) */
    if (rc != ERR_OK) fail_msg("rejected %s", payload);
    char rebuilt[NAV_QR_SIZE];
    assert_int_equal(nav_qr_payload(nav, cf, cents, rebuilt), ERR_OK);
    /* we always write at least 2 amount digits, as the spec says */
    const char *amount = strrchr(payload, '|') + 1;
    if (strlen(amount) >= 2) {
      assert_string_equal(rebuilt, payload);
    } else {
      assert_memory_equal(rebuilt, payload, (size_t)(amount - payload));
      assert_int_equal(strtoll(strrchr(rebuilt, '|') + 1, NULL, 10), cents);
      assert_int_equal(strlen(strrchr(rebuilt, '|') + 1), 2);
    }
  }
  json_decref(j);
  char out[NAV_QR_SIZE];
  assert_int_equal(nav_qr_payload("302202400000000111", "77777777777", 15000, out), ERR_OK);
  assert_string_equal(out, "PAGOPA|002|302202400000000111|77777777777|15000");
  assert_int_equal(nav_qr_payload("302202400000000111", "7777777777", 15000, out), ERR_INVALID);
  assert_int_equal(nav_qr_payload("302202400000000112", "77777777777", 15000, out), ERR_INVALID);
  assert_int_equal(nav_qr_payload("302202400000000111", "77777777777", 0, out), ERR_INVALID);
  assert_int_equal(nav_qr_payload("302202400000000111", "77777777777", 10000000000LL, out), ERR_INVALID);
  assert_int_equal(nav_qr_parse("PAGOPA|002|302202400000000111|77777777777|", NULL, NULL, NULL), ERR_INVALID);
  assert_int_equal(nav_qr_parse("PAGOPA|002|302202400000000111|77777777777|12345678901", NULL, NULL, NULL),
                   ERR_INVALID);
}

static void test_datamatrix_vectors(void **state) {
  (void)state;
  json_t *j = load_2d();
  json_t *dm = json_object_get(j, "poste_datamatrix");
  json_t *vectors = json_object_get(dm, "vectors");
  assert_int_equal(json_integer_value(json_object_get(dm, "total_length")), NAV_DATAMATRIX_LEN);
  /* the first vector is built by us from its parts */
  const char *want = json_string_value(json_object_get(json_array_get(vectors, 0), "payload"));
  assert_non_null(want);
  nav_poste p = {.nav = "302202400000000111",
                 .postal_account = "12345678",
                 .cents = 15000,
                 .ente_cf = "77777777777",
                 .debtor_cf = "RSSMRA80A01H501U",
                 .debtor_name = "Mario Rossi",
                 .subject = "TARI 2025 - rata unica"};
  char out[NAV_DATAMATRIX_LEN + 1];
  assert_int_equal(nav_poste_datamatrix(&p, out), ERR_OK);
  assert_int_equal(strlen(out), NAV_DATAMATRIX_LEN);
  assert_string_equal(out, want);
  /* every fixed field of the documented layout is where the layout says */
  size_t i;
  json_t *fld;
  int fixed = 0;
  json_array_foreach(json_object_get(dm, "fields"), i, fld) {
    size_t pos = (size_t)json_integer_value(json_object_get(fld, "pos"));
    size_t len = (size_t)json_integer_value(json_object_get(fld, "len"));
    const char *value = json_string_value(json_object_get(fld, "value"));
    assert_true(pos >= 1 && pos - 1 + len <= NAV_DATAMATRIX_LEN);
    if (value && strlen(value) == len) {
      assert_memory_equal(out + pos - 1, value, len);
      fixed++;
    }
  }
  assert_true(fixed >= 7);
  /* every vector (also the 255-char one from io-app) reads back */
  json_t *v;
  json_array_foreach(vectors, i, v) {
    const char *payload = json_string_value(json_object_get(v, "payload"));
    char nav[19], acc[13], cf[12];
    int64_t cents;
    assert_int_equal(strlen(payload), json_integer_value(json_object_get(v, "length")));
    if (nav_poste_datamatrix_parse(payload, nav, acc, &cents, cf) != ERR_OK) fail_msg("rejected %s", payload);
    assert_memory_equal(nav, payload + 15, 18);
    assert_memory_equal(cf, payload + 66, 11);
  }
  json_decref(j);
  /* text fields: upper case, accents reduced, cut to width */
  p.debtor_name = "Nicolò D'Àlbero ÆØ €uro";
  p.subject =
      "Sosta 2025 – verbale n. 12 àèéìòù ß and a very long text that goes beyond one hundred and ten "
      "characters for sure, yes";
  assert_int_equal(nav_poste_datamatrix(&p, out), ERR_OK);
  assert_int_equal(strlen(out), NAV_DATAMATRIX_LEN);
  assert_memory_equal(out + 93, "NICOLO D'ALBERO AO URO", 22);
  assert_memory_equal(out + 133, "SOSTA 2025  VERBALE N. 12 AEEIOU S AND", 38);
  assert_int_equal(out[255], 'A');
  assert_memory_equal(out + 243, "            ", 12);
  /* bad inputs */
  p.postal_account = "1234567890123";
  assert_int_equal(nav_poste_datamatrix(&p, out), ERR_INVALID);
  p.postal_account = "12345a";
  assert_int_equal(nav_poste_datamatrix(&p, out), ERR_INVALID);
  p.postal_account = "1";
  p.nav = "302202400000000112";
  assert_int_equal(nav_poste_datamatrix(&p, out), ERR_INVALID);
  assert_int_equal(nav_poste_datamatrix_parse("codfase=NBPA;18", NULL, NULL, NULL, NULL), ERR_INVALID);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vectors_csv), cmocka_unit_test(test_build_and_bounds),
      cmocka_unit_test(test_parse),       cmocka_unit_test(test_rf_extra),
      cmocka_unit_test(test_qr_vectors),  cmocka_unit_test(test_datamatrix_vectors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Bulk import: valid lines imported and invalid ones reported with their
 * reason, one output row per NAV for installments, taxpayers created,
 * Ente by slug or codice fiscale, amounts parsed without floating point;
 * --all-or-nothing writes nothing when a line is bad; exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "debt_fx.h"
#include "fixture.h"

static testdb T;
static db *D;
static dfx_ente E;
static arena *A;
static char CF1[17], CF2[17];

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  D = fx_open(&T, "domain_debt_import");
  E = dfx_setup(D, "importa", 8201, "05");
  A = arena_new();
  fx_cf("BNCGNN75B12F205", CF1);
  fx_cf("VRDLCU90M41H501", CF2);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  arena_free(A);
  fx_close(&T, D);
  return 0;
}

static void test_parse_euros(void **state) {
  (void)state;
  int64_t c = -1;
  assert_int_equal(debt_parse_euros("0.01", &c), 0);
  assert_int_equal(c, 1);
  assert_int_equal(debt_parse_euros("1234.50", &c), 0);
  assert_int_equal(c, 123450);
  assert_int_equal(debt_parse_euros("99999999999.99", &c), 0);
  assert_int_equal(c, 9999999999999);
  const char *bad[] = {"",       "12",    "12.5",  "12,50", "1.234,50",       "-1.00",
                       "1e3.00", " 1.00", "1.000", ".50",   "999999999999.99"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (debt_parse_euros(bad[i], &c) == 0) fail_msg("%s accepted", bad[i]);
}

static int64_t rows(void) {
  return fx_count(D, "SELECT COUNT(*) FROM debt_act", 0) + fx_count(D, "SELECT COUNT(*) FROM taxpayer", 0) +
         fx_count(D, "SELECT COUNT(*) FROM debt_movement", 0) +
         fx_count(D, "SELECT COUNT(*) FROM audit_log", 0);
}

/* A memory stream standing in for stdout. */
typedef struct {
  char *data;
  size_t len;
  FILE *f;
} mem;

static void mem_open(mem *m) {
  m->data = NULL;
  m->len = 0;
  m->f = open_memstream(&m->data, &m->len);
  assert_non_null(m->f);
}

/* Closes the stream: data holds the text. */
static char *mem_text(mem *m) {
  fclose(m->f);
  return m->data;
}

/* Output lines of out, split in place. */
static size_t out_lines(char *s, char **v, size_t max) {
  size_t n = 0;
  for (char *p = strtok(s, "\n"); p && n < max; p = strtok(NULL, "\n")) v[n++] = p;
  return n;
}

static const char *csv(void) {
  return arena_printf(
      A,
      "ente_cf,taxpayer_cf,taxpayer_name,revenue,year,description,amount,due_date,installments\n"
      "%s,%s,\"Bianchi, Giovanni\",IMU,2026,\"Saldo IMU, 2026\",250.00,2027-06-16,\n" /* 2 */
      "importa,%s,Verdi Lucia,TARI,2026,TARI 2026,300.01,2027-05-31,3\n"              /* 3 */
      "%s,%s,,IMU,2026,Acconto,12,50,2027-06-16,\n"                                   /* 4 */
      "importa,%s,Verdi Lucia,ICI,2026,x,10.00,2027-06-16,\n"                         /* 5 */
      "sconosciuto,%s,Verdi Lucia,IMU,2026,x,10.00,2027-06-16,\n"                     /* 6 */
      "importa,RSSMRA80A01H501X,Rossi Mario,IMU,2026,x,10.00,2027-06-16,\n"           /* 7 */
      "importa,%s,Verdi Lucia,IMU,2026,x,10.00,2027-02-30,\n"                         /* 8 */
      "importa,%s,Verdi Lucia,IMU,2026,x,10.00,2027-06-16,1\n"                        /* 9 */
      "\n"
      "importa,%s,Verdi Lucia,IMU,2026,\"ultima\",0.99,2027-06-16,0\n", /* 11 */
      E.ente_cf, CF1, CF2, E.ente_cf, CF1, CF2, CF2, CF2, CF2, CF2);
}

static void test_import_partial(void **state) {
  (void)state;
  int64_t tps = fx_count(D, "SELECT COUNT(*) FROM taxpayer", 0);
  mem out;
  mem_open(&out);
  size_t ok = 0, bad = 0;
  debt_import_opts o = {0, &fx_cli};
  assert_int_equal(debt_import_csv(D, A, csv(), &o, out.f, &ok, &bad), ERR_INVALID);
  assert_int_equal(ok, 3);
  assert_int_equal(bad, 6);
  char *l[40];
  fprintf(stderr, "%s", mem_text(&out));
  size_t n = out_lines(out.data, l, 40);
  assert_int_equal(n, 1 + 1 + 4 + 6 + 1);
  assert_string_equal(l[0], "line,status,act_id,nav,amount_cents,due_date,error");
  assert_true(strncmp(l[1], "2,ok,", 5) == 0);
  assert_non_null(strstr(l[1], ",25000,2027-06-16,"));
  /* line 3: a single payment and 3 installments, one row per NAV */
  assert_non_null(strstr(l[2], ",30001,2027-05-31,"));
  assert_non_null(strstr(l[3], ",10001,2027-05-31,")); /* remainder to the first */
  assert_non_null(strstr(l[4], ",10000,2027-06-30,"));
  assert_non_null(strstr(l[5], ",10000,2027-07-31,"));
  for (int i = 2; i <= 5; i++) assert_true(strncmp(l[i], "3,ok,", 5) == 0);
  assert_true(strncmp(l[6], "4,error,,,,,", 12) == 0);
  assert_true(strncmp(l[7], "5,error,,,,,revenue", 19) == 0);
  assert_true(strncmp(l[8], "6,error,,,,,ente_cf", 19) == 0);
  assert_true(strncmp(l[9], "7,error,,,,,taxpayer_cf", 23) == 0);
  assert_true(strncmp(l[10], "8,error,,,,,due_date", 20) == 0);
  assert_true(strncmp(l[11], "9,error,,,,,\"installments", 25) == 0);
  assert_true(strncmp(l[12], "11,ok,", 6) == 0);
  /* two taxpayers created, with their names */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM taxpayer", 0), tps + 2);
  debt_act *v;
  size_t nv;
  debt_query q = {0};
  q.fiscal_code = CF1;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &nv), ERR_OK);
  assert_int_equal(nv, 1);
  assert_string_equal(v[0].taxpayer_name, "Bianchi Giovanni");
  assert_string_equal(v[0].description, "Saldo IMU, 2026");
  assert_int_equal(v[0].charged_cents, 25000);
  q.fiscal_code = CF2;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &nv), ERR_OK);
  assert_int_equal(nv, 2);
  free(out.data);
}

static void test_import_all_or_nothing(void **state) {
  (void)state;
  int64_t before = rows();
  mem out;
  mem_open(&out);
  size_t ok = 0, bad = 0;
  debt_import_opts o = {1, &fx_cli};
  assert_int_equal(debt_import_csv(D, A, csv(), &o, out.f, &ok, &bad), ERR_INVALID);
  assert_int_equal(ok, 0);
  assert_int_equal(bad, 6);
  assert_int_equal(rows(), before);
  char *l[40];
  size_t n = out_lines(mem_text(&out), l, 40);
  assert_int_equal(n, 13);
  assert_true(strncmp(l[1], "2,skipped,,,25000,2027-06-16,", 29) == 0);
  assert_true(strncmp(l[7], "5,error,,,,,revenue", 19) == 0);
  free(out.data);
  /* all valid: everything in */
  const char *good = arena_printf(
      A,
      "\xEF\xBB\xBF" /* a spreadsheet's BOM */
      "description,amount,due_date,ente_cf,taxpayer_cf,taxpayer_name,revenue,year,act_type,number\n"
      "Verbale 12,41.00,2027-03-01,importa,%s,Verdi Lucia,IMU,2027,verbale,V-12\n"
      "Verbale 13,41.00,2027-03-01,%s,%s,Verdi Lucia,IMU,2027,verbale,V-13\n",
      CF2, E.ente_cf, CF2);
  mem_open(&out);
  assert_int_equal(debt_import_csv(D, A, good, &o, out.f, &ok, &bad), ERR_OK);
  assert_int_equal(ok, 2);
  assert_int_equal(bad, 0);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'verbale'", 0), 2);
  free(mem_text(&out));
  /* the same file again: duplicate numbers, nothing written */
  before = rows();
  mem_open(&out);
  assert_int_equal(debt_import_csv(D, A, good, &o, out.f, &ok, &bad), ERR_INVALID);
  assert_int_equal(bad, 2);
  assert_non_null(strstr(mem_text(&out), "2,error,,,,,number"));
  assert_int_equal(rows(), before);
  free(out.data);
  /* a missing column is refused up front */
  mem_open(&out);
  assert_int_equal(debt_import_csv(D, A, "ente_cf,amount\nimporta,1.00\n", &o, out.f, &ok, &bad),
                   ERR_INVALID);
  assert_non_null(strstr(mem_text(&out), "colonna mancante: taxpayer_cf"));
  free(out.data);
}

static void test_export(void **state) {
  (void)state;
  mem out;
  mem_open(&out);
  assert_int_equal(debt_export_positions(D, A, E.ente_id, 2026, out.f), ERR_OK);
  char *l[40];
  size_t n = out_lines(mem_text(&out), l, 40);
  assert_int_equal(n, 1 + 1 + 4 + 1);
  assert_non_null(strstr(l[0], "act_id,act_type,year,number"));
  assert_non_null(strstr(l[1], ",IMU,"));
  free(out.data);
  /* a payment shows in the payments export */
  debt_act *v;
  size_t nv;
  debt_query q = {0};
  q.fiscal_code = CF1;
  assert_int_equal(debt_find(D, A, E.ente_id, &q, &v, &nv), ERR_OK);
  debt_act x = dfx_get(D, A, E.ente_id, v[0].id);
  debt_payment p = {0};
  p.nav = x.options[0].nav;
  p.amount_cents = 25000;
  p.channel = "pagopa";
  p.reference = "RT-EXP-1";
  p.value_date = "2027-01-12";
  assert_int_equal(debt_book_payment(D, A, E.ente_id, &p, &fx_cli, NULL), ERR_OK);
  mem_open(&out);
  assert_int_equal(debt_export_payments(D, A, E.ente_id, "2027-01-01", "2027-01-31", out.f), ERR_OK);
  n = out_lines(mem_text(&out), l, 40);
  assert_int_equal(n, 2);
  assert_non_null(strstr(l[1], ",payment,pagopa,RT-EXP-1,"));
  assert_non_null(strstr(l[1], ",2027-01-12,25000,"));
  free(out.data);
  mem_open(&out);
  assert_int_equal(debt_export_payments(D, A, E.ente_id, "2027-02-01", NULL, out.f), ERR_OK);
  assert_int_equal(out_lines(mem_text(&out), l, 40), 1);
  free(out.data);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_euros),
      cmocka_unit_test(test_import_partial),
      cmocka_unit_test(test_import_all_or_nothing),
      cmocka_unit_test(test_export),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* Occupations of public land on the case engine: a declaration on the
 * Friday before Easter Monday is due on the right working day; processing
 * issues one act for the hand-computed fee however often it runs; the
 * notice mail goes to the taxpayer and, with the arrears, to the Ente
 * once; a payment is reported to the Ente on the next working day. */
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
#include "domain/jobs/jobs.h"
#include "debt_fx.h"
#include "fixture.h"
#include "occ_fx.h"

static testdb T;
static db *D;
static arena *A;
static dfx_ente E;

/* Friday 3 April 2026, 10:00 in Rome (08:00 UTC); Monday 6 April is
 * Easter Monday. */
#define FRIDAY "1775203200"

static const char RULES[] =
    "rule,code,value\n"
    "annual_tariff,,30.00\n"
    "daily_tariff,,0.60\n"
    "zone,A,1.2\n"
    "use,dehors,0.8\n"
    "revenue,,IMU\n";

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", FRIDAY, 1);
  D = fx_open(&T, "domain_occupation");
  E = dfx_setup(D, "suolo-uno", 9201, "09");
  A = arena_new();
  problems pbs = {0};
  assert_int_equal(canone_import(D, A, E.ente_id, RULES, strlen(RULES), &fx_cli, &pbs, NULL), ERR_OK);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  fx_audit_ok(D);
  arena_free(A);
  fx_close(&T, D);
  return 0;
}

static int64_t CASE_ID, OCC_ID, TP_ID;

static taxpayer person(void) { return occ_fx_person("giuseppe.verdi@example.org"); }

static occupation_input input(void) { return occ_fx_input(E.ente_id, "suap@comune.example.it"); }

static void test_declare_deadline(void **state) {
  (void)state;
  occupation_input in = input();
  in.zone = "Z";
  in.ente_email = "not an address";
  taxpayer tp = person();
  tp.fiscal_code = "XYZ";
  case_rec c;
  occupation o;
  problems pbs = {0};
  int64_t cases = fx_count(D, "SELECT COUNT(*) FROM cases", 0);
  /* zone Z is checked when the fee is computed; the address and the
   * fiscal code now, with nothing written */
  assert_int_equal(occupation_declare(D, A, &fx_cli, &in, &tp, &c, &o, &pbs), ERR_INVALID);
  assert_true(problems_has(&pbs, "ente_email"));
  assert_true(problems_has(&pbs, "taxpayer.fiscal_code"));
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM cases", 0), cases);
  in = input();
  tp = person();
  problems_clear(&pbs);
  assert_int_equal(occupation_declare(D, A, &fx_cli, &in, &tp, &c, &o, &pbs), ERR_OK);
  /* 3 working days after Friday 3 April 2026: Monday 6 is Easter Monday,
   * so Tuesday 7, Wednesday 8, Thursday 9 */
  assert_string_equal(c.due_date, "2026-04-09");
  assert_string_equal(c.category_code, "osp_nuova");
  assert_true(c.protocol_number > 0);
  assert_string_equal(o.state, "declared");
  CASE_ID = c.id;
  OCC_ID = o.id;
  TP_ID = o.taxpayer_id;
  /* the same fiscal code again updates the taxpayer, no second one */
  tp = person();
  tp.given_name = "Giuseppe Maria";
  assert_int_equal(occupation_declare(D, A, &fx_cli, &in, &tp, &c, &o, &pbs), ERR_OK);
  assert_int_equal(o.taxpayer_id, TP_ID);
  taxpayer got;
  assert_int_equal(taxpayer_get(D, A, E.ente_id, TP_ID, &got), ERR_OK);
  assert_string_equal(got.given_name, "Giuseppe Maria");
}

static void test_process_once(void **state) {
  (void)state;
  /* an overdue act of the taxpayer, for the arrears */
  dfx_act(D, A, &E, TP_ID, E.imu_id, 12345, 0, "2026-01-31");
  occupation o;
  problems pbs = {0};
  int again = 0;
  assert_int_equal(occupation_process(D, A, &fx_cli, E.ente_id, CASE_ID, &o, &again, &pbs), ERR_OK);
  assert_false(again);
  /* 0,60 × 1,2 × 0,8 × 13 m² × 10 days = 74,88 € */
  assert_int_equal(o.amount_cents, 7488);
  assert_true(o.act_id > 0);
  debt_act act = dfx_get(D, A, E.ente_id, o.act_id);
  assert_int_equal(act.charged_cents, 7488);
  assert_string_equal(act.act_type, "canone");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM job WHERE kind = 'canone.notice'", 0), 1);
  int64_t act_id = o.act_id;
  assert_int_equal(occupation_process(D, A, &fx_cli, E.ente_id, CASE_ID, &o, &again, &pbs), ERR_OK);
  assert_true(again);
  assert_int_equal(o.act_id, act_id);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'", 0), 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM job WHERE kind = 'canone.notice'", 0), 1);
}

static void test_notice_mail(void **state) {
  (void)state;
  occupation_notice n;
  assert_int_equal(occupation_notice_data(D, A, E.ente_id, OCC_ID, &n), ERR_OK);
  assert_int_equal(n.n_arrears, 1);
  assert_non_null(strstr(n.arrears, "123,45"));
  assert_string_equal(n.taxpayer_email, "giuseppe.verdi@example.org");
  int64_t out = fx_count(D, "SELECT COUNT(*) FROM outbox", 0);
  assert_int_equal(occupation_notice_send(D, A, E.ente_id, OCC_ID, "%PDF-1.4 test", 13), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox", 0), out + 2);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'suap@comune.example.it'", 0), 1);
  assert_int_equal(occupation_notice_send(D, A, E.ente_id, OCC_ID, "%PDF-1.4 test", 13), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox", 0), out + 2);
}

static void test_payment_next_working_day(void **state) {
  (void)state;
  occupation o;
  assert_int_equal(occupation_get(D, A, E.ente_id, OCC_ID, &o), ERR_OK);
  debt_act act = dfx_get(D, A, E.ente_id, o.act_id);
  int n = 0;
  assert_int_equal(occupation_payments_scan(D, A, 0, &n), ERR_OK);
  assert_int_equal(n, 0);
  debt_payment p = {.act_id = act.id,
                    .option_id = act.options[0].id,
                    .amount_cents = 7488,
                    .channel = "pagopa",
                    .reference = "rt-occupation-1"};
  debt_booking bk;
  assert_int_equal(debt_book_payment(D, A, E.ente_id, &p, &fx_cli, &bk), ERR_OK);
  assert_int_equal(occupation_payments_scan(D, A, 0, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(occupation_get(D, A, E.ente_id, OCC_ID, &o), ERR_OK);
  /* paid on Friday 3 April: the next working day is Tuesday 7 (Easter
   * Monday in between); the job runs at 08:00 in Rome = 06:00 UTC */
  assert_string_equal(o.paid_report_due, "2026-04-07");
  assert_int_equal(fx_count(D, "SELECT run_at FROM job WHERE kind = 'canone.paid'", 0), 1775541600);
  assert_int_equal(occupation_payments_scan(D, A, 0, &n), ERR_OK);
  assert_int_equal(n, 0);
  int64_t out = fx_count(D, "SELECT COUNT(*) FROM outbox", 0);
  assert_int_equal(occupation_paid_report(D, A, E.ente_id, OCC_ID), ERR_OK);
  assert_int_equal(occupation_paid_report(D, A, E.ente_id, OCC_ID), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox", 0), out + 1);
}

static int64_t open_case(const char *category, const char *subject) {
  case_input ci = {0};
  ci.ente_id = E.ente_id;
  ci.channel = "email";
  ci.category_code = category;
  ci.subject = subject;
  ci.requester_name = "Giuseppe Verdi";
  ci.requester_email = "giuseppe.verdi@example.org";
  case_rec c;
  problem pb = {0};
  assert_int_equal(cases_open(D, A, &fx_cli, &ci, &c, &pb), ERR_OK);
  return c.id;
}

static void test_variation_waits_for_ente(void **state) {
  (void)state;
  int64_t case_id = open_case("osp_variazione", "Variazione superficie dehors");
  occupation_input in = input();
  in.surface_m2 = "20";
  occupation o;
  problems pbs = {0};
  int64_t acts = fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'", 0);
  int64_t jobs = fx_count(D, "SELECT COUNT(*) FROM job WHERE kind = 'canone.notice'", 0);
  int64_t to_ente = fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'suap@comune.example.it'", 0);
  assert_int_equal(
      occupation_variation(D, A, &fx_cli, E.ente_id, case_id, CASE_ID, "surface", &in, NULL, &o, &pbs),
      ERR_OK);
  assert_string_equal(o.state, "awaiting_ente");
  assert_string_equal(o.ente_decision, "pending");
  /* no notice before the Ente decides; the Ente is asked */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'", 0), acts);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM job WHERE kind = 'canone.notice'", 0), jobs);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'suap@comune.example.it'", 0),
                   to_ente + 1);
  /* processing it as a new declaration is refused */
  int again = 0;
  assert_int_equal(occupation_process(D, A, &fx_cli, E.ente_id, case_id, &o, &again, &pbs), ERR_INVALID);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'", 0), acts);
  /* approved: 0,60 × 1,2 × 0,8 × 20 m² × 10 days = 115,20 €, less the
   * 74,88 € already due = 40,32 € */
  problems_clear(&pbs);
  assert_int_equal(occupation_variation_decide(D, A, &fx_cli, E.ente_id, case_id, 1, NULL, &o, &pbs), ERR_OK);
  assert_string_equal(o.ente_decision, "approved");
  assert_int_equal(o.amount_cents, 4032);
  assert_true(o.act_id > 0);
  debt_act act = dfx_get(D, A, E.ente_id, o.act_id);
  assert_int_equal(act.charged_cents, 4032);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM job WHERE kind = 'canone.notice'", 0), jobs + 1);
  assert_int_equal(occupation_variation_decide(D, A, &fx_cli, E.ente_id, case_id, 1, NULL, &o, &pbs),
                   ERR_CASE_STATE);
  /* a refused one issues nothing */
  int64_t case2 = open_case("osp_variazione", "Variazione natura");
  in.use = "dehors";
  in.surface_m2 = "30";
  assert_int_equal(
      occupation_variation(D, A, &fx_cli, E.ente_id, case2, CASE_ID, "nature", &in, NULL, &o, &pbs), ERR_OK);
  acts = fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'", 0);
  assert_int_equal(occupation_variation_decide(D, A, &fx_cli, E.ente_id, case2, 0, "Non conforme", &o, &pbs),
                   ERR_OK);
  assert_string_equal(o.state, "refused");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'", 0), acts);
}

static void test_cessation(void **state) {
  (void)state;
  int64_t case_id = open_case("osp_cessazione", "Cessazione occupazione Piazza Grande");
  case_rec c;
  assert_int_equal(cases_get(D, A, E.ente_id, case_id, &c), ERR_OK);
  /* 5 working days from Friday 3 April 2026: 7, 8, 9, 10, 13 April */
  assert_string_equal(c.due_date, "2026-04-13");
  occupation o;
  problems pbs = {0};
  assert_int_equal(occupation_cessation(D, A, &fx_cli, E.ente_id, case_id, CASE_ID, "2026-06-05", &o, &pbs),
                   ERR_OK);
  /* the inspection within 20 days of the request: 23 April */
  assert_string_equal(o.inspection_due, "2026-04-23");
  int64_t to_tp = fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'giuseppe.verdi@example.org'", 0);
  case_actor ca = {{"cli", 0}, NULL};
  assert_int_equal(occupation_ask_photos(D, A, &ca, E.ente_id, case_id, &pbs), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'giuseppe.verdi@example.org'", 0),
                   to_tp + 1);
  assert_int_equal(cases_get(D, A, E.ente_id, case_id, &c), ERR_OK);
  assert_int_equal(c.state, CASE_WAITING);
  assert_int_equal(occupation_get_by_case(D, A, E.ente_id, case_id, &o), ERR_OK);
  assert_string_equal(o.state, "photos_requested");
  int64_t to_ente = fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'suap@comune.example.it'", 0);
  assert_int_equal(occupation_inspection(D, A, &fx_cli, E.ente_id, case_id, "2026-04-20",
                                         "Luoghi ripristinati.", &o, &pbs),
                   ERR_OK);
  assert_string_equal(o.state, "inspected");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'suap@comune.example.it'", 0),
                   to_ente + 1);
  occupation p;
  assert_int_equal(occupation_get_by_case(D, A, E.ente_id, CASE_ID, &p), ERR_OK);
  assert_string_equal(p.ceased_on, "2026-06-05");
  /* nothing more on a ceased occupation */
  int64_t case3 = open_case("osp_variazione", "Variazione dopo la cessazione");
  occupation_input in = input();
  problems_clear(&pbs);
  assert_int_equal(
      occupation_variation(D, A, &fx_cli, E.ente_id, case3, CASE_ID, "surface", &in, NULL, &o, &pbs),
      ERR_INVALID);
  assert_true(problems_has(&pbs, "parent_case"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_declare_deadline),
      cmocka_unit_test(test_process_once),
      cmocka_unit_test(test_notice_mail),
      cmocka_unit_test(test_payment_next_working_day),
      cmocka_unit_test(test_variation_waits_for_ente),
      cmocka_unit_test(test_cessation),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

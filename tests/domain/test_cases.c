/* Cases on both backends: deadlines in working days across weekends,
 * national holidays and the patron saint (SPORTELLO_TEST_NOW), routing by
 * rule and the least-loaded fallback, the state machine refusing illegal
 * transitions and users acting beyond their role, gapless case numbers
 * with 8 threads opening at once, threading of outgoing messages and
 * their protocol entries, the public follow-up, and tenant isolation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/problems.h"
#include "domain/cases/cases.h"
#include "domain/ente/ente.h"
#include "fixture.h"

static testdb T;
static db *D;
static int64_t E1, E2, E3; /* E3: patron saint on 9 December */
static int64_t OFF_A, OFF_B, OFF_C;
static user MGR_A, OP_A, OP_A2, OP_B;

#define FRI_DEC_4_10H "1796374800" /* 2026-12-04 10:00 Rome, a Friday */

static int64_t mk_office(const char *code, int64_t region_id) {
  office o = {0, region_id, NULL, (char *)code, (char *)code, "Città"};
  int64_t id = 0;
  arena *a = arena_new();
  problems pbs = {0};
  assert_int_equal(office_create(D, a, &o, &fx_cli, &id, &pbs), ERR_OK);
  arena_free(a);
  return id;
}

static user mk_user(const char *name, role r, int64_t office_id, int64_t ente_a, int64_t ente_b) {
  user u = {0};
  u.username = (char *)name;
  u.full_name = (char *)name;
  char email[80];
  snprintf(email, sizeof email, "%s@example.org", name);
  u.email = email;
  u.role = r;
  u.office_id = office_id;
  int64_t ids[2] = {ente_a, ente_b};
  arena *a = arena_new();
  problems pbs = {0};
  assert_int_equal(user_create(D, a, &u, "password-lunga-2026", ids, ente_b ? 2 : 1, &fx_cli, &u.id,
                               &pbs),
                   ERR_OK);
  arena_free(a);
  u.email = NULL; /* pointed at a local buffer */
  return u;
}

static int setup(void **state) {
  D = fx_open(&T, "domain_cases");
  E1 = fx_ente(D, "casi-uno", 9101);
  E2 = fx_ente(D, "casi-due", 9102);
  ente e = {0};
  char fc[12];
  fx_piva(9103, fc);
  e.slug = "casi-patrono";
  e.name = "Comune con patrono";
  e.fiscal_code = fc;
  e.patron_day = "12-09";
  arena *a = arena_new();
  problems pbs = {0};
  assert_int_equal(ente_create(D, a, &e, &fx_cli, &E3, &pbs), ERR_OK);
  int64_t region_id;
  assert_int_equal(region_create(D, a, "Regione Test", &fx_cli, &region_id, &pbs), ERR_OK);
  arena_free(a);
  OFF_A = mk_office("TEST-A", region_id);
  OFF_B = mk_office("TEST-B", region_id);
  OFF_C = mk_office("TEST-C", region_id);
  MGR_A = mk_user("gestore.a", ROLE_OFFICE_MANAGER, OFF_A, E1, E3);
  OP_A = mk_user("operatore.a", ROLE_OPERATOR, OFF_A, E1, E3);
  OP_A2 = mk_user("operatore.a2", ROLE_OPERATOR, OFF_A, E1, 0);
  OP_B = mk_user("operatore.b", ROLE_OPERATOR, OFF_B, E1, 0);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_A, E1, 1), ERR_OK);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_B, E1, 1), ERR_OK);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_A, E3, 1), ERR_OK);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_C, E2, 1), ERR_OK);
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

static err_code open_case(arena *a, int64_t ente_id, const char *category, const char *subject,
                          case_rec *out) {
  case_input in = {.ente_id = ente_id, .channel = "email", .category_code = category,
                   .subject = subject, .description = "Testo della richiesta",
                   .requester_name = "Mario Rossi", .requester_email = "Mario.Rossi@Example.org",
                   .message_id = "<richiesta-1@example.org>"};
  problem pb = {0};
  err_code rc = cases_open(D, a, &fx_cli, &in, out, &pb);
  if (rc != ERR_OK) fprintf(stderr, "open_case: %s %s\n", pb.field ? pb.field : "", pb.message ? pb.message : "");
  return rc;
}

static void with_now(const char *t) {
  if (t) setenv("SPORTELLO_TEST_NOW", t, 1);
  else unsetenv("SPORTELLO_TEST_NOW");
}

static void test_labels_and_tags(void **state) {
  arena *a = arena_new();
  assert_string_equal(case_label(a, 2026, 123), "2026-000123");
  assert_string_equal(case_subject_tag(a, 2026, 123), "[Pratica 2026-000123]");
  int y;
  int64_t n;
  assert_int_equal(case_find_tag("Re: [Pratica 2026-000123] Rimborso", &y, &n), 0);
  assert_int_equal(y, 2026);
  assert_int_equal(n, 123);
  assert_int_equal(case_find_tag("Re: [Pratica 2026-] x", &y, &n), -1);
  assert_int_equal(case_find_tag("[Pratica 2026-12 senza chiusura", &y, &n), -1);
  assert_int_equal(case_parse_label("2026-000045", &y, &n), 0);
  assert_int_equal(n, 45);
  assert_int_equal(case_parse_label("2026-45x", &y, &n), -1);
  assert_true(case_subject_urgent("Richiesta URGENTE rimborso"));
  assert_true(case_subject_urgent("urgente: variazione"));
  assert_false(case_subject_urgent("Richiesta di rimborso"));
  assert_string_equal(case_guess_category("Cessazione occupazione suolo pubblico", NULL),
                      "osp_cessazione");
  assert_string_equal(case_guess_category("Nuova occupazione suolo pubblico", NULL), "osp_nuova");
  assert_string_equal(case_guess_category("Ciao", "informazioni"), "informazioni");
  arena_free(a);
}

static void test_deadlines(void **state) {
  arena *a = arena_new();
  work_calendar none, patron;
  work_calendar_init(&none, NULL);
  work_calendar_init(&patron, "12-09");
  char out[11];
  /* Friday 4 December 2026 + 3 working days: Mon 7, (Tue 8 Immacolata), Wed 9, Thu 10 */
  case_due_date(&none, 1796374800, 3, out);
  assert_string_equal(out, "2026-12-10");
  /* the patron saint on 9 December moves it one more day */
  case_due_date(&patron, 1796374800, 3, out);
  assert_string_equal(out, "2026-12-11");
  /* 23:30 Rome on Friday is still Friday; 00:30 Saturday counts from Saturday */
  case_due_date(&none, 1796423400, 1, out); /* 2026-12-04 22:30 UTC = 23:30 Rome */
  assert_string_equal(out, "2026-12-07");
  case_due_date(&none, 1796427000, 1, out); /* 2026-12-04 23:30 UTC = 00:30 Sat Rome */
  assert_string_equal(out, "2026-12-07");
  /* through cases_open with the pinned clock: the category sets the days */
  with_now(FRI_DEC_4_10H);
  case_rec c;
  assert_int_equal(open_case(a, E1, "osp_nuova", "Nuova occupazione", &c), ERR_OK);
  assert_string_equal(c.due_date, "2026-12-10");
  assert_int_equal(open_case(a, E1, "osp_cessazione", "Cessazione occupazione", &c), ERR_OK);
  assert_string_equal(c.due_date, "2026-12-14"); /* 7, 9, 10, 11, 14 */
  assert_int_equal(open_case(a, E3, "osp_nuova", "Nuova occupazione", &c), ERR_OK);
  assert_string_equal(c.due_date, "2026-12-11");
  /* an Ente's override of the working days */
  case_category over = {"osp_nuova", "Occupazione nuova", 1, 1, 0};
  problem pb = {0};
  assert_int_equal(cases_category_set(D, &fx_cli, E3, &over, &pb), ERR_OK);
  assert_int_equal(open_case(a, E3, "osp_nuova", "Nuova occupazione", &c), ERR_OK);
  assert_string_equal(c.due_date, "2026-12-07");
  /* overdue once today passes the due date */
  with_now("1797584400"); /* 2026-12-18 */
  case_rec again;
  assert_int_equal(cases_get(D, a, E3, c.id, &again), ERR_OK);
  assert_true(again.overdue);
  with_now(NULL);
  arena_free(a);
}

static void test_routing(void **state) {
  arena *a = arena_new();
  int64_t ente_id = fx_ente(D, "casi-routing", 9104);
  int64_t office_id;
  /* no office serves it: the general queue */
  assert_int_equal(cases_route(D, ente_id, "rimborso", &office_id), ERR_OK);
  assert_int_equal(office_id, 0);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_A, ente_id, 1), ERR_OK);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_B, ente_id, 1), ERR_OK);
  /* a rule for a category wins; a rule for every category covers the rest */
  case_rule r = {.ente_id = ente_id, .category_code = "rimborso", .office_id = OFF_B, .position = 10};
  problem pb = {0};
  assert_int_equal(cases_rule_add(D, &fx_cli, &r, &pb), ERR_OK);
  case_rec c;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(open_case(a, ente_id, "rimborso", "Rimborso", &c), ERR_OK);
    assert_int_equal(c.office_id, OFF_B);
  }
  /* least loaded: B holds open cases (here and elsewhere), so A gets the next ones */
  int64_t load_a = 0, load_b = 0;
  for (int i = 0; i < 6; i++) {
    assert_int_equal(open_case(a, ente_id, "informazioni", "Informazioni", &c), ERR_OK);
    assert_true(c.office_id == OFF_A || c.office_id == OFF_B);
    if (c.office_id == OFF_A) load_a++;
    else load_b++;
  }
  assert_true(load_a > load_b);
  /* a rule to an office that does not serve the Ente is refused */
  case_rule bad = {.ente_id = ente_id, .category_code = NULL, .office_id = OFF_C, .position = 1};
  assert_int_equal(cases_rule_add(D, &fx_cli, &bad, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "office_id");
  case_rule all = {.ente_id = ente_id, .category_code = NULL, .office_id = OFF_A, .position = 50};
  assert_int_equal(cases_rule_add(D, &fx_cli, &all, &pb), ERR_OK);
  assert_int_equal(cases_route(D, ente_id, "informazioni", &office_id), ERR_OK);
  assert_int_equal(office_id, OFF_A);
  assert_int_equal(cases_route(D, ente_id, "rimborso", &office_id), ERR_OK);
  assert_int_equal(office_id, OFF_B);
  /* an unknown category is refused before anything is written */
  int64_t before = fx_count(D, "SELECT COUNT(*) FROM cases WHERE ente_id = ?", ente_id);
  assert_int_equal(open_case(a, ente_id, "non_esiste", "X", &c), ERR_INVALID);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM cases WHERE ente_id = ?", ente_id), before);
  arena_free(a);
}

static void test_state_machine(void **state) {
  /* the table itself */
  assert_true(case_transition_ok(CASE_NEW, CASE_ASSIGNED));
  assert_true(case_transition_ok(CASE_IN_PROGRESS, CASE_WAITING));
  assert_true(case_transition_ok(CASE_WAITING, CASE_IN_PROGRESS));
  assert_false(case_transition_ok(CASE_NEW, CASE_WAITING));
  assert_false(case_transition_ok(CASE_ASSIGNED, CASE_WAITING));
  for (int s = 0; s < CASE__STATES; s++) assert_false(case_transition_ok(CASE_CLOSED, (case_state)s));

  arena *a = arena_new();
  case_rec c;
  /* rule: every new E1 case goes to office A */
  case_rule r = {.ente_id = E1, .category_code = NULL, .office_id = OFF_A, .position = 1};
  problem pb = {0};
  assert_int_equal(cases_rule_add(D, &fx_cli, &r, &pb), ERR_OK);
  assert_int_equal(open_case(a, E1, "rimborso", "Rimborso TARI", &c), ERR_OK);
  assert_int_equal(c.state, CASE_NEW);
  assert_int_equal(c.office_id, OFF_A);
  case_actor mgr = {{"user", MGR_A.id}, &MGR_A}, op = {{"user", OP_A.id}, &OP_A},
             op2 = {{"user", OP_A2.id}, &OP_A2}, opb = {{"user", OP_B.id}, &OP_B};
  /* asking the requester is not possible before someone takes it */
  assert_int_equal(cases_reply(D, a, &mgr, E1, c.id, "Ci mandi i documenti", 1, &pb), ERR_CASE_STATE);
  /* an operator cannot assign; an operator of another office cannot be assigned */
  user op_as_mgr = OP_A;
  case_actor fake = {{"user", OP_A.id}, &op_as_mgr};
  assert_int_equal(cases_assign(D, a, &fake, E1, c.id, OP_A.id, NULL, &pb), ERR_FORBIDDEN);
  assert_int_equal(cases_assign(D, a, &mgr, E1, c.id, OP_B.id, NULL, &pb), ERR_INVALID);
  assert_int_equal(cases_assign(D, a, &mgr, E1, c.id, OP_A.id, "a te", &pb), ERR_OK);
  /* another operator of the office cannot take what is assigned to a colleague */
  assert_int_equal(cases_take(D, a, &op2, E1, c.id), ERR_FORBIDDEN);
  assert_int_equal(cases_take(D, a, &opb, E1, c.id), ERR_FORBIDDEN);
  assert_int_equal(cases_take(D, a, &op, E1, c.id), ERR_OK);
  /* only the assignee (or the office's manager) replies and closes */
  assert_int_equal(cases_close(D, a, &op2, E1, c.id, "accepted", NULL, &pb), ERR_FORBIDDEN);
  assert_int_equal(cases_reply(D, a, &op, E1, c.id, "Ci mandi l'ISEE", 1, &pb), ERR_OK);
  assert_int_equal(cases_get(D, a, E1, c.id, &c), ERR_OK);
  assert_int_equal(c.state, CASE_WAITING);
  /* the requester answers: back in progress */
  case_reply_in rin = {.ente_id = E1, .case_id = c.id, .channel = "email",
                       .sender = "mario.rossi@example.org", .subject = "Re: documenti",
                       .body = "Ecco l'ISEE", .message_id = "<risposta-2@example.org>"};
  assert_int_equal(cases_add_incoming(D, a, NULL, &rin, &pb), ERR_OK);
  assert_int_equal(cases_get(D, a, E1, c.id, &c), ERR_OK);
  assert_int_equal(c.state, CASE_IN_PROGRESS);
  assert_int_equal(cases_close(D, a, &op, E1, c.id, "inventato", NULL, &pb), ERR_INVALID);
  assert_int_equal(cases_close(D, a, &op, E1, c.id, "accepted", "Rimborso disposto", &pb), ERR_OK);
  /* a closed case never moves again */
  assert_int_equal(cases_close(D, a, &op, E1, c.id, "rejected", NULL, &pb), ERR_CASE_STATE);
  assert_int_equal(cases_take(D, a, &op, E1, c.id), ERR_CASE_STATE);
  assert_int_equal(cases_reply(D, a, &op, E1, c.id, "Ancora", 0, &pb), ERR_CASE_STATE);
  assert_int_equal(cases_forward(D, a, &mgr, E1, c.id, OFF_B, "Competenza altro ufficio", &pb),
                   ERR_CASE_STATE);
  assert_int_equal(cases_get(D, a, E1, c.id, &c), ERR_OK);
  assert_int_equal(c.state, CASE_CLOSED);
  assert_string_equal(c.outcome, "accepted");
  /* the iter has every transition, each with an audit row */
  case_event *ev;
  size_t n;
  assert_int_equal(cases_events(D, a, E1, c.id, &ev, &n), ERR_OK);
  const char *kinds[] = {"created", "assigned", "taken", "asked", "message_in", "closed"};
  assert_int_equal(n, 6);
  for (size_t i = 0; i < n; i++) assert_string_equal(ev[i].kind, kinds[i]);
  assert_string_equal(ev[1].reason, "a te");
  /* messages thread: the question answers the request, the outcome the reply */
  case_message *m;
  assert_int_equal(cases_messages(D, a, E1, c.id, &m, &n), ERR_OK);
  assert_int_equal(n, 4);
  assert_string_equal(m[1].direction, "out");
  assert_string_equal(m[1].in_reply_to, "<richiesta-1@example.org>");
  assert_non_null(strstr(m[1].subject, "[Pratica "));
  assert_string_equal(m[1].recipient, "mario.rossi@example.org");
  assert_string_equal(m[3].in_reply_to, "<risposta-2@example.org>");
  assert_non_null(strstr(m[3].refs, "<richiesta-1@example.org>"));
  assert_non_null(m[3].protocol);
  /* protocol: request and reply in, question and outcome out */
  case_protocol *p;
  assert_int_equal(cases_protocols(D, a, E1, c.id, &p, &n), ERR_OK);
  assert_int_equal(n, 4);
  assert_string_equal(p[0].direction, "in");
  assert_string_equal(p[1].direction, "out");
  assert_string_equal(p[2].direction, "in");
  assert_string_equal(p[3].direction, "out");
  /* forward: back to new in the other office, with the reason */
  assert_int_equal(open_case(a, E1, "rimborso", "Da inoltrare", &c), ERR_OK);
  assert_int_equal(cases_forward(D, a, &mgr, E1, c.id, OFF_C, "Ufficio sbagliato", &pb), ERR_INVALID);
  assert_int_equal(cases_forward(D, a, &mgr, E1, c.id, OFF_B, "no", &pb), ERR_INVALID);
  assert_int_equal(cases_forward(D, a, &mgr, E1, c.id, OFF_B, "Competenza dell'ufficio B", &pb),
                   ERR_OK);
  assert_int_equal(cases_get(D, a, E1, c.id, &c), ERR_OK);
  assert_int_equal(c.office_id, OFF_B);
  assert_int_equal(c.state, CASE_NEW);
  assert_int_equal(c.assignee_id, 0);
  fx_audit_ok(D);
  arena_free(a);
}

typedef struct {
  int64_t ente_id;
  int n, failures;
} worker_arg;

static void *worker(void *p) {
  worker_arg *w = p;
  db *d = testdb_open(&T);
  arena *a = arena_new();
  for (int i = 0; i < w->n; i++) {
    case_input in = {.ente_id = w->ente_id, .channel = "counter", .category_code = "informazioni",
                     .subject = "Concorrente", .requester_name = "Anna Bianchi",
                     .requester_phone = "+39 333 1234567"};
    case_rec c;
    problem pb = {0};
    if (cases_open(d, a, &fx_cli, &in, &c, &pb) != ERR_OK) w->failures++;
  }
  arena_free(a);
  db_close(d);
  return NULL;
}

static void test_concurrent_numbers(void **state) {
  enum { THREADS = 8, EACH = 10 };
  int64_t ente_id = fx_ente(D, "casi-conc", 9105);
  assert_int_equal(cases_office_serve(D, &fx_cli, OFF_A, ente_id, 1), ERR_OK);
  pthread_t th[THREADS];
  worker_arg w[THREADS];
  for (int i = 0; i < THREADS; i++) {
    w[i] = (worker_arg){ente_id, EACH, 0};
    pthread_create(&th[i], NULL, worker, &w[i]);
  }
  int failures = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(th[i], NULL);
    failures += w[i].failures;
  }
  assert_int_equal(failures, 0);
  int64_t n = fx_count(D, "SELECT COUNT(*) FROM cases WHERE ente_id = ?", ente_id);
  assert_int_equal(n, THREADS * EACH);
  assert_int_equal(fx_count(D, "SELECT COUNT(DISTINCT number) FROM cases WHERE ente_id = ?", ente_id), n);
  assert_int_equal(fx_count(D, "SELECT MIN(number) FROM cases WHERE ente_id = ?", ente_id), 1);
  assert_int_equal(fx_count(D, "SELECT MAX(number) FROM cases WHERE ente_id = ?", ente_id), n);
  /* each with its own protocol entry, also without gaps */
  assert_int_equal(fx_count(D, "SELECT COUNT(DISTINCT protocol_number) FROM cases WHERE ente_id = ?",
                            ente_id),
                   n);
  assert_int_equal(fx_count(D, "SELECT MAX(number) FROM protocol_entry WHERE ente_id = ?", ente_id), n);
  fx_audit_ok(D);
}

static void test_follow_and_isolation(void **state) {
  arena *a = arena_new();
  case_rec c, got;
  assert_int_equal(open_case(a, E1, "informazioni", "Seguimi", &c), ERR_OK);
  const char *prot = arena_printf(a, "%07lld/%d", (long long)c.protocol_number, c.protocol_year);
  assert_int_equal(cases_follow(D, a, E1, prot, "mario.rossi@EXAMPLE.org", &got), ERR_OK);
  assert_int_equal(got.id, c.id);
  assert_int_equal(cases_follow(D, a, E1, c.label, " mario.rossi@example.org ", &got), ERR_OK);
  /* wrong second factor, wrong number, other Ente: all the same answer */
  assert_int_equal(cases_follow(D, a, E1, prot, "altro@example.org", &got), ERR_NOT_FOUND);
  assert_int_equal(got.id, 0);
  assert_int_equal(cases_follow(D, a, E1, "9999999/2026", "mario.rossi@example.org", &got),
                   ERR_NOT_FOUND);
  assert_int_equal(cases_follow(D, a, E2, prot, "mario.rossi@example.org", &got), ERR_NOT_FOUND);
  assert_int_equal(cases_follow(D, a, E1, "boh", "x", &got), ERR_NOT_FOUND);
  /* another Ente's case is not found by id, in lists, or by actions */
  assert_int_equal(cases_get(D, a, E2, c.id, &got), ERR_NOT_FOUND);
  case_filter f = {.ente_id = E2, .view = CQ_ALL, .limit = 200};
  case_rec *list;
  size_t n;
  int64_t total;
  assert_int_equal(cases_list(D, a, &f, &list, &n, &total), ERR_OK);
  for (size_t i = 0; i < n; i++) assert_int_equal(list[i].ente_id, E2);
  case_actor mgr = {{"user", MGR_A.id}, &MGR_A};
  problem pb = {0};
  assert_int_equal(cases_assign(D, a, &mgr, E2, c.id, OP_A.id, NULL, &pb), ERR_NOT_FOUND);
  assert_int_equal(cases_take(D, a, &mgr, E2, c.id), ERR_NOT_FOUND);
  case_event *ev;
  assert_int_equal(cases_events(D, a, E2, c.id, &ev, &n), ERR_OK);
  assert_int_equal(n, 0);
  /* the queue: urgent first */
  case_rec u;
  assert_int_equal(open_case(a, E1, "informazioni", "URGENTE: scadenza domani", &u), ERR_OK);
  assert_string_equal(u.priority, "urgent");
  f = (case_filter){.ente_id = E1, .view = CQ_NEW, .limit = 5};
  assert_int_equal(cases_list(D, a, &f, &list, &n, &total), ERR_OK);
  assert_true(n > 0);
  assert_string_equal(list[0].priority, "urgent");
  arena_free(a);
}

static void test_hours(void **state) {
  /* Rome in winter is UTC+1, in summer UTC+2 */
  assert_true(cases_within_hours(1796421540, "07:00", "23:00"));  /* 22:59 */
  assert_false(cases_within_hours(1796421660, "07:00", "23:00")); /* 23:01 */
  assert_true(cases_within_hours(1783717140, "07:00", "23:00"));  /* 22:59 CEST */
  assert_false(cases_within_hours(1783717260, "07:00", "23:00")); /* 23:01 CEST */
  assert_false(cases_within_hours(1796374800 - 4 * 3600, "07:00", "23:00")); /* 06:00 */
  assert_false(cases_within_hours(1796374800, "07:00", "bad"));
}

static void test_validation(void **state) {
  arena *a = arena_new();
  int64_t before = fx_count(D, "SELECT COUNT(*) FROM cases", 0);
  case_rec c;
  problem pb = {0};
  case_input no_contact = {.ente_id = E1, .channel = "counter", .subject = "Solo nome",
                           .requester_name = "Anonimo"};
  assert_int_equal(cases_open(D, a, &fx_cli, &no_contact, &c, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "requester_email");
  case_input bad_cf = {.ente_id = E1, .channel = "counter", .subject = "X",
                       .requester_name = "Y", .requester_fiscal_code = "RSSMRA80A01H501X"};
  assert_int_equal(cases_open(D, a, &fx_cli, &bad_cf, &c, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "requester_fiscal_code");
  case_input bad_channel = {.ente_id = E1, .channel = "fax", .subject = "X", .requester_name = "Y",
                            .requester_phone = "0123456789"};
  assert_int_equal(cases_open(D, a, &fx_cli, &bad_channel, &c, &pb), ERR_INVALID);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM cases", 0), before);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_labels_and_tags),
      cmocka_unit_test(test_deadlines),
      cmocka_unit_test(test_routing),
      cmocka_unit_test(test_state_machine),
      cmocka_unit_test(test_concurrent_numbers),
      cmocka_unit_test(test_follow_and_isolation),
      cmocka_unit_test(test_hours),
      cmocka_unit_test(test_validation),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

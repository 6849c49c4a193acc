/* The Ente's side of occupations of public land: what a reply to the
 * approval request says; the authorisation refused unless it is a PDF
 * within the limit (nothing written), delivered to the taxpayer once after
 * the payment, no upload after the delivery; a reply from the Ente's
 * address threaded on the approval request decides the variation, one from
 * elsewhere does not, one saying neither word flags it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "domain/canone/authorisation.h"
#include "domain/canone/canone.h"
#include "debt_fx.h"
#include "fixture.h"
#include "occ_fx.h"

static testdb T;
static db *D;
static arena *A;
static dfx_ente E;
static int64_t CASE_ID, OCC_ID;

#define FRIDAY "1775203200"
#define ENTE_MAIL "suap@comune.example.it"
#define TP_MAIL "giuseppe.verdi@example.org"

static const char RULES[] =
    "rule,code,value\nannual_tariff,,30.00\ndaily_tariff,,0.60\nzone,A,1.2\nuse,dehors,0.8\nrevenue,,IMU\n";
static const char PDF[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

static occupation_input input(void) { return occ_fx_input(E.ente_id, ENTE_MAIL); }

static int setup(void **state) {
  (void)state;
  setenv("SPORTELLO_TEST_NOW", FRIDAY, 1);
  D = fx_open(&T, "domain_occupation_ente");
  E = dfx_setup(D, "suolo-due", 9202, "09");
  A = arena_new();
  problems pbs = {0};
  assert_int_equal(canone_import(D, A, E.ente_id, RULES, strlen(RULES), &fx_cli, &pbs, NULL), ERR_OK);
  taxpayer tp = occ_fx_person(TP_MAIL);
  occupation_input in = input();
  case_rec c;
  occupation o;
  assert_int_equal(occupation_declare(D, A, &fx_cli, &in, &tp, &c, &o, &pbs), ERR_OK);
  CASE_ID = c.id;
  OCC_ID = o.id;
  int again = 0;
  assert_int_equal(occupation_process(D, A, &fx_cli, E.ente_id, CASE_ID, &o, &again, &pbs), ERR_OK);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  fx_audit_ok(D);
  arena_free(A);
  fx_close(&T, D);
  return 0;
}

static void test_reply_words(void **state) {
  (void)state;
  assert_int_equal(occupation_reply_decision("Re: [Pratica 2026-000001] Variazione", "APPROVATO\n> ..."), 1);
  assert_int_equal(occupation_reply_decision("R: x", "\n\n   approvata.\nSaluti"), 1);
  assert_int_equal(occupation_reply_decision("x", "Rifiutato, superficie eccessiva"), 0);
  assert_int_equal(occupation_reply_decision("RIFIUTATO: Re: [Pratica 1] x", ""), 0);
  assert_int_equal(occupation_reply_decision("Re: Fwd: Approvato", "\n"), 1);
  /* the word must be whole and first */
  assert_int_equal(occupation_reply_decision("Re: x", "Approvatore: Rossi"), -1);
  assert_int_equal(occupation_reply_decision("Re: x", "Non approvato"), -1);
  assert_int_equal(occupation_reply_decision("Re: x", "Ci sentiamo.\nAPPROVATO"), -1);
  assert_int_equal(occupation_reply_decision(NULL, NULL), -1);
  /* body and subject disagreeing: an operator reads it */
  assert_int_equal(occupation_reply_decision("RIFIUTATO", "APPROVATO"), -1);
  assert_int_equal(occupation_reply_decision("APPROVATO", "approvato"), 1);
}

static void test_auth_refused(void **state) {
  (void)state;
  occupation_auth x;
  problems pbs = {0};
  int64_t entries = fx_count(D, "SELECT COUNT(*) FROM protocol_entry", 0);
  assert_int_equal(
      occupation_authorisation_upload(D, A, &fx_cli, E.ente_id, CASE_ID, "a.pdf", "", 0, &x, NULL, &pbs),
      ERR_INVALID);
  assert_true(problems_has(&pbs, "file"));
  problems_clear(&pbs);
  const char text[] = "Questa non è un'autorizzazione in PDF, solo testo.\n";
  assert_int_equal(occupation_authorisation_upload(D, A, &fx_cli, E.ente_id, CASE_ID, "a.pdf", text,
                                                   sizeof text - 1, &x, NULL, &pbs),
                   ERR_INVALID);
  problems_clear(&pbs);
  size_t big = (size_t)OCC_AUTH_MAX_BYTES + 1;
  char *data = calloc(1, big);
  assert_non_null(data);
  memcpy(data, PDF, sizeof PDF - 1);
  assert_int_equal(
      occupation_authorisation_upload(D, A, &fx_cli, E.ente_id, CASE_ID, "a.pdf", data, big, &x, NULL, &pbs),
      ERR_INVALID);
  assert_int_equal(pbs.items[0].code, ERR_TOO_LARGE);
  free(data);
  /* a case without an occupation */
  case_input ci = {.ente_id = E.ente_id,
                   .channel = "email",
                   .category_code = "osp_nuova",
                   .subject = "Altro",
                   .requester_name = "Giuseppe Verdi",
                   .requester_email = TP_MAIL};
  case_rec c;
  problem pb = {0};
  assert_int_equal(cases_open(D, A, &fx_cli, &ci, &c, &pb), ERR_OK);
  entries = fx_count(D, "SELECT COUNT(*) FROM protocol_entry", 0);
  problems_clear(&pbs);
  assert_int_equal(occupation_authorisation_upload(D, A, &fx_cli, E.ente_id, c.id, "a.pdf", PDF,
                                                   sizeof PDF - 1, &x, NULL, &pbs),
                   ERR_NOT_FOUND);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM protocol_entry", 0), entries);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM occupation_authorisation", 0), 0);
  assert_int_equal(occupation_authorisation_get(D, A, E.ente_id, CASE_ID, &x), ERR_NOT_FOUND);
}

static void test_auth_delivered_once(void **state) {
  (void)state;
  occupation_auth x;
  problems pbs = {0};
  int delivered = -1;
  int64_t entries = fx_count(D, "SELECT COUNT(*) FROM protocol_entry WHERE direction = 'in'", 0);
  assert_int_equal(occupation_authorisation_upload(D, A, &fx_cli, E.ente_id, CASE_ID, "dir/concessione", PDF,
                                                   sizeof PDF - 1, &x, &delivered, &pbs),
                   ERR_OK);
  assert_int_equal(delivered, 0);
  assert_string_equal(x.name, "concessione.pdf");
  assert_int_equal(x.delivered_at, 0);
  assert_true(x.protocol_number > 0);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM protocol_entry WHERE direction = 'in'", 0), entries + 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM case_protocol WHERE entry_id = ?", x.protocol_entry_id),
                   1);
  assert_int_equal(fx_audit_count(D, "occupation.authorisation"), 1);
  /* not paid: nothing goes */
  int64_t to_tp = fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = '" TP_MAIL "'", 0);
  assert_int_equal(occupation_paid_report(D, A, E.ente_id, OCC_ID), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = '" TP_MAIL "'", 0), to_tp);
  /* paid: with the Ente's payment message, the taxpayer gets it, once */
  occupation o;
  assert_int_equal(occupation_get(D, A, E.ente_id, OCC_ID, &o), ERR_OK);
  debt_act act = dfx_get(D, A, E.ente_id, o.act_id);
  debt_payment p = {.act_id = act.id,
                    .option_id = act.options[0].id,
                    .amount_cents = act.charged_cents,
                    .channel = "pagopa",
                    .reference = "rt-occupation-ente-1"};
  debt_booking bk;
  assert_int_equal(debt_book_payment(D, A, E.ente_id, &p, &fx_cli, &bk), ERR_OK);
  int n = 0;
  assert_int_equal(occupation_payments_scan(D, A, 0, &n), ERR_OK);
  assert_int_equal(occupation_paid_report(D, A, E.ente_id, OCC_ID), ERR_OK);
  assert_int_equal(occupation_paid_report(D, A, E.ente_id, OCC_ID), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM outbox WHERE to_addr = '" TP_MAIL "'", 0), to_tp + 1);
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM outbox_attachment a JOIN outbox o ON o.id = a.outbox_id "
                            "WHERE o.to_addr = '" TP_MAIL "' AND a.name = 'concessione.pdf'",
                            0),
                   1);
  assert_int_equal(occupation_authorisation_get(D, A, E.ente_id, CASE_ID, &x), ERR_OK);
  assert_true(x.delivered_at > 0);
  /* on the case's messages */
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM case_message WHERE case_id = ? AND direction = 'out' AND "
                            "subject LIKE '%Autorizzazione%' AND outbox_id IS NOT NULL",
                            CASE_ID),
                   1);
  /* delivered: no new upload */
  problems_clear(&pbs);
  assert_int_equal(occupation_authorisation_upload(D, A, &fx_cli, E.ente_id, CASE_ID, "b.pdf", PDF,
                                                   sizeof PDF - 1, &x, &delivered, &pbs),
                   ERR_CASE_STATE);
}

/* An incoming message on case_id, as mail intake records it. */
static void reply(int64_t case_id, const char *from, const char *subject, const char *body, const char *irt) {
  case_reply_in in = {.ente_id = E.ente_id,
                      .case_id = case_id,
                      .channel = "email",
                      .sender = from,
                      .subject = subject,
                      .body = body,
                      .in_reply_to = irt,
                      .references = irt};
  problem pb = {0};
  assert_int_equal(cases_add_incoming(D, A, NULL, &in, &pb), ERR_OK);
}

static void test_reply_decides(void **state) {
  (void)state;
  case_input ci = {.ente_id = E.ente_id,
                   .channel = "email",
                   .category_code = "osp_variazione",
                   .subject = "Variazione",
                   .requester_name = "Giuseppe Verdi",
                   .requester_email = TP_MAIL};
  case_rec c;
  problem pb = {0};
  assert_int_equal(cases_open(D, A, &fx_cli, &ci, &c, &pb), ERR_OK);
  occupation_input in = input();
  in.surface_m2 = "20";
  occupation o;
  problems pbs = {0};
  assert_int_equal(
      occupation_variation(D, A, &fx_cli, E.ente_id, c.id, CASE_ID, "surface", &in, NULL, &o, &pbs), ERR_OK);
  /* the approval request's Message-ID */
  case_message *m;
  size_t nm;
  assert_int_equal(cases_messages(D, A, E.ente_id, c.id, &m, &nm), ERR_OK);
  const char *req = NULL;
  for (size_t i = 0; i < nm; i++)
    if (strcmp(m[i].direction, "out") == 0 && m[i].recipient && strcmp(m[i].recipient, ENTE_MAIL) == 0)
      req = m[i].message_id;
  assert_non_null(req);
  int n = -1;
  reply(c.id, TP_MAIL, "Re: Variazione", "APPROVATO", req);
  reply(c.id, ENTE_MAIL, "Re: Variazione", "APPROVATO", "<other@example.org>");
  assert_int_equal(occupation_replies_scan(D, A, &n), ERR_OK);
  assert_int_equal(n, 0);
  occupation_reply_rec fr;
  assert_int_equal(occupation_reply_flagged(D, A, E.ente_id, c.id, &fr), ERR_NOT_FOUND);
  reply(c.id, "Ufficio <" ENTE_MAIL ">", "Re: Variazione", "Va bene, ma richiamatemi", req);
  assert_int_equal(occupation_replies_scan(D, A, &n), ERR_OK);
  assert_int_equal(n, 0);
  assert_int_equal(occupation_reply_flagged(D, A, E.ente_id, c.id, &fr), ERR_OK);
  assert_string_equal(fr.body, "Va bene, ma richiamatemi");
  assert_int_equal(occupation_get_by_case(D, A, E.ente_id, c.id, &o), ERR_OK);
  assert_string_equal(o.ente_decision, "pending");
  reply(c.id, ENTE_MAIL, "Re: Variazione", "Approvato", req);
  assert_int_equal(occupation_replies_scan(D, A, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(occupation_get_by_case(D, A, E.ente_id, c.id, &o), ERR_OK);
  assert_string_equal(o.ente_decision, "approved");
  assert_int_equal(o.amount_cents, 4032);
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM audit_log WHERE action = 'occupation.variation_decide' AND "
                            "object_id = ?",
                            o.id),
                   1);
  /* decided: nothing flagged any more, nothing read twice */
  assert_int_equal(occupation_reply_flagged(D, A, E.ente_id, c.id, &fr), ERR_NOT_FOUND);
  assert_int_equal(occupation_replies_scan(D, A, &n), ERR_OK);
  assert_int_equal(n, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reply_words),
      cmocka_unit_test(test_auth_refused),
      cmocka_unit_test(test_auth_delivered_once),
      cmocka_unit_test(test_reply_decides),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* Services on both backends: the example documents of config/services/
 * import (created, then replaced by code with the version bumped, audited),
 * bad documents are refused with the path of the bad element and nothing
 * written, the category and office must exist, tenant isolation; the
 * validator of submissions: required, conditional, min/max, pattern,
 * codice fiscale, money and dates normalised, file types by content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/sniff.h"
#include "core/arena.h"
#include "core/problems.h"
#include "domain/debt/debt.h"
#include "domain/ente/ente.h"
#include "domain/services/services.h"
#include "fixture.h"

static testdb T;
static db *D;
static int64_t E1, E2;

static char *slurp(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/config/services/%s", SOURCE_DIR, name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[SVC_MAX_DOC_BYTES];
  *len = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[*len] = 0;
  char *copy = malloc(*len + 1);
  memcpy(copy, buf, *len + 1);
  return copy;
}

static int setup(void **state) {
  (void)state;
  D = fx_open(&T, "services");
  E1 = fx_ente(D, "svc-uno", 101);
  E2 = fx_ente(D, "svc-due", 102);
  /* the office the example documents name */
  arena *a = arena_new();
  problems pbs = {0};
  int64_t region_id, office_id;
  assert_int_equal(region_create(D, a, "Nord", &fx_cli, &region_id, &pbs), ERR_OK);
  office o = {0, region_id, NULL, "NORD-01", "Ufficio Nord", "Città"};
  assert_int_equal(office_create(D, a, &o, &fx_cli, &office_id, &pbs), ERR_OK);
  /* the revenue the example payments name (CUP), for E1 only */
  debt_pagopa pp = {E1, "01", "AB123", NULL, NULL, 0};
  problem pb;
  assert_int_equal(debt_pagopa_set(D, &pp, &fx_cli, &pb), ERR_OK);
  debt_revenue cup = {0};
  cup.ente_id = E1;
  cup.code = "CUP";
  cup.name = "Canone unico patrimoniale";
  cup.taxonomy = "9/0101107TS/";
  cup.iban = "IT60X0542811101000000123456";
  debt_problems dpbs;
  assert_int_equal(debt_revenue_add(D, a, &cup, &fx_cli, &dpbs), ERR_OK);
  arena_free(a);
  return D ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fx_close(&T, D);
  return 0;
}

/* Does some problem's message contain text? */
static int has_msg(const problems *p, const char *text) {
  for (size_t i = 0; i < p->n; i++)
    if (strstr(p->items[i].message, text)) return 1;
  return 0;
}

static void test_import_examples(void **state) {
  (void)state;
  const char *files[] = {"passo_carrabile.json", "rimborso_tributi.json",
                         "occupazione_temporanea.json"};
  arena *a = arena_new();
  for (size_t i = 0; i < 3; i++) {
    size_t len;
    char *json = slurp(files[i], &len);
    problems pbs = {0};
    int64_t id = 0;
    int created = 0;
    err_code rc = services_import(D, a, &fx_cli, E1, json, len, &id, &created, &pbs);
    for (size_t k = 0; k < pbs.n; k++) fprintf(stderr, "%s\n", pbs.items[k].message);
    assert_int_equal(rc, ERR_OK);
    assert_int_equal(created, 1);
    /* again: the same service, replaced */
    int64_t id2 = 0;
    assert_int_equal(services_import(D, a, &fx_cli, E1, json, len, &id2, &created, &pbs), ERR_OK);
    assert_int_equal(created, 0);
    assert_int_equal(id2, id);
    free(json);
  }
  service *ss;
  size_t n;
  assert_int_equal(services_list(D, a, E1, 1, &ss, &n), ERR_OK);
  assert_int_equal(n, 3);
  assert_int_equal(services_list(D, a, E2, 0, &ss, &n), ERR_OK);
  assert_int_equal(n, 0); /* another Ente sees none of them */
  service s;
  assert_int_equal(services_get_by_code(D, a, E1, "passo_carrabile", &s), ERR_OK);
  assert_int_equal(s.version, 2);
  assert_int_equal(s.working_days, 30);
  assert_int_equal(s.stamp_duty, 1);
  assert_string_equal(s.payment, "deferred");
  assert_int_equal(s.amount_cents, 2500);
  assert_int_equal(services_get(D, a, E2, s.id, &s), ERR_NOT_FOUND);
  assert_int_equal(services_get_by_code(D, a, E1, "rimborso_tributi", &s), ERR_OK);
  assert_int_equal(s.working_days, 30); /* the category's (rimborso) */
  assert_int_equal(s.amount_cents, -1);
  svc_def def;
  assert_int_equal(services_def(a, &s, &def), ERR_OK);
  assert_int_equal(def.n_sections, 2);
  assert_int_equal(fx_audit_count(D, "service.create"), 3);
  assert_int_equal(fx_audit_count(D, "service.update"), 3);
  fx_audit_ok(D);
  arena_free(a);
}

typedef struct {
  const char *json, *expect;
} bad_case;

static void test_bad_documents(void **state) {
  (void)state;
  static const bad_case cases[] = {
      {"", "vuoto"},
      {"[1,2]", "oggetto JSON"},
      {"{\"code\": \"x\"", "JSON non valido"},
      {"{\"code\":\"a1\",\"code\":\"a2\"}", "JSON non valido"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[],\"extra\":1}",
       "extra: chiave sconosciuta"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[]}",
       "sections: serve un elenco"},
      {"{\"code\":\"Bad Code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"text\",\"label\":\"A\"}]}]}",
       "code: 2..40"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"colour\",\"label\":\"A\"}]}]}",
       "sections[0].fields[0].type: tipo sconosciuto"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"text\",\"label\":\"A\"},{\"name\":\"a\","
       "\"type\":\"text\",\"label\":\"B\"}]}]}",
       "sections[0].fields[1].name: nome \"a\" già usato"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"text\",\"label\":\"A\",\"visible_if\":"
       "{\"field\":\"b\",\"equals\":\"si\"}},{\"name\":\"b\",\"type\":\"yesno\",\"label\":\"B\"}]}]}",
       "visible_if.field: \"b\" non è un campo precedente"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"b\",\"type\":\"yesno\",\"label\":\"B\"},{\"name\":\"a\","
       "\"type\":\"text\",\"label\":\"A\",\"visible_if\":{\"field\":\"b\",\"equals\":\"forse\"}}]}]}",
       "visible_if.equals: \"forse\" non è un valore"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"text\",\"label\":\"A\",\"pattern\":\"([a-z\"}]}]}",
       "pattern: espressione regolare non valida"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"number\",\"label\":\"A\",\"min\":5,\"max\":1}]}]}",
       "min è maggiore di max"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"file\",\"label\":\"A\"}]}]}",
       "sections[0].fields[0].types: serve un elenco"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"payment\":{\"mode\":"
       "\"advance\",\"revenue\":\"CUP\"},\"sections\":[{\"title\":\"S\",\"fields\":[{\"name\":"
       "\"a\",\"type\":\"text\",\"label\":\"A\"}]}]}",
       "richiede amount o amount_field"},
      /* a revenue the Ente does not have (E2 has none) */
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"payment\":{\"mode\":"
       "\"deferred\",\"revenue\":\"CUP\"},\"sections\":[{\"title\":\"S\",\"fields\":[{\"name\":"
       "\"a\",\"type\":\"text\",\"label\":\"A\"}]}]}",
       "payment.revenue: \"CUP\" non è un'entrata dell'Ente"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"nessuna\",\"sections\":[{\"title\":"
       "\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"text\",\"label\":\"A\"}]}]}",
       "category: \"nessuna\" non è una categoria"},
      {"{\"code\":\"ok_code\",\"name\":\"N\",\"category\":\"rimborso\",\"office\":\"NOPE-9\","
       "\"sections\":[{\"title\":\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"text\",\"label\":"
       "\"A\"}]}]}",
       "office: l'ufficio \"NOPE-9\" non esiste"},
  };
  arena *a = arena_new();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    problems pbs = {0};
    err_code rc = services_import(D, a, &fx_cli, E2, cases[i].json, strlen(cases[i].json), NULL,
                                  NULL, &pbs);
    if (rc != ERR_INVALID || !has_msg(&pbs, cases[i].expect)) {
      fprintf(stderr, "case %zu: rc %d, expected \"%s\", got:\n", i, (int)rc, cases[i].expect);
      for (size_t k = 0; k < pbs.n; k++) fprintf(stderr, "  %s\n", pbs.items[k].message);
      fail();
    }
  }
  service *ss;
  size_t n;
  assert_int_equal(services_list(D, a, E2, 0, &ss, &n), ERR_OK);
  assert_int_equal(n, 0); /* nothing half-written */
  arena_free(a);
}

/* Submission values from name=value pairs. */
typedef struct {
  const char **kv;
} vals;
static const char *get(void *ctx, const char *name) {
  vals *v = ctx;
  for (size_t i = 0; v->kv[i]; i += 2)
    if (strcmp(v->kv[i], name) == 0) return v->kv[i + 1];
  return NULL;
}

static const char *value_of(const svc_values *out, const char *name) {
  for (size_t i = 0; i < out->n; i++)
    if (strcmp(out->names[i], name) == 0) return out->values[i];
  return NULL;
}

static void test_validate(void **state) {
  (void)state;
  arena *a = arena_new();
  size_t len;
  char *json = slurp("rimborso_tributi.json", &len);
  svc_def def;
  problems pbs = {0};
  assert_int_equal(svc_def_parse(a, json, len, &def, &pbs), ERR_OK);
  char cf[17];
  fx_cf("RSSMRA80A01H501", cf);
  const char *cf_lower = arena_strdup(a, cf);
  for (char *p = (char *)cf_lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  /* wrong: year out of range, bad e-mail, IBAN required once accredito=si */
  const char *bad_kv[] = {"nome", "Mario Rossi", "codice_fiscale", cf_lower, "email", "mario@",
                          "tributo", "IMU", "anno", "2031", "importo", "12,5", "motivo",
                          "Versato due volte", "accredito", "si", NULL};
  vals v = {bad_kv};
  svc_values out;
  assert_int_equal(svc_validate(a, &def, get, &v, NULL, 0, &out, &pbs), ERR_INVALID);
  assert_true(problems_has(&pbs, "anno"));
  assert_true(problems_has(&pbs, "email"));
  assert_true(problems_has(&pbs, "iban"));
  assert_false(problems_has(&pbs, "codice_fiscale"));
  assert_false(problems_has(&pbs, "ricevuta")); /* not required */
  assert_string_equal(problems_for(&pbs, "anno"), "Scrivi un numero tra 2015 e 2030.");
  assert_string_equal(value_of(&out, "importo"), "12,50");
  assert_string_equal(value_of(&out, "codice_fiscale"), cf);
  /* accredito = no: the IBAN is hidden, not required, and dropped */
  const char *ok_kv[] = {"nome", "Mario Rossi", "codice_fiscale", cf, "email", "mario@example.org",
                         "tributo", "TARI", "anno", "2024", "importo", "1.234,5", "motivo", "x",
                         "accredito", "no", "iban", "garbage", NULL};
  vals v2 = {ok_kv};
  problems p2 = {0};
  assert_int_equal(svc_validate(a, &def, get, &v2, NULL, 0, &out, &p2), ERR_OK);
  assert_null(value_of(&out, "iban"));
  assert_string_equal(value_of(&out, "importo"), "1.234,50");
  /* accredito = si with a bad then a good IBAN */
  ok_kv[15] = "si";
  problems p3 = {0};
  assert_int_equal(svc_validate(a, &def, get, &v2, NULL, 0, &out, &p3), ERR_INVALID);
  assert_string_equal(problems_for(&p3, "iban"), "Il valore non è nel formato richiesto.");
  ok_kv[17] = "IT60X0542811101000000123456";
  problems p4 = {0};
  assert_int_equal(svc_validate(a, &def, get, &v2, NULL, 0, &out, &p4), ERR_OK);
  /* a file whose content is not an allowed type, whatever its name */
  static const char fake_pdf[] = "MZ\x90\x00 this is no PDF at all";
  svc_upload up = {"ricevuta", "ricevuta.pdf", sniff_mime(a, fake_pdf, sizeof fake_pdf),
                   fake_pdf, (int64_t)sizeof fake_pdf};
  problems p5 = {0};
  assert_int_equal(svc_validate(a, &def, get, &v2, &up, 1, &out, &p5), ERR_INVALID);
  assert_true(problems_has(&p5, "ricevuta"));
  static const char real_pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
  up.data = real_pdf;
  up.size = (int64_t)sizeof real_pdf - 1;
  up.mime = sniff_mime(a, real_pdf, sizeof real_pdf - 1);
  assert_string_equal(up.mime, "application/pdf");
  problems p6 = {0};
  assert_int_equal(svc_validate(a, &def, get, &v2, &up, 1, &out, &p6), ERR_OK);
  assert_string_equal(value_of(&out, "ricevuta"), "ricevuta.pdf");
  free(json);
  arena_free(a);
}

/* A stand-in for the PDF renderer: bytes that start like a PDF and name
 * the step. */
static err_code fake_pdf(void *ctx, arena *a, const svc_doc *doc, const void **pdf, size_t *len) {
  (void)ctx;
  char *s = arena_printf(a, "%%PDF-1.4 %s", doc->title);
  *pdf = s;
  *len = strlen(s);
  return ERR_OK;
}

static void test_application(void **state) {
  (void)state;
  arena *a = arena_new();
  service s;
  assert_int_equal(services_get_by_code(D, a, E1, "passo_carrabile", &s), ERR_OK);
  char cf[17];
  fx_cf("VRDLGU75B12F205", cf);
  svc_owner me = {"citizen", 0, cf}, other = {"citizen", 0, "BNCGNN70A01H501X"};
  const char *kv[] = {"nome", "Luigi Verdi", "codice_fiscale", cf, "email", "luigi@example.org",
                      "titolo", "proprietario", "indirizzo", "Via Po 3", "larghezza_cm", "50",
                      "data_inizio", "2026-02-01", "lavori", "si", NULL};
  vals v = {kv};
  static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
  svc_upload up = {"planimetria", "pianta.pdf", sniff_mime(a, pdf, sizeof pdf - 1), pdf,
                   (int64_t)sizeof pdf - 1};
  problems pbs = {0};
  int64_t draft = 0;
  assert_int_equal(svc_app_save_draft(D, a, &fx_cli, &s, &me, 0, get, &v, &up, 1, &draft, &pbs),
                   ERR_OK);
  assert_true(draft > 0);
  svc_app x;
  assert_int_equal(svc_app_draft(D, a, E1, &other, draft, &x), ERR_NOT_FOUND);
  assert_int_equal(svc_app_draft(D, a, E1, &me, draft, &x), ERR_OK);
  assert_string_equal(svc_app_value(&x, "larghezza_cm"), "50");
  /* submit from the draft: two wrong fields, nothing written */
  int64_t cases_before = fx_count(D, "SELECT COUNT(*) FROM cases", 0);
  svc_submit_in in = {&s, &me, draft, get, &v, NULL, 0, fake_pdf, NULL, {0}};
  assert_int_equal(svc_app_submit(D, a, &fx_cli, &in, &x, &pbs), ERR_INVALID);
  assert_true(problems_has(&pbs, "larghezza_cm"));
  assert_true(problems_has(&pbs, "impresa")); /* required once lavori = si */
  assert_true(problems_has(&pbs, "_bollo"));  /* the stamp duty, not said how */
  assert_false(problems_has(&pbs, "planimetria")); /* kept with the draft */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM cases", 0), cases_before);
  kv[11] = "350";
  kv[15] = "no";
  /* a stamp's serial of 13 digits and a future date are refused */
  in.stamp = (svc_stamp_in){"seriale", "0123456789012", "2999-01-01"};
  problems p1 = {0};
  assert_int_equal(svc_app_submit(D, a, &fx_cli, &in, &x, &p1), ERR_INVALID);
  assert_true(problems_has(&p1, "_bollo_seriale"));
  assert_true(problems_has(&p1, "_bollo_data"));
  /* pagoPA is not offered: E1 has no stamp-duty revenue */
  in.stamp = (svc_stamp_in){"pagopa", NULL, NULL};
  assert_int_equal(svc_app_submit(D, a, &fx_cli, &in, &x, &p1), ERR_INVALID);
  assert_true(problems_has(&p1, "_bollo"));
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM cases", 0), cases_before);
  in.stamp = (svc_stamp_in){"seriale", " 01234567890123 ", "2025-01-10"};
  problems p2 = {0};
  assert_int_equal(svc_app_submit(D, a, &fx_cli, &in, &x, &p2), ERR_OK);
  assert_int_equal(x.id, draft);
  assert_true(x.case_id > 0);
  assert_string_equal(x.applicant_fiscal_code, cf);
  assert_null(svc_app_value(&x, "impresa"));
  case_rec c;
  assert_int_equal(cases_get(D, a, E1, x.case_id, &c), ERR_OK);
  assert_string_equal(c.category_code, "osp_nuova");
  assert_true(c.protocol_number > 0);
  assert_non_null(c.office_name);
  assert_string_equal(c.office_name, "Ufficio Nord");
  svc_stamp st;
  assert_int_equal(svc_app_stamp(D, a, E1, x.id, &st), ERR_OK);
  assert_string_equal(st.serial, "01234567890123");
  assert_string_equal(st.issue_date, "2025-01-10");
  /* the same marca da bollo again: refused */
  svc_submit_in again = {&s, &me, 0, get, &v, &up, 1, fake_pdf, NULL,
                         {"seriale", "01234567890123", "2025-01-10"}};
  svc_app y;
  problems p3 = {0};
  assert_int_equal(svc_app_submit(D, a, &fx_cli, &again, &y, &p3), ERR_INVALID);
  assert_true(problems_has(&p3, "_bollo_seriale"));
  /* a submitted application is no draft any more */
  assert_int_equal(svc_app_draft(D, a, E1, &me, draft, &x), ERR_NOT_FOUND);
  assert_int_equal(svc_app_get(D, a, E2, draft, &x), ERR_NOT_FOUND);
  /* the steps */
  case_actor sys = {fx_cli, NULL};
  problem pb = {0};
  assert_int_equal(svc_app_answer(D, a, &fx_cli, E1, draft, &me, "x", NULL, 0, fake_pdf, NULL, &pb),
                   ERR_CASE_STATE);
  assert_int_equal(cases_take(D, a, &sys, E1, c.id), ERR_OK);
  assert_int_equal(svc_app_ask(D, a, &sys, E1, draft, "Manca la visura.", fake_pdf, NULL, &pb),
                   ERR_OK);
  assert_int_equal(svc_app_answer(D, a, &fx_cli, E1, draft, &other, "io", NULL, 0, fake_pdf, NULL,
                                  &pb),
                   ERR_NOT_FOUND);
  assert_int_equal(svc_app_answer(D, a, &fx_cli, E1, draft, &me, "Ecco la visura.", &up, 1,
                                  fake_pdf, NULL, &pb),
                   ERR_OK);
  assert_int_equal(svc_app_decide(D, a, &sys, E1, draft, 1, NULL, NULL, fake_pdf, NULL, &pb), ERR_OK);
  assert_int_equal(cases_get(D, a, E1, c.id, &c), ERR_OK);
  assert_int_equal(c.state, CASE_CLOSED);
  assert_string_equal(c.outcome, "accepted");
  /* four PDFs in the service's fascicolo of the year */
  int64_t pdfs = fx_count(D,
                          "SELECT COUNT(*) FROM protocol_entry e JOIN protocol_fascicolo f "
                          "ON f.id = e.fascicolo_id JOIN protocol_document d ON d.entry_id = e.id "
                          "WHERE f.category = 'servizio:passo_carrabile' AND d.role = 'primary' "
                          "AND d.mime = 'application/pdf' AND e.ente_id = ?",
                          E1);
  assert_int_equal(pdfs, 4);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM protocol_fascicolo WHERE ente_id = ? AND "
                               "category = 'servizio:passo_carrabile'",
                            E1),
                   1);
  assert_int_equal(fx_audit_count(D, "service.submit"), 1);
  fx_audit_ok(D);
  arena_free(a);
}

/* A deferred payment requested by the operator: a bad amount refused, then
 * the act and its notice; approval waits for it unless overridden, and
 * goes through once the ledger says paid. */
static void test_payment(void **state) {
  (void)state;
  arena *a = arena_new();
  service s;
  assert_int_equal(services_get_by_code(D, a, E1, "passo_carrabile", &s), ERR_OK);
  char cf[17];
  fx_cf("BNCGNN70A41H501", cf);
  svc_owner me = {"citizen", 0, cf};
  const char *kv[] = {"nome", "Gianna Bianchi", "codice_fiscale", cf, "email", "g@example.org",
                      "titolo", "proprietario", "indirizzo", "Via Po 4", "larghezza_cm", "300",
                      "data_inizio", "2026-02-01", "lavori", "no", NULL};
  vals v = {kv};
  static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
  svc_upload up = {"planimetria", "pianta.pdf", sniff_mime(a, pdf, sizeof pdf - 1), pdf,
                   (int64_t)sizeof pdf - 1};
  svc_submit_in in = {&s, &me, 0, get, &v, &up, 1, fake_pdf, NULL,
                      {"seriale", "11111111111111", "2025-02-01"}};
  svc_app x;
  problems pbs = {0};
  assert_int_equal(svc_app_submit(D, a, &fx_cli, &in, &x, &pbs), ERR_OK);
  case_actor sys = {fx_cli, NULL};
  problem pb = {0};
  /* not in progress yet */
  assert_int_equal(svc_app_request_payment(D, a, &sys, E1, x.id, "25,00", NULL, NULL, &pb),
                   ERR_CASE_STATE);
  assert_int_equal(cases_take(D, a, &sys, E1, x.case_id), ERR_OK);
  assert_int_equal(svc_app_request_payment(D, a, &sys, E1, x.id, "abc", NULL, NULL, &pb),
                   ERR_INVALID);
  assert_string_equal(pb.field, "amount");
  svc_payment *ps;
  size_t n;
  assert_int_equal(svc_app_payments(D, a, E1, x.id, &ps, &n), ERR_OK);
  assert_int_equal(n, 0);
  assert_int_equal(svc_app_request_payment(D, a, &sys, E1, x.id, "25,00", NULL, NULL, &pb), ERR_OK);
  assert_int_equal(svc_app_payments(D, a, E1, x.id, &ps, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(ps[0].kind, "deferred");
  assert_int_equal(ps[0].act.charged_cents, 2500);
  assert_non_null(ps[0].nav);
  assert_true(svc_payments_pending(ps, n));
  pb = (problem){0};
  assert_int_equal(svc_app_decide(D, a, &sys, E1, x.id, 1, NULL, NULL, fake_pdf, NULL, &pb),
                   ERR_INVALID);
  assert_string_equal(pb.field, "override");
  /* paid at the counter: the approval goes through, no override */
  debt_payment p = {.act_id = ps[0].act_id, .amount_cents = 2500, .channel = "counter",
                    .reference = "SVC-T1"};
  debt_booking bk;
  assert_int_equal(debt_book_payment(D, a, E1, &p, &fx_cli, &bk), ERR_OK);
  assert_int_equal(svc_app_payments(D, a, E1, x.id, &ps, &n), ERR_OK);
  assert_false(svc_payments_pending(ps, n));
  assert_int_equal(svc_app_decide(D, a, &sys, E1, x.id, 1, NULL, NULL, fake_pdf, NULL, &pb), ERR_OK);
  assert_int_equal(fx_audit_count(D, "service.payment"), 1);
  assert_int_equal(fx_audit_count(D, "service.payment_override"), 0);
  fx_audit_ok(D);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_import_examples),
      cmocka_unit_test(test_bad_documents),
      cmocka_unit_test(test_validate),
      cmocka_unit_test(test_application),
      cmocka_unit_test(test_payment),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

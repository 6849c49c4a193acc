/* FdR streaming parser: the shared example, generated flows (validated
 * against the XSD too), both schema versions, totals, bad files, and a
 * differential check against libxml2's XSD validator on mutated flows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include "core/strbuf.h"
#include "domain/pagopa/fdr_parse.h"
#include "soaptest.h"

#define FDR_XSD_105 PAGOPA_SPEC "/pagopa-api-SANP3.13.0/xsd-common/FlussoRiversamento_1_0_5.xsd"
#define FDR_XSD_104 PAGOPA_SPEC "/pagopa-api-master/xsd-common/FlussoRiversamento_1_0_4.xsd"
#define FDR_EXAMPLE PAGOPA_SPEC "/examples/fdr/FlussoRiversamento.example.xml"

static xmlSchemaPtr xsd105, xsd104;

static int setup(void **state) {
  xsd105 = st_schema(FDR_XSD_105);
  xsd104 = st_schema(FDR_XSD_104);
  return 0;
}

static int teardown(void **state) {
  xmlSchemaFree(xsd105);
  xmlSchemaFree(xsd104);
  return 0;
}

/* What the callbacks saw. */
typedef struct {
  int headers;
  int64_t payments, sum;
  fdr_payment first, last;
  int64_t stop_at; /* return ERR_CONFLICT at this payment (0: never) */
} seen;

static err_code on_header(void *ud, const fdr_header *h) {
  ((seen *)ud)->headers++;
  return ERR_OK;
}

static err_code on_payment(void *ud, const fdr_header *h, const fdr_payment *p) {
  seen *s = ud;
  if (s->headers != 1) return ERR_INTERNAL; /* the header always comes first */
  if (s->payments == 0) s->first = *p;
  s->last = *p;
  s->payments++;
  s->sum += p->importo_cents;
  return s->stop_at && p->seq == s->stop_at ? ERR_CONFLICT : ERR_OK;
}

static void test_example(void **state) {
  seen s = {0};
  fdr_options o = {.on_header = on_header, .on_payment = on_payment, .ud = &s};
  fdr_result r;
  assert_int_equal(fdr_parse_file(FDR_EXAMPLE, &o, &r), ERR_OK);
  const fdr_header *h = &r.header;
  assert_string_equal(h->versione_oggetto, "1.0");
  assert_string_equal(h->identificativo_flusso, "2025-10-02ABCDITMMXXX-0000000001");
  assert_int_equal(h->data_ora_flusso.date.y, 2025);
  assert_int_equal(h->data_ora_flusso.date.d, 3);
  assert_int_equal(h->data_ora_flusso.hour, 0);
  assert_int_equal(h->data_ora_flusso.minute, 37);
  assert_int_equal(h->data_ora_flusso.second, 32);
  assert_string_equal(h->identificativo_univoco_regolamento, "Bonifico SEPA-TRN0000000000001");
  assert_int_equal(h->data_regolamento.m, 10);
  assert_int_equal(h->data_regolamento.d, 2);
  assert_int_equal(h->mittente_tipo, 'B');
  assert_string_equal(h->mittente_id, "ABCDITMMXXX");
  assert_string_equal(h->mittente_denominazione, "PSP di Esempio S.p.A.");
  assert_string_equal(h->bic_riversamento, "ABCDITMMXXX");
  assert_string_equal(h->ricevente_id, "77777777777");
  assert_string_equal(h->ricevente_denominazione, "Comune di Esempio");
  assert_int_equal(h->numero_totale_pagamenti, 2);
  assert_int_equal(h->importo_totale_cents, 15886);
  assert_int_equal(r.count, 2);
  assert_int_equal(r.sum_cents, 15886);
  assert_int_equal(s.headers, 1);
  assert_int_equal(s.payments, 2);
  assert_int_equal(s.first.seq, 1);
  assert_string_equal(s.first.iuv, "02202400000000111");
  assert_string_equal(s.first.iur, "c110729d258c4ab1b765fe902aae41d6");
  assert_int_equal(s.first.indice, 1);
  assert_int_equal(s.first.importo_cents, 14286);
  assert_int_equal(s.first.esito, 0);
  assert_int_equal(s.first.data_esito.d, 1);
  assert_int_equal(s.last.seq, 2);
  assert_string_equal(s.last.iuv, "02202400000000212");
  assert_int_equal(s.last.importo_cents, 1600);
  assert_string_equal(r.error, "");
  /* the same from memory */
  size_t len;
  char *xml = st_read(FDR_EXAMPLE, &len);
  seen s2 = {0};
  o.ud = &s2;
  assert_int_equal(fdr_parse_memory(xml, len, &o, &r), ERR_OK);
  assert_int_equal(s2.payments, 2);
  assert_int_equal(s2.sum, 15886);
  assert_memory_equal(&s2.last, &s.last, sizeof s.last);
  free(xml);
}

/* A generated flow of n payments; esito and amounts vary with i. declared_n
 * and declared_sum < 0 mean the true values. */
static char *gen(int n, const char *esito, int64_t declared_n, int64_t declared_sum, size_t *len) {
  strbuf body, out;
  sb_init(&body, 0);
  sb_init(&out, 0);
  int64_t sum = 0;
  for (int i = 0; i < n; i++) {
    int64_t cents = 1 + (int64_t)i * 7919 % 1000000;
    sum += cents;
    sb_appendf(
        &body,
        "<datiSingoliPagamenti><identificativoUnivocoVersamento>%017d</identificativoUnivocoVersamento>"
        "<identificativoUnivocoRiscossione>IUR%08d</identificativoUnivocoRiscossione>%s"
        "<singoloImportoPagato>%lld.%02lld</singoloImportoPagato>"
        "<codiceEsitoSingoloPagamento>%s</codiceEsitoSingoloPagamento>"
        "<dataEsitoSingoloPagamento>2025-10-%02d</dataEsitoSingoloPagamento></datiSingoliPagamenti>\n",
        i, i, i % 3 ? "<indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>" : "",
        (long long)(cents / 100), (long long)(cents % 100), esito ? esito : "0", 1 + i % 28);
  }
  if (declared_n < 0) declared_n = n;
  if (declared_sum < 0) declared_sum = sum;
  sb_appendf(
      &out,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FlussoRiversamento xmlns=\"" FDR_NS
      "\">"
      "<versioneOggetto>1.0</versioneOggetto><identificativoFlusso>2025-10-02ABCDITMMXXX-1</"
      "identificativoFlusso>"
      "<dataOraFlusso>2025-10-03T00:37:32</dataOraFlusso>"
      "<identificativoUnivocoRegolamento>TRN1</identificativoUnivocoRegolamento>"
      "<dataRegolamento>2025-10-02</dataRegolamento><istitutoMittente><identificativoUnivocoMittente>"
      "<tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco>"
      "<codiceIdentificativoUnivoco>ABCDITMMXXX</codiceIdentificativoUnivoco></identificativoUnivocoMittente>"
      "</istitutoMittente><istitutoRicevente><identificativoUnivocoRicevente>"
      "<tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>"
      "<codiceIdentificativoUnivoco>77777777777</codiceIdentificativoUnivoco></"
      "identificativoUnivocoRicevente>"
      "</istitutoRicevente><numeroTotalePagamenti>%lld</numeroTotalePagamenti>"
      "<importoTotalePagamenti>%lld.%02lld</importoTotalePagamenti>\n%s</FlussoRiversamento>\n",
      (long long)declared_n, (long long)(declared_sum / 100), (long long)(declared_sum % 100), sb_str(&body));
  sb_free(&body);
  *len = out.len;
  return sb_take(&out);
}

static void test_generated_flows(void **state) {
  static const int sizes[] = {1, 2, 10, 1000, 20000};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    size_t len;
    char *xml = gen(sizes[k], NULL, -1, -1, &len), why[512];
    if (sizes[k] <= 1000 && st_validate_doc(xsd105, xml, len, why, sizeof why))
      fail_msg("generated: %s", why);
    seen s = {0};
    fdr_options o = {.schema = FDR_SCHEMA_1_0_5, .on_header = on_header, .on_payment = on_payment, .ud = &s};
    fdr_result r;
    if (fdr_parse_memory(xml, len, &o, &r) != ERR_OK) fail_msg("%d: %s", sizes[k], r.error);
    assert_int_equal(s.payments, sizes[k]);
    assert_int_equal(r.count, sizes[k]);
    assert_int_equal(s.sum, r.header.importo_totale_cents);
    assert_int_equal(s.last.seq, sizes[k]);
    assert_int_equal(s.first.indice, 0); /* absent on every third */
    /* and through a file */
    char path[] = "/tmp/fdr-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, len), (ssize_t)len);
    close(fd);
    seen s2 = {0};
    o.ud = &s2;
    assert_int_equal(fdr_parse_file(path, &o, &r), ERR_OK);
    assert_int_equal(s2.payments, sizes[k]);
    assert_int_equal(s2.sum, s.sum);
    o.on_header = NULL;
    o.on_payment = NULL;
    o.max_bytes = len - 1; /* one byte too many */
    assert_int_equal(fdr_parse_file(path, &o, &r), ERR_TOO_LARGE);
    assert_int_equal(fdr_parse_memory(xml, len, &o, &r), ERR_TOO_LARGE);
    assert_non_null(strstr(r.error, "larger than"));
    o.max_bytes = len;
    assert_int_equal(fdr_parse_file(path, &o, &r), ERR_OK);
    unlink(path);
    free(xml);
  }
}

static void test_schema_versions(void **state) {
  static const struct {
    const char *esito;
    int any, v104, v105;
  } cases[] = {{"0", 1, 1, 1}, {"9", 1, 1, 1},  {"3", 1, 1, 0}, {"4", 1, 0, 1}, {"8", 1, 0, 1},
               {"1", 0, 0, 0}, {"00", 0, 0, 0}, {"", 0, 0, 0},  {" 0", 0, 0, 0}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len;
    char *xml = gen(3, cases[i].esito, -1, -1, &len), why[256];
    fdr_result r;
    fdr_options o = {.schema = FDR_SCHEMA_ANY};
    assert_int_equal(fdr_parse_memory(xml, len, &o, &r) == ERR_OK, cases[i].any);
    o.schema = FDR_SCHEMA_1_0_4;
    assert_int_equal(fdr_parse_memory(xml, len, &o, &r) == ERR_OK, cases[i].v104);
    /* the XSD agrees */
    assert_int_equal(st_validate_doc(xsd104, xml, len, why, sizeof why) == 0, cases[i].v104);
    o.schema = FDR_SCHEMA_1_0_5;
    err_code rc = fdr_parse_memory(xml, len, &o, &r);
    assert_int_equal(rc == ERR_OK, cases[i].v105);
    assert_int_equal(st_validate_doc(xsd105, xml, len, why, sizeof why) == 0, cases[i].v105);
    if (rc != ERR_OK) assert_non_null(strstr(r.error, "codiceEsitoSingoloPagamento"));
    free(xml);
  }
}

static void test_totals_mismatch(void **state) {
  size_t len;
  fdr_result r;
  fdr_options o = {0};
  char *xml = gen(5, NULL, 6, -1, &len);
  assert_int_equal(fdr_parse_memory(xml, len, &o, &r), ERR_INVALID);
  assert_true(r.totals_mismatch);
  assert_string_equal(r.error, "numeroTotalePagamenti is 6 but the flow holds 5 payments");
  free(xml);
  xml = gen(5, NULL, -1, 12345, &len);
  assert_int_equal(fdr_parse_memory(xml, len, &o, &r), ERR_INVALID);
  assert_true(r.totals_mismatch);
  assert_non_null(strstr(r.error, "importoTotalePagamenti is 123.45 but the payments add up to "));
  assert_int_equal(r.count, 5);
  free(xml);
  xml = gen(5, NULL, -1, -1, &len);
  assert_int_equal(fdr_parse_memory(xml, len, &o, &r), ERR_OK);
  assert_false(r.totals_mismatch);
  free(xml);
}

static void test_callback_stops(void **state) {
  size_t len;
  char *xml = gen(100, NULL, -1, -1, &len);
  seen s = {.stop_at = 40};
  fdr_options o = {.on_header = on_header, .on_payment = on_payment, .ud = &s};
  fdr_result r;
  assert_int_equal(fdr_parse_memory(xml, len, &o, &r), ERR_CONFLICT);
  assert_int_equal(s.payments, 40);
  free(xml);
}

static void test_bad_files(void **state) {
  size_t len;
  char *good = gen(2, NULL, -1, -1, &len);
  static const struct {
    const char *from, *to; /* replace the first occurrence */
    err_code rc;
    const char *needle;
  } cases[] = {
      {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
       "<?xml version=\"1.0\"?><!DOCTYPE FlussoRiversamento [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
       ERR_BAD_REQUEST, "DOCTYPE"},
      {"<versioneOggetto>1.0", "<versioneOggetto>&x;1.0", ERR_BAD_REQUEST, "not well-formed"},
      {"</FlussoRiversamento>", "", ERR_BAD_REQUEST, "not well-formed"},
      {"<dataRegolamento>", "<dataRegolamento><", ERR_BAD_REQUEST, "not well-formed"},
      {"xmlns=\"http://www.digitpa.gov.it/schemas/2011/Pagamenti/\"", "xmlns=\"urn:x\"", ERR_INVALID,
       "namespace"},
      {"<versioneOggetto>1.0</versioneOggetto>", "", ERR_INVALID, "missing element versioneOggetto"},
      {"<versioneOggetto>1.0</versioneOggetto>", "<versioneOggetto>2.0</versioneOggetto>", ERR_INVALID,
       "versioneOggetto must be"},
      {"2025-10-02ABCDITMMXXX-1", "2025/10/02", ERR_INVALID, "identificativoFlusso"},
      {"<dataOraFlusso>2025-10-03T00:37:32", "<dataOraFlusso>2025-10-03", ERR_INVALID, "dataOraFlusso"},
      {"<dataRegolamento>2025-10-02", "<dataRegolamento>2025-02-30", ERR_INVALID, "dataRegolamento"},
      {"<tipoIdentificativoUnivoco>B", "<tipoIdentificativoUnivoco>F", ERR_INVALID, "G, A or B"},
      {"<tipoIdentificativoUnivoco>G", "<tipoIdentificativoUnivoco>B", ERR_INVALID, "must be G"},
      {"<numeroTotalePagamenti>2", "<numeroTotalePagamenti>2.5", ERR_INVALID, "numeroTotalePagamenti"},
      {"<numeroTotalePagamenti>2", "<numeroTotalePagamenti>0", ERR_INVALID, "numeroTotalePagamenti"},
      {"<singoloImportoPagato>0.01", "<singoloImportoPagato>0.00", ERR_INVALID, "singoloImportoPagato"},
      {"<singoloImportoPagato>0.01", "<singoloImportoPagato>1e3", ERR_INVALID, "singoloImportoPagato"},
      {"<singoloImportoPagato>0.01", "<singoloImportoPagato>-0.01", ERR_INVALID, "singoloImportoPagato"},
      {"<indiceDatiSingoloPagamento>1", "<indiceDatiSingoloPagamento>6", ERR_INVALID,
       "indiceDatiSingoloPagamento"},
      {"<identificativoUnivocoVersamento>", "<x/><identificativoUnivocoVersamento>", ERR_INVALID,
       "missing element identificativoUnivocoVersamento (found x)"},
      {"<identificativoUnivocoRiscossione>IUR00000000</identificativoUnivocoRiscossione>", "", ERR_INVALID,
       "missing element identificativoUnivocoRiscossione"},
      {"<dataEsitoSingoloPagamento>2025-10-01</dataEsitoSingoloPagamento>", "", ERR_INVALID,
       "missing element dataEsitoSingoloPagamento"},
      {"<versioneOggetto>", "<versioneOggetto a=\"1\">", ERR_INVALID, "attribute a"},
      {"<versioneOggetto>1.0", "<versioneOggetto><b/>1.0", ERR_INVALID, "not allowed inside versioneOggetto"},
      {"<istitutoMittente>", "<istitutoMittente>text", ERR_INVALID, "text is not allowed"},
      {"<identificativoUnivocoRegolamento>TRN1", "<identificativoUnivocoRegolamento>", ERR_INVALID,
       "1 to 35 characters"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *at = strstr(good, cases[i].from);
    assert_non_null(at);
    strbuf b;
    sb_init(&b, 0);
    sb_appendn(&b, good, (size_t)(at - good));
    sb_append(&b, cases[i].to);
    sb_append(&b, at + strlen(cases[i].from));
    fdr_result r;
    fdr_options o = {0};
    err_code rc = fdr_parse_memory(sb_str(&b), b.len, &o, &r);
    if (rc != cases[i].rc || !strstr(r.error, cases[i].needle))
      fail_msg("case %zu: rc %d, error '%s' (expected %d, '%s')", i, rc, r.error, cases[i].rc,
               cases[i].needle);
    assert_null(strstr(r.error, "root:"));
    sb_free(&b);
  }
  free(good);
  fdr_result r;
  fdr_options o = {0};
  assert_int_equal(fdr_parse_memory("", 0, &o, &r), ERR_BAD_REQUEST);
  assert_int_equal(fdr_parse_memory("<a/>", 4, &o, &r), ERR_INVALID);
  assert_int_equal(fdr_parse_memory("not xml", 7, &o, &r), ERR_BAD_REQUEST);
  assert_int_equal(fdr_parse_file("/nonexistent/fdr.xml", &o, &r), ERR_NOT_FOUND);
  assert_non_null(strstr(r.error, "cannot open"));
}

/* Mutated copies of the example: the parser (schema 1.0.5) accepts exactly
 * what the 1.0.5 XSD accepts, totals aside (the XSD does not check them). */
static const char *values[] = {"",
                               "x",
                               " ",
                               "1.0",
                               "1.1",
                               "1.2",
                               "0",
                               "1",
                               "4",
                               "5",
                               "6",
                               "3",
                               "9",
                               "+2",
                               "2.0",
                               "0.00",
                               "0.01",
                               "1.234",
                               "-1.00",
                               "1e3",
                               "999999999.99",
                               "1000000000.00",
                               "2025-10-02",
                               "2025-13-01",
                               "2025-10-02Z",
                               "2025-10-03T00:37:32",
                               "2025-10-03T00:37:32.5+01:00",
                               "2025-10-03T24:00:01",
                               "A",
                               "B",
                               "G",
                               "ab",
                               "abc",
                               "a_b-C9",
                               "a b",
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678",
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                               "\xc3\xa8\xc3\xa8\xc3\xa8"};

static int n_cases, n_diff;

static void check(xmlDoc *doc, const char *what) {
  xmlChar *buf;
  int len;
  xmlDocDumpMemory(doc, &buf, &len);
  fdr_result r;
  fdr_options o = {.schema = FDR_SCHEMA_1_0_5};
  err_code rc = fdr_parse_memory((const char *)buf, (size_t)len, &o, &r);
  char why[512];
  int valid = st_validate_doc(xsd105, (const char *)buf, (size_t)len, why, sizeof why) == 0;
  int ours = rc == ERR_OK || (rc == ERR_INVALID && r.totals_mismatch);
  n_cases++;
  if (valid != ours) {
    n_diff++;
    print_message("# %s: XSD %s (%s), parser %s (%s)\n", what, valid ? "valid" : "invalid", valid ? "" : why,
                  ours ? "accepts" : "refuses", r.error);
  }
  xmlFree(buf);
}

static void mutate(xmlDoc *doc, xmlNode *n) {
  for (xmlNode *c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    int leaf = 1;
    for (xmlNode *g = c->children; g; g = g->next)
      if (g->type == XML_ELEMENT_NODE) leaf = 0;
    char what[160];
    if (leaf) {
      xmlChar *orig = xmlNodeGetContent(c);
      for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        xmlNodeSetContent(c, NULL);
        xmlNodeAddContent(c, (const xmlChar *)values[i]);
        snprintf(what, sizeof what, "%s='%s'", (const char *)c->name, values[i]);
        check(doc, what);
      }
      xmlNodeSetContent(c, NULL);
      xmlNodeAddContent(c, orig);
      xmlFree(orig);
    } else {
      mutate(doc, c);
    }
    xmlNode *prev = c->prev;
    xmlUnlinkNode(c);
    snprintf(what, sizeof what, "without %s", (const char *)c->name);
    check(doc, what);
    if (prev)
      xmlAddNextSibling(prev, c);
    else if (n->children)
      xmlAddPrevSibling(n->children, c);
    else
      xmlAddChild(n, c);
    xmlNode *copy = xmlCopyNode(c, 1);
    xmlAddNextSibling(c, copy);
    snprintf(what, sizeof what, "with %s twice", (const char *)c->name);
    check(doc, what);
    xmlUnlinkNode(copy);
    xmlFreeNode(copy);
  }
}

static void test_parser_agrees_with_xsd(void **state) {
  xmlDoc *doc = xmlReadFile(FDR_EXAMPLE, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  assert_non_null(doc);
  n_cases = n_diff = 0;
  mutate(doc, xmlDocGetRootElement(doc));
  xmlFreeDoc(doc);
  print_message("# %d variants checked against the XSD, %d disagreements\n", n_cases, n_diff);
  assert_true(n_cases > 1000);
  assert_int_equal(n_diff, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_example),
      cmocka_unit_test(test_generated_flows),
      cmocka_unit_test(test_schema_versions),
      cmocka_unit_test(test_totals_mismatch),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_parser_agrees_with_xsd),
  };
  int rc = cmocka_run_group_tests(tests, setup, teardown);
  xmlCleanupParser();
  return rc;
}

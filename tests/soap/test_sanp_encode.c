/* SANP response encoding: every response validated against paForNode.xsd
 * (from ../shared) with libxml2's XSD validator, compared with the shared
 * example responses, random valid data always valid, invalid data refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include "soap/sanp.h"
#include "soaptest.h"

#define EX PAGOPA_SPEC "/examples/sanp/"

static xmlSchemaPtr schema;
static sanp_error err;

static int setup(void **state) {
  schema = st_schema(PAFN_XSD);
  return 0;
}

static int teardown(void **state) {
  xmlSchemaFree(schema);
  return 0;
}

static void assert_valid(const char *what, const char *xml, size_t len) {
  char why[512];
  if (st_validate_body(schema, xml, len, why, sizeof why))
    fail_msg("%s: not valid against the XSD: %s\n%s", what, why, xml);
}

static void assert_like_example(const char *what, const char *xml, size_t len, const char *example) {
  assert_valid(what, xml, len);
  size_t elen;
  char *ex = st_read(example, &elen), why[512];
  if (st_same_body(xml, len, ex, elen, why, sizeof why))
    fail_msg("%s differs from %s: %s\n%s", what, example, why, xml);
  free(ex);
}

static const sanp_subject rossi = {
    .id_type = 'F', .id_value = "RSSMRA80A01H501U", .full_name = "Mario Rossi"};

static void test_verify(void **state) {
  arena *a = arena_new();
  sanp_verify_res r = {.option = {.amount_cents = 15000,
                                  .options = SANP_OPTION_EQ,
                                  .has_due_date = 1,
                                  .due_date = {2025, 12, 31},
                                  .detail_description = "TARI 2025 - rata unica",
                                  .all_ccp = 0},
                       .payment_description = "TARI 2025 - rata unica",
                       .fiscal_code_pa = "77777777777",
                       .company_name = "Comune di Esempio",
                       .office_name = "Ufficio Tributi"};
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_verify_ok(a, &r, &xml, &len, &err), ERR_OK);
  assert_int_equal(strlen(xml), len);
  assert_like_example("verify OK", xml, len, EX "paVerifyPaymentNotice.response-ok.xml");
  sanp_fault_bean f = {PAA_PAGAMENTO_SCONOSCIUTO, "77777777777",
                       "No debt position found for noticeNumber 302202400000000111"};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_VERIFY, &f, &xml, &len, &err), ERR_OK);
  assert_like_example("verify KO", xml, len,
                      EX "paVerifyPaymentNotice.response-ko-PAA_PAGAMENTO_SCONOSCIUTO.xml");
  /* only the required parts */
  sanp_verify_res min = {.option = {.amount_cents = 1, .options = SANP_OPTION_ANY, .all_ccp = 1}};
  assert_int_equal(sanp_encode_verify_ok(a, &min, &xml, &len, &err), ERR_OK);
  assert_valid("verify OK minimal", xml, len);
  assert_non_null(strstr(xml, "<amount>0.01</amount><options>ANY</options><allCCP>true</allCCP>"));
  arena_free(a);
}

static sanp_map_entry anno = {"annoRiferimento", "2025"};

static void test_get_payment(void **state) {
  arena *a = arena_new();
  sanp_transfer t[2] = {{.id_transfer = 1,
                         .amount_cents = 14286,
                         .fiscal_code_pa = "77777777777",
                         .iban = "IT60X0542811101000000123456",
                         .remittance_information = "TARI 2025 quota comunale",
                         .transfer_category = "0101101IM"},
                        {.id_transfer = 2,
                         .amount_cents = 714,
                         .fiscal_code_pa = "88888888888",
                         .iban = "IT02L1234512345123456789012",
                         .remittance_information = "TEFA 2025",
                         .transfer_category = "0201102IM"}};
  sanp_subject debtor = rossi;
  debtor.street_name = "Via Roma";
  debtor.civic_number = "1";
  debtor.postal_code = "00100";
  debtor.city = "Roma";
  debtor.state_province_region = "RM";
  debtor.country = "IT";
  debtor.email = "mario.rossi@example.com";
  sanp_payment p = {.creditor_reference_id = "02202400000000111",
                    .payment_amount_cents = 15000,
                    .due_date = {2025, 12, 31},
                    .last_payment = -1,
                    .description = "TARI 2025 - rata unica",
                    .company_name = "Comune di Esempio",
                    .office_name = "Ufficio Tributi",
                    .debtor = debtor,
                    .transfers = t,
                    .n_transfers = 2,
                    .metadata = {&anno, 1}};
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_OK);
  assert_like_example("paGetPayment OK", xml, len, EX "paGetPayment.response-ok.xml");
  /* the same data is a valid V2 response too */
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT_V2, &p, &xml, &len, &err), ERR_OK);
  assert_valid("paGetPaymentV2 OK", xml, len);
  sanp_fault_bean f = {PAA_PAGAMENTO_SCADUTO, "77777777777", NULL};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_GET_PAYMENT, &f, &xml, &len, &err), ERR_OK);
  assert_valid("paGetPayment KO", xml, len);
  assert_null(strstr(xml, "<description>"));
  /* retentionDate and lastPayment */
  p.retention_date_time = "2026-01-31T23:59:59";
  p.last_payment = 1;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_OK);
  assert_valid("paGetPayment retention", xml, len);
  assert_non_null(
      strstr(xml, "<retentionDate>2026-01-31T23:59:59</retentionDate><lastPayment>true</lastPayment>"));
  arena_free(a);
}

static void test_get_payment_v2_with_stamp(void **state) {
  arena *a = arena_new();
  sanp_map_entry cap = {"RC_CAP_1", "3050"};
  sanp_transfer t[2] = {{.id_transfer = 1,
                         .amount_cents = 1600,
                         .fiscal_code_pa = "77777777777",
                         .company_name = "Comune di Esempio",
                         .iban = "IT60X0542811101000000123456",
                         .remittance_information = "Diritti pratica SUE 2025/123",
                         .transfer_category = "0105107TS",
                         .metadata = {&cap, 1}},
                        {.id_transfer = 2,
                         .amount_cents = 1600,
                         .fiscal_code_pa = "77777777777",
                         .company_name = "Comune di Esempio",
                         .stamp_hash = "dbcOcPPTtrR2EWqBhauD0C4VUMmWPMLk42YnwPXLu68=",
                         .stamp_type = "01",
                         .stamp_province = "RM",
                         .remittance_information = "Imposta di bollo pratica SUE 2025/123",
                         .transfer_category = "0115103TS"}};
  sanp_payment p = {.creditor_reference_id = "02202400000000212",
                    .payment_amount_cents = 3200,
                    .due_date = {2025, 12, 31},
                    .last_payment = -1,
                    .description = "Diritti di segreteria SUE + imposta di bollo",
                    .company_name = "Comune di Esempio",
                    .office_name = "Sportello Unico Edilizia",
                    .debtor = rossi,
                    .transfers = t,
                    .n_transfers = 2};
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT_V2, &p, &xml, &len, &err), ERR_OK);
  assert_like_example("paGetPaymentV2 OK", xml, len, EX "paGetPaymentV2.response-ok-with-bollo.xml");
  /* V1 has no stamp: refused, naming the transfer */
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  assert_null(xml);
  assert_string_equal(err.field, "paGetPaymentRes/data/transferList/transfer/IBAN");
  sanp_fault_bean f = {PAA_PAGAMENTO_DUPLICATO, "77777777777",
                       "Notice 302202400000000212 already paid on 2025-10-01"};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_GET_PAYMENT_V2, &f, &xml, &len, &err), ERR_OK);
  assert_like_example("paGetPaymentV2 KO", xml, len,
                      EX "paGetPaymentV2.response-ko-PAA_PAGAMENTO_DUPLICATO.xml");
  arena_free(a);
}

static void test_send_rt(void **state) {
  arena *a = arena_new();
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_send_rt_ok(a, SANP_OP_SEND_RT, &xml, &len, &err), ERR_OK);
  assert_like_example("paSendRT OK", xml, len, EX "paSendRT.response-ok.xml");
  assert_int_equal(sanp_encode_send_rt_ok(a, SANP_OP_SEND_RT_V2, &xml, &len, &err), ERR_OK);
  assert_like_example("paSendRTV2 OK", xml, len, EX "paSendRTV2.response-ok.xml");
  sanp_fault_bean f = {PAA_RECEIPT_DUPLICATA, "77777777777",
                       "Receipt 7d3f7e0c2a1b4c5d9e8f0a1b2c3d4e5f already received"};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_SEND_RT_V2, &f, &xml, &len, &err), ERR_OK);
  assert_like_example("paSendRTV2 KO", xml, len, EX "paSendRTV2.response-ko-PAA_RECEIPT_DUPLICATA.xml");
  assert_int_equal(sanp_encode_ko(a, SANP_OP_SEND_RT, &f, &xml, &len, &err), ERR_OK);
  assert_valid("paSendRT KO", xml, len);
  assert_int_equal(sanp_encode_send_rt_ok(a, SANP_OP_VERIFY, &xml, &len, &err), ERR_INVALID);
  arena_free(a);
}

static void test_demand(void **state) {
  arena *a = arena_new();
  sanp_demand_res r = {.qr = {"77777777777", "311202500001234583"},
                       .option = {.amount_cents = 2500, .options = SANP_OPTION_EQ},
                       .payment_description = "Servizio spontaneo di esempio",
                       .fiscal_code_pa = "77777777777",
                       .company_name = "Comune di Esempio"};
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_demand_ok(a, &r, &xml, &len, &err), ERR_OK);
  assert_like_example("paDemandPaymentNotice OK", xml, len, EX "paDemandPaymentNotice.response-ok.xml");
  sanp_fault_bean f = {PAA_SEMANTICA, "77777777777", "servizio non attivo"};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_DEMAND, &f, &xml, &len, &err), ERR_OK);
  assert_valid("paDemandPaymentNotice KO", xml, len);
  arena_free(a);
}

static void test_every_fault_for_every_operation(void **state) {
  size_t n;
  const sanp_fault_info *t = sanp_fault_table(&n);
  assert_int_equal(n, PAA__COUNT - 1);
  arena *a = arena_new();
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(t[i].fault, (sanp_fault)(i + 1));
    assert_true(!strncmp(t[i].code, "PAA_", 4));
    assert_true(strlen(t[i].string) > 5);
    assert_int_equal(sanp_fault_from_code(t[i].code), t[i].fault);
    assert_string_equal(sanp_fault_code(t[i].fault), t[i].code);
    for (size_t j = 0; j < i; j++) assert_string_not_equal(t[i].code, t[j].code);
    for (int op = SANP_OP_NONE + 1; op < SANP_OP__COUNT; op++) {
      sanp_fault_bean f = {t[i].fault, "77777777777", "descrizione"};
      char *xml, what[96];
      size_t len;
      assert_int_equal(sanp_encode_ko(a, (sanp_op)op, &f, &xml, &len, &err), ERR_OK);
      snprintf(what, sizeof what, "%s %s", sanp_op_name((sanp_op)op), t[i].code);
      assert_valid(what, xml, len);
      assert_non_null(strstr(xml, "<outcome>KO</outcome>"));
      assert_non_null(strstr(xml, t[i].string));
    }
  }
  assert_int_equal(sanp_fault_from_code("PAA_NIENTE"), PAA_NONE);
  assert_int_equal(sanp_fault_from_code(NULL), PAA_NONE);
  assert_string_equal(sanp_fault_string(PAA_PAGAMENTO_SCONOSCIUTO),
                      "Pagamento in attesa risulta sconosciuto all'Ente Creditore");
  char *xml;
  size_t len;
  sanp_fault_bean none = {PAA_NONE, "x", NULL};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_VERIFY, &none, &xml, &len, &err), ERR_INVALID);
  sanp_fault_bean noid = {PAA_SYSTEM_ERROR, NULL, NULL};
  assert_int_equal(sanp_encode_ko(a, SANP_OP_VERIFY, &noid, &xml, &len, &err), ERR_INVALID);
  assert_int_equal(sanp_encode_ko(a, SANP_OP_NONE, &noid, &xml, &len, &err), ERR_INVALID);
  arena_free(a);
}

static void test_escaping_and_sanitising(void **state) {
  arena *a = arena_new();
  sanp_fault_bean f = {PAA_SYSTEM_ERROR, "77777777777", "a & b < c > d \"e\" 'f'\r\n\xc3\xa8 \x01 \xff end"};
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_ko(a, SANP_OP_VERIFY, &f, &xml, &len, &err), ERR_OK);
  assert_valid("escaped KO", xml, len);
  xmlDoc *d = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
  assert_non_null(d);
  xmlChar *s = xmlNodeGetContent(xmlDocGetRootElement(d));
  /* invalid XML (control byte, bad UTF-8) -> '?' and every non-ASCII byte too */
  assert_non_null(strstr((char *)s, "a & b < c > d \"e\" 'f'\r\n?? ? ? end"));
  xmlFree(s);
  xmlFreeDoc(d);
  sanp_verify_res r = {.option = {.amount_cents = 100}, .company_name = "Rossi & Figli <s.r.l.>\r"};
  assert_int_equal(sanp_encode_verify_ok(a, &r, &xml, &len, &err), ERR_OK);
  assert_valid("escaped verify", xml, len);
  assert_non_null(strstr(xml, "<companyName>Rossi &amp; Figli &lt;s.r.l.&gt;&#13;</companyName>"));
  arena_free(a);
}

static void test_soap_fault(void **state) {
  arena *a = arena_new();
  sanp_error e = {
      .fault = PAA_SINTASSI_EXTRAXSD, .op = SANP_OP_NONE, .description = "SOAPAction <missing> & co"};
  char *xml;
  size_t len;
  assert_int_equal(sanp_encode_soap_fault(a, &e, &xml, &len), ERR_OK);
  xmlSchemaPtr env = st_schema(PAGOPA_SPEC "/pagopa-api-SANP3.13.0/xsd-common/envelope.xsd");
  char why[512];
  if (st_validate_doc(env, xml, len, why, sizeof why)) fail_msg("SOAP fault: %s\n%s", why, xml);
  xmlSchemaFree(env);
  assert_non_null(
      strstr(xml, "<faultcode>soapenv:Client</faultcode><faultstring>PAA_SINTASSI_EXTRAXSD</faultstring>"));
  assert_non_null(strstr(xml, "SOAPAction &lt;missing&gt; &amp; co"));
  arena_free(a);
}

static sanp_transfer one_transfer(void) {
  sanp_transfer t = {.id_transfer = 1,
                     .amount_cents = 1000,
                     .fiscal_code_pa = "77777777777",
                     .iban = "IT60X0542811101000000123456",
                     .remittance_information = "r",
                     .transfer_category = "c"};
  return t;
}

static sanp_payment base_payment(const sanp_transfer *t, size_t n) {
  sanp_payment p = {.creditor_reference_id = "02202400000000111",
                    .payment_amount_cents = 1000,
                    .due_date = {2025, 12, 31},
                    .last_payment = -1,
                    .description = "d",
                    .company_name = "Comune",
                    .debtor = rossi,
                    .transfers = t,
                    .n_transfers = n};
  return p;
}

static void test_encoder_refuses_what_the_xsd_refuses(void **state) {
  arena *a = arena_new();
  char *xml;
  size_t len;
  char long141[142];
  memset(long141, 'x', 141);
  long141[141] = 0;
  sanp_transfer t = one_transfer(), six[6];
  sanp_payment p = base_payment(&t, 1);
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_OK);
  assert_valid("base payment", xml, len);
  /* one field at a time */
  p.description = long141;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  assert_string_equal(err.field, "paGetPaymentRes/data/description");
  assert_non_null(strstr(err.description, "1 to 140"));
  assert_int_equal(err.op, SANP_OP_GET_PAYMENT);
  p = base_payment(&t, 1);
  p.payment_amount_cents = 999;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  assert_non_null(strstr(err.description, "sum of the transfer"));
  p = base_payment(&t, 1);
  p.company_name = NULL; /* optional in V1, required in V2 */
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_OK);
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT_V2, &p, &xml, &len, &err), ERR_INVALID);
  assert_string_equal(err.field, "paGetPaymentV2Response/data/companyName");
  p = base_payment(&t, 1);
  p.debtor.id_type = 'X';
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  assert_string_equal(err.field, "paGetPaymentRes/data/debtor/uniqueIdentifier/entityUniqueIdentifierType");
  p = base_payment(&t, 1);
  p.debtor.email = "not an e-mail";
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  p = base_payment(&t, 1);
  p.due_date.m = 13;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  p = base_payment(&t, 1);
  p.retention_date_time = "2026-01-31 23:59";
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  p = base_payment(&t, 0);
  p.payment_amount_cents = 0;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  for (int i = 0; i < 6; i++) {
    six[i] = one_transfer();
    six[i].id_transfer = i < 5 ? i + 1 : 5;
  }
  p = base_payment(six, 6);
  p.payment_amount_cents = 6000;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  p = base_payment(six, 2);
  p.payment_amount_cents = 2000;
  six[1].id_transfer = 1;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  assert_non_null(strstr(err.description, "used twice"));
  sanp_transfer bad = one_transfer();
  p = base_payment(&bad, 1);
  bad.amount_cents = 0;
  p.payment_amount_cents = 0;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  bad = one_transfer();
  p = base_payment(&bad, 1);
  bad.iban = NULL;
  bad.stamp_hash = "QUJDRA==";
  bad.stamp_type = "02";
  bad.stamp_province = "RM";
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT_V2, &p, &xml, &len, &err), ERR_INVALID);
  assert_non_null(strstr(err.field, "tipoBollo"));
  bad = one_transfer();
  bad.id_transfer = 6;
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  bad = one_transfer();
  bad.iban = "\xc3\x28"; /* invalid UTF-8 */
  assert_int_equal(sanp_encode_get_payment_ok(a, SANP_OP_GET_PAYMENT, &p, &xml, &len, &err), ERR_INVALID);
  assert_non_null(strstr(err.description, "not allowed in XML"));
  sanp_verify_res v = {.option = {.amount_cents = PAGOPA_AMOUNT_MAX + 1}};
  assert_int_equal(sanp_encode_verify_ok(a, &v, &xml, &len, &err), ERR_INVALID);
  v.option.amount_cents = PAGOPA_AMOUNT_MAX;
  assert_int_equal(sanp_encode_verify_ok(a, &v, &xml, &len, &err), ERR_OK);
  assert_non_null(strstr(xml, "<amount>999999999.99</amount>"));
  v.option.options = 7;
  assert_int_equal(sanp_encode_verify_ok(a, &v, &xml, &len, &err), ERR_INVALID);
  v.option.options = SANP_OPTION_EQ;
  v.fiscal_code_pa = "7777777777";
  assert_int_equal(sanp_encode_verify_ok(a, &v, &xml, &len, &err), ERR_INVALID);
  sanp_demand_res dr = {.qr = {"77777777777", "3112025000012345"}, .option = {.amount_cents = 1}};
  assert_int_equal(sanp_encode_demand_ok(a, &dr, &xml, &len, &err), ERR_INVALID);
  assert_string_equal(err.field, "paDemandPaymentNoticeResponse/qrCode/noticeNumber");
  arena_free(a);
}

/* ---- random valid data is always XSD-valid ------------------------------- */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 8) % n;
}

/* Text of 1..max characters mixing ASCII, XML specials and multi-byte
 * UTF-8 (the limits count characters, not bytes). */
static const char *rnd_text(arena *a, size_t min, size_t max) {
  static const char *pieces[] = {
      "a",  "Z",  "0", " ", "&", "<", ">", "\"", "'", "\xc3\xa8", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
      "\t", "\n", "-", "/"};
  size_t n = min + rnd((unsigned)(max - min + 1));
  char *s = arena_alloc(a, n * 4 + 1), *p = s;
  for (size_t i = 0; i < n; i++) {
    const char *c = pieces[rnd(sizeof pieces / sizeof pieces[0])];
    size_t l = strlen(c);
    memcpy(p, c, l);
    p += l;
  }
  *p = 0;
  return s;
}

static const char *opt_text(arena *a, size_t max) { return rnd(2) ? rnd_text(a, 1, max) : NULL; }

static const char *digits(arena *a, size_t n) {
  char *s = arena_alloc(a, n + 1);
  for (size_t i = 0; i < n; i++) s[i] = (char)('0' + rnd(10));
  return s;
}

static sanp_subject rnd_subject(arena *a) {
  sanp_subject s = {
      .id_type = rnd(2) ? 'F' : 'G', .id_value = rnd_text(a, 2, 16), .full_name = rnd_text(a, 1, 70)};
  s.street_name = opt_text(a, 70);
  s.civic_number = opt_text(a, 16);
  s.postal_code = opt_text(a, 16);
  s.city = opt_text(a, 35);
  s.state_province_region = opt_text(a, 35);
  s.country = rnd(2) ? "IT" : NULL;
  s.email = rnd(2) ? "a.b+c_d-e@x-y.example.it" : NULL;
  return s;
}

static void test_random_valid_payments_are_valid(void **state) {
  for (int round = 0; round < 300; round++) {
    arena *a = arena_new();
    int v2 = round % 2;
    size_t n = 1 + rnd(5);
    sanp_transfer *t = arena_alloc(a, sizeof *t * n);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
      t[i].id_transfer = (int)i + 1;
      t[i].amount_cents = 1 + (int64_t)rnd(100000000) * (rnd(2) ? 100 : 1); /* 5 x 1e10 < max */
      sum += t[i].amount_cents;
      t[i].fiscal_code_pa = digits(a, 11);
      t[i].company_name = opt_text(a, 140);
      if (v2 && rnd(3) == 0) {
        t[i].stamp_hash = "dbcOcPPTtrR2EWqBhauD0C4VUMmWPMLk42YnwPXLu68=";
        t[i].stamp_type = "01";
        t[i].stamp_province = "MI";
      } else {
        t[i].iban = rnd_text(a, 1, 35);
      }
      t[i].remittance_information = rnd_text(a, 1, 140);
      t[i].transfer_category = rnd_text(a, 1, 140);
      if (rnd(2)) {
        size_t m = 1 + rnd(15);
        sanp_map_entry *e = arena_alloc(a, sizeof *e * m);
        for (size_t k = 0; k < m; k++) e[k] = (sanp_map_entry){rnd_text(a, 1, 140), rnd_text(a, 1, 140)};
        t[i].metadata = (sanp_metadata){e, m};
      }
    }
    sanp_payment p = {.creditor_reference_id = rnd_text(a, 1, 35),
                      .payment_amount_cents = sum,
                      .due_date = {2000 + (int)rnd(100), 1 + (int)rnd(12), 1 + (int)rnd(28)},
                      .retention_date_time = rnd(2) ? "2030-06-30T12:00:00.5+02:00" : NULL,
                      .last_payment = (int)rnd(3) - 1,
                      .description = rnd_text(a, 1, 140),
                      .company_name = v2 || rnd(2) ? rnd_text(a, 1, 140) : NULL,
                      .office_name = opt_text(a, 140),
                      .debtor = rnd_subject(a),
                      .transfers = t,
                      .n_transfers = n};
    char *xml;
    size_t len;
    sanp_op op = v2 ? SANP_OP_GET_PAYMENT_V2 : SANP_OP_GET_PAYMENT;
    if (sanp_encode_get_payment_ok(a, op, &p, &xml, &len, &err) != ERR_OK)
      fail_msg("round %d: %s", round, err.description);
    assert_valid("random payment", xml, len);
    sanp_verify_res vr = {.option = {.amount_cents = sum,
                                     .options = (sanp_amount_option)rnd(4),
                                     .has_due_date = (int)rnd(2),
                                     .due_date = p.due_date,
                                     .detail_description = opt_text(a, 140),
                                     .all_ccp = (int)rnd(2)},
                          .payment_description = opt_text(a, 140),
                          .fiscal_code_pa = rnd(2) ? digits(a, 11) : NULL,
                          .company_name = opt_text(a, 140),
                          .office_name = opt_text(a, 140)};
    if (sanp_encode_verify_ok(a, &vr, &xml, &len, &err) != ERR_OK)
      fail_msg("round %d: %s", round, err.description);
    assert_valid("random verify", xml, len);
    sanp_demand_res dr = {
        .qr = {digits(a, 11), digits(a, 18)}, .option = vr.option, .office_name = opt_text(a, 140)};
    if (sanp_encode_demand_ok(a, &dr, &xml, &len, &err) != ERR_OK)
      fail_msg("round %d: %s", round, err.description);
    assert_valid("random demand", xml, len);
    arena_free(a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_verify),
      cmocka_unit_test(test_get_payment),
      cmocka_unit_test(test_get_payment_v2_with_stamp),
      cmocka_unit_test(test_send_rt),
      cmocka_unit_test(test_demand),
      cmocka_unit_test(test_every_fault_for_every_operation),
      cmocka_unit_test(test_escaping_and_sanitising),
      cmocka_unit_test(test_soap_fault),
      cmocka_unit_test(test_encoder_refuses_what_the_xsd_refuses),
      cmocka_unit_test(test_random_valid_payments_are_valid),
  };
  int rc = cmocka_run_group_tests(tests, setup, teardown);
  xmlCleanupParser();
  return rc;
}

/* The MIME/PEC parser (src/mail/mail_parse.c) on the fixtures of
 * tests/mail/fixtures and the PEC samples of ../shared/spec/pec: charsets
 * and transfer encodings to UTF-8, sanitised HTML, parts and fingerprints,
 * PEC envelopes and receipts, bounces, auto-replies, malformed input and
 * limits, subject tags, and a message built by mail_build read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/mail.h"

static arena *A;
static mail_limits LIM = {26214400, 20971520, 200};

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot read %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = arena_alloc(A, (size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) fail_msg("short read %s", path);
  fclose(f);
  buf[n] = 0;
  *len = (size_t)n;
  return buf;
}

static char *fixture(const char *name, size_t *len) {
  return slurp(arena_printf(A, "%s/tests/mail/fixtures/%s", SOURCE_DIR, name), len);
}

static err_code parse(const char *name, intake_msg *m, const char **reason) {
  size_t len;
  char *raw = fixture(name, &len);
  return mail_parse(A, raw, len, &LIM, m, reason);
}

static void parse_ok(const char *name, intake_msg *m) {
  const char *reason;
  err_code rc = parse(name, m, &reason);
  if (rc != ERR_OK) fail_msg("%s: %s", name, reason ? reason : err_slug(rc));
}

static int setup(void **s) {
  (void)s;
  A = arena_new();
  return 0;
}
static int teardown(void **s) {
  (void)s;
  arena_free(A);
  return 0;
}

static void test_utf8_plain(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("01-plain-utf8.eml", &m);
  assert_string_equal(m.message_id, "<plain-utf8-0001@example.it>");
  assert_string_equal(m.from_addr, "mario.rossi@example.it"); /* lower case */
  assert_string_equal(m.from_name, "Mario Rossi");
  assert_string_equal(m.subject, "Richiesta di rimborso – TARI 2025’s");
  assert_non_null(strstr(m.text, "Città: Forlì — importo 123,45 €."));
  assert_null(m.auto_reason);
  assert_int_equal(m.n_parts, 0);
  assert_int_equal(strlen(m.raw_sha256), 64);
}

static void test_latin1_qp(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("02-latin1-qp.eml", &m);
  assert_string_equal(m.from_name, "Lucia Bianchè");
  assert_string_equal(m.subject, "Occupazione suolo pubblico - proprietà");
  assert_non_null(strstr(m.text, "La proprietà è in via Garibaldi; l'occupazione è per un dehors di 12 m²."));
}

static void test_cp1252_base64(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("03-cp1252-base64.eml", &m);
  assert_string_equal(m.text, "Gentile ufficio, allego la ricevuta da 80 € per la “cessazione” — grazie.\n");
}

static void test_html_sanitised(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("04-alternative-html.eml", &m);
  /* text/plain preferred */
  assert_string_equal(m.text, "Chiedo la rateizzazione dell'avviso 2024/17 in 6 rate.\n");
  assert_non_null(m.html);
  const char *bad[] = {"script", "alert", "onclick", "onload", "style", "javascript", "iframe", "evil"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (strstr(m.html, bad[i])) fail_msg("'%s' survived: %s", bad[i], m.html);
  assert_non_null(strstr(m.html, "<b>rateizzazione</b>"));
  assert_non_null(strstr(m.html, "<a href=\"https://example.net/info\">info</a>"));
}

static void test_html_only(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("05-html-only-latin1.eml", &m);
  assert_string_equal(m.text, "Quando scade la rata di lunedì?\nGrazie\n");
  assert_null(strstr(m.html, "x()"));
}

static void test_inline_and_attachment(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("06-inline-image.eml", &m);
  assert_int_equal(m.n_parts, 2);
  assert_string_equal(m.parts[0].role, "inline");
  assert_string_equal(m.parts[0].mime, "image/png");
  assert_string_equal(m.parts[0].content_id, "foto1@example.it");
  assert_string_equal(m.parts[0].name, "allegato-1.png");
  assert_int_equal(m.parts[0].size, 70);
  assert_memory_equal(m.parts[0].data, "\x89PNG", 4);
  assert_string_equal(m.parts[1].role, "attachment");
  assert_string_equal(m.parts[1].name, "planimetria.pdf");
  assert_memory_equal(m.parts[1].data, "%PDF-1.4", 8);
  assert_non_null(strstr(m.html, "src=\"cid:foto1@example.it\""));
  assert_null(strstr(m.html, "onerror"));
}

static void test_attachments(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("07-attachments.eml", &m);
  assert_int_equal(m.n_parts, 3);
  assert_string_equal(m.parts[1].name, "delega firmata – copia.pdf"); /* RFC 2231 */
  assert_string_equal(m.parts[0].sha256, m.parts[1].sha256);         /* same content */
  assert_string_equal(m.parts[2].name, "note.txt");
  assert_string_equal(m.text, "In allegato l'istanza e la delega.\n");
}

static void test_automatic(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("20-out-of-office.eml", &m);
  assert_string_equal(m.auto_reason, "auto-reply");
  parse_ok("21-bulk.eml", &m);
  assert_string_equal(m.auto_reason, "bulk");
  parse_ok("22-loop.eml", &m);
  assert_string_equal(m.auto_reason, "loop");
  parse_ok("templates/bounce.eml", &m);
  assert_string_equal(m.auto_reason, "bounce");
  assert_string_equal(m.refers_to, "<@@MSGID@@>");
  parse_ok("templates/reply-in-reply-to.eml", &m);
  assert_null(m.auto_reason);
}

static void test_pec_envelope(void **s) {
  (void)s;
  intake_msg m;
  parse_ok("30-pec-busta.eml", &m);
  assert_int_equal(m.pec, 1);
  assert_string_equal(m.pec_type, "posta-certificata");
  assert_string_equal(m.message_id, "<opec-busta-0030@pec.gestore.example>");
  assert_string_equal(m.origin_id, "<orig-pec-0030@pec.example.it>");
  assert_string_equal(m.from_addr, "mario.rossi@pec.example.it");
  assert_string_equal(m.subject, "Istanza di rimborso IMU");
  assert_non_null(strstr(m.text, "Chiedo il rimborso IMU 2024 versata in eccesso (è allegata"));
  assert_null(m.auto_reason);
  int daticert = 0, quietanza = 0;
  for (size_t i = 0; i < m.n_parts; i++) {
    if (strcmp(m.parts[i].role, "daticert") == 0) daticert++;
    if (strcmp(m.parts[i].name, "quietanza.pdf") == 0) quietanza++;
  }
  assert_int_equal(daticert, 1);
  assert_int_equal(quietanza, 1);
}

static void test_pec_receipts(void **s) {
  (void)s;
  static const char *const types[] = {"accettazione",      "non-accettazione",
                                      "presa-in-carico",   "avvenuta-consegna",
                                      "errore-consegna",   "preavviso-errore-consegna",
                                      "rilevazione-virus"};
  for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
    intake_msg m;
    parse_ok(arena_printf(A, "templates/pec-%s.eml", types[i]), &m);
    assert_string_equal(m.auto_reason, "pec-receipt");
    assert_string_equal(m.pec_type, types[i]);
    assert_string_equal(m.refers_to, "<@@MSGID@@>");
  }
}

static void test_shared_pec_samples(void **s) {
  (void)s;
  struct {
    const char *file, *type, *refers;
  } cases[] = {
      {"ricevuta-accettazione.eml", "accettazione", "<SN05IE$951DEC16C1CFD3E4FD8FF1B1D24A99AE@fakepec.it>"},
      {"avviso-errore-consegna.eml", "errore-consegna", "<SN05IE$951DEC16C1CFD3E4FD8FF1B1D24A99AE@pec.it>"},
      {"ricevuta-avvenuta-consegna-completa-synthetic.eml", "avvenuta-consegna",
       "<20250314101500.1234@mail.comune-esempio.example>"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t len;
    char *raw = slurp(arena_printf(A, "%s/spec/pec/samples/%s", SHARED_DIR, cases[i].file), &len);
    intake_msg m;
    const char *reason;
    assert_int_equal(mail_parse(A, raw, len, &LIM, &m, &reason), ERR_OK);
    assert_string_equal(m.auto_reason, "pec-receipt");
    assert_string_equal(m.pec_type, cases[i].type);
    assert_string_equal(m.refers_to, cases[i].refers);
  }
  size_t len;
  char *raw = slurp(arena_printf(A, "%s/spec/pec/samples/busta-trasporto-synthetic.eml", SHARED_DIR), &len);
  intake_msg m;
  const char *reason;
  assert_int_equal(mail_parse(A, raw, len, &LIM, &m, &reason), ERR_OK);
  assert_null(m.auto_reason);
  assert_string_equal(m.from_addr, "tributi@pec.comune-esempio.example");
  assert_string_equal(m.subject, "Avviso di scadenza rata 3/6 - piano di rateizzazione n. 2025/17");
}

static void test_daticert(void **s) {
  (void)s;
  size_t len;
  char *x = slurp(arena_printf(A, "%s/spec/pec/samples/daticert-avvenuta-consegna-synthetic.xml", SHARED_DIR), &len);
  pec_daticert d;
  assert_int_equal(pec_daticert_parse(A, x, len, &d), ERR_OK);
  assert_string_equal(d.tipo, "avvenuta-consegna");
  assert_string_equal(d.msgid, "<20250314101500.1234@mail.comune-esempio.example>");
  assert_string_equal(d.consegna, "mario.rossi@pec.cittadino-esempio.example");
  x = slurp(arena_printf(A, "%s/spec/pec/samples/daticert-avviso-errore-consegna.xml", SHARED_DIR), &len);
  assert_int_equal(pec_daticert_parse(A, x, len, &d), ERR_OK); /* stray text tolerated */
  assert_string_equal(d.errore, "no-dest");
  assert_string_equal(d.errore_esteso, "5.1.1 - FAKE Pec S.p.A. - indirizzo non valido");
  const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE postacert [<!ENTITY x SYSTEM "
                    "\"file:///etc/passwd\">]><postacert tipo=\"accettazione\">&x;</postacert>";
  assert_int_equal(pec_daticert_parse(A, xxe, strlen(xxe), &d), ERR_INVALID);
  const char *other = "<?xml version=\"1.0\"?><root tipo=\"x\"/>";
  assert_int_equal(pec_daticert_parse(A, other, strlen(other), &d), ERR_INVALID);
}

static void test_malformed_and_limits(void **s) {
  (void)s;
  intake_msg m;
  const char *reason;
  assert_int_equal(parse("90-malformed-binary.eml", &m, &reason), ERR_INVALID);
  assert_non_null(strstr(reason, "non è un messaggio"));
  assert_int_equal(parse("91-malformed-nofrom.eml", &m, &reason), ERR_INVALID);
  assert_string_equal(reason, "Mittente mancante o non valido.");
  assert_int_equal(mail_parse(A, "", 0, &LIM, &m, &reason), ERR_INVALID);
  mail_limits small = {1000, 20, 200};
  size_t len;
  char *raw = fixture("07-attachments.eml", &len);
  assert_int_equal(mail_parse(A, raw, len, &small, &m, &reason), ERR_TOO_LARGE);
  small.max_message_bytes = 26214400;
  assert_int_equal(mail_parse(A, raw, len, &small, &m, &reason), ERR_TOO_LARGE);
  assert_non_null(strstr(reason, "allegato"));
  mail_limits few = {26214400, 20971520, 2};
  assert_int_equal(mail_parse(A, raw, len, &few, &m, &reason), ERR_INVALID);
  /* no Message-ID: one derived from the content, stable */
  const char *noid = "From: a@example.it\r\nSubject: x\r\n\r\ntesto\r\n";
  assert_int_equal(mail_parse(A, noid, strlen(noid), &LIM, &m, &reason), ERR_OK);
  assert_non_null(strstr(m.message_id, "@senza-message-id.invalid>"));
  /* CRLF and LF copies share the content key */
  intake_msg m2;
  const char *lf = "From: a@example.it\nSubject: x\n\ntesto\n";
  assert_int_equal(mail_parse(A, lf, strlen(lf), &LIM, &m2, &reason), ERR_OK);
  assert_string_equal(m.content_sha256, m2.content_sha256);
  assert_string_not_equal(m.raw_sha256, m2.raw_sha256);
}

static void test_subject_tags(void **s) {
  (void)s;
  const char *kind;
  int year;
  int64_t n;
  assert_true(mail_subject_tag("Re: [Pratica 2026-000123] integrazione", &kind, &year, &n));
  assert_string_equal(kind, "pratica");
  assert_int_equal(year, 2026);
  assert_int_equal(n, 123);
  assert_true(mail_subject_tag("R: Ricevuta [Prot. 0000042/2025]", &kind, &year, &n));
  assert_string_equal(kind, "prot");
  assert_int_equal(year, 2025);
  assert_int_equal(n, 42);
  assert_true(mail_subject_tag("[prot n. 7/2024]", &kind, &year, &n));
  assert_int_equal(n, 7);
  assert_false(mail_subject_tag("[Pratica 123]", &kind, &year, &n));
  assert_false(mail_subject_tag("[Prot. 0000042-2025]", &kind, &year, &n));
  assert_false(mail_subject_tag(NULL, &kind, &year, &n));
}

static void test_build_roundtrip(void **s) {
  (void)s;
  notify_attachment att = {.name = "avviso è.pdf", .mime = "application/pdf", .data = "%PDF-x",
                           .size = 6};
  notify_mail out = {.from = "istanze@comune.example", .to = "mario@example.it",
                     .subject = "[Prot. 0000001/2026] Ricevuta: proprietà",
                     .text = "Gentile utente,\nè registrata.\n", .html = "<p>è registrata</p>",
                     .message_id = "<123.abc@sportello.test>", .in_reply_to = "<orig@example.it>",
                     .references = "<orig@example.it>", .auto_submitted = "auto-replied",
                     .att = &att, .n_att = 1, .created_at = 1750000000};
  char *data;
  size_t len;
  assert_int_equal(mail_build(A, &out, &data, &len), ERR_OK);
  assert_non_null(strstr(data, "\r\nAuto-Submitted: auto-replied\r\n"));
  intake_msg m;
  const char *reason;
  assert_int_equal(mail_parse(A, data, len, &LIM, &m, &reason), ERR_OK);
  assert_string_equal(m.message_id, "<123.abc@sportello.test>");
  assert_string_equal(m.subject, "[Prot. 0000001/2026] Ricevuta: proprietà");
  assert_string_equal(m.text, "Gentile utente,\nè registrata.\n");
  assert_string_equal(m.in_reply_to, "<orig@example.it>");
  assert_string_equal(m.auto_reason, "auto-reply"); /* our own acknowledgement is automatic */
  assert_int_equal(m.n_parts, 1);
  assert_string_equal(m.parts[0].name, "avviso è.pdf");
  assert_int_equal(m.parts[0].size, 6);
  assert_string_equal(m.tag_kind, "prot");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_plain),        cmocka_unit_test(test_latin1_qp),
      cmocka_unit_test(test_cp1252_base64),     cmocka_unit_test(test_html_sanitised),
      cmocka_unit_test(test_html_only),         cmocka_unit_test(test_inline_and_attachment),
      cmocka_unit_test(test_attachments),       cmocka_unit_test(test_automatic),
      cmocka_unit_test(test_pec_envelope),      cmocka_unit_test(test_pec_receipts),
      cmocka_unit_test(test_shared_pec_samples), cmocka_unit_test(test_daticert),
      cmocka_unit_test(test_malformed_and_limits), cmocka_unit_test(test_subject_tags),
      cmocka_unit_test(test_build_roundtrip),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

/* Taxpayer registry: valid persons and companies, one problem per invalid
 * field with nothing written, duplicates per Ente, Ente isolation of get and
 * search, search modes and limits, update, bulk insert, audit rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "domain/taxpayer/taxpayer.h"
#include "fixture.h"

static testdb T;
static db *D;
static int64_t E1, E2;
static const int64_t NOW = 1800000000; /* 2027-01-15 */

static int setup(void **state) {
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  D = fx_open(&T, "domain_taxpayer");
  E1 = fx_ente(D, "tp-uno", 5001);
  E2 = fx_ente(D, "tp-due", 5002);
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

/* Rows in every table a taxpayer write touches, to prove nothing moved. */
typedef struct {
  int64_t tp, ad, ct, audit;
} counts;

static counts snapshot(void) {
  counts c = {fx_count(D, "SELECT COUNT(*) FROM taxpayer", 0),
              fx_count(D, "SELECT COUNT(*) FROM taxpayer_address", 0),
              fx_count(D, "SELECT COUNT(*) FROM taxpayer_contact", 0),
              fx_count(D, "SELECT COUNT(*) FROM audit_log", 0)};
  return c;
}

static void assert_same(counts a, counts b) {
  assert_int_equal(a.tp, b.tp);
  assert_int_equal(a.ad, b.ad);
  assert_int_equal(a.ct, b.ct);
  assert_int_equal(a.audit, b.audit);
}

/* A valid person in arena a: Mario Rossi born 1980-01-01 in Rome. */
static taxpayer person(arena *a, int64_t ente_id) {
  taxpayer tp = {0};
  char *cf = arena_alloc(a, 17);
  fx_cf("RSSMRA80A01H501", cf);
  tp.ente_id = ente_id;
  tp.kind = TP_PERSON;
  tp.fiscal_code = arena_printf(a, " %c%s ", cf[0] + 32, cf + 1); /* lower first, spaces */
  tp.surname = "Rossi";
  tp.given_name = " Mario ";
  tp.birth_date = "1980-01-01";
  tp.birth_place = "Roma";
  tp.sex = "m";
  tp.n_addresses = 2;
  tp.addresses = ARENA_ARRAY(a, tp_address, 2);
  tp.addresses[0] = (tp_address){"residenza", "Via Roma 1", "00100", "Roma", "rm", NULL};
  tp.addresses[1] = (tp_address){"domicilio", "Rue de Rivoli 5", "75001", "Paris", NULL, "fr"};
  tp.n_contacts = 2;
  tp.contacts = ARENA_ARRAY(a, tp_contact, 2);
  tp.contacts[0] = (tp_contact){"email", "mario.rossi@example.org", 1, 0, "sportello"};
  tp.contacts[1] = (tp_contact){"mobile", "333 123 4567", 0, 0, "web"};
  return tp;
}

static taxpayer company(arena *a, int64_t ente_id, uint32_t seed) {
  taxpayer tp = {0};
  char *piva = arena_alloc(a, 12);
  fx_piva(seed, piva);
  tp.ente_id = ente_id;
  tp.kind = TP_COMPANY;
  tp.fiscal_code = piva;
  tp.vat_number = piva;
  tp.company_name = "Edilizia Fittizia S.r.l.";
  tp.n_addresses = 1;
  tp.addresses = ARENA_ARRAY(a, tp_address, 1);
  tp.addresses[0] = (tp_address){"sede_legale", "Via Milano 10", "20100", "Milano", "MI", "IT"};
  tp.n_contacts = 1;
  tp.contacts = ARENA_ARRAY(a, tp_contact, 1);
  tp.contacts[0] = (tp_contact){"pec", "edilizia@pec.example.org", 1, NOW - 100, "pec"};
  return tp;
}

static int has_field(const problems *p, const char *field) {
  for (size_t i = 0; i < p->n; i++)
    if (p->items[i].field && strcmp(p->items[i].field, field) == 0) return 1;
  return 0;
}

static void test_create_person(void **state) {
  arena *a = arena_new();
  taxpayer tp = person(a, E1);
  problems pbs;
  int64_t audits = fx_audit_count(D, "taxpayer.create");
  assert_int_equal(taxpayer_create(D, a, &tp, &fx_cli, &pbs), ERR_OK);
  assert_int_equal(pbs.n, 0);
  assert_true(tp.id > 0);
  assert_int_equal(fx_audit_count(D, "taxpayer.create"), audits + 1);

  taxpayer got;
  assert_int_equal(taxpayer_get(D, a, E1, tp.id, &got), ERR_OK);
  char cf[17];
  fx_cf("RSSMRA80A01H501", cf);
  assert_string_equal(got.fiscal_code, cf);
  assert_int_equal(got.kind, TP_PERSON);
  assert_string_equal(got.surname, "Rossi");
  assert_string_equal(got.given_name, "Mario");
  assert_string_equal(got.birth_date, "1980-01-01");
  assert_string_equal(got.sex, "M");
  assert_null(got.company_name);
  assert_int_equal(got.created_at, NOW);
  assert_int_equal(got.n_addresses, 2);
  assert_string_equal(got.addresses[0].kind, "residenza");
  assert_string_equal(got.addresses[0].province, "RM");
  assert_string_equal(got.addresses[0].country, "IT");
  assert_string_equal(got.addresses[1].country, "FR");
  assert_int_equal(got.n_contacts, 2);
  assert_string_equal(got.contacts[0].value, "mario.rossi@example.org");
  assert_int_equal(got.contacts[0].consent, 1);
  assert_int_equal(got.contacts[0].consent_at, NOW); /* stamped */
  assert_string_equal(got.contacts[1].value, "+393331234567");
  assert_int_equal(got.contacts[1].consent, 0);
  assert_int_equal(got.contacts[1].consent_at, 0);
  assert_string_equal(taxpayer_display_name(a, &got), "Rossi Mario");

  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, "rssmra80a01h501 ", &got), ERR_NOT_FOUND);
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, cf, &got), ERR_OK);
  assert_int_equal(got.id, tp.id);
  arena_free(a);
}

static void test_create_company(void **state) {
  arena *a = arena_new();
  taxpayer tp = company(a, E1, 6001);
  problems pbs;
  assert_int_equal(taxpayer_create(D, a, &tp, &fx_cli, &pbs), ERR_OK);
  taxpayer got;
  assert_int_equal(taxpayer_get(D, a, E1, tp.id, &got), ERR_OK);
  assert_int_equal(got.kind, TP_COMPANY);
  assert_string_equal(got.company_name, "Edilizia Fittizia S.r.l.");
  assert_null(got.surname);
  assert_int_equal(got.contacts[0].consent_at, NOW - 100); /* kept as given */
  assert_string_equal(taxpayer_display_name(a, &got), "Edilizia Fittizia S.r.l.");
  arena_free(a);
}

typedef void (*mutate_fn)(arena *a, taxpayer *tp);

/* Each mutation breaks exactly one field of a valid taxpayer. */
static void m_cf_missing(arena *a, taxpayer *tp) { tp->fiscal_code = NULL; }
static void m_cf_check(arena *a, taxpayer *tp) { tp->fiscal_code = "RSSMRA80A01H501X"; }
static void m_cf_short(arena *a, taxpayer *tp) { tp->fiscal_code = "RSSMRA80A01"; }
static void m_surname(arena *a, taxpayer *tp) { tp->surname = " "; }
static void m_surname_long(arena *a, taxpayer *tp) {
  char *s = arena_alloc(a, 102);
  memset(s, 'a', 101);
  tp->surname = s;
}
static void m_given(arena *a, taxpayer *tp) { tp->given_name = NULL; }
static void m_birth_format(arena *a, taxpayer *tp) { tp->birth_date = "01/01/1980"; }
static void m_birth_mismatch(arena *a, taxpayer *tp) { tp->birth_date = "1980-01-02"; }
static void m_birth_future(arena *a, taxpayer *tp) { tp->birth_date = "2099-01-01"; }
static void m_sex_bad(arena *a, taxpayer *tp) { tp->sex = "X"; }
static void m_sex_mismatch(arena *a, taxpayer *tp) { tp->sex = "F"; }
static void m_place_long(arena *a, taxpayer *tp) {
  char *s = arena_alloc(a, 102);
  memset(s, 'b', 101);
  tp->birth_place = s;
}
static void m_vat(arena *a, taxpayer *tp) { tp->vat_number = "12345678901"; }
static void m_kind(arena *a, taxpayer *tp) { tp->kind = (taxpayer_kind)7; }
static void m_ad_kind(arena *a, taxpayer *tp) { tp->addresses[1].kind = "ufficio"; }
static void m_ad_kind_dup(arena *a, taxpayer *tp) { tp->addresses[1].kind = "residenza"; }
static void m_ad_street(arena *a, taxpayer *tp) { tp->addresses[0].street = NULL; }
static void m_ad_cap(arena *a, taxpayer *tp) { tp->addresses[0].postal_code = "0010"; }
static void m_ad_city(arena *a, taxpayer *tp) { tp->addresses[1].city = ""; }
static void m_ad_prov(arena *a, taxpayer *tp) { tp->addresses[0].province = "ROM"; }
static void m_ad_country(arena *a, taxpayer *tp) { tp->addresses[1].country = "FRA"; }
static void m_ad_many(arena *a, taxpayer *tp) {
  tp->addresses = ARENA_ARRAY(a, tp_address, 11);
  for (int i = 0; i < 11; i++)
    tp->addresses[i] = (tp_address){"domicilio", "Via X", "00100", "Roma", "RM", "IT"};
  tp->n_addresses = 11;
}
static void m_ct_channel(arena *a, taxpayer *tp) { tp->contacts[0].channel = "fax"; }
static void m_ct_email(arena *a, taxpayer *tp) { tp->contacts[0].value = "mario@"; }
static void m_ct_pec(arena *a, taxpayer *tp) {
  tp->contacts[0].channel = "pec";
  tp->contacts[0].value = "non una pec";
}
static void m_ct_mobile(arena *a, taxpayer *tp) { tp->contacts[1].value = "06 1234567"; }
static void m_ct_empty(arena *a, taxpayer *tp) { tp->contacts[1].value = NULL; }
static void m_ct_consent(arena *a, taxpayer *tp) { tp->contacts[0].consent = 2; }
static void m_ct_consent_at(arena *a, taxpayer *tp) { tp->contacts[0].consent_at = NOW + 86400; }
static void m_ct_source(arena *a, taxpayer *tp) { tp->contacts[1].source = "piccione"; }
static void m_ct_dup(arena *a, taxpayer *tp) {
  tp->contacts[1].channel = "email";
  tp->contacts[1].value = "mario.rossi@example.org";
}
static void m_ct_many(arena *a, taxpayer *tp) {
  tp->contacts = ARENA_ARRAY(a, tp_contact, 11);
  for (int i = 0; i < 11; i++)
    tp->contacts[i] = (tp_contact){"email", arena_printf(a, "x%d@example.org", i), 0, 0, "web"};
  tp->n_contacts = 11;
}

/* Company-only mutations. */
static void c_name(arena *a, taxpayer *tp) { tp->company_name = NULL; }
static void c_cf(arena *a, taxpayer *tp) { tp->fiscal_code = "RSSMRA80A01H501X"; }
static void c_cf_luhn(arena *a, taxpayer *tp) { tp->fiscal_code = "00743110158"; }
static void c_vat(arena *a, taxpayer *tp) { tp->vat_number = "0074311015"; }

static void check_invalid(int is_company, mutate_fn fn, const char *field) {
  arena *a = arena_new();
  taxpayer tp = is_company ? company(a, E1, 7001) : person(a, E2);
  fn(a, &tp);
  counts before = snapshot();
  problems pbs;
  err_code rc = taxpayer_create(D, a, &tp, &fx_cli, &pbs);
  if (rc != ERR_INVALID || !has_field(&pbs, field)) {
    fprintf(stderr, "expected a problem on %s, got rc=%d with:\n", field, rc);
    for (size_t i = 0; i < pbs.n; i++)
      fprintf(stderr, "  %s: %s\n", pbs.items[i].field, pbs.items[i].message);
  }
  assert_int_equal(rc, ERR_INVALID);
  assert_true(has_field(&pbs, field));
  for (size_t i = 0; i < pbs.n; i++) {
    assert_non_null(pbs.items[i].message);
    assert_true(strlen(pbs.items[i].message) > 5);
  }
  assert_int_equal(tp.id, 0);
  assert_same(before, snapshot());
  arena_free(a);
}

static void test_invalid_fields(void **state) {
  static const struct {
    mutate_fn fn;
    const char *field;
  } person_cases[] = {
      {m_cf_missing, "fiscal_code"},
      {m_cf_check, "fiscal_code"},
      {m_cf_short, "fiscal_code"},
      {m_surname, "surname"},
      {m_surname_long, "surname"},
      {m_given, "given_name"},
      {m_birth_format, "birth_date"},
      {m_birth_mismatch, "birth_date"},
      {m_birth_future, "birth_date"},
      {m_sex_bad, "sex"},
      {m_sex_mismatch, "sex"},
      {m_place_long, "birth_place"},
      {m_vat, "vat_number"},
      {m_kind, "kind"},
      {m_ad_kind, "addresses[1].kind"},
      {m_ad_kind_dup, "addresses[1].kind"},
      {m_ad_street, "addresses[0].street"},
      {m_ad_cap, "addresses[0].postal_code"},
      {m_ad_city, "addresses[1].city"},
      {m_ad_prov, "addresses[0].province"},
      {m_ad_country, "addresses[1].country"},
      {m_ad_many, "addresses"},
      {m_ct_channel, "contacts[0].channel"},
      {m_ct_email, "contacts[0].value"},
      {m_ct_pec, "contacts[0].value"},
      {m_ct_mobile, "contacts[1].value"},
      {m_ct_empty, "contacts[1].value"},
      {m_ct_consent, "contacts[0].consent"},
      {m_ct_consent_at, "contacts[0].consent_at"},
      {m_ct_source, "contacts[1].source"},
      {m_ct_dup, "contacts[1].value"},
      {m_ct_many, "contacts"},
  };
  for (size_t i = 0; i < sizeof person_cases / sizeof person_cases[0]; i++)
    check_invalid(0, person_cases[i].fn, person_cases[i].field);
  check_invalid(1, c_name, "company_name");
  check_invalid(1, c_cf, "fiscal_code");
  check_invalid(1, c_cf_luhn, "fiscal_code");
  check_invalid(1, c_vat, "vat_number");
  check_invalid(1, m_ad_cap, "addresses[0].postal_code");
}

static void test_all_problems_collected(void **state) {
  arena *a = arena_new();
  taxpayer tp = person(a, E2);
  tp.fiscal_code = "XXX";
  tp.surname = NULL;
  tp.given_name = NULL;
  tp.addresses[0].postal_code = "abc";
  tp.contacts[1].value = "123";
  counts before = snapshot();
  problems pbs;
  assert_int_equal(taxpayer_create(D, a, &tp, &fx_cli, &pbs), ERR_INVALID);
  assert_int_equal(pbs.n, 5);
  assert_true(has_field(&pbs, "fiscal_code"));
  assert_true(has_field(&pbs, "surname"));
  assert_true(has_field(&pbs, "given_name"));
  assert_true(has_field(&pbs, "addresses[0].postal_code"));
  assert_true(has_field(&pbs, "contacts[1].value"));
  assert_same(before, snapshot());
  arena_free(a);
}

static void test_duplicates_and_isolation(void **state) {
  arena *a = arena_new();
  /* person() in E1 was created by test_create_person */
  taxpayer dup = person(a, E1);
  counts before = snapshot();
  problems pbs;
  assert_int_equal(taxpayer_create(D, a, &dup, &fx_cli, &pbs), ERR_TAXPAYER_DUPLICATE);
  assert_int_equal(pbs.n, 1);
  assert_string_equal(pbs.items[0].field, "fiscal_code");
  assert_string_equal(pbs.items[0].message,
                      "Esiste già un contribuente con questo codice fiscale in questo Ente.");
  assert_same(before, snapshot());

  /* the same person in another Ente is a different registry entry */
  taxpayer other = person(a, E2);
  other.given_name = "Mario Secondo";
  assert_int_equal(taxpayer_create(D, a, &other, &fx_cli, &pbs), ERR_OK);

  char cf[17];
  fx_cf("RSSMRA80A01H501", cf);
  taxpayer in1, got;
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, cf, &in1), ERR_OK);
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E2, cf, &got), ERR_OK);
  assert_int_not_equal(in1.id, got.id);
  assert_string_equal(got.given_name, "Mario Secondo");
  /* ids of one Ente are invisible from the other */
  assert_int_equal(taxpayer_get(D, a, E2, in1.id, &got), ERR_NOT_FOUND);
  assert_int_equal(taxpayer_get(D, a, E1, other.id, &got), ERR_NOT_FOUND);
  taxpayer *res;
  size_t n;
  assert_int_equal(taxpayer_search(D, a, E2, cf, 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(res[0].id, other.id);
  assert_int_equal(res[0].ente_id, E2);
  assert_int_equal(taxpayer_search(D, a, E2, "rossi", 100, 0, &res, &n), ERR_OK);
  for (size_t i = 0; i < n; i++) assert_int_equal(res[i].ente_id, E2);
  assert_int_equal(taxpayer_search(D, a, E2, "edilizia", 100, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 0); /* the company lives in E1 */
  /* an Ente that does not exist */
  taxpayer nowhere = company(a, E2 + 999, 8001);
  assert_int_equal(taxpayer_create(D, a, &nowhere, &fx_cli, &pbs), ERR_NOT_FOUND);
  arena_free(a);
}

static void test_search(void **state) {
  arena *a = arena_new();
  /* a few more people in E1 */
  const char *names[][3] = {{"Rossini", "Gioacchino", "RSSGCH80A01H501"},
                            {"Russo", "Anna", "RSSNNA85M52F205"},
                            {"D'Angelo", "Nicolò", "DNGNCL70C15F839"},
                            {"Rossi", "Luca", "RSSLCU90B10L219"}};
  for (size_t i = 0; i < 4; i++) {
    taxpayer tp = {0};
    char *cf = arena_alloc(a, 17);
    fx_cf(names[i][2], cf);
    tp.ente_id = E1;
    tp.kind = TP_PERSON;
    tp.fiscal_code = cf;
    tp.surname = (char *)names[i][0];
    tp.given_name = (char *)names[i][1];
    problems pbs;
    if (taxpayer_create(D, a, &tp, &fx_cli, &pbs) != ERR_OK)
      fail_msg("%s: %s", pbs.n ? pbs.items[0].field : "?", pbs.n ? pbs.items[0].message : "");
  }
  taxpayer *res;
  size_t n;
  assert_int_equal(taxpayer_search(D, a, E1, "ross", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 3); /* Rossi Luca, Rossi Mario, Rossini */
  assert_string_equal(res[0].given_name, "Luca");
  assert_string_equal(res[1].given_name, "Mario");
  assert_string_equal(res[2].surname, "Rossini");
  assert_null(res[0].addresses);
  assert_int_equal(taxpayer_search(D, a, E1, "  ROSSI   mario ", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(taxpayer_search(D, a, E1, "rossj", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 0);
  assert_int_equal(taxpayer_search(D, a, E1, "ross", 2, 1, &res, &n), ERR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(res[0].given_name, "Mario");
  /* accents and apostrophes fold */
  assert_int_equal(taxpayer_search(D, a, E1, "dangelo nicolo", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(res[0].given_name, "Nicolò");
  assert_int_equal(taxpayer_search(D, a, E1, "d'angelo nicolò", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  /* company by name, partita IVA and numeric fiscal code */
  char piva[12];
  fx_piva(6001, piva);
  assert_int_equal(taxpayer_search(D, a, E1, "edil", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(res[0].kind, TP_COMPANY);
  assert_int_equal(taxpayer_search(D, a, E1, piva, 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  /* a person with a partita IVA is found by it */
  char cf[17], vat[12];
  fx_cf("RSSLCU90B10L219", cf);
  fx_piva(9100, vat);
  taxpayer luca;
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, cf, &luca), ERR_OK);
  luca.vat_number = vat;
  problems pbs;
  assert_int_equal(taxpayer_update(D, a, &luca, &fx_cli, &pbs), ERR_OK);
  assert_int_equal(taxpayer_search(D, a, E1, vat, 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(res[0].id, luca.id);
  /* empty query lists the Ente's registry by name */
  assert_int_equal(taxpayer_search(D, a, E1, "", 100, 0, &res, &n), ERR_OK);
  assert_int_equal(n, (size_t)fx_count(D, "SELECT COUNT(*) FROM taxpayer WHERE ente_id = ?", E1));
  /* ... with the true total, also past the first page */
  int64_t total = 0;
  int64_t all = fx_count(D, "SELECT COUNT(*) FROM taxpayer WHERE ente_id = ?", E1);
  assert_int_equal(taxpayer_search_page(D, a, E1, NULL, 2, 1, &res, &n, &total), ERR_OK);
  assert_int_equal(n, 2);
  assert_int_equal(total, all);
  assert_int_equal(taxpayer_search_page(D, a, E1, "ross", 1, 0, &res, &n, &total), ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(total, 3); /* Rossi Mario, Rossi Luca, Rossini */
  /* 16 letters are a name unless they are a valid codice fiscale */
  taxpayer ra = company(a, E1, 7001);
  ra.company_name = "Romano Alimentari";
  assert_int_equal(taxpayer_create(D, a, &ra, &fx_cli, &pbs), ERR_OK);
  assert_int_equal(taxpayer_query_kind(a, "Romano Alimentari"), TQ_NAME);
  assert_int_equal(taxpayer_search_page(D, a, E1, "Romano Alimentari", 10, 0, &res, &n, &total),
                   ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(total, 1);
  assert_int_equal(res[0].id, ra.id);
  assert_int_equal(taxpayer_query_kind(a, cf), TQ_FISCAL_CODE);
  assert_int_equal(taxpayer_query_kind(a, "rsslcu90b10l219 "), TQ_NAME); /* 15 characters */
  char wrong[17];
  memcpy(wrong, cf, 17);
  wrong[15] = wrong[15] == 'A' ? 'B' : 'A';
  assert_int_equal(taxpayer_query_kind(a, wrong), TQ_NAME);
  /* a partita IVA also with IT in front */
  assert_int_equal(taxpayer_query_kind(a, arena_printf(a, "IT%s", ra.vat_number)), TQ_NUMBER);
  assert_int_equal(taxpayer_search(D, a, E1, arena_printf(a, "it %s", ra.vat_number), 10, 0, &res, &n),
                   ERR_OK);
  assert_int_equal(n, 1);
  assert_int_equal(res[0].id, ra.id);
  assert_int_equal(taxpayer_query_kind(a, "  "), TQ_ALL);
  arena_free(a);
}

static void test_update(void **state) {
  arena *a = arena_new();
  char cf[17];
  fx_cf("RSSMRA80A01H501", cf);
  taxpayer tp;
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, cf, &tp), ERR_OK);
  int64_t consent_at = tp.contacts[0].consent_at;
  setenv("SPORTELLO_TEST_NOW", "1800000500", 1);
  tp.given_name = "Mario Aldo";
  tp.addresses[0].street = "Via Nuova 2";
  tp.contacts[0].consent_at = 0; /* forms do not send it: the original is kept */
  tp.n_addresses = 1;
  int64_t audits = fx_audit_count(D, "taxpayer.update");
  problems pbs;
  assert_int_equal(taxpayer_update(D, a, &tp, &fx_cli, &pbs), ERR_OK);
  assert_int_equal(fx_audit_count(D, "taxpayer.update"), audits + 1);
  taxpayer got;
  assert_int_equal(taxpayer_get(D, a, E1, tp.id, &got), ERR_OK);
  assert_string_equal(got.given_name, "Mario Aldo");
  assert_int_equal(got.n_addresses, 1);
  assert_string_equal(got.addresses[0].street, "Via Nuova 2");
  assert_int_equal(got.contacts[0].consent_at, consent_at);
  assert_int_equal(got.created_at, NOW);
  assert_int_equal(got.updated_at, 1800000500);
  taxpayer *res;
  size_t n;
  assert_int_equal(taxpayer_search(D, a, E1, "rossi mario aldo", 10, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 1);

  /* the audit row has the before and after images */
  db_stmt *st = db_prepare(D,
                           "SELECT before_json, after_json FROM audit_log WHERE action = "
                           "'taxpayer.update' AND object_id = ? ORDER BY id DESC");
  db_bind_int(st, 1, tp.id);
  assert_int_equal(db_step(st), DBR_ROW);
  assert_non_null(strstr(db_col_text(st, 0), "\"given_name\":\"Mario\""));
  assert_non_null(strstr(db_col_text(st, 1), "\"given_name\":\"Mario Aldo\""));
  db_finish(st);

  /* invalid update writes nothing */
  counts before = snapshot();
  tp.surname = NULL;
  assert_int_equal(taxpayer_update(D, a, &tp, &fx_cli, &pbs), ERR_INVALID);
  assert_true(has_field(&pbs, "surname"));
  assert_same(before, snapshot());
  tp.surname = "Rossi";

  /* not in that Ente */
  tp.ente_id = E2;
  assert_int_equal(taxpayer_update(D, a, &tp, &fx_cli, &pbs), ERR_NOT_FOUND);
  assert_same(before, snapshot());
  tp.ente_id = E1;

  /* taking another taxpayer's fiscal code is a conflict */
  char other[17];
  fx_cf("RSSLCU90B10L219", other);
  tp.fiscal_code = other;
  tp.birth_date = NULL;
  assert_int_equal(taxpayer_update(D, a, &tp, &fx_cli, &pbs), ERR_TAXPAYER_DUPLICATE);
  assert_string_equal(pbs.items[0].field, "fiscal_code");
  assert_same(before, snapshot());
  setenv("SPORTELLO_TEST_NOW", "1800000000", 1);
  arena_free(a);
}

static void test_batch_and_limit(void **state) {
  arena *a = arena_new();
  enum { N = 120 };
  taxpayer *tps = ARENA_ARRAY(a, taxpayer, N);
  for (int i = 0; i < N; i++) {
    char prefix[16], *cf = arena_alloc(a, 17);
    snprintf(prefix, sizeof prefix, "BTC%c%c%c80A01H501", 'A' + i / 26 % 26, 'A' + i % 26, 'X');
    fx_cf(prefix, cf);
    tps[i].ente_id = E2;
    tps[i].kind = TP_PERSON;
    tps[i].fiscal_code = cf;
    tps[i].surname = "Batch";
    tps[i].given_name = arena_printf(a, "Nome %03d", i);
  }
  /* one bad row: nothing is written */
  tps[57].surname = NULL;
  counts before = snapshot();
  size_t bad = 0;
  problems pbs;
  assert_int_equal(taxpayer_insert_batch(D, a, tps, N, "demo.import", &fx_cli, &bad, &pbs),
                   ERR_INVALID);
  assert_int_equal(bad, 57);
  assert_true(has_field(&pbs, "surname"));
  assert_same(before, snapshot());
  /* a duplicate within the batch: nothing is written */
  tps[57].surname = "Batch";
  char *saved = tps[90].fiscal_code;
  tps[90].fiscal_code = tps[10].fiscal_code;
  assert_int_equal(taxpayer_insert_batch(D, a, tps, N, "demo.import", &fx_cli, &bad, &pbs),
                   ERR_TAXPAYER_DUPLICATE);
  assert_int_equal(bad, 90);
  assert_same(before, snapshot());
  tps[90].fiscal_code = saved;
  int64_t imports = fx_audit_count(D, "demo.import");
  assert_int_equal(taxpayer_insert_batch(D, a, tps, N, "demo.import", &fx_cli, &bad, &pbs), ERR_OK);
  assert_true(tps[0].id > 0 && tps[N - 1].id > tps[0].id);
  counts after = snapshot();
  assert_int_equal(after.tp, before.tp + N);
  assert_int_equal(after.audit, before.audit + 1); /* one audit row per batch */
  assert_int_equal(fx_audit_count(D, "demo.import"), imports + 1);

  /* limits are capped at 100 */
  taxpayer *res;
  size_t n;
  assert_int_equal(taxpayer_search(D, a, E2, "batch", 1000, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 100);
  assert_string_equal(res[0].given_name, "Nome 000");
  assert_int_equal(taxpayer_search(D, a, E2, "batch", 100, 100, &res, &n), ERR_OK);
  assert_int_equal(n, 20);
  assert_string_equal(res[19].given_name, "Nome 119");
  assert_int_equal(taxpayer_search(D, a, E2, "batch", 0, 0, &res, &n), ERR_OK);
  assert_int_equal(n, 20); /* default page */
  arena_free(a);
}

/* A company's codice fiscale: 11 digits or (sole trader) 16 characters;
 * the problem names the codice fiscale, never the partita IVA. */
static void test_company_fiscal_code(void **state) {
  static const char *const bad[] = {"12345678901", "1234567890A", "00000000000",
                                    "RSSMRA80A01H501X", "ABC"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    arena *a = arena_new();
    taxpayer tp = company(a, E1, 7101);
    tp.fiscal_code = (char *)bad[i];
    problems pbs;
    counts before = snapshot();
    assert_int_equal(taxpayer_create(D, a, &tp, &fx_cli, &pbs), ERR_INVALID);
    assert_int_equal(pbs.n, 1);
    assert_string_equal(pbs.items[0].field, "fiscal_code");
    if (!strstr(pbs.items[0].message, "codice fiscale") || strstr(pbs.items[0].message, "IVA"))
      fail_msg("%s: %s", bad[i], pbs.items[0].message);
    assert_same(before, snapshot());
    arena_free(a);
  }
  arena *a = arena_new();
  taxpayer tp = company(a, E1, 7102);
  char cf[17];
  fx_cf("BNCGNN70C41F205", cf); /* the owner of a sole trader's business */
  tp.fiscal_code = cf;
  problems pbs;
  assert_int_equal(taxpayer_create(D, a, &tp, &fx_cli, &pbs), ERR_OK);
  taxpayer got;
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, cf, &got), ERR_OK);
  assert_int_equal(got.kind, TP_COMPANY);
  arena_free(a);
}

/* A duplicate fiscal code is reported with the invalid fields, at once. */
static void test_duplicate_with_other_problems(void **state) {
  arena *a = arena_new();
  taxpayer dup = person(a, E1); /* exists: test_create_person */
  dup.contacts[0].value = "non-una-mail";
  dup.surname = NULL;
  counts before = snapshot();
  problems pbs;
  assert_int_equal(taxpayer_create(D, a, &dup, &fx_cli, &pbs), ERR_INVALID);
  assert_int_equal(pbs.n, 3);
  assert_true(has_field(&pbs, "fiscal_code"));
  assert_true(has_field(&pbs, "surname"));
  assert_true(has_field(&pbs, "contacts[0].value"));
  assert_int_equal(problems_code(&pbs), ERR_INVALID);
  /* the list is emptied by every call: reusing it is safe */
  dup = person(a, E1);
  assert_int_equal(taxpayer_validate(D, a, &dup, &pbs), ERR_TAXPAYER_DUPLICATE);
  assert_int_equal(pbs.n, 1);
  /* a stored taxpayer is not its own duplicate */
  taxpayer stored;
  assert_int_equal(taxpayer_by_fiscal_code(D, a, E1, dup.fiscal_code, &stored), ERR_OK);
  assert_int_equal(taxpayer_validate(D, a, &stored, &pbs), ERR_OK);
  assert_int_equal(pbs.n, 0);
  assert_same(before, snapshot());
  arena_free(a);
}

/* taxpayer_modify: the change computed from the stored taxpayer inside the
 * transaction (what the API's PATCH uses). */
typedef struct {
  const char *surname;
  const char *problem_field; /* edit reports a problem on it */
} edit_ctx;

static err_code edit_surname(arena *a, const taxpayer *cur, taxpayer *next, problems *pbs,
                             void *ctx) {
  const edit_ctx *e = ctx;
  *next = *cur;
  next->surname = (char *)e->surname;
  if (e->problem_field) problems_add(a, pbs, ERR_INVALID, e->problem_field, "Tipo sbagliato.");
  return ERR_OK;
}

static void test_modify(void **state) {
  arena *a = arena_new();
  taxpayer tp = person(a, E2);
  tp.fiscal_code = arena_alloc(a, 17);
  fx_cf("VRDGPP85M10F205", tp.fiscal_code);
  tp.sex = "M";
  tp.birth_date = "1985-08-10";
  problems pbs;
  assert_int_equal(taxpayer_create(D, a, &tp, &fx_cli, &pbs), ERR_OK);
  int64_t audits = fx_audit_count(D, "taxpayer.update");
  edit_ctx ok = {"Verdi", NULL};
  taxpayer saved;
  assert_int_equal(taxpayer_modify(D, a, E2, tp.id, edit_surname, &ok, &fx_cli, &saved, &pbs),
                   ERR_OK);
  assert_string_equal(saved.surname, "Verdi");
  assert_int_equal(fx_audit_count(D, "taxpayer.update"), audits + 1);
  taxpayer got;
  assert_int_equal(taxpayer_get(D, a, E2, tp.id, &got), ERR_OK);
  assert_string_equal(got.surname, "Verdi");
  assert_int_equal(got.n_addresses, 2); /* untouched */
  assert_int_equal(got.n_contacts, 2);
  assert_int_equal(got.contacts[0].consent_at, tp.contacts[0].consent_at);
  /* the edit's own problem and the validation's, together; nothing written */
  counts before = snapshot();
  edit_ctx bad = {NULL, "birth_place"};
  assert_int_equal(taxpayer_modify(D, a, E2, tp.id, edit_surname, &bad, &fx_cli, NULL, &pbs),
                   ERR_INVALID);
  assert_int_equal(pbs.n, 2);
  assert_true(has_field(&pbs, "birth_place"));
  assert_true(has_field(&pbs, "surname"));
  /* a problem on a field the validation also finds is reported once */
  edit_ctx twice = {NULL, "surname"};
  assert_int_equal(taxpayer_modify(D, a, E2, tp.id, edit_surname, &twice, &fx_cli, NULL, &pbs),
                   ERR_INVALID);
  assert_int_equal(pbs.n, 1);
  assert_string_equal(pbs.items[0].message, "Tipo sbagliato.");
  /* another Ente's id */
  assert_int_equal(taxpayer_modify(D, a, E1, tp.id, edit_surname, &ok, &fx_cli, NULL, &pbs),
                   ERR_NOT_FOUND);
  assert_same(before, snapshot());
  arena_free(a);
}

static void test_audit_chain(void **state) {
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM audit_log WHERE action = 'taxpayer.create' "
                            "AND after_json LIKE '%argon%'",
                            0),
                   0);
  fx_audit_ok(D);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_person),
      cmocka_unit_test(test_create_company),
      cmocka_unit_test(test_invalid_fields),
      cmocka_unit_test(test_all_problems_collected),
      cmocka_unit_test(test_duplicates_and_isolation),
      cmocka_unit_test(test_search),
      cmocka_unit_test(test_update),
      cmocka_unit_test(test_batch_and_limit),
      cmocka_unit_test(test_company_fiscal_code),
      cmocka_unit_test(test_duplicate_with_other_problems),
      cmocka_unit_test(test_modify),
      cmocka_unit_test(test_audit_chain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

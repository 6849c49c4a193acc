/* Enti, regions, offices and users: creation, every validation error,
 * duplicates, sign-in (ok / wrong / unknown / disabled), Ente visibility,
 * audit rows and chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/arena.h"
#include "domain/ente/ente.h"
#include "fixture.h"

static testdb T;
static db *D;
static arena *A; /* problems and normalised copies of the calls */

static int setup(void **state) {
  D = fx_open(&T, "domain_ente");
  A = arena_new();
  return 0;
}

static int teardown(void **state) {
  arena_free(A);
  fx_close(&T, D);
  return 0;
}

/* A fresh problem list in pb for each call: problems already in a list
 * count for the next call (it would write nothing). */
#define PB (pb = (problems){0}, &pb)

/* The message of the problem on field, failing when there is none. */
static const char *on(const problems *pbs, const char *field) {
  const char *m = problems_for(pbs, field);
  if (!m) {
    for (size_t i = 0; i < pbs->n; i++)
      print_message("  problem: %s: %s\n", pbs->items[i].field, pbs->items[i].message);
    fail_msg("no problem on %s", field);
  }
  return m;
}

static ente valid_ente(char *slug, char *fc) {
  ente e = {0};
  e.slug = slug;
  e.name = "Comune di Prova";
  e.fiscal_code = fc;
  e.population = 1234;
  e.segregation_code = "01";
  e.mail_istanze = "protocollo@prova.example.org";
  e.mail_pec = "comune.prova@pec.example.org";
  e.mail_info = "info@prova.example.org";
  e.support_phone = "+39 06 1234567";
  e.patron_day = "06-24";
  return e;
}

static void test_ente_create_and_read(void **state) {
  char fc[12];
  fx_piva(1001, fc);
  ente e = valid_ente("comune-prova", fc);
  int64_t before = fx_audit_count(D, "ente.create");
  int64_t id = 0;
  problems pb = {0};
  assert_int_equal(ente_create(D, A, &e, &fx_cli, &id, PB), ERR_OK);
  assert_true(id > 0);
  assert_int_equal(fx_audit_count(D, "ente.create"), before + 1);

  arena *a = arena_new();
  ente got;
  assert_int_equal(ente_get(D, a, id, &got), ERR_OK);
  assert_string_equal(got.slug, "comune-prova");
  assert_string_equal(got.fiscal_code, fc);
  assert_int_equal(got.population, 1234);
  assert_string_equal(got.segregation_code, "01");
  assert_string_equal(got.mail_pec, "comune.prova@pec.example.org");
  assert_string_equal(got.patron_day, "06-24");
  ente by;
  assert_int_equal(ente_by_slug(D, a, "comune-prova", &by), ERR_OK);
  assert_int_equal(by.id, id);
  assert_int_equal(ente_by_slug(D, a, "nessuno", &by), ERR_NOT_FOUND);
  assert_int_equal(ente_get(D, a, id + 1000, &by), ERR_NOT_FOUND);

  /* duplicates: slug, then fiscal code */
  char fc2[12];
  fx_piva(1002, fc2);
  ente dup = valid_ente("comune-prova", fc2);
  pb = (problems){0};
  assert_int_equal(ente_create(D, A, &dup, &fx_cli, NULL, PB), ERR_ENTE_DUPLICATE);
  on(&pb, "slug");
  dup = valid_ente("altro-comune", fc);
  assert_int_equal(ente_create(D, A, &dup, &fx_cli, NULL, PB), ERR_ENTE_DUPLICATE);
  on(&pb, "fiscal_code");
  assert_int_equal(fx_audit_count(D, "ente.create"), before + 1);
  arena_free(a);
}

static void expect_ente_invalid(ente e, const char *field) {
  int64_t n = fx_count(D, "SELECT COUNT(*) FROM ente", 0);
  problems pb = {0};
  assert_int_equal(ente_create(D, A, &e, &fx_cli, NULL, PB), ERR_INVALID);
  assert_true(strlen(on(&pb, field)) > 10);
  assert_int_equal(pb.n, 1); /* that field only */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM ente", 0), n);
}

static void test_ente_validation(void **state) {
  char fc[12];
  fx_piva(2001, fc);
  ente e;
  e = valid_ente("A", fc);
  expect_ente_invalid(e, "slug");
  e = valid_ente("Maiuscolo", fc);
  expect_ente_invalid(e, "slug");
  e = valid_ente("con spazio", fc);
  expect_ente_invalid(e, "slug");
  e = valid_ente("x-ok", fc);
  e.name = "   ";
  expect_ente_invalid(e, "name");
  e = valid_ente("x-ok", "12345678901");
  expect_ente_invalid(e, "fiscal_code");
  e = valid_ente("x-ok", "1234567890");
  expect_ente_invalid(e, "fiscal_code");
  e = valid_ente("x-ok", NULL);
  expect_ente_invalid(e, "fiscal_code");
  e = valid_ente("x-ok", fc);
  e.population = -1;
  expect_ente_invalid(e, "population");
  e = valid_ente("x-ok", fc);
  e.segregation_code = "1";
  expect_ente_invalid(e, "segregation_code");
  e = valid_ente("x-ok", fc);
  e.segregation_code = "AB";
  expect_ente_invalid(e, "segregation_code");
  e = valid_ente("x-ok", fc);
  e.mail_istanze = "non-una-mail";
  expect_ente_invalid(e, "mail_istanze");
  e = valid_ente("x-ok", fc);
  e.mail_pec = "pec@";
  expect_ente_invalid(e, "mail_pec");
  e = valid_ente("x-ok", fc);
  e.mail_info = "a@b";
  expect_ente_invalid(e, "mail_info");
  e = valid_ente("x-ok", fc);
  e.support_phone = "chiamaci";
  expect_ente_invalid(e, "support_phone");
  e = valid_ente("x-ok", fc);
  e.patron_day = "02-30";
  expect_ente_invalid(e, "patron_day");
  e = valid_ente("x-ok", fc);
  e.patron_day = "13-01";
  expect_ente_invalid(e, "patron_day");
  e = valid_ente("x-ok", fc);
  e.patron_day = "2024-06-24";
  expect_ente_invalid(e, "patron_day");
  /* the same data with the problems fixed is accepted (29 Feb allowed) */
  e = valid_ente("x-ok", fc);
  e.patron_day = "02-29";
  assert_int_equal(ente_create(D, A, &e, &fx_cli, NULL, NULL), ERR_OK);
}

static void test_region_office(void **state) {
  int64_t r = 0, o = 0;
  problems pb = {0};
  assert_int_equal(region_create(D, A, "Centro", &fx_cli, &r, PB), ERR_OK);
  assert_int_equal(region_create(D, A, "Centro", &fx_cli, NULL, PB), ERR_CONFLICT);
  on(&pb, "name");
  assert_int_equal(region_create(D, A, "  ", &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, "name");

  office in = {0};
  in.region_id = r;
  in.code = "CEN-01";
  in.name = "Ufficio Centro";
  in.city = "Roma";
  assert_int_equal(office_create(D, A, &in, &fx_cli, &o, PB), ERR_OK);
  assert_true(o > 0);
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_OFFICE_DUPLICATE);
  on(&pb, "code");
  in.code = "CEN-02";
  in.region_id = r + 999;
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, "region_id");
  in.region_id = r;
  in.code = "x";
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, "code");
  in.code = "CEN-02";
  in.name = NULL;
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, "name");

  arena *a = arena_new();
  office *list;
  size_t n;
  assert_int_equal(office_list(D, a, &list, &n), ERR_OK);
  int found = 0;
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i].code, "CEN-01") == 0) {
      found = 1;
      assert_string_equal(list[i].region_name, "Centro");
      assert_string_equal(list[i].city, "Roma");
    }
  assert_true(found);
  region rg;
  assert_int_equal(region_by_name(D, a, "Centro", &rg), ERR_OK);
  assert_int_equal(rg.id, r);
  arena_free(a);
  assert_int_equal(fx_audit_count(D, "region.create"), 1);
  assert_int_equal(fx_audit_count(D, "office.create"), 1);
}

static void test_roles(void **state) {
  for (int r = 1; r < ROLE__COUNT; r++) {
    assert_int_equal(role_parse(role_slug((role)r)), r);
    assert_true(strlen(role_label_it((role)r)) > 3);
  }
  assert_int_equal(role_parse("boss"), ROLE_NONE);
  assert_int_equal(role_parse(NULL), ROLE_NONE);
}

static void expect_user_invalid(user u, const char *pw, const int64_t *ids, size_t n,
                                const char *field) {
  int64_t before = fx_count(D, "SELECT COUNT(*) FROM app_user", 0);
  problems pb = {0};
  assert_int_equal(user_create(D, A, &u, pw, ids, n, &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, field);
  assert_int_equal(pb.n, 1); /* that field only */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM app_user", 0), before);
}

static void test_users(void **state) {
  int64_t e1 = fx_ente(D, "ente-uno", 3001), e2 = fx_ente(D, "ente-due", 3002);
  int64_t e3 = fx_ente(D, "ente-tre", 3003);
  const char *pw = "password-lunga-1";
  user u = {0};
  u.username = "Mario.Rossi";
  u.full_name = "Mario Rossi";
  u.email = "mario.rossi@example.org";
  u.role = ROLE_OPERATOR;
  int64_t ids[] = {e1, e2, e1};
  int64_t uid = 0;
  problems pb = {0};
  int64_t audits = fx_audit_count(D, "user.create");
  assert_int_equal(user_create(D, A, &u, pw, ids, 3, &fx_cli, &uid, PB), ERR_OK);
  assert_int_equal(fx_audit_count(D, "user.create"), audits + 1);
  /* the hash is stored, never in the audit row */
  assert_int_equal(
      fx_count(D, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%argon2%'", 0), 0);
  assert_int_equal(
      fx_count(D, "SELECT COUNT(*) FROM app_user WHERE id = ? AND password_hash LIKE '$argon2id$%'",
               uid),
      1);

  arena *a = arena_new();
  user got;
  assert_int_equal(user_get(D, a, uid, &got), ERR_OK);
  assert_string_equal(got.username, "mario.rossi");
  assert_int_equal(got.role, ROLE_OPERATOR);
  assert_int_equal(got.active, 1);
  ente *entes;
  size_t n;
  assert_int_equal(user_entes(D, a, &got, &entes, &n), ERR_OK);
  assert_int_equal(n, 2);
  assert_int_equal(user_check_ente(D, &got, e1), ERR_OK);
  assert_int_equal(user_check_ente(D, &got, e2), ERR_OK);
  assert_int_equal(user_check_ente(D, &got, e3), ERR_NOT_FOUND);

  /* sign-in */
  user who;
  assert_int_equal(user_authenticate(D, a, "mario.rossi", pw, &who), ERR_OK);
  assert_int_equal(who.id, uid);
  assert_int_equal(user_authenticate(D, a, "MARIO.ROSSI", pw, &who), ERR_OK);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", "password-sbagliata", &who),
                   ERR_UNAUTHORIZED);
  assert_int_equal(user_authenticate(D, a, "nessuno", pw, &who), ERR_UNAUTHORIZED);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", NULL, &who), ERR_UNAUTHORIZED);
  assert_int_equal(user_authenticate(D, a, NULL, pw, &who), ERR_UNAUTHORIZED);

  /* disabled users cannot sign in, with the same answer */
  assert_int_equal(user_set_active(D, uid, 0, &fx_cli), ERR_OK);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", pw, &who), ERR_UNAUTHORIZED);
  assert_int_equal(user_set_active(D, uid, 1, &fx_cli), ERR_OK);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", pw, &who), ERR_OK);
  assert_int_equal(user_set_active(D, uid + 999, 0, &fx_cli), ERR_NOT_FOUND);

  /* password change */
  assert_int_equal(user_set_password(D, A, uid, "corta", &fx_cli, PB), ERR_INVALID);
  on(&pb, "password");
  assert_int_equal(user_set_password(D, A, uid, "nuova-password-2", &fx_cli, PB), ERR_OK);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", pw, &who), ERR_UNAUTHORIZED);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", "nuova-password-2", &who), ERR_OK);
  assert_int_equal(fx_audit_count(D, "user.passwd"), 1);
  assert_int_equal(user_set_password(D, A, uid + 999, "nuova-password-2", &fx_cli, PB),
                   ERR_NOT_FOUND);

  /* duplicate username (case-insensitive) */
  user dup = u;
  dup.username = "MARIO.ROSSI";
  assert_int_equal(user_create(D, A, &dup, pw, ids, 1, &fx_cli, NULL, PB), ERR_USER_DUPLICATE);
  on(&pb, "username");

  /* admin sees every Ente */
  user adm = {0};
  adm.username = "capo";
  adm.full_name = "Amministratore";
  adm.role = ROLE_ADMIN;
  int64_t aid;
  assert_int_equal(user_create(D, A, &adm, pw, NULL, 0, &fx_cli, &aid, PB), ERR_OK);
  assert_int_equal(user_get(D, a, aid, &got), ERR_OK);
  assert_int_equal(user_entes(D, a, &got, &entes, &n), ERR_OK);
  assert_int_equal(n, (size_t)fx_count(D, "SELECT COUNT(*) FROM ente", 0));
  assert_int_equal(user_check_ente(D, &got, e3), ERR_OK);
  assert_int_equal(user_check_ente(D, &got, e3 + 999), ERR_NOT_FOUND);

  /* a user without a password cannot sign in */
  user nopw = adm;
  nopw.username = "senza.password";
  assert_int_equal(user_create(D, A, &nopw, NULL, NULL, 0, &fx_cli, NULL, PB), ERR_OK);
  assert_int_equal(user_authenticate(D, a, "senza.password", "qualunque-cosa", &who),
                   ERR_UNAUTHORIZED);

  user *all;
  assert_int_equal(user_list(D, a, &all, &n), ERR_OK);
  assert_int_equal(n, 3);
  assert_int_equal(user_by_username(D, a, "Capo", &got), ERR_OK);
  assert_int_equal(got.id, aid);
  arena_free(a);

  /* validation: one problem per field */
  user bad = u;
  bad.username = "ab";
  expect_user_invalid(bad, pw, ids, 1, "username");
  bad.username = "con spazio";
  expect_user_invalid(bad, pw, ids, 1, "username");
  bad = u;
  bad.username = "nuovo";
  bad.full_name = NULL;
  expect_user_invalid(bad, pw, ids, 1, "full_name");
  bad = u;
  bad.username = "nuovo";
  bad.email = "non-valida";
  expect_user_invalid(bad, pw, ids, 1, "email");
  bad = u;
  bad.username = "nuovo";
  bad.role = ROLE_NONE;
  expect_user_invalid(bad, pw, ids, 1, "role");
  bad = u;
  bad.username = "nuovo";
  expect_user_invalid(bad, "corta", ids, 1, "password");
  bad = u;
  bad.username = "nuovo";
  bad.role = ROLE_SUPERVISOR_REGIONAL;
  expect_user_invalid(bad, pw, ids, 1, "region_id");
  bad.region_id = 99999;
  expect_user_invalid(bad, pw, ids, 1, "region_id");
  bad = u;
  bad.username = "nuovo";
  bad.role = ROLE_ENTE_STAFF;
  expect_user_invalid(bad, pw, NULL, 0, "ente_ids");
  int64_t missing[] = {e3 + 999};
  bad = u;
  bad.username = "nuovo";
  expect_user_invalid(bad, pw, missing, 1, "ente_ids");
  bad.office_id = 99999;
  expect_user_invalid(bad, pw, ids, 1, "office_id");
}

/* Replacing a user's Enti: new set visible, old one gone, duplicates
 * ignored, one audit row per change, and every refusal leaves the rows. */
static void test_user_set_entes(void **state) {
  int64_t e1 = fx_ente(D, "ente-quattro", 3004), e2 = fx_ente(D, "ente-cinque", 3005);
  int64_t e3 = fx_ente(D, "ente-sei", 3006);
  int64_t one[] = {e1};
  user u = {0};
  u.username = "staff.ente";
  u.full_name = "Personale Ente";
  u.role = ROLE_ENTE_STAFF;
  int64_t sid = 0, oid = 0;
  problems pb = {0};
  assert_int_equal(user_create(D, A, &u, NULL, one, 1, &fx_cli, &sid, PB), ERR_OK);
  u.username = "operatore.due";
  u.role = ROLE_OPERATOR;
  assert_int_equal(user_create(D, A, &u, NULL, one, 1, &fx_cli, &oid, PB), ERR_OK);

  int64_t audits = fx_audit_count(D, "user.entes");
  int64_t next[] = {e2, e3, e2};
  assert_int_equal(user_set_entes(D, A, sid, next, 3, &fx_cli, PB), ERR_OK);
  assert_int_equal(fx_audit_count(D, "user.entes"), audits + 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", sid), 2);
  arena *a = arena_new();
  user got;
  assert_int_equal(user_get(D, a, sid, &got), ERR_OK);
  assert_int_equal(user_check_ente(D, &got, e1), ERR_NOT_FOUND);
  assert_int_equal(user_check_ente(D, &got, e2), ERR_OK);
  assert_int_equal(user_check_ente(D, &got, e3), ERR_OK);
  /* the audit row holds both sets */
  assert_int_equal(fx_count(D,
                            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.entes' AND "
                            "object_id = ? AND before_json LIKE '%ente_ids%' AND "
                            "after_json LIKE '%ente_ids%'",
                            sid),
                   1);

  /* Ente staff must keep one Ente; nothing changes */
  pb = (problems){0};
  assert_int_equal(user_set_entes(D, A, sid, NULL, 0, &fx_cli, PB), ERR_INVALID);
  on(&pb, "ente_ids");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", sid), 2);

  /* an unknown Ente: refused, rows unchanged */
  pb = (problems){0};
  int64_t bad[] = {e1, e3 + 999};
  assert_int_equal(user_set_entes(D, A, sid, bad, 2, &fx_cli, PB), ERR_INVALID);
  on(&pb, "ente_ids");
  assert_int_equal(user_check_ente(D, &got, e1), ERR_NOT_FOUND);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", sid), 2);

  /* unknown user */
  assert_int_equal(user_set_entes(D, A, sid + 999, one, 1, &fx_cli, PB), ERR_NOT_FOUND);
  assert_int_equal(fx_audit_count(D, "user.entes"), audits + 1);

  /* other roles may be left with none */
  assert_int_equal(user_set_entes(D, A, oid, NULL, 0, &fx_cli, PB), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", oid), 0);
  assert_int_equal(fx_audit_count(D, "user.entes"), audits + 2);
  arena_free(a);
}

/* Every problem of an Ente at once, each on its field; an Ente's codice
 * fiscale is spoken of as one (not as a partita IVA). */
static void test_ente_every_problem(void **state) {
  int64_t entes = fx_count(D, "SELECT COUNT(*) FROM ente", 0);
  int64_t audits = fx_count(D, "SELECT COUNT(*) FROM audit_log", 0);
  ente e = valid_ente("X!", "12345678901");
  e.name = "  ";
  e.population = -1;
  e.segregation_code = "A";
  e.mail_pec = "pec@";
  e.support_phone = "chiamaci";
  e.patron_day = "13-40";
  problems pb = {0};
  assert_int_equal(ente_create(D, A, &e, &fx_cli, NULL, PB), ERR_INVALID);
  const char *fields[] = {"slug",     "name",          "fiscal_code", "population",
                          "segregation_code", "mail_pec", "support_phone", "patron_day"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) on(&pb, fields[i]);
  assert_int_equal(pb.n, 8);
  assert_non_null(strstr(on(&pb, "fiscal_code"), "codice fiscale"));
  assert_null(strstr(on(&pb, "fiscal_code"), "partita IVA"));
  /* the same from ente_validate, which never writes */
  assert_int_equal(ente_validate(D, A, &e, PB), ERR_INVALID);
  assert_int_equal(pb.n, 8);
  /* a duplicate slug is reported with the invalid fields (ERR_INVALID) */
  char fc[12];
  fx_piva(2101, fc);
  fx_ente(D, "gia-presente", 2102);
  e = valid_ente("gia-presente", fc);
  e.patron_day = "02-30";
  assert_int_equal(ente_create(D, A, &e, &fx_cli, NULL, PB), ERR_INVALID);
  assert_int_equal(pb.n, 2);
  on(&pb, "patron_day");
  assert_non_null(strstr(on(&pb, "slug"), "Esiste già"));
  assert_int_equal(problems_code(&pb), ERR_INVALID);
  /* a valid Ente passes ente_validate, which empties the list first and
   * writes nothing */
  e = valid_ente("nuovo-valido", fc);
  assert_int_equal(ente_validate(D, A, &e, &pb), ERR_OK);
  assert_int_equal(pb.n, 0);
  /* a slug of digits only would read as a codice fiscale */
  e = valid_ente("12345678903", fc);
  assert_int_equal(ente_create(D, A, &e, &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, "slug");
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM ente", 0), entes + 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM audit_log", 0), audits + 1);
}

/* An Ente named by slug or by codice fiscale. */
static void test_ente_resolve(void **state) {
  char fc[12], spaced[20];
  fx_piva(2201, fc);
  int64_t id = fx_ente(D, "per-codice", 2201);
  snprintf(spaced, sizeof spaced, " %.3s %.8s ", fc, fc + 3);
  arena *a = arena_new();
  ente got;
  assert_int_equal(ente_resolve(D, a, "per-codice", &got), ERR_OK);
  assert_int_equal(got.id, id);
  memset(&got, 0, sizeof got);
  assert_int_equal(ente_resolve(D, a, fc, &got), ERR_OK);
  assert_int_equal(got.id, id);
  assert_string_equal(got.slug, "per-codice");
  assert_int_equal(ente_resolve(D, a, spaced, &got), ERR_OK);
  assert_int_equal(got.id, id);
  char other[12];
  fx_piva(2299, other);
  assert_int_equal(ente_resolve(D, a, other, &got), ERR_NOT_FOUND);
  assert_int_equal(ente_resolve(D, a, "nessuno", &got), ERR_NOT_FOUND);
  assert_int_equal(ente_resolve(D, a, "   ", &got), ERR_NOT_FOUND);
  assert_int_equal(ente_resolve(D, a, NULL, &got), ERR_NOT_FOUND);
  arena_free(a);
}

static void test_office_every_problem(void **state) {
  int64_t offices = fx_count(D, "SELECT COUNT(*) FROM office", 0);
  office in = {0};
  in.code = "x";
  in.city = "Una città dal nome lunghissimo, lunghissimo, lunghissimo, lunghissimo, lunghissimo, "
            "davvero troppo lungo";
  problems pb = {0};
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_INVALID);
  on(&pb, "region_id");
  on(&pb, "code");
  on(&pb, "name");
  on(&pb, "city");
  assert_int_equal(pb.n, 4);
  /* an unknown region and a code taken: both */
  int64_t r = 0;
  assert_int_equal(region_create(D, A, "Isole", &fx_cli, &r, PB), ERR_OK);
  in = (office){0};
  in.region_id = r;
  in.code = "ISO-01";
  in.name = "Isole";
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_OK);
  in.region_id = r + 999;
  assert_int_equal(office_validate(D, A, &in, PB), ERR_INVALID);
  on(&pb, "region_id");
  on(&pb, "code");
  in.region_id = r;
  assert_int_equal(office_create(D, A, &in, &fx_cli, NULL, PB), ERR_OFFICE_DUPLICATE);
  assert_int_equal(pb.n, 1);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM office", 0), offices + 1);
}

static void test_user_every_problem(void **state) {
  int64_t users = fx_count(D, "SELECT COUNT(*) FROM app_user", 0);
  user u = {0};
  u.username = "A B";
  u.email = "non-valida";
  problems pb = {0};
  assert_int_equal(user_create(D, A, &u, "corta", NULL, 0, &fx_cli, NULL, PB), ERR_INVALID);
  const char *fields[] = {"username", "full_name", "email", "role", "password"};
  for (size_t i = 0; i < 5; i++) on(&pb, fields[i]);
  assert_int_equal(pb.n, 5);
  /* a username taken, a region missing, an unknown office and Ente */
  u = (user){0};
  u.username = "mario.rossi";
  u.full_name = "Doppio";
  u.role = ROLE_SUPERVISOR_REGIONAL;
  u.office_id = 99999;
  int64_t missing[] = {99999};
  assert_int_equal(user_validate(D, A, &u, "password-lunga-1", missing, 1, PB), ERR_INVALID);
  on(&pb, "username");
  on(&pb, "region_id");
  on(&pb, "office_id");
  on(&pb, "ente_ids");
  assert_int_equal(pb.n, 4);
  /* a valid user passes user_validate (list emptied first), unwritten */
  u = (user){0};
  u.username = "valido.ma.non.scritto";
  u.full_name = "Valido";
  u.role = ROLE_OPERATOR;
  assert_int_equal(user_validate(D, A, &u, "password-lunga-1", NULL, 0, &pb), ERR_OK);
  assert_int_equal(pb.n, 0);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM app_user", 0), users);
  /* a password alone */
  assert_int_equal(user_password_check(A, "corta", PB), ERR_INVALID);
  on(&pb, "password");
  assert_int_equal(user_password_check(A, "password-lunga-1", &pb), ERR_OK);
  assert_int_equal(pb.n, 0);
}

static void test_audit_chain(void **state) { fx_audit_ok(D); }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roles),           cmocka_unit_test(test_ente_create_and_read),
      cmocka_unit_test(test_ente_validation), cmocka_unit_test(test_region_office),
      cmocka_unit_test(test_users),           cmocka_unit_test(test_user_set_entes),
      cmocka_unit_test(test_ente_every_problem), cmocka_unit_test(test_ente_resolve),
      cmocka_unit_test(test_office_every_problem), cmocka_unit_test(test_user_every_problem),
      cmocka_unit_test(test_audit_chain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

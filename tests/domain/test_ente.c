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

static int setup(void **state) {
  D = fx_open(&T, "domain_ente");
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
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
  problem pb = {0};
  assert_int_equal(ente_create(D, &e, &fx_cli, &id, &pb), ERR_OK);
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
  pb = (problem){0};
  assert_int_equal(ente_create(D, &dup, &fx_cli, NULL, &pb), ERR_CONFLICT);
  assert_string_equal(pb.field, "slug");
  dup = valid_ente("altro-comune", fc);
  assert_int_equal(ente_create(D, &dup, &fx_cli, NULL, &pb), ERR_CONFLICT);
  assert_string_equal(pb.field, "fiscal_code");
  assert_int_equal(fx_audit_count(D, "ente.create"), before + 1);
  arena_free(a);
}

static void expect_ente_invalid(ente e, const char *field) {
  int64_t n = fx_count(D, "SELECT COUNT(*) FROM ente", 0);
  problem pb = {0};
  assert_int_equal(ente_create(D, &e, &fx_cli, NULL, &pb), ERR_INVALID);
  assert_non_null(pb.field);
  assert_string_equal(pb.field, field);
  assert_non_null(pb.message);
  assert_true(strlen(pb.message) > 10);
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
  assert_int_equal(ente_create(D, &e, &fx_cli, NULL, NULL), ERR_OK);
}

static void test_region_office(void **state) {
  int64_t r = 0, o = 0;
  problem pb = {0};
  assert_int_equal(region_create(D, "Centro", &fx_cli, &r, &pb), ERR_OK);
  assert_int_equal(region_create(D, "Centro", &fx_cli, NULL, &pb), ERR_CONFLICT);
  assert_string_equal(pb.field, "name");
  assert_int_equal(region_create(D, "  ", &fx_cli, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "name");

  office in = {0};
  in.region_id = r;
  in.code = "CEN-01";
  in.name = "Ufficio Centro";
  in.city = "Roma";
  assert_int_equal(office_create(D, &in, &fx_cli, &o, &pb), ERR_OK);
  assert_true(o > 0);
  assert_int_equal(office_create(D, &in, &fx_cli, NULL, &pb), ERR_CONFLICT);
  assert_string_equal(pb.field, "code");
  in.code = "CEN-02";
  in.region_id = r + 999;
  assert_int_equal(office_create(D, &in, &fx_cli, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "region_id");
  in.region_id = r;
  in.code = "x";
  assert_int_equal(office_create(D, &in, &fx_cli, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "code");
  in.code = "CEN-02";
  in.name = NULL;
  assert_int_equal(office_create(D, &in, &fx_cli, NULL, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "name");

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
  problem pb = {0};
  assert_int_equal(user_create(D, &u, pw, ids, n, &fx_cli, NULL, &pb), ERR_INVALID);
  assert_non_null(pb.field);
  assert_string_equal(pb.field, field);
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
  problem pb = {0};
  int64_t audits = fx_audit_count(D, "user.create");
  assert_int_equal(user_create(D, &u, pw, ids, 3, &fx_cli, &uid, &pb), ERR_OK);
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
  assert_int_equal(user_set_password(D, uid, "corta", &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "password");
  assert_int_equal(user_set_password(D, uid, "nuova-password-2", &fx_cli, &pb), ERR_OK);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", pw, &who), ERR_UNAUTHORIZED);
  assert_int_equal(user_authenticate(D, a, "mario.rossi", "nuova-password-2", &who), ERR_OK);
  assert_int_equal(fx_audit_count(D, "user.passwd"), 1);
  assert_int_equal(user_set_password(D, uid + 999, "nuova-password-2", &fx_cli, &pb),
                   ERR_NOT_FOUND);

  /* duplicate username (case-insensitive) */
  user dup = u;
  dup.username = "MARIO.ROSSI";
  assert_int_equal(user_create(D, &dup, pw, ids, 1, &fx_cli, NULL, &pb), ERR_CONFLICT);
  assert_string_equal(pb.field, "username");

  /* admin sees every Ente */
  user adm = {0};
  adm.username = "capo";
  adm.full_name = "Amministratore";
  adm.role = ROLE_ADMIN;
  int64_t aid;
  assert_int_equal(user_create(D, &adm, pw, NULL, 0, &fx_cli, &aid, &pb), ERR_OK);
  assert_int_equal(user_get(D, a, aid, &got), ERR_OK);
  assert_int_equal(user_entes(D, a, &got, &entes, &n), ERR_OK);
  assert_int_equal(n, (size_t)fx_count(D, "SELECT COUNT(*) FROM ente", 0));
  assert_int_equal(user_check_ente(D, &got, e3), ERR_OK);
  assert_int_equal(user_check_ente(D, &got, e3 + 999), ERR_NOT_FOUND);

  /* a user without a password cannot sign in */
  user nopw = adm;
  nopw.username = "senza.password";
  assert_int_equal(user_create(D, &nopw, NULL, NULL, 0, &fx_cli, NULL, &pb), ERR_OK);
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
  problem pb = {0};
  assert_int_equal(user_create(D, &u, NULL, one, 1, &fx_cli, &sid, &pb), ERR_OK);
  u.username = "operatore.due";
  u.role = ROLE_OPERATOR;
  assert_int_equal(user_create(D, &u, NULL, one, 1, &fx_cli, &oid, &pb), ERR_OK);

  int64_t audits = fx_audit_count(D, "user.entes");
  int64_t next[] = {e2, e3, e2};
  assert_int_equal(user_set_entes(D, sid, next, 3, &fx_cli, &pb), ERR_OK);
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
  pb = (problem){0};
  assert_int_equal(user_set_entes(D, sid, NULL, 0, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "ente_ids");
  assert_non_null(pb.message);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", sid), 2);

  /* an unknown Ente: refused, rows unchanged */
  pb = (problem){0};
  int64_t bad[] = {e1, e3 + 999};
  assert_int_equal(user_set_entes(D, sid, bad, 2, &fx_cli, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "ente_ids");
  assert_int_equal(user_check_ente(D, &got, e1), ERR_NOT_FOUND);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", sid), 2);

  /* unknown user */
  assert_int_equal(user_set_entes(D, sid + 999, one, 1, &fx_cli, &pb), ERR_NOT_FOUND);
  assert_int_equal(fx_audit_count(D, "user.entes"), audits + 1);

  /* other roles may be left with none */
  assert_int_equal(user_set_entes(D, oid, NULL, 0, &fx_cli, &pb), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM user_ente WHERE user_id = ?", oid), 0);
  assert_int_equal(fx_audit_count(D, "user.entes"), audits + 2);
  arena_free(a);
}

static void test_audit_chain(void **state) { fx_audit_ok(D); }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roles),           cmocka_unit_test(test_ente_create_and_read),
      cmocka_unit_test(test_ente_validation), cmocka_unit_test(test_region_office),
      cmocka_unit_test(test_users),           cmocka_unit_test(test_user_set_entes),
      cmocka_unit_test(test_audit_chain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

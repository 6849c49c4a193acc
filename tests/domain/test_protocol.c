/* The protocol register on both backends: numbering per Ente and year
 * without gaps or repeats (also with 8 threads registering at once),
 * documents fingerprinted and stored once, validation, annulment as a new
 * fact, and the daily register that notices a rewrite of an entry or of
 * the audit chain after it was issued. */
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
#include "core/date.h"
#include "domain/protocol/protocol.h"
#include "fixture.h"

static testdb T;
static db *D;
static int64_t E1, E2;

static int setup(void **state) {
  D = fx_open(&T, "domain_protocol");
  E1 = fx_ente(D, "prot-uno", 7001);
  E2 = fx_ente(D, "prot-due", 7002);
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

static err_code add(db *d, arena *a, int64_t ente, const char *subject, prot_entry *out,
                    problem *pb) {
  memset(out, 0, sizeof *out);
  out->ente_id = ente;
  out->direction = "in";
  out->channel = "email";
  out->correspondent = "Mario Rossi <mario.rossi@example.org>";
  out->subject = (char *)subject;
  return protocol_register(d, a, &fx_cli, out, pb);
}

static void test_numbers_per_ente_and_year(void **state) {
  arena *a = arena_new();
  prot_entry e;
  problem pb = {0};
  int64_t first = 0;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(add(D, a, E1, "Istanza", &e, &pb), ERR_OK);
    if (i == 0) first = e.number;
    assert_int_equal(e.number, first + i);
  }
  /* another Ente has its own sequence */
  assert_int_equal(add(D, a, E2, "Altra", &e, &pb), ERR_OK);
  assert_int_equal(e.number, 1);
  assert_string_equal(protocol_label(a, 42, 2026), "0000042/2026");
  assert_string_equal(protocol_label(a, 12345678, 2026), "12345678/2026");
  /* a new year starts again from 1 */
  const char *old = getenv("SPORTELLO_TEST_NOW");
  setenv("SPORTELLO_TEST_NOW", "1893456000", 1); /* 2030-01-01 00:00 UTC = 01:00 Rome */
  assert_int_equal(add(D, a, E1, "Anno nuovo", &e, &pb), ERR_OK);
  assert_int_equal(e.year, 2030);
  assert_int_equal(e.number, 1);
  setenv("SPORTELLO_TEST_NOW", "1893452400", 1); /* 2029-12-31 23:00 UTC = 00:00 Rome 2030 */
  assert_int_equal(add(D, a, E1, "Ancora nuovo", &e, &pb), ERR_OK);
  assert_int_equal(e.year, 2030);
  assert_int_equal(e.number, 2);
  if (old) setenv("SPORTELLO_TEST_NOW", old, 1); else unsetenv("SPORTELLO_TEST_NOW");
  fx_audit_ok(D);
  arena_free(a);
}

static void test_validation_writes_nothing(void **state) {
  arena *a = arena_new();
  prot_entry e;
  problem pb = {0};
  int64_t before = fx_count(D, "SELECT COUNT(*) FROM protocol_entry", 0);
  int64_t counter = fx_count(D, "SELECT COALESCE(SUM(last_number), 0) FROM protocol_counter", 0);
  assert_int_equal(add(D, a, E1, "   ", &e, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "subject");
  memset(&e, 0, sizeof e);
  e.ente_id = E1;
  e.direction = "sideways";
  e.channel = "email";
  e.correspondent = "x";
  e.subject = "y";
  assert_int_equal(protocol_register(D, a, &fx_cli, &e, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "direction");
  e.direction = "in";
  e.channel = "fax";
  assert_int_equal(protocol_register(D, a, &fx_cli, &e, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "channel");
  e.channel = "pec";
  prot_doc big = {.name = "big.bin", .size = (int64_t)PROT_MAX_DOC_BYTES + 1, .data = ""};
  e.docs = &big;
  e.n_docs = 1;
  assert_int_equal(protocol_register(D, a, &fx_cli, &e, &pb), ERR_TOO_LARGE);
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM protocol_entry", 0), before);
  assert_int_equal(fx_count(D, "SELECT COALESCE(SUM(last_number), 0) FROM protocol_counter", 0),
                   counter);
  arena_free(a);
}

static void test_documents_and_fascicolo(void **state) {
  arena *a = arena_new();
  prot_doc docs[2] = {{.name = "istanza.pdf", .mime = "application/pdf", .data = "abc", .size = 3},
                      {.name = "copia.pdf", .mime = "application/pdf", .data = "abc", .size = 3}};
  prot_entry e = {0};
  e.ente_id = E1;
  e.direction = "in";
  e.channel = "web";
  e.correspondent = "Anna Bianchi";
  e.subject = "Occupazione suolo pubblico";
  e.category = "occupazione";
  e.docs = docs;
  e.n_docs = 2;
  problem pb = {0};
  assert_int_equal(protocol_register(D, a, &fx_cli, &e, &pb), ERR_OK);
  /* SHA-256("abc") */
  assert_string_equal(e.docs[0].sha256,
                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_string_equal(e.docs[0].role, "primary");
  assert_string_equal(e.docs[1].role, "attachment");
  /* same content stored once */
  assert_int_equal(fx_count(D, "SELECT COUNT(*) FROM blob WHERE sha256 = "
                               "'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'", 0),
                   1);
  prot_entry got;
  assert_int_equal(protocol_get(D, a, E1, e.year, e.number, &got), ERR_OK);
  assert_int_equal(got.n_docs, 2);
  assert_string_equal(got.docs[1].name, "copia.pdf");
  assert_string_equal(got.category, "occupazione");
  assert_string_equal(got.hash, e.hash);
  const void *data;
  int64_t size;
  assert_int_equal(protocol_document_data(D, a, E1, got.docs[0].sha256, &data, &size), ERR_OK);
  assert_int_equal(size, 3);
  assert_memory_equal(data, "abc", 3);
  /* another Ente cannot read it */
  assert_int_equal(protocol_document_data(D, a, E2, got.docs[0].sha256, &data, &size),
                   ERR_NOT_FOUND);
  /* one fascicolo per category and year */
  prot_entry e2 = e;
  e2.docs = NULL;
  e2.n_docs = 0;
  assert_int_equal(protocol_register(D, a, &fx_cli, &e2, &pb), ERR_OK);
  assert_int_equal(e2.fascicolo_id, e.fascicolo_id);
  arena_free(a);
}

static void test_annulment(void **state) {
  arena *a = arena_new();
  prot_entry e;
  problem pb = {0};
  assert_int_equal(add(D, a, E1, "Da annullare", &e, &pb), ERR_OK);
  assert_int_equal(protocol_annul(D, &fx_cli, E1, e.year, e.number, "breve", &pb), ERR_INVALID);
  assert_string_equal(pb.field, "reason");
  assert_int_equal(protocol_annul(D, &fx_cli, E2, e.year, e.number + 1000, "registrata per errore",
                                  &pb),
                   ERR_NOT_FOUND);
  assert_int_equal(protocol_annul(D, &fx_cli, E1, e.year, e.number, "registrata per errore", &pb),
                   ERR_OK);
  assert_int_equal(protocol_annul(D, &fx_cli, E1, e.year, e.number, "registrata per errore", &pb),
                   ERR_PROTOCOL_ANNULLED);
  prot_entry got;
  assert_int_equal(protocol_get(D, a, E1, e.year, e.number, &got), ERR_OK);
  assert_true(got.annulled);
  assert_string_equal(got.annul_reason, "registrata per errore");
  assert_string_equal(got.subject, "Da annullare"); /* the entry stays as it was */
  arena_free(a);
}

typedef struct {
  int64_t ente;
  int n;
  int failures;
} worker_arg;

static void *worker(void *p) {
  worker_arg *w = p;
  db *d = testdb_open(&T);
  arena *a = arena_new();
  for (int i = 0; i < w->n; i++) {
    prot_entry e;
    problem pb = {0};
    if (add(d, a, w->ente, "Concorrente", &e, &pb) != ERR_OK) w->failures++;
  }
  arena_free(a);
  db_close(d);
  return NULL;
}

static void test_concurrent_no_gap_no_repeat(void **state) {
  enum { THREADS = 8, EACH = 25 };
  int64_t ente = fx_ente(D, "prot-conc", 7003);
  pthread_t th[THREADS];
  worker_arg w[THREADS];
  for (int i = 0; i < THREADS; i++) {
    w[i] = (worker_arg){ente, EACH, 0};
    pthread_create(&th[i], NULL, worker, &w[i]);
  }
  int failures = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(th[i], NULL);
    failures += w[i].failures;
  }
  assert_int_equal(failures, 0);
  int64_t n = fx_count(D, "SELECT COUNT(*) FROM protocol_entry WHERE ente_id = ?", ente);
  assert_int_equal(n, THREADS * EACH);
  assert_int_equal(fx_count(D, "SELECT COUNT(DISTINCT number) FROM protocol_entry WHERE ente_id = ?",
                            ente),
                   n);
  assert_int_equal(fx_count(D, "SELECT MIN(number) FROM protocol_entry WHERE ente_id = ?", ente), 1);
  assert_int_equal(fx_count(D, "SELECT MAX(number) FROM protocol_entry WHERE ente_id = ?", ente), n);
  fx_audit_ok(D);
}

static void test_day_register(void **state) {
  arena *a = arena_new();
  int64_t ente = fx_ente(D, "prot-day", 7004);
  /* 2027-03-10 09:00 Rome = 08:00 UTC */
  setenv("SPORTELLO_TEST_NOW", "1804665600", 1);
  prot_entry e;
  problem pb = {0};
  assert_int_equal(add(D, a, ente, "Primo", &e, &pb), ERR_OK);
  assert_int_equal(add(D, a, ente, "Secondo", &e, &pb), ERR_OK);
  civil_date day = {2027, 3, 10};
  prot_entry *v;
  size_t n;
  prot_day p;
  /* not before the day is over */
  assert_int_equal(protocol_day_register(D, a, ente, day, 1, &v, &n, &p), ERR_PROTOCOL_DAY_OPEN);
  setenv("SPORTELLO_TEST_NOW", "1804752000", 1); /* next day */
  assert_int_equal(protocol_day_register(D, a, ente, day, 1, &v, &n, &p), ERR_OK);
  assert_int_equal(n, 2);
  assert_int_equal(p.entries, 2);
  assert_false(p.issued_before);
  assert_int_equal(p.altered, 0);
  char first_hash[65];
  strcpy(first_hash, p.sha256);
  /* issued again: the same */
  assert_int_equal(protocol_day_register(D, a, ente, day, 1, &v, &n, &p), ERR_OK);
  assert_true(p.issued_before);
  assert_true(p.matches);
  assert_string_equal(p.sha256, first_hash);
  /* a later entry on another day does not change it */
  assert_int_equal(add(D, a, ente, "Terzo", &e, &pb), ERR_OK);
  assert_int_equal(protocol_day_register(D, a, ente, day, 0, &v, &n, &p), ERR_OK);
  assert_true(p.matches);
  /* a rewritten subject shows, even with its stored hash left as it was */
  db_exec_script(D, "UPDATE protocol_entry SET subject = 'Riscritto' WHERE subject = 'Primo'");
  assert_int_equal(protocol_day_register(D, a, ente, day, 0, &v, &n, &p), ERR_OK);
  assert_false(p.matches);
  assert_int_equal(p.altered, 1);
  db_exec_script(D, "UPDATE protocol_entry SET subject = 'Primo' WHERE subject = 'Riscritto'");
  assert_int_equal(protocol_day_register(D, a, ente, day, 0, &v, &n, &p), ERR_OK);
  assert_true(p.matches);
  /* a rewritten audit row of that day shows too */
  db_exec_script(D, "UPDATE audit_log SET hash = 'x' || substr(hash, 2) WHERE at < 1804716000 "
                    "AND id = (SELECT MAX(id) FROM audit_log WHERE at < 1804716000)");
  assert_int_equal(protocol_day_register(D, a, ente, day, 0, &v, &n, &p), ERR_OK);
  assert_false(p.matches);
  unsetenv("SPORTELLO_TEST_NOW");
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers_per_ente_and_year),
      cmocka_unit_test(test_validation_writes_nothing),
      cmocka_unit_test(test_documents_and_fascicolo),
      cmocka_unit_test(test_annulment),
      cmocka_unit_test(test_concurrent_no_gap_no_repeat),
      cmocka_unit_test(test_day_register),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

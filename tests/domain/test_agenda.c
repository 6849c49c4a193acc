/* The front office agenda on both backends: weekly hours against the
 * minimum for Enti of each population class (weeks with a holiday and a
 * closure, two counters open at once counted once), slots around closures,
 * holidays, buffers, notice and horizon, 32 threads booking the same
 * single-place slot (exactly one wins), the per-fiscal-code limit, cancel
 * and change by token, the .ics invitation parsed back with libical, and
 * the reminder job at the right time. Time is pinned with
 * SPORTELLO_TEST_NOW. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include <libical/ical.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "domain/agenda/agenda.h"
#include "core/problems.h"
#include "fixture.h"

static testdb T;
static db *D;

static const char *CF1 = "RSSMRA80A01H501U"; /* valid codici fiscali */
static char CF2[17]; /* computed in setup */

static void set_now(civil_date day, int minutes) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)ag_local_to_utc(day, minutes));
  setenv("SPORTELLO_TEST_NOW", buf, 1);
}

static civil_date D_(int y, int m, int d) { return (civil_date){y, m, d}; }

static int64_t ente_with(const char *slug, uint32_t seed, int64_t population, ente *out) {
  char fc[12];
  fx_piva(seed, fc);
  ente e = {0};
  e.slug = (char *)slug;
  e.name = (char *)slug;
  e.fiscal_code = fc;
  e.population = population;
  int64_t id = 0;
  arena *a = arena_new();
  problems pbs = {0};
  assert_int_equal(ente_create(D, a, &e, &fx_cli, &id, &pbs), ERR_OK);
  ente got;
  assert_int_equal(ente_get(D, a, id, &got), ERR_OK);
  arena_free(a);
  *out = e;
  out->id = id;
  out->patron_day = NULL;
  out->mail_info = NULL;
  return id;
}

static int64_t counter(int64_t ente_id, const char *name) {
  int64_t id = 0;
  problem pb = {0};
  assert_int_equal(agenda_counter_add(D, &fx_cli, ente_id, name, "Piazza Municipio 1", &id, &pb),
                   ERR_OK);
  return id;
}

static void hours(int64_t ente_id, int64_t c, const char *day, const char *from, const char *to) {
  arena *a = arena_new();
  problem pb = {0};
  err_code rc = agenda_hours_add(D, a, &fx_cli, ente_id, c, ag_weekday_parse(day),
                                 ag_hhmm_parse(from), ag_hhmm_parse(to), "2026-01-01", &pb);
  if (rc != ERR_OK) fprintf(stderr, "hours: %s\n", pb.message ? pb.message : "?");
  assert_int_equal(rc, ERR_OK);
  arena_free(a);
}

static void weekdays(int64_t e, int64_t c, const char *from, const char *to) {
  static const char *const days[] = {"mon", "tue", "wed", "thu", "fri"};
  for (int i = 0; i < 5; i++) hours(e, c, days[i], from, to);
}

static ag_week_report check(const ente *e, const char *week, arena *a) {
  civil_date monday;
  assert_int_equal(ag_iso_week_parse(week, &monday), 0);
  ag_week_report r;
  assert_int_equal(agenda_week_check(D, a, e, monday, &r), ERR_OK);
  return r;
}

static int setup(void **state) {
  D = fx_open(&T, "domain_agenda");
  fx_cf("VRDLGU75B12F205", CF2);
  set_now(D_(2026, 11, 23), 8 * 60); /* Monday 23 November 2026, 08:00 */
  return 0;
}

static int teardown(void **state) {
  fx_close(&T, D);
  return 0;
}

static void test_parsers(void **state) {
  civil_date m;
  assert_int_equal(ag_iso_week_parse("2026-W49", &m), 0);
  assert_int_equal(date_cmp(m, D_(2026, 11, 30)), 0);
  assert_int_equal(ag_iso_week_parse("2026-W53", &m), 0); /* 2026 has 53 ISO weeks */
  assert_int_equal(date_cmp(m, D_(2026, 12, 28)), 0);
  assert_int_equal(ag_iso_week_parse("2025-W53", &m), -1);
  assert_int_equal(ag_iso_week_parse("2026-49", &m), -1);
  char w[9];
  ag_iso_week_format(D_(2027, 1, 1), w); /* a Friday in the 53rd week of 2026 */
  assert_string_equal(w, "2026-W53");
  assert_int_equal(ag_hhmm_parse("09:30"), 570);
  assert_int_equal(ag_hhmm_parse("24:00"), 1440);
  assert_int_equal(ag_hhmm_parse("24:01"), -1);
  assert_int_equal(ag_hhmm_parse("9:30"), -1);
  assert_int_equal(ag_weekday_parse("sat"), 6);
  assert_int_equal(ag_weekday_parse("sun"), 0);
  /* wall time both sides of the summer-time change (29 March 2026) */
  int64_t t;
  assert_int_equal(ag_local_iso_parse("2026-03-27T09:00:00", &t), 0);
  char back[20];
  ag_local_iso_format(t, back);
  assert_string_equal(back, "2026-03-27T09:00:00");
  assert_int_equal(ag_local_iso_parse("2026-03-30T09:00", &t), 0);
  ag_local_iso_format(t, back);
  assert_string_equal(back, "2026-03-30T09:00:00");
  assert_int_equal(t % 86400, 7 * 3600); /* 09:00 CEST is 07:00 UTC */
  assert_int_equal(ag_local_iso_parse("2026-03-30T09:00:00+01:00", &t), -1);
}

/* One Ente per population class of the tender table. */
static void test_week_check_by_population(void **state) {
  arena *a = arena_new();
  ente small, mid, big, huge;
  int64_t es = ente_with("ag-piccolo", 8101, 3800, &small);
  int64_t em = ente_with("ag-medio", 8102, 12000, &mid);
  int64_t eb = ente_with("ag-grande", 8103, 45000, &big);
  int64_t eh = ente_with("ag-citta", 8104, 60000, &huge); /* exactly 60,000: the top class */

  /* < 5,000: 4 hours. Tue 9-12 + Thu 14-16 = 5 h, afternoon. */
  int64_t c = counter(es, "Sportello unico");
  hours(es, c, "tue", "09:00", "12:00");
  hours(es, c, "thu", "14:00", "16:00");
  ag_week_report r = check(&small, "2026-W49", a);
  assert_int_equal(r.min_minutes, 240);
  assert_int_equal(r.offered_minutes, 300);
  assert_true(r.afternoon);
  assert_true(r.ok);
  /* week 50: Tuesday 8 December is a holiday (Immacolata) */
  r = check(&small, "2026-W50", a);
  assert_int_equal(r.offered_minutes, 120);
  assert_int_equal(r.shortfall_minutes, 120);
  assert_false(r.ok);
  assert_non_null(r.days[1].holiday);

  /* < 30,000: 15 hours. Mon-Fri 9-12 + Wed 15-17 = 17 h; a closure on
   * Friday 4 December takes 3 h away -> 14 h, 1 h short. */
  c = counter(em, "Sportello tributi");
  weekdays(em, c, "09:00", "12:00");
  hours(em, c, "wed", "15:00", "17:00");
  r = check(&mid, "2026-W49", a);
  assert_int_equal(r.min_minutes, 900);
  assert_int_equal(r.offered_minutes, 1020);
  assert_true(r.ok);
  problem pb = {0};
  assert_int_equal(agenda_closure_add(D, &fx_cli, em, c, "2026-12-04", "2026-12-04",
                                      "Assemblea del personale", NULL, &pb),
                   ERR_OK);
  r = check(&mid, "2026-W49", a);
  assert_int_equal(r.offered_minutes, 840);
  assert_int_equal(r.shortfall_minutes, 60);
  assert_false(r.ok);
  assert_string_equal(r.days[4].closure, "Assemblea del personale");

  /* < 60,000: 20 hours. Mon-Fri 8:30-12:30 + Tue 14:30-16:30 = 22 h; week
   * 50 loses Tuesday 8 December entirely (6 h) -> 16 h. */
  c = counter(eb, "Sportello centrale");
  weekdays(eb, c, "08:30", "12:30");
  hours(eb, c, "tue", "14:30", "16:30");
  r = check(&big, "2026-W49", a);
  assert_int_equal(r.min_minutes, 1200);
  assert_int_equal(r.offered_minutes, 1320);
  assert_true(r.ok);
  r = check(&big, "2026-W50", a);
  assert_int_equal(r.offered_minutes, 960);
  assert_int_equal(r.shortfall_minutes, 240);

  /* >= 60,000: 24 hours. Mornings only: 20 h and no afternoon. A second
   * counter open at the same time adds nothing; its Monday afternoon adds
   * 4 h and the afternoon opening. */
  int64_t c1 = counter(eh, "Sportello A");
  weekdays(eh, c1, "09:00", "13:00");
  r = check(&huge, "2026-W49", a);
  assert_int_equal(r.min_minutes, 1440);
  assert_int_equal(r.offered_minutes, 1200);
  assert_false(r.afternoon);
  assert_false(r.ok);
  int64_t c2 = counter(eh, "Sportello B");
  hours(eh, c2, "thu", "09:00", "13:00");
  hours(eh, c2, "mon", "14:00", "18:00");
  r = check(&huge, "2026-W49", a);
  assert_int_equal(r.offered_minutes, 1440);
  assert_true(r.afternoon);
  assert_true(r.ok);
  assert_int_equal(r.n_counters, 2);
  assert_int_equal(r.counter_minutes[1], 480);
  /* an Ente-wide closure of the whole week */
  assert_int_equal(agenda_closure_add(D, &fx_cli, eh, 0, "2026-11-30", "2026-12-05",
                                      "Trasloco degli uffici", NULL, &pb),
                   ERR_OK);
  r = check(&huge, "2026-W49", a);
  assert_int_equal(r.offered_minutes, 0);
  assert_int_equal(r.shortfall_minutes, 1440);
  arena_free(a);
}

static void test_min_table_import(void **state) {
  arena *a = arena_new();
  /* the shared table as data */
  FILE *f = fopen(SHARED_DIR "/data/sportelli_orari_minimi.csv", "r");
  assert_non_null(f);
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  ag_min_row *rows;
  size_t nr;
  problem pb = {0};
  assert_int_equal(ag_min_parse_csv(a, buf, &rows, &nr, &pb), ERR_OK);
  assert_int_equal(nr, 4);
  assert_int_equal(rows[3].pop_from, 60000);
  assert_int_equal(rows[3].pop_to, 0);
  assert_int_equal(rows[1].min_minutes, 15 * 60);
  assert_int_equal(agenda_min_replace(D, &fx_cli, rows, nr, &pb), ERR_OK);
  /* a table with a gap is refused and the old one stays */
  const char *gap = "population_from_inclusive,population_to_exclusive,min_opening_hours_per_week\n"
                    "0,5000,4\n6000,,10\n";
  assert_int_equal(ag_min_parse_csv(a, gap, &rows, &nr, &pb), ERR_OK);
  assert_int_equal(agenda_min_replace(D, &fx_cli, rows, nr, &pb), ERR_INVALID);
  assert_int_equal(ag_min_parse_csv(a, "a,b,c\n1,2,3\n", &rows, &nr, &pb), ERR_INVALID);
  /* half hours are accepted */
  const char *half = "population_from_inclusive,population_to_exclusive,min_opening_hours_per_week\n"
                     "0,,7.5\n";
  assert_int_equal(ag_min_parse_csv(a, half, &rows, &nr, &pb), ERR_OK);
  assert_int_equal(rows[0].min_minutes, 450);
  ag_min_row *got;
  assert_int_equal(agenda_min_list(D, a, &got, &nr), ERR_OK);
  assert_int_equal(nr, 4);
  assert_int_equal(got[0].min_minutes, 240);
  arena_free(a);
}

/* An Ente with one counter open Mon, Tue, Wed 09:00-12:00 for topic "tari". */
static ente SE;
static int64_t SC, STOPIC;

static void slot_setup(void) {
  if (SE.id) return;
  ente_with("ag-slot", 8201, 20000, &SE);
  SC = counter(SE.id, "Sportello slot");
  hours(SE.id, SC, "mon", "09:00", "12:00");
  hours(SE.id, SC, "tue", "09:00", "12:00");
  hours(SE.id, SC, "wed", "09:00", "12:00");
  problem pb = {0};
  assert_int_equal(agenda_topic_add(D, &fx_cli, SE.id, "tari", "TARI", &STOPIC, &pb), ERR_OK);
  ag_avail av = {.counter_id = SC, .topic_id = STOPIC, .slot_minutes = 20, .buffer_minutes = 10,
                 .capacity = 1, .horizon_days = 60, .notice_minutes = 60};
  assert_int_equal(agenda_open(D, &fx_cli, SE.id, &av, &pb), ERR_OK);
  assert_int_equal(agenda_closure_add(D, &fx_cli, SE.id, SC, "2026-12-02", "2026-12-02",
                                      "Formazione", NULL, &pb),
                   ERR_OK);
}

static size_t slots_on(civil_date from, civil_date to, ag_slot **out, arena *a) {
  ag_slot_query q = {STOPIC, 0, -1, from, to, clock_now(), 0};
  size_t n;
  assert_int_equal(agenda_slots(D, a, &SE, &q, out, &n), ERR_OK);
  return n;
}

static void test_slots(void **state) {
  slot_setup();
  arena *a = arena_new();
  ag_slot *s;
  /* Monday 30 November: 9:00, 9:30, ..., 11:30 (20 min + 10 buffer) */
  size_t n = slots_on(D_(2026, 11, 30), D_(2026, 11, 30), &s, a);
  assert_int_equal(n, 6);
  char iso[20];
  ag_local_iso_format(s[0].start, iso);
  assert_string_equal(iso, "2026-11-30T09:00:00");
  ag_local_iso_format(s[5].start, iso);
  assert_string_equal(iso, "2026-11-30T11:30:00");
  assert_int_equal(s[5].end - s[5].start, 20 * 60);
  assert_int_equal(s[0].available, 1);
  /* the whole week: Wed 2 Dec closed -> Mon + Tue only */
  n = slots_on(D_(2026, 11, 30), D_(2026, 12, 6), &s, a);
  assert_int_equal(n, 12);
  /* week 50: Tue 8 Dec is a holiday -> Mon 7 + Wed 9 */
  n = slots_on(D_(2026, 12, 7), D_(2026, 12, 13), &s, a);
  assert_int_equal(n, 12);
  for (size_t i = 0; i < n; i++) {
    ag_local_iso_format(s[i].start, iso);
    assert_true(strncmp(iso, "2026-12-08", 10) != 0);
  }
  /* today (Mon 23 Nov, 08:00) with 60 minutes' notice: 9:00 is the first */
  n = slots_on(D_(2026, 11, 23), D_(2026, 11, 23), &s, a);
  assert_int_equal(n, 6);
  set_now(D_(2026, 11, 23), 8 * 60 + 1); /* 08:01: 09:00 is too close */
  n = slots_on(D_(2026, 11, 23), D_(2026, 11, 23), &s, a);
  assert_int_equal(n, 5);
  set_now(D_(2026, 11, 23), 8 * 60);
  /* beyond the 60-day horizon nothing */
  n = slots_on(D_(2027, 1, 25), D_(2027, 1, 27), &s, a);
  assert_int_equal(n, 0);
  /* a range over the limit is refused */
  ag_slot_query q = {STOPIC, 0, -1, D_(2026, 11, 1), D_(2027, 1, 31), clock_now(), 0};
  size_t nn;
  assert_int_equal(agenda_slots(D, a, &SE, &q, &s, &nn), ERR_INVALID);
  arena_free(a);
}

static ag_booking booking(int64_t start, const char *cf, const char *email) {
  ag_booking b = {.topic_id = STOPIC, .counter_id = SC, .start = start, .name = "Maria Rossi",
                  .fiscal_code = cf, .email = email, .reason = "Chiarimenti TARI",
                  .privacy_consent = 1, .channel = "web"};
  return b;
}

typedef struct {
  int64_t start;
  err_code rc;
  int index;
} racer;

static void *race(void *p) {
  racer *r = p;
  db *d = testdb_open(&T);
  arena *a = arena_new();
  char cf[17];
  /* every racer its own person, so only the seat decides */
  char first15[32];
  snprintf(first15, sizeof first15, "RSSMRA80B%02dH501", r->index % 28 + 1);
  fx_cf(first15, cf);
  ag_booking b = booking(r->start, cf, "racer@example.org");
  ag_appt ap;
  problem pb = {0};
  r->rc = agenda_book(d, a, &SE, &fx_cli, &b, &ap, NULL, &pb);
  if (r->rc != ERR_OK && r->rc != ERR_SLOT_FULL)
    fprintf(stderr, "racer %d: %s (%s)\n", r->index, err_slug(r->rc),
            err_cause_peek() ? err_cause_peek() : db_errmsg(d));
  arena_free(a);
  db_close(d);
  return NULL;
}

static void test_32_racers_one_seat(void **state) {
  slot_setup();
  int64_t start = ag_local_to_utc(D_(2026, 11, 30), 9 * 60 + 30);
  enum { N = 32 };
  pthread_t th[N];
  racer r[N];
  for (int i = 0; i < N; i++) {
    r[i] = (racer){start, ERR_INTERNAL, i};
    pthread_create(&th[i], NULL, race, &r[i]);
  }
  int ok = 0, full = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(th[i], NULL);
    if (r[i].rc == ERR_OK) ok++;
    else if (r[i].rc == ERR_SLOT_FULL) full++;
    else fprintf(stderr, "racer %d: %s\n", i, err_slug(r[i].rc));
  }
  assert_int_equal(ok, 1);
  assert_int_equal(full, N - 1);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM agenda_appointment WHERE start_at = ?", start),
                   1);
  /* the slot now shows no place */
  arena *a = arena_new();
  ag_slot *s;
  size_t n = slots_on(D_(2026, 11, 30), D_(2026, 11, 30), &s, a);
  assert_int_equal(n, 6);
  assert_int_equal(s[1].start, start);
  assert_int_equal(s[1].available, 0);
  assert_int_equal(s[0].available, 1);
  arena_free(a);
  fx_audit_ok(D);
}

static void test_capacity_enforced_by_database(void **state) {
  slot_setup();
  /* a third seat in a one-place slot, or a second booking of seat 1, is
   * refused by the database itself */
  int64_t start = ag_local_to_utc(D_(2026, 11, 30), 9 * 60 + 30);
  int64_t av = fx_count(D, "SELECT id FROM agenda_availability WHERE counter_id = ?", SC);
#define INS \
      "INSERT INTO agenda_appointment (ente_id, availability_id, counter_id, topic_id, start_at, " \
      "end_at, seat, capacity, state, name, fiscal_code, channel, created_at, updated_at) " \
      "SELECT ente_id, id, counter_id, topic_id, %lld, %lld, %d, capacity, 'booked', 'X', 'Y', " \
      "'web', 0, 0 FROM agenda_availability WHERE id = %lld"
  arena *a = arena_new();
  for (int seat = 1; seat <= 2; seat++) {
    const char *sql = arena_printf(a, INS, (long long)start, (long long)start + 1200, seat, (long long)av);
    /* bare statement inside a transaction: it must fail */
    db_rc rc = db_exec_script(D, "BEGIN");
    assert_int_equal(rc, DBR_DONE);
    rc = db_exec_script(D, sql);
    assert_int_not_equal(rc, DBR_DONE);
    db_exec_script(D, "ROLLBACK");
  }
  arena_free(a);
}

static void test_limit_cancel_change(void **state) {
  slot_setup();
  arena *a = arena_new();
  ag_appt ap, ap2, moved;
  char *tok = NULL, *tok2 = NULL;
  problem pb = {0};
  /* bad input names its field */
  ag_booking b = booking(ag_local_to_utc(D_(2026, 11, 30), 10 * 60), "RSSMRA80A01H501X", "x@example.org");
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap, &tok, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "fiscal_code");
  b = booking(ag_local_to_utc(D_(2026, 11, 30), 10 * 60), CF2, NULL);
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap, &tok, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "email");
  b = booking(ag_local_to_utc(D_(2026, 11, 30), 10 * 60 + 5), CF2, "l.verdi@example.org");
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap, &tok, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "start"); /* 10:05 is not a slot */
  b = booking(ag_local_to_utc(D_(2026, 12, 2), 9 * 60), CF2, "l.verdi@example.org");
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap, &tok, &pb), ERR_INVALID); /* closed */
  b = booking(ag_local_to_utc(D_(2026, 11, 30), 10 * 60), CF2, "l.verdi@example.org");
  b.privacy_consent = 0;
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap, &tok, &pb), ERR_INVALID);
  assert_string_equal(pb.field, "privacy_consent");

  /* three active bookings per fiscal code (the default), the fourth refused */
  int mins[] = {10 * 60, 10 * 60 + 30, 11 * 60, 11 * 60 + 30};
  for (int i = 0; i < 4; i++) {
    b = booking(ag_local_to_utc(D_(2026, 12, 1), mins[i]), CF1, "m.rossi@example.org");
    err_code rc = agenda_book(D, a, &SE, &fx_cli, &b, i == 0 ? &ap : &ap2, i == 0 ? &tok : &tok2, &pb);
    assert_int_equal(rc, i < 3 ? ERR_OK : ERR_BOOKING_LIMIT);
  }
  assert_non_null(tok);
  assert_int_equal(strlen(tok), AG_TOKEN_HEX);
  /* only the hash is stored */
  assert_int_equal(fx_count(D, "SELECT count(*) FROM agenda_appointment WHERE token_hash IS NOT NULL "
                               "AND id = ?", ap.id), 1);
  ag_appt got;
  assert_int_equal(agenda_by_token(D, a, SE.id, tok, &got), ERR_OK);
  assert_int_equal(got.id, ap.id);
  char wrong[AG_TOKEN_HEX + 1];
  memcpy(wrong, tok, sizeof wrong);
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  assert_int_equal(agenda_by_token(D, a, SE.id, wrong, &got), ERR_NOT_FOUND);
  assert_int_equal(agenda_by_token(D, a, SE.id + 1000, tok, &got), ERR_NOT_FOUND);

  /* change: the old seat is freed, the token follows */
  int64_t new_start = ag_local_to_utc(D_(2026, 11, 30), 11 * 60);
  assert_int_equal(agenda_change(D, a, &SE, &fx_cli, tok, SC, 0, new_start, &moved, &pb), ERR_OK);
  assert_int_equal(moved.start, new_start);
  assert_int_equal(agenda_by_token(D, a, SE.id, tok, &got), ERR_OK);
  assert_int_equal(got.id, moved.id);
  ag_appt old;
  assert_int_equal(agenda_get(D, a, SE.id, ap.id, &old), ERR_OK);
  assert_int_equal(old.state, AG_MOVED);
  assert_int_equal(old.moved_to, moved.id);
  /* now the freed 10:00 slot of 1 Dec can be booked, and the limit counts 3 again */
  b = booking(ag_local_to_utc(D_(2026, 12, 1), 10 * 60), CF1, "m.rossi@example.org");
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap2, &tok2, &pb), ERR_BOOKING_LIMIT);
  /* cancel: seat back, second cancel refused */
  assert_int_equal(agenda_cancel(D, a, &SE, &fx_cli, tok), ERR_OK);
  assert_int_equal(agenda_cancel(D, a, &SE, &fx_cli, tok), ERR_APPOINTMENT_CLOSED);
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap2, &tok2, &pb), ERR_OK);
  /* a staff booking for a caller is not limited and may skip the notice */
  b = booking(ag_local_to_utc(D_(2026, 11, 23), 9 * 60), CF1, NULL);
  b.mobile = "333 1234567";
  b.channel = "phone";
  set_now(D_(2026, 11, 23), 8 * 60 + 30);
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap2, NULL, &pb), ERR_OK);
  assert_string_equal(ap2.mobile, "+393331234567");
  /* staff marks attended / no-show */
  assert_int_equal(agenda_mark(D, &fx_cli, SE.id, ap2.id, AG_ATTENDED), ERR_OK);
  assert_int_equal(agenda_get(D, a, SE.id, ap2.id, &got), ERR_OK);
  assert_int_equal(got.state, AG_ATTENDED);
  assert_int_equal(agenda_mark(D, &fx_cli, SE.id, old.id, AG_NO_SHOW), ERR_APPOINTMENT_CLOSED);
  set_now(D_(2026, 11, 23), 8 * 60);
  fx_audit_ok(D);
  arena_free(a);
}

static void test_ics_and_reminder(void **state) {
  slot_setup();
  arena *a = arena_new();
  ag_appt ap;
  char *tok;
  problem pb = {0};
  ag_booking b = booking(ag_local_to_utc(D_(2026, 12, 9), 9 * 60), CF2, "l.verdi@example.org");
  int64_t outbox_before = fx_count(D, "SELECT count(*) FROM outbox WHERE ente_id = ?", SE.id);
  assert_int_equal(agenda_book(D, a, &SE, &fx_cli, &b, &ap, &tok, &pb), ERR_OK);
  /* the confirmation is in the outbox with its invitation */
  assert_int_equal(fx_count(D, "SELECT count(*) FROM outbox WHERE ente_id = ?", SE.id),
                   outbox_before + 1);
  assert_int_equal(fx_count(D,
                            "SELECT count(*) FROM outbox_attachment x JOIN outbox o ON o.id = "
                            "x.outbox_id WHERE o.object_id = ? AND x.mime LIKE 'text/calendar%'",
                            ap.id),
                   1);
  char *ics = agenda_ics(a, &SE, &ap, 0);
  assert_non_null(ics);
  icalcomponent *cal = icalparser_parse_string(ics);
  assert_non_null(cal);
  assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
  assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
  icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  assert_non_null(ev);
  struct icaltimetype st = icalcomponent_get_dtstart(ev);
  assert_int_equal((int64_t)icaltime_as_timet_with_zone(st, icaltimezone_get_utc_timezone()),
                   ap.start);
  struct icaltimetype en = icalcomponent_get_dtend(ev);
  assert_int_equal((int64_t)icaltime_as_timet_with_zone(en, icaltimezone_get_utc_timezone()),
                   ap.end);
  assert_non_null(strstr(icalcomponent_get_summary(ev), "TARI"));
  assert_non_null(icalcomponent_get_uid(ev));
  icalcomponent_free(cal);

  /* the reminder job runs 24 hours before */
  assert_int_equal(fx_count(D, "SELECT run_at FROM job WHERE kind = 'agenda.remind' AND "
                               "payload LIKE '%' || CAST(? AS TEXT) || '}'",
                            ap.id),
                   ap.start - 24 * 3600);
  int64_t mails = fx_count(D, "SELECT count(*) FROM outbox WHERE object_id = ?", ap.id);
  assert_int_equal(agenda_remind(D, a, SE.id, ap.id, ap.start - 24 * 3600), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM outbox WHERE object_id = ? AND subject LIKE "
                               "'Promemoria%'", ap.id),
                   1);
  /* cancelled: no reminder, and the cancellation carries METHOD:CANCEL */
  assert_int_equal(agenda_cancel(D, a, &SE, &fx_cli, tok), ERR_OK);
  assert_int_equal(agenda_remind(D, a, SE.id, ap.id, ap.start - 24 * 3600), ERR_OK);
  assert_int_equal(fx_count(D, "SELECT count(*) FROM outbox WHERE object_id = ?", ap.id), mails + 2);
  char *cics = agenda_ics(a, &SE, &ap, 1);
  icalcomponent *cc = icalparser_parse_string(cics);
  assert_int_equal(icalcomponent_get_method(cc), ICAL_METHOD_CANCEL);
  icalcomponent_free(cc);
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parsers),
      cmocka_unit_test(test_week_check_by_population),
      cmocka_unit_test(test_min_table_import),
      cmocka_unit_test(test_slots),
      cmocka_unit_test(test_32_racers_one_seat),
      cmocka_unit_test(test_capacity_enforced_by_database),
      cmocka_unit_test(test_limit_cancel_change),
      cmocka_unit_test(test_ics_and_reminder),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

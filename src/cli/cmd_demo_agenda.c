/* The front-office part of `sportello demo-data`: counters with opening
 * hours for both demo Enti (Borgo Fittizio above its 4-hour minimum, Valle
 * Immaginaria above 20 hours with two counters), a published closure,
 * topics, bookable agendas (one by video) and a few bookings taken at the
 * counter or on the phone. Dates follow today, so the demo always has a
 * week to book. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "core/clock.h"
#include "domain/agenda/agenda.h"

typedef struct {
  const char *day, *from, *to;
} demo_hours;

static int hours(db *d, arena *a, int64_t ente_id, int64_t counter, const char *valid_from,
                 const demo_hours *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    problem pb = {0};
    err_code rc = agenda_hours_add(d, a, &cmd_cli_actor, ente_id, counter, ag_weekday_parse(h[i].day),
                                   ag_hhmm_parse(h[i].from), ag_hhmm_parse(h[i].to), valid_from, &pb);
    if (rc != ERR_OK) {
      cmd_report("orario dimostrativo non creato", rc, &pb);
      return 1;
    }
  }
  return 0;
}

static int topic_open(db *d, int64_t ente_id, int64_t counter, const char *code, const char *name,
                      int slot, int buffer, int capacity, int video) {
  problem pb = {0};
  arena *a = arena_new();
  ag_topic t;
  err_code rc = agenda_topic_by_code(d, a, ente_id, code, &t);
  if (rc == ERR_NOT_FOUND) rc = agenda_topic_add(d, &cmd_cli_actor, ente_id, code, name, &t.id, &pb);
  ag_avail av = {.counter_id = counter, .topic_id = t.id, .video = video, .slot_minutes = slot,
                 .buffer_minutes = buffer, .capacity = capacity, .horizon_days = 45,
                 .notice_minutes = 60};
  if (rc == ERR_OK) rc = agenda_open(d, &cmd_cli_actor, ente_id, &av, &pb);
  arena_free(a);
  if (rc != ERR_OK) cmd_report("agenda dimostrativa non aperta", rc, &pb);
  return rc != ERR_OK;
}

/* Books the first free slots of next week for a few callers. */
static int bookings(db *d, arena *a, const char *slug, const char *topic, int how_many,
                    const char *const *names, const char *const *cfs) {
  ente e;
  ag_topic t;
  if (ente_by_slug(d, a, slug, &e) != ERR_OK || agenda_topic_by_code(d, a, e.id, topic, &t) != ERR_OK)
    return 1;
  civil_date today = date_today_rome(clock_now());
  civil_date monday = date_add_days(today, 8 - date_weekday(today));
  ag_slot_query q = {t.id, 0, 0, monday, date_add_days(monday, 6), clock_now(), 1};
  ag_slot *s;
  size_t n;
  if (agenda_slots(d, a, &e, &q, &s, &n) != ERR_OK) return 1;
  for (int i = 0, k = 0; i < how_many && k < (int)n; k += 2) {
    ag_booking b = {.topic_id = t.id, .counter_id = s[k].counter_id, .start = s[k].start,
                    .name = names[i], .fiscal_code = cfs[i], .mobile = "+39 333 0000000",
                    .reason = "Chiarimenti sull'avviso ricevuto", .privacy_consent = 1,
                    .channel = i % 2 ? "phone" : "counter"};
    ag_appt ap;
    problem pb = {0};
    err_code rc = agenda_book(d, a, &e, &cmd_cli_actor, &b, &ap, NULL, &pb);
    if (rc != ERR_OK) {
      cmd_report("prenotazione dimostrativa non creata", rc, &pb);
      return 1;
    }
    i++;
  }
  return 0;
}

int demo_agenda(db *d, arena *a) {
  ente borgo, valle;
  if (ente_by_slug(d, a, "borgo-fittizio", &borgo) != ERR_OK ||
      ente_by_slug(d, a, "valle-immaginaria", &valle) != ERR_OK)
    return 1;
  civil_date today = date_today_rome(clock_now());
  char from[11], closed[11];
  date_format_iso(date_add_days(today, 1 - date_weekday(today)), from);
  problem pb = {0};
  int64_t b1, v1, v2;
  if (agenda_counter_add(d, &cmd_cli_actor, borgo.id, "Sportello tributi",
                         "Municipio, piano terra - Piazza Roma 1, Borgo Fittizio", &b1, &pb) != ERR_OK ||
      agenda_counter_add(d, &cmd_cli_actor, valle.id, "Sportello 1",
                         "Palazzo comunale, Via Garibaldi 10, Valle Immaginaria", &v1, &pb) != ERR_OK ||
      agenda_counter_add(d, &cmd_cli_actor, valle.id, "Sportello 2",
                         "Delegazione di Valle Alta, Piazza della Chiesa 2", &v2, &pb) != ERR_OK) {
    cmd_report("sportello dimostrativo non creato", ERR_INVALID, &pb);
    return 1;
  }
  static const demo_hours BORGO[] = {{"tue", "09:00", "12:30"}, {"thu", "14:30", "17:00"}};
  static const demo_hours VALLE1[] = {{"mon", "08:30", "12:30"}, {"tue", "08:30", "12:30"},
                                      {"wed", "08:30", "12:30"}, {"thu", "08:30", "12:30"},
                                      {"fri", "08:30", "12:30"}, {"wed", "14:30", "17:30"}};
  static const demo_hours VALLE2[] = {{"tue", "14:00", "17:00"}, {"thu", "14:00", "17:00"}};
  if (hours(d, a, borgo.id, b1, from, BORGO, 2) || hours(d, a, valle.id, v1, from, VALLE1, 6) ||
      hours(d, a, valle.id, v2, from, VALLE2, 2))
    return 1;
  date_format_iso(date_add_days(today, 15), closed);
  if (agenda_closure_add(d, &cmd_cli_actor, valle.id, v2, closed, closed,
                         "Formazione del personale sul nuovo gestionale", NULL, &pb) != ERR_OK) {
    cmd_report("chiusura dimostrativa non creata", ERR_INVALID, &pb);
    return 1;
  }
  if (topic_open(d, borgo.id, b1, "tari", "TARI - tassa sui rifiuti", 20, 5, 1, 0) ||
      topic_open(d, borgo.id, b1, "imu", "IMU - imposta municipale", 30, 0, 1, 1) ||
      topic_open(d, valle.id, v1, "tari", "TARI - tassa sui rifiuti", 15, 5, 2, 0) ||
      topic_open(d, valle.id, v2, "tari", "TARI - tassa sui rifiuti", 15, 5, 1, 0) ||
      topic_open(d, valle.id, v1, "rateizzazione", "Rateizzazione di avvisi e ingiunzioni", 30, 10,
                 1, 0) ||
      topic_open(d, valle.id, v1, "imu", "IMU - imposta municipale", 30, 0, 1, 1) ||
      /* the online service of the same code books its appointments here */
      topic_open(d, borgo.id, b1, "occupazione_temporanea", "Occupazione temporanea di suolo pubblico", 30, 0,
                 1, 0) ||
      topic_open(d, valle.id, v1, "occupazione_temporanea", "Occupazione temporanea di suolo pubblico", 30, 0,
                 1, 0))
    return 1;
  static const char *const names[] = {"Mario Rossi", "Giulia Bianchi", "Luca Verdi"};
  static const char *const cfs[] = {"RSSMRA80A01H501U", "BNCGLI85M52F205H", "VRDLCU70C10L219C"};
  if (bookings(d, a, "borgo-fittizio", "tari", 2, names, cfs) ||
      bookings(d, a, "valle-immaginaria", "tari", 3, names, cfs))
    return 1;
  return 0;
}

/* SQL of the front office agenda. Every statement names the Ente. */
#include "domain/agenda/agenda_store.h"

#include <string.h>

/* --- counters --- */

static const db_result COUNTER_ROW[] = {F_INT(ag_counter, id),    F_INT(ag_counter, ente_id),
                                        F_DUP(ag_counter, name),  F_DUP(ag_counter, place),
                                        F_I32(ag_counter, active), F_END};
#define COUNTER_COLS "SELECT id, ente_id, name, place, active FROM agenda_counter "

err_code as_counter_insert(db *d, int64_t ente_id, const char *name, const char *place,
                           int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO agenda_counter (ente_id, name, place, active, created_at) "
                   "VALUES (?, ?, ?, 1, ?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_TEXT(name), P_TEXT(place), P_INT(now)), id);
}

err_code as_counter_list(db *d, arena *a, int64_t ente_id, ag_counter **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, COUNTER_COLS "WHERE ente_id = ? ORDER BY id", PARAMS(P_INT(ente_id)),
                 COUNTER_ROW, sizeof(ag_counter), n, &rc);
  return rc;
}

err_code as_counter_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_counter *out) {
  return db_get_into(d, a, COUNTER_COLS "WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)), COUNTER_ROW, out);
}

/* --- hours --- */

static const db_result HOURS_ROW[] = {F_INT(ag_hours, id),        F_INT(ag_hours, counter_id),
                                      F_DUP(ag_hours, valid_from), F_I32(ag_hours, weekday),
                                      F_I32(ag_hours, start_min), F_I32(ag_hours, end_min),
                                      F_END};
#define HOURS_COLS                                                                         \
  "SELECT id, counter_id, valid_from, CAST(weekday AS BIGINT), CAST(start_min AS BIGINT), " \
  "CAST(end_min AS BIGINT) FROM agenda_hours "

err_code as_hours_insert(db *d, int64_t ente_id, const ag_hours *h, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO agenda_hours (ente_id, counter_id, valid_from, weekday, start_min, "
                   "end_min, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_INT(h->counter_id), P_TEXT(h->valid_from),
                          P_INT(h->weekday), P_INT(h->start_min), P_INT(h->end_min), P_INT(now)),
                   id);
}

err_code as_hours_list(db *d, arena *a, int64_t ente_id, int64_t counter_id, ag_hours **out,
                       size_t *n) {
  err_code rc;
  if (counter_id)
    *out = db_list(d, a,
                   HOURS_COLS "WHERE ente_id = ? AND counter_id = ? "
                              "ORDER BY counter_id, valid_from, weekday, start_min",
                   PARAMS(P_INT(ente_id), P_INT(counter_id)), HOURS_ROW, sizeof(ag_hours), n, &rc);
  else
    *out = db_list(d, a,
                   HOURS_COLS "WHERE ente_id = ? ORDER BY counter_id, valid_from, weekday, start_min",
                   PARAMS(P_INT(ente_id)), HOURS_ROW, sizeof(ag_hours), n, &rc);
  return rc;
}

err_code as_hours_latest(db *d, arena *a, int64_t ente_id, int64_t counter_id, char **valid_from) {
  *valid_from = NULL;
  err_code rc = db_get(d, a,
                       "SELECT max(valid_from) FROM agenda_hours WHERE ente_id = ? AND counter_id = ?",
                       PARAMS(P_INT(ente_id), P_INT(counter_id)), RESULTS(R_DUP(valid_from)));
  if (rc == ERR_OK && !*valid_from) return ERR_NOT_FOUND;
  return rc;
}

/* --- closures --- */

static const db_result CLOSURE_ROW[] = {
    F_INT(ag_closure, id),     F_INT(ag_closure, counter_id), F_DUP(ag_closure, from_day),
    F_DUP(ag_closure, to_day), F_DUP(ag_closure, reason),     F_DUP(ag_closure, counter_name),
    F_END};

err_code as_closure_insert(db *d, int64_t ente_id, const ag_closure *c, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO agenda_closure (ente_id, counter_id, from_day, to_day, reason, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_INT_OR_NULL(c->counter_id), P_TEXT(c->from_day),
                          P_TEXT(c->to_day), P_TEXT(c->reason), P_INT(now)),
                   id);
}

err_code as_closure_list(db *d, arena *a, int64_t ente_id, const char *from_day, ag_closure **out,
                         size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT c.id, c.counter_id, c.from_day, c.to_day, c.reason, k.name "
                 "FROM agenda_closure c LEFT JOIN agenda_counter k ON k.id = c.counter_id "
                 "WHERE c.ente_id = ? AND c.to_day >= ? ORDER BY c.from_day, c.id",
                 PARAMS(P_INT(ente_id), P_TEXT(from_day ? from_day : "")), CLOSURE_ROW,
                 sizeof(ag_closure), n, &rc);
  return rc;
}

/* --- minimum hours --- */

static const db_result MIN_ROW[] = {F_INT(ag_min_row, pop_from), F_INT(ag_min_row, pop_to),
                                    F_INT(ag_min_row, min_minutes), F_DUP(ag_min_row, source),
                                    F_DUP(ag_min_row, note), F_END};

err_code as_min_list(db *d, arena *a, ag_min_row **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT pop_from, pop_to, min_minutes, source, note FROM agenda_min_hours "
                 "ORDER BY pop_from",
                 NULL, MIN_ROW, sizeof(ag_min_row), n, &rc);
  return rc;
}

err_code as_min_clear(db *d) { return db_exec(d, "DELETE FROM agenda_min_hours", NULL, NULL); }

err_code as_min_insert(db *d, const ag_min_row *r) {
  return db_exec(d,
                 "INSERT INTO agenda_min_hours (pop_from, pop_to, min_minutes, source, note) "
                 "VALUES (?, ?, ?, ?, ?)",
                 PARAMS(P_INT(r->pop_from), P_INT_OR_NULL(r->pop_to), P_INT(r->min_minutes),
                        P_TEXT(r->source), P_TEXT(r->note)),
                 NULL);
}

/* --- topics --- */

static const db_result TOPIC_ROW[] = {F_INT(ag_topic, id), F_DUP(ag_topic, code),
                                      F_DUP(ag_topic, name), F_END};

err_code as_topic_insert(db *d, int64_t ente_id, const char *code, const char *name, int64_t now,
                         int64_t *id) {
  return db_insert(d,
                   "INSERT INTO agenda_topic (ente_id, code, name, created_at) VALUES (?, ?, ?, ?) "
                   "RETURNING id",
                   PARAMS(P_INT(ente_id), P_TEXT(code), P_TEXT(name), P_INT(now)), id);
}

err_code as_topic_list(db *d, arena *a, int64_t ente_id, ag_topic **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT id, code, name FROM agenda_topic WHERE ente_id = ? ORDER BY name",
                 PARAMS(P_INT(ente_id)), TOPIC_ROW, sizeof(ag_topic), n, &rc);
  return rc;
}

err_code as_topic_by_code(db *d, arena *a, int64_t ente_id, const char *code, ag_topic *out) {
  return db_get_into(d, a, "SELECT id, code, name FROM agenda_topic WHERE ente_id = ? AND code = ?",
                     PARAMS(P_INT(ente_id), P_TEXT(code)), TOPIC_ROW, out);
}

/* --- availability --- */

static const db_result AVAIL_ROW[] = {
    F_INT(ag_avail, id),           F_INT(ag_avail, counter_id),     F_INT(ag_avail, topic_id),
    F_I32(ag_avail, video),        F_I32(ag_avail, slot_minutes),   F_I32(ag_avail, buffer_minutes),
    F_I32(ag_avail, capacity),     F_I32(ag_avail, horizon_days),   F_I32(ag_avail, notice_minutes),
    F_I32(ag_avail, active),       F_DUP(ag_avail, counter_name),   F_DUP(ag_avail, place),
    F_DUP(ag_avail, topic_code),   F_DUP(ag_avail, topic_name),     F_END};
#define AVAIL_COLS                                                                              \
  "SELECT v.id, v.counter_id, v.topic_id, CAST(v.video AS BIGINT), "                            \
  "CAST(v.slot_minutes AS BIGINT), CAST(v.buffer_minutes AS BIGINT), "                          \
  "CAST(v.capacity AS BIGINT), CAST(v.horizon_days AS BIGINT), "                                \
  "CAST(v.notice_minutes AS BIGINT), CAST(v.active AS BIGINT), k.name, k.place, t.code, t.name " \
  "FROM agenda_availability v JOIN agenda_counter k ON k.id = v.counter_id "                    \
  "JOIN agenda_topic t ON t.id = v.topic_id "

err_code as_avail_upsert(db *d, int64_t ente_id, const ag_avail *av, int64_t now, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO agenda_availability (ente_id, counter_id, topic_id, video, slot_minutes, "
      "buffer_minutes, capacity, horizon_days, notice_minutes, active, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (counter_id, topic_id, video) "
      "DO UPDATE SET slot_minutes = excluded.slot_minutes, buffer_minutes = "
      "excluded.buffer_minutes, capacity = excluded.capacity, horizon_days = "
      "excluded.horizon_days, notice_minutes = excluded.notice_minutes, active = 1, "
      "updated_at = excluded.updated_at RETURNING id",
      PARAMS(P_INT(ente_id), P_INT(av->counter_id), P_INT(av->topic_id), P_INT(av->video),
             P_INT(av->slot_minutes), P_INT(av->buffer_minutes), P_INT(av->capacity),
             P_INT(av->horizon_days), P_INT(av->notice_minutes), P_INT(now), P_INT(now)),
      id);
}

err_code as_avail_list(db *d, arena *a, int64_t ente_id, int64_t topic_id, ag_avail **out,
                       size_t *n) {
  err_code rc;
  if (topic_id)
    *out = db_list(d, a,
                   AVAIL_COLS "WHERE v.ente_id = ? AND v.topic_id = ? AND v.active = 1 "
                              "ORDER BY v.counter_id, v.video",
                   PARAMS(P_INT(ente_id), P_INT(topic_id)), AVAIL_ROW, sizeof(ag_avail), n, &rc);
  else
    *out = db_list(d, a,
                   AVAIL_COLS "WHERE v.ente_id = ? AND v.active = 1 "
                              "ORDER BY t.name, v.counter_id, v.video",
                   PARAMS(P_INT(ente_id)), AVAIL_ROW, sizeof(ag_avail), n, &rc);
  return rc;
}

err_code as_avail_find(db *d, arena *a, int64_t ente_id, int64_t counter_id, int64_t topic_id,
                       int video, ag_avail *out) {
  return db_get_into(d, a,
                     AVAIL_COLS "WHERE v.ente_id = ? AND v.counter_id = ? AND v.topic_id = ? "
                                "AND v.video = ? AND v.active = 1",
                     PARAMS(P_INT(ente_id), P_INT(counter_id), P_INT(topic_id), P_INT(video)),
                     AVAIL_ROW, out);
}

/* --- appointments --- */

static const db_result TAKEN_ROW[] = {F_INT(as_taken, availability_id), F_INT(as_taken, start),
                                      F_INT(as_taken, taken), F_END};

err_code as_taken_list(db *d, arena *a, int64_t ente_id, int64_t topic_id, int64_t from,
                       int64_t to, as_taken **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT availability_id, start_at, count(*) FROM agenda_appointment "
                 "WHERE ente_id = ? AND topic_id = ? AND start_at >= ? AND start_at < ? "
                 "AND seat IS NOT NULL GROUP BY availability_id, start_at "
                 "ORDER BY start_at, availability_id",
                 PARAMS(P_INT(ente_id), P_INT(topic_id), P_INT(from), P_INT(to)), TAKEN_ROW,
                 sizeof(as_taken), n, &rc);
  return rc;
}

err_code as_slot_seats(db *d, arena *a, int64_t ente_id, int64_t availability_id, int64_t start,
                       int64_t **seats, size_t *n) {
  err_code rc;
  static const db_result SEAT_ROW[] = {F_SELF_INT, F_END};
  *seats = db_list(d, a,
                   "SELECT CAST(seat AS BIGINT) FROM agenda_appointment WHERE ente_id = ? AND "
                   "availability_id = ? AND start_at = ? AND seat IS NOT NULL ORDER BY seat",
                   PARAMS(P_INT(ente_id), P_INT(availability_id), P_INT(start)), SEAT_ROW,
                   sizeof(int64_t), n, &rc);
  return rc;
}

err_code as_appt_insert_seat(db *d, const ag_appt *ap, int seat, const char *token_hash,
                             const char *room_hash, int64_t now, int64_t *id) {
  /* The capacity comes from the availability row itself, so the CHECK
   * (seat <= capacity) holds against the current rules. DO NOTHING on the
   * seat's key only: a seat taken by a concurrent booking (committed
   * meanwhile) gives no row instead of an error, and the caller tries the
   * next seat (db_get: no row is ERR_NOT_FOUND). */
  return db_get(
      d, NULL,
      "INSERT INTO agenda_appointment (ente_id, availability_id, counter_id, topic_id, start_at, "
      "end_at, seat, capacity, state, video, room_hash, name, fiscal_code, email, mobile, "
      "sms_consent, reason, channel, token_hash, created_at, updated_at) "
      "SELECT ?, v.id, v.counter_id, v.topic_id, ?, ?, ?, v.capacity, 'booked', v.video, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ? FROM agenda_availability v WHERE v.id = ? AND v.ente_id = ? "
      "ON CONFLICT (availability_id, start_at, seat) DO NOTHING RETURNING id",
      PARAMS(P_INT(ap->ente_id), P_INT(ap->start), P_INT(ap->end), P_INT(seat),
             P_TEXT(room_hash), P_TEXT(ap->name), P_TEXT(ap->fiscal_code), P_TEXT(ap->email),
             P_TEXT(ap->mobile), P_INT(ap->sms_consent), P_TEXT(ap->reason), P_TEXT(ap->channel),
             P_TEXT(token_hash), P_INT(now), P_INT(now), P_INT(ap->availability_id),
             P_INT(ap->ente_id)),
      RESULTS(R_INT(id)));
}

err_code as_citizen_touch(db *d, int64_t ente_id, const char *fiscal_code, int64_t now) {
  return db_exec(d,
                 "INSERT INTO agenda_citizen (ente_id, fiscal_code, last_booking_at) "
                 "VALUES (?, ?, ?) ON CONFLICT (ente_id, fiscal_code) "
                 "DO UPDATE SET last_booking_at = excluded.last_booking_at",
                 PARAMS(P_INT(ente_id), P_TEXT(fiscal_code), P_INT(now)), NULL);
}

err_code as_active_count(db *d, int64_t ente_id, const char *fiscal_code, int64_t now, int64_t *n) {
  return db_get(d, NULL,
                "SELECT count(*) FROM agenda_appointment WHERE ente_id = ? AND fiscal_code = ? "
                "AND state = 'booked' AND end_at > ?",
                PARAMS(P_INT(ente_id), P_TEXT(fiscal_code), P_INT(now)), RESULTS(R_INT(n)));
}

static void read_state(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  int s = ag_state_parse(db_col_text(st, col));
  *(ag_state *)dst = s < 0 ? AG_CANCELLED : (ag_state)s;
}

static const db_result APPT_ROW[] = {
    F_INT(ag_appt, id),          F_INT(ag_appt, ente_id),      F_INT(ag_appt, availability_id),
    F_INT(ag_appt, counter_id),  F_INT(ag_appt, topic_id),     F_INT(ag_appt, start),
    F_INT(ag_appt, end),         F_I32(ag_appt, seat),         F_I32(ag_appt, capacity),
    F_FN(ag_appt, state, read_state),                          F_I32(ag_appt, video),
    F_DUP(ag_appt, room_id),     F_DUP(ag_appt, name),         F_DUP(ag_appt, fiscal_code),
    F_DUP(ag_appt, email),       F_DUP(ag_appt, mobile),       F_I32(ag_appt, sms_consent),
    F_DUP(ag_appt, reason),      F_DUP(ag_appt, channel),      F_INT(ag_appt, moved_to),
    F_INT(ag_appt, created_at),  F_DUP(ag_appt, counter_name), F_DUP(ag_appt, place),
    F_DUP(ag_appt, topic_code),  F_DUP(ag_appt, topic_name),   F_END};
#define APPT_COLS                                                                               \
  "SELECT p.id, p.ente_id, p.availability_id, p.counter_id, p.topic_id, p.start_at, p.end_at, " \
  "CAST(COALESCE(p.seat, 0) AS BIGINT), CAST(p.capacity AS BIGINT), p.state, "                  \
  "CAST(p.video AS BIGINT), p.room_id, p.name, p.fiscal_code, p.email, p.mobile, "              \
  "CAST(p.sms_consent AS BIGINT), p.reason, p.channel, COALESCE(p.moved_to, 0), p.created_at, " \
  "k.name, k.place, t.code, t.name FROM agenda_appointment p "                                  \
  "JOIN agenda_counter k ON k.id = p.counter_id JOIN agenda_topic t ON t.id = p.topic_id "

err_code as_appt_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_appt *out) {
  return db_get_into(d, a, APPT_COLS "WHERE p.ente_id = ? AND p.id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)), APPT_ROW, out);
}

err_code as_appt_by_token(db *d, arena *a, int64_t ente_id, const char *token_hash, ag_appt *out) {
  return db_get_into(d, a, APPT_COLS "WHERE p.ente_id = ? AND p.token_hash = ?",
                     PARAMS(P_INT(ente_id), P_TEXT(token_hash)), APPT_ROW, out);
}

err_code as_appt_release(db *d, int64_t ente_id, int64_t id, const char *state, int64_t moved_to,
                         int64_t now) {
  if (strcmp(state, "moved") == 0)
    return db_exec_one(d,
                       "UPDATE agenda_appointment SET state = 'moved', seat = NULL, "
                       "token_hash = NULL, moved_to = ?, updated_at = ? "
                       "WHERE ente_id = ? AND id = ? AND state = 'booked'",
                       PARAMS(P_INT(moved_to), P_INT(now), P_INT(ente_id), P_INT(id)));
  return db_exec_one(d,
                     "UPDATE agenda_appointment SET state = 'cancelled', seat = NULL, "
                     "updated_at = ? WHERE ente_id = ? AND id = ? AND state = 'booked'",
                     PARAMS(P_INT(now), P_INT(ente_id), P_INT(id)));
}

err_code as_appt_set_token(db *d, int64_t ente_id, int64_t id, const char *token_hash) {
  return db_exec_one(d, "UPDATE agenda_appointment SET token_hash = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_TEXT(token_hash), P_INT(ente_id), P_INT(id)));
}

err_code as_appt_mark(db *d, int64_t ente_id, int64_t id, const char *state, int64_t now) {
  return db_exec_one(d,
                     "UPDATE agenda_appointment SET state = ?, updated_at = ? WHERE ente_id = ? "
                     "AND id = ? AND state IN ('booked', 'attended', 'no_show')",
                     PARAMS(P_TEXT(state), P_INT(now), P_INT(ente_id), P_INT(id)));
}

err_code as_appt_range(db *d, arena *a, int64_t ente_id, int64_t counter_id, int64_t from,
                       int64_t to, ag_appt **out, size_t *n) {
  err_code rc;
  if (counter_id)
    *out = db_list(d, a,
                   APPT_COLS "WHERE p.ente_id = ? AND p.counter_id = ? AND p.start_at >= ? AND "
                             "p.start_at < ? AND p.seat IS NOT NULL ORDER BY p.start_at, p.id",
                   PARAMS(P_INT(ente_id), P_INT(counter_id), P_INT(from), P_INT(to)), APPT_ROW,
                   sizeof(ag_appt), n, &rc);
  else
    *out = db_list(d, a,
                   APPT_COLS "WHERE p.ente_id = ? AND p.start_at >= ? AND p.start_at < ? AND "
                             "p.seat IS NOT NULL ORDER BY p.start_at, p.id",
                   PARAMS(P_INT(ente_id), P_INT(from), P_INT(to)), APPT_ROW, sizeof(ag_appt), n,
                   &rc);
  return rc;
}

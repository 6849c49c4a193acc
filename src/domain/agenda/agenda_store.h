/* SQL of the front office agenda (private to src/domain/agenda). Every
 * statement names the Ente. */
#ifndef SP_AGENDA_STORE_H
#define SP_AGENDA_STORE_H
#include "domain/agenda/agenda.h"

err_code as_counter_insert(db *d, int64_t ente_id, const char *name, const char *place,
                           int64_t now, int64_t *id);
err_code as_counter_list(db *d, arena *a, int64_t ente_id, ag_counter **out, size_t *n);
err_code as_counter_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_counter *out);

err_code as_hours_insert(db *d, int64_t ente_id, const ag_hours *h, int64_t now, int64_t *id);
err_code as_hours_list(db *d, arena *a, int64_t ente_id, int64_t counter_id, ag_hours **out,
                       size_t *n);
/* The latest valid_from of the counter's timetables; ERR_NOT_FOUND if none. */
err_code as_hours_latest(db *d, arena *a, int64_t ente_id, int64_t counter_id, char **valid_from);

err_code as_closure_insert(db *d, int64_t ente_id, const ag_closure *c, int64_t now, int64_t *id);
err_code as_closure_list(db *d, arena *a, int64_t ente_id, const char *from_day, ag_closure **out,
                         size_t *n);

err_code as_min_list(db *d, arena *a, ag_min_row **out, size_t *n);
err_code as_min_clear(db *d);
err_code as_min_insert(db *d, const ag_min_row *r);

err_code as_topic_insert(db *d, int64_t ente_id, const char *code, const char *name, int64_t now,
                         int64_t *id);
err_code as_topic_list(db *d, arena *a, int64_t ente_id, ag_topic **out, size_t *n);
err_code as_topic_by_code(db *d, arena *a, int64_t ente_id, const char *code, ag_topic *out);

err_code as_avail_upsert(db *d, int64_t ente_id, const ag_avail *av, int64_t now, int64_t *id);
err_code as_avail_list(db *d, arena *a, int64_t ente_id, int64_t topic_id, ag_avail **out,
                       size_t *n);
err_code as_avail_find(db *d, arena *a, int64_t ente_id, int64_t counter_id, int64_t topic_id,
                       int video, ag_avail *out);

/* Seats taken per (availability, start) of a topic in [from, to). */
typedef struct {
  int64_t availability_id, start;
  int64_t taken;
} as_taken;
err_code as_taken_list(db *d, arena *a, int64_t ente_id, int64_t topic_id, int64_t from,
                       int64_t to, as_taken **out, size_t *n);
/* Seat numbers taken in one slot. */
err_code as_slot_seats(db *d, arena *a, int64_t ente_id, int64_t availability_id, int64_t start,
                       int64_t **seats, size_t *n);
/* Takes seat `seat` of the slot for the appointment ap (ap->seat ignored;
 * capacity copied from the availability): ERR_OK with *id, ERR_NOT_FOUND
 * when the seat is already taken. */
err_code as_appt_insert_seat(db *d, const ag_appt *ap, int seat, const char *token_hash,
                             const char *room_hash, int64_t now, int64_t *id);
/* Marks that fiscal_code is booking now (locks its row until commit). */
err_code as_citizen_touch(db *d, int64_t ente_id, const char *fiscal_code, int64_t now);
err_code as_active_count(db *d, int64_t ente_id, const char *fiscal_code, int64_t now, int64_t *n);

err_code as_appt_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_appt *out);
err_code as_appt_by_token(db *d, arena *a, int64_t ente_id, const char *token_hash, ag_appt *out);
/* Booked -> cancelled or moved (seat given back; moved: token moves too). */
err_code as_appt_release(db *d, int64_t ente_id, int64_t id, const char *state, int64_t moved_to,
                         int64_t now);
err_code as_appt_set_token(db *d, int64_t ente_id, int64_t id, const char *token_hash);
err_code as_appt_mark(db *d, int64_t ente_id, int64_t id, const char *state, int64_t now);
err_code as_appt_range(db *d, arena *a, int64_t ente_id, int64_t counter_id, int64_t from,
                       int64_t to, ag_appt **out, size_t *n);

#endif

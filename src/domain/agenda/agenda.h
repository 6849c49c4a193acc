/* The front office (C6): counters (sportelli) of an Ente with their weekly
 * opening hours and closures, the check of the hours offered in a week
 * against the minimum for the Ente's population, topics, the availability
 * that makes a counter's hours bookable for a topic, and appointments.
 *
 * Slots are computed, never stored: opening hours of the day (the
 * timetable valid on it) minus closures minus holidays (national and the
 * Ente's patron day), cut into slot_minutes with buffer_minutes between
 * them, within the booking horizon and after the minimum notice. A booking
 * takes a numbered seat of its slot; the database refuses a second booking
 * of the same seat and any seat above the capacity, so a slot can never be
 * overbooked whatever the concurrency (see migration 0011).
 *
 * Times: instants are Unix seconds UTC; opening hours are minutes from the
 * local midnight in Europe/Rome (core/date.h has the offset rules). */
#ifndef SP_AGENDA_H
#define SP_AGENDA_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/ente/ente.h"

enum {
  AG_MAX_NAME = 100,      /* counter, topic names (characters) */
  AG_MAX_PLACE = 300,
  AG_MAX_REASON = 500,    /* closure reason, booking reason */
  AG_MAX_PERSON = 150,    /* the booking person's name */
  AG_MAX_RANGE_DAYS = 62, /* one slot query */
  AG_TOKEN_HEX = 64,      /* cancel/change token: 32 random bytes */
  AG_ROOM_HEX = 32,       /* video room id: 16 random bytes (128 bits) */
};

typedef struct {
  int64_t id, ente_id;
  char *name, *place;
  int active;
} ag_counter;

typedef struct {
  int64_t id, counter_id;
  char *valid_from; /* YYYY-MM-DD */
  int weekday;      /* 1 = Monday .. 6 = Saturday */
  int start_min, end_min;
} ag_hours;

typedef struct {
  int64_t id, counter_id; /* 0: every counter of the Ente */
  char *from_day, *to_day, *reason;
  char *counter_name;     /* filled by lists; NULL for the whole Ente */
} ag_closure;

typedef struct {
  int64_t id;
  char *code, *name;
} ag_topic;

typedef struct {
  int64_t id, counter_id, topic_id;
  int video;
  int slot_minutes, buffer_minutes, capacity, horizon_days, notice_minutes;
  int active;
  char *counter_name, *place, *topic_code, *topic_name; /* filled by lists */
} ag_avail;

typedef struct {
  int64_t availability_id, counter_id;
  int64_t start, end;  /* UTC */
  int capacity, booked, available;
  int video;
} ag_slot;

typedef enum { AG_BOOKED = 0, AG_CANCELLED, AG_MOVED, AG_ATTENDED, AG_NO_SHOW } ag_state;

typedef struct {
  int64_t id, ente_id, availability_id, counter_id, topic_id;
  int64_t start, end;
  int seat, capacity;
  ag_state state;
  int video;
  char *room_id; /* video: the room id (32 hex digits), set by agenda_book and agenda_change
                  * only; the database keeps its SHA-256 (migration 0017) */
  char *name, *fiscal_code, *email, *mobile;
  int sms_consent;
  char *reason, *channel;
  int64_t moved_to, created_at;
  char *counter_name, *place, *topic_code, *topic_name; /* filled by reads */
} ag_appt;

/* "booked", "cancelled", ...; -1 for an unknown name. */
const char *ag_state_name(ag_state s);
const char *ag_state_label_it(ag_state s);
int ag_state_parse(const char *s);

/* --- counters, hours, closures (counters.c) --- */

/* "mon".."sat" (also Italian "lun".."sab") -> 1..6; 0 if unknown. */
int ag_weekday_parse(const char *s);
const char *ag_weekday_it(int weekday); /* "lunedì" ... "domenica" */
/* "HH:MM" -> minutes (0..1440, "24:00" allowed); -1 if malformed. */
int ag_hhmm_parse(const char *s);
void ag_hhmm_format(int minutes, char out[6]);
/* "YYYY-Www" -> the Monday of that ISO week; -1 if malformed. */
int ag_iso_week_parse(const char *s, civil_date *monday);
/* The ISO week of d as "YYYY-Www". */
void ag_iso_week_format(civil_date d, char out[9]);
/* The Ente's working-day calendar (national holidays + patron day). */
void ag_calendar(const ente *e, work_calendar *c);

err_code agenda_counter_add(db *d, const actor *who, int64_t ente_id, const char *name,
                            const char *place, int64_t *id, problem *pb);
err_code agenda_counter_list(db *d, arena *a, int64_t ente_id, ag_counter **out, size_t *n);
err_code agenda_counter_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_counter *out);
/* Adds an interval to the counter's timetable valid from valid_from (NULL:
 * the counter's latest timetable, or today for the first one). Refuses an
 * interval overlapping another of the same day and timetable. */
err_code agenda_hours_add(db *d, arena *a, const actor *who, int64_t ente_id, int64_t counter_id,
                          int weekday, int start_min, int end_min, const char *valid_from,
                          problem *pb);
/* Every interval of the Ente's counters (counter_id 0) or of one. */
err_code agenda_hours_list(db *d, arena *a, int64_t ente_id, int64_t counter_id, ag_hours **out,
                           size_t *n);
/* The intervals of the timetable valid on day, of one counter, by start. */
size_t ag_hours_on(const ag_hours *all, size_t n, int64_t counter_id, civil_date day,
                   const ag_hours **out, size_t max);
/* counter_id 0 closes every counter of the Ente. */
err_code agenda_closure_add(db *d, const actor *who, int64_t ente_id, int64_t counter_id,
                            const char *from_day, const char *to_day, const char *reason,
                            int64_t *id, problem *pb);
/* Closures ending on or after from_day (NULL: all), by start. */
err_code agenda_closure_list(db *d, arena *a, int64_t ente_id, const char *from_day,
                             ag_closure **out, size_t *n);
/* The closure covering day for the counter (or the whole Ente), or NULL. */
const ag_closure *ag_closed_on(const ag_closure *all, size_t n, int64_t counter_id, civil_date day);

/* --- minimum weekly hours and the week check (counters.c, check.c) --- */

typedef struct {
  int64_t pop_from, pop_to; /* pop_to 0: no upper bound */
  int64_t min_minutes;
  char *source, *note;
} ag_min_row;

err_code agenda_min_list(db *d, arena *a, ag_min_row **out, size_t *n);
/* Replaces the table with rows (validated: ascending, contiguous from 0,
 * only the last open-ended), with an audit row. */
err_code agenda_min_replace(db *d, const actor *who, const ag_min_row *rows, size_t n,
                            problem *pb);
/* Parses the CSV of ../shared/data/sportelli_orari_minimi.csv
 * (population_from_inclusive,population_to_exclusive,
 * min_opening_hours_per_week[,source,note]). */
err_code ag_min_parse_csv(arena *a, const char *text, ag_min_row **out, size_t *n, problem *pb);

typedef struct {
  civil_date day;
  int minutes;           /* union of the open intervals of every counter */
  int afternoon;         /* some counter open after 14:00 */
  const char *holiday;   /* Italian name, or NULL */
  const char *closure;   /* a closure's reason when every counter is closed */
} ag_day_hours;

typedef struct {
  char week[9];          /* YYYY-Www */
  civil_date monday;
  ag_day_hours days[7];
  int64_t offered_minutes, min_minutes;
  int64_t population;
  int afternoon;         /* afternoon openings exist in the week */
  int64_t shortfall_minutes;
  int ok;                /* offered >= minimum and afternoon openings */
  /* per counter: its minutes in the week */
  ag_counter *counters;
  int64_t *counter_minutes;
  size_t n_counters;
} ag_week_report;

/* The hours the Ente's counters offer in the ISO week starting monday
 * (holidays and closures removed) against the minimum of its population. */
err_code agenda_week_check(db *d, arena *a, const ente *e, civil_date monday, ag_week_report *r);

/* --- topics, availability, slots (slots.c) --- */

err_code agenda_topic_add(db *d, const actor *who, int64_t ente_id, const char *code,
                          const char *name, int64_t *id, problem *pb);
err_code agenda_topic_list(db *d, arena *a, int64_t ente_id, ag_topic **out, size_t *n);
err_code agenda_topic_by_code(db *d, arena *a, int64_t ente_id, const char *code, ag_topic *out);
/* Makes the counter's opening hours bookable for the topic (creates or
 * updates the availability of (counter, topic, video)). */
err_code agenda_open(db *d, const actor *who, int64_t ente_id, ag_avail *in, problem *pb);
/* Availabilities of the Ente (topic_id 0: every topic), active only. */
err_code agenda_avail_list(db *d, arena *a, int64_t ente_id, int64_t topic_id, ag_avail **out,
                           size_t *n);

/* The local (Europe/Rome) wall time day + minutes as a UTC instant. */
int64_t ag_local_to_utc(civil_date day, int minutes);
/* "YYYY-MM-DDTHH:MM:SS" (local, no offset) <-> UTC instant. */
int ag_local_iso_parse(const char *s, int64_t *utc);
void ag_local_iso_format(int64_t utc, char out[20]);

/* Slot starts of one availability on one day (pure): the day's intervals
 * cut into slots with buffers. Returns how many were written (max). */
size_t ag_day_slot_starts(const ag_avail *av, const ag_hours *const *iv, size_t n_iv, civil_date day,
                          int64_t *starts, size_t max);

typedef struct {
  int64_t topic_id;   /* required */
  int64_t counter_id; /* 0: every counter */
  int video;          /* -1 any, 0 at the counter, 1 by video */
  civil_date from, to;
  int64_t now;
  int staff;          /* staff booking: no minimum notice, horizon doubled */
} ag_slot_query;

/* Free and full slots of the query, by start then counter; full slots
 * have available 0. ERR_INVALID for a range over AG_MAX_RANGE_DAYS. */
err_code agenda_slots(db *d, arena *a, const ente *e, const ag_slot_query *q, ag_slot **out,
                      size_t *n);

/* --- bookings (booking.c) --- */

typedef struct {
  int64_t topic_id, counter_id;
  int video;
  int64_t start;         /* UTC */
  const char *name, *fiscal_code, *email, *mobile, *reason;
  int sms_consent, privacy_consent;
  const char *channel;   /* web, api, counter, phone */
} ag_booking;

/* Books the slot: validates the person (name, codice fiscale, e-mail
 * and/or mobile, reason, consent), checks the start is a bookable slot,
 * the fiscal code's active bookings (config agenda.max_active_per_fiscal_code),
 * takes a free seat (database-enforced), writes the audit row, the reminder
 * job and the confirmation through the outbox, all in one transaction.
 * *token gets the cancel/change token (shown once; only its hash is
 * stored). ERR_INVALID (field in *pb; "start" when it is not a slot of
 * the agenda), ERR_SLOT_FULL, ERR_BOOKING_LIMIT. */
err_code agenda_book(db *d, arena *a, const ente *e, const actor *who, const ag_booking *in,
                     ag_appt *out, char **token, problem *pb);
/* The appointment of a token (any state). ERR_NOT_FOUND. */
err_code agenda_by_token(db *d, arena *a, int64_t ente_id, const char *token, ag_appt *out);
err_code agenda_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_appt *out);
/* Cancels a booked appointment by its token (seat given back, audit,
 * cancellation mail). ERR_NOT_FOUND, ERR_APPOINTMENT_CLOSED. */
err_code agenda_cancel(db *d, arena *a, const ente *e, const actor *who, const char *token);
/* The same by the appointment's id, for the office and other areas (an
 * online service's application that is rejected). */
err_code agenda_cancel_id(db *d, arena *a, const ente *e, const actor *who, int64_t id);
/* Moves a booked appointment to another slot of the same topic: the new
 * appointment takes a seat and the token, the old one gives its seat back,
 * in one transaction. */
err_code agenda_change(db *d, arena *a, const ente *e, const actor *who, const char *token,
                       int64_t counter_id, int video, int64_t start, ag_appt *out, problem *pb);
/* Staff: attended / no-show of a booked (or already marked) appointment. */
err_code agenda_mark(db *d, const actor *who, int64_t ente_id, int64_t id, ag_state state);
/* Appointments starting in [from, to) (booked, attended, no-show), by
 * start; counter_id 0: every counter. */
err_code agenda_appts(db *d, arena *a, int64_t ente_id, int64_t counter_id, int64_t from,
                      int64_t to, ag_appt **out, size_t *n);

/* --- messages (messages.c) --- */

/* The iCalendar invitation (METHOD:REQUEST, or CANCEL when cancelled) of
 * an appointment, built with libical. NULL on failure. */
char *agenda_ics(arena *a, const ente *e, const ag_appt *ap, int cancel);
/* Sends the reminder of appointment id if it is still booked and ahead
 * (job agenda.remind); ERR_OK also when there is nothing to send. */
err_code agenda_remind(db *d, arena *a, int64_t ente_id, int64_t id, int64_t now);

#define AGENDA_REMIND_JOB "agenda.remind"

#endif

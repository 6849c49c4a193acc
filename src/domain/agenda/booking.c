/* Bookings: validation of the person, the check that the start is a slot
 * of the agenda, the limit of active bookings per fiscal code, and the
 * seat taken in the database (never count-then-insert: each free seat
 * number is tried with an INSERT that the UNIQUE (availability, start,
 * seat) key and the CHECK (seat <= capacity) decide). Cancel and change
 * by the token of the confirmation link, attended / no-show by staff. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/agenda/agenda.h"
#include "domain/agenda/agenda_internal.h"
#include "domain/agenda/agenda_store.h"
#include "domain/jobs/jobs.h"

static err_code bad(problem *pb, const char *field, const char *msg) {
  if (pb) *pb = (problem){ERR_INVALID, field, msg};
  return ERR_INVALID;
}

static void rand_hex(char *out, size_t bytes) {
  unsigned char buf[32];
  randombytes_buf(buf, bytes);
  sodium_bin2hex(out, bytes * 2 + 1, buf, bytes);
}

static void token_hash(const char *token, char out[65]) {
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(md, (const unsigned char *)token, strlen(token));
  sodium_bin2hex(out, 65, md, sizeof md);
}

static int token_ok(const char *t) {
  if (!t || strlen(t) != AG_TOKEN_HEX) return 0;
  for (const char *p = t; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

static const char *const CHANNELS[] = {"web", "api", "counter", "phone", NULL};

static int is_staff_channel(const char *c) {
  return strcmp(c, "counter") == 0 || strcmp(c, "phone") == 0;
}

/* Checks and normalises the person's data into ap. */
static err_code validate_person(arena *a, const ag_booking *in, ag_appt *ap, problem *pb) {
  int ok_channel = 0;
  for (int i = 0; in->channel && CHANNELS[i]; i++) ok_channel |= strcmp(in->channel, CHANNELS[i]) == 0;
  if (!ok_channel) return bad(pb, "channel", "Canale di prenotazione non valido.");
  ap->channel = (char *)in->channel;
  ap->name = text_trim_dup(a, in->name);
  if (!ap->name) return bad(pb, "name", "Indica nome e cognome.");
  if (text_utf8_len(ap->name) > AG_MAX_PERSON)
    return bad(pb, "name", "Nome e cognome sono troppo lunghi (massimo 150 caratteri).");
  char *cf = text_trim_dup(a, in->fiscal_code);
  if (!cf) return bad(pb, "fiscal_code", "Indica il codice fiscale.");
  normalize_code(cf);
  const char *why = strlen(cf) > 16 ? "Il codice fiscale ha 16 caratteri (11 cifre per un'impresa)."
                                    : validate_fiscal_code_any(cf);
  if (why) return bad(pb, "fiscal_code", why);
  ap->fiscal_code = cf;
  ap->email = text_trim_dup(a, in->email);
  if (ap->email && (strlen(ap->email) > 254 || validate_email(ap->email)))
    return bad(pb, "email", "Indirizzo e-mail non valido.");
  char *mobile = text_trim_dup(a, in->mobile);
  if (mobile) {
    char e164[16];
    if (strlen(mobile) > 30 || mobile_normalize(mobile, e164) != 0)
      return bad(pb, "mobile", "Numero di cellulare non valido (es. 333 1234567).");
    ap->mobile = arena_strdup(a, e164);
  }
  if (!ap->email && !ap->mobile)
    return bad(pb, "email", "Indica un indirizzo e-mail o un numero di cellulare per la conferma.");
  ap->sms_consent = ap->mobile && in->sms_consent ? 1 : 0;
  ap->reason = text_trim_dup(a, in->reason);
  if (ap->reason && text_utf8_len(ap->reason) > AG_MAX_REASON)
    return bad(pb, "reason", "Il motivo è troppo lungo (massimo 500 caratteri).");
  if (!in->privacy_consent)
    return bad(pb, "privacy_consent", "Per prenotare occorre prendere visione dell'informativa sulla privacy.");
  return ERR_OK;
}

/* The slot of (availability, start) as the agenda offers it to this
 * channel now: ERR_OK with *slot, ERR_INVALID naming "start" otherwise. */
static err_code find_slot(db *d, arena *a, const ente *e, const ag_avail *av, int64_t start,
                          int staff, ag_slot *slot, problem *pb) {
  char iso[20];
  ag_local_iso_format(start, iso);
  iso[10] = 0;
  civil_date day;
  if (date_parse_iso(iso, &day) != 0) return bad(pb, "start", "Orario non valido.");
  ag_slot_query q = {av->topic_id, av->counter_id, av->video, day, day, clock_now(), staff};
  ag_slot *s;
  size_t n;
  err_code rc = agenda_slots(d, a, e, &q, &s, &n);
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < n; i++)
    if (s[i].start == start && s[i].availability_id == av->id) {
      *slot = s[i];
      return ERR_OK;
    }
  return bad(pb, "start", "L'orario scelto non è tra quelli prenotabili: scegline uno dall'agenda.");
}

/* Takes the lowest free seat of ap's slot: the seats seen taken are
 * skipped, every other one is tried; a seat a concurrent booking took
 * meanwhile answers ERR_NOT_FOUND and the next is tried. */
static err_code take_seat(db *d, arena *a, ag_appt *ap, const char *hash, int capacity) {
  int64_t *taken;
  size_t nt;
  err_code rc = as_slot_seats(d, a, ap->ente_id, ap->availability_id, ap->start, &taken, &nt);
  if (rc != ERR_OK) return rc;
  size_t ti = 0;
  /* a video room is stored by the SHA-256 of its id only (migration 0017) */
  char room_hash[65];
  if (ap->room_id) token_hash(ap->room_id, room_hash);
  for (int seat = 1; seat <= capacity; seat++) {
    while (ti < nt && taken[ti] < seat) ti++;
    if (ti < nt && taken[ti] == seat) continue;
    rc = as_appt_insert_seat(d, ap, seat, hash, ap->room_id ? room_hash : NULL, clock_now(),
                             &ap->id);
    if (rc == ERR_OK) {
      ap->seat = seat;
      return ERR_OK;
    }
    if (rc != ERR_NOT_FOUND) return rc;
  }
  return ERR_SLOT_FULL;
}

static err_code enqueue_reminder(db *d, const ag_appt *ap) {
  int64_t hours = config_int("agenda", "reminder_hours");
  int64_t at = ap->start - hours * 3600;
  if (hours <= 0 || at <= clock_now()) return ERR_OK; /* the confirmation is recent enough */
  char payload[80], key[48];
  snprintf(payload, sizeof payload, "{\"appointment\":%lld}", (long long)ap->id);
  snprintf(key, sizeof key, "appointment:%lld", (long long)ap->id);
  job_new jn = {.kind = AGENDA_REMIND_JOB, .ente_id = ap->ente_id, .payload = payload,
                .run_at = at, .dedup_key = key};
  return job_enqueue(d, &jn, NULL);
}

static json_t *appt_json(const ag_appt *ap) {
  char when[20];
  ag_local_iso_format(ap->start, when);
  return json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:b}", "counter", (json_int_t)ap->counter_id,
                   "topic", (json_int_t)ap->topic_id, "start", when, "seat", ap->seat, "channel",
                   ap->channel, "fiscal_code", ap->fiscal_code, "video", ap->video);
}

typedef struct {
  arena *a;
  const ente *e;
  const actor *who;
  ag_appt *ap;
  int capacity;
  const char *token;
  char hash[65];
  problem *pb;
} book_tx;

static err_code book_tx_fn(db *d, void *ctx) {
  book_tx *t = ctx;
  ag_appt *ap = t->ap;
  int64_t now = clock_now();
  err_code rc;
  if (!is_staff_channel(ap->channel)) {
    /* one booking per fiscal code at a time: the row lock serialises them */
    int64_t active = 0, max = config_int("agenda", "max_active_per_fiscal_code");
    if ((rc = as_citizen_touch(d, ap->ente_id, ap->fiscal_code, now)) != ERR_OK) return rc;
    if ((rc = as_active_count(d, ap->ente_id, ap->fiscal_code, now, &active)) != ERR_OK) return rc;
    if (active >= max) return ERR_BOOKING_LIMIT;
  }
  if ((rc = take_seat(d, t->a, ap, t->hash, t->capacity)) != ERR_OK) return rc;
  char *room = ap->room_id; /* shown once: the database keeps only its hash */
  if ((rc = as_appt_get(d, t->a, ap->ente_id, ap->id, ap)) != ERR_OK) return rc;
  ap->room_id = room;
  if ((rc = enqueue_reminder(d, ap)) != ERR_OK) return rc;
  if ((rc = ag_send_confirmation(d, t->a, t->e, ap, t->token, 0)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, ap->ente_id, "agenda.book", "agenda_appointment", ap->id, NULL,
                          appt_json(ap));
}

err_code agenda_book(db *d, arena *a, const ente *e, const actor *who, const ag_booking *in,
                     ag_appt *out, char **token, problem *pb) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  memset(out, 0, sizeof *out);
  err_code rc = validate_person(a, in, out, pb);
  if (rc != ERR_OK) return rc;
  ag_avail av;
  rc = as_avail_find(d, a, e->id, in->counter_id, in->topic_id, in->video ? 1 : 0, &av);
  if (rc == ERR_NOT_FOUND)
    return bad(pb, "counter", "Lo sportello scelto non offre appuntamenti per questo argomento.");
  if (rc != ERR_OK) return rc;
  ag_slot slot;
  rc = find_slot(d, a, e, &av, in->start, is_staff_channel(in->channel), &slot, pb);
  if (rc != ERR_OK) return rc;
  if (slot.available <= 0) return ERR_SLOT_FULL; /* shortcut; the seat decides anyway */
  out->ente_id = e->id;
  out->availability_id = av.id;
  out->counter_id = av.counter_id;
  out->topic_id = av.topic_id;
  out->start = slot.start;
  out->end = slot.end;
  out->video = av.video;
  if (av.video) {
    out->room_id = arena_alloc(a, AG_ROOM_HEX + 1);
    rand_hex(out->room_id, AG_ROOM_HEX / 2);
  }
  char *tok = arena_alloc(a, AG_TOKEN_HEX + 1);
  rand_hex(tok, AG_TOKEN_HEX / 2);
  book_tx t = {a, e, who, out, av.capacity, tok, {0}, pb};
  token_hash(tok, t.hash);
  rc = db_tx_locking(d, book_tx_fn, &t);
  if (rc == ERR_OK && token) *token = tok;
  return rc;
}

err_code agenda_by_token(db *d, arena *a, int64_t ente_id, const char *token, ag_appt *out) {
  if (!token_ok(token)) return ERR_NOT_FOUND;
  char h[65];
  token_hash(token, h);
  return as_appt_by_token(d, a, ente_id, h, out);
}

err_code agenda_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_appt *out) {
  return as_appt_get(d, a, ente_id, id, out);
}

typedef struct {
  arena *a;
  const ente *e;
  const actor *who;
  char hash[65];
  int64_t id; /* by id (staff, another area), else by the token's hash */
} cancel_tx;

static err_code cancel_tx_fn(db *d, void *ctx) {
  cancel_tx *t = ctx;
  ag_appt ap;
  err_code rc = t->id ? as_appt_get(d, t->a, t->e->id, t->id, &ap)
                      : as_appt_by_token(d, t->a, t->e->id, t->hash, &ap);
  if (rc != ERR_OK) return rc;
  if (ap.state != AG_BOOKED || ap.start <= clock_now()) return ERR_APPOINTMENT_CLOSED;
  if ((rc = as_appt_release(d, t->e->id, ap.id, "cancelled", 0, clock_now())) != ERR_OK) return rc;
  ap.state = AG_CANCELLED;
  if ((rc = ag_send_cancellation(d, t->a, t->e, &ap)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->e->id, "agenda.cancel", "agenda_appointment", ap.id,
                          appt_json(&ap), json_pack("{s:s}", "state", "cancelled"));
}

err_code agenda_cancel(db *d, arena *a, const ente *e, const actor *who, const char *token) {
  if (!token_ok(token)) return ERR_NOT_FOUND;
  cancel_tx t = {a, e, who, {0}, 0};
  token_hash(token, t.hash);
  return db_tx_locking(d, cancel_tx_fn, &t);
}

err_code agenda_cancel_id(db *d, arena *a, const ente *e, const actor *who, int64_t id) {
  if (id <= 0) return ERR_NOT_FOUND;
  cancel_tx t = {a, e, who, {0}, id};
  return db_tx_locking(d, cancel_tx_fn, &t);
}

typedef struct {
  arena *a;
  const ente *e;
  const actor *who;
  const char *token;
  char hash[65];
  ag_appt *nw;
  int capacity;
} change_tx;

static err_code change_tx_fn(db *d, void *ctx) {
  change_tx *t = ctx;
  ag_appt old;
  err_code rc = as_appt_by_token(d, t->a, t->e->id, t->hash, &old);
  if (rc != ERR_OK) return rc;
  if (old.state != AG_BOOKED || old.start <= clock_now()) return ERR_APPOINTMENT_CLOSED;
  /* the new appointment first (its seat), then the old one gives back its
   * seat and the token, which the new one takes */
  if ((rc = take_seat(d, t->a, t->nw, NULL, t->capacity)) != ERR_OK) return rc;
  if ((rc = as_appt_release(d, t->e->id, old.id, "moved", t->nw->id, clock_now())) != ERR_OK)
    return rc;
  if ((rc = as_appt_set_token(d, t->e->id, t->nw->id, t->hash)) != ERR_OK) return rc;
  char *room = t->nw->room_id;
  if ((rc = as_appt_get(d, t->a, t->e->id, t->nw->id, t->nw)) != ERR_OK) return rc;
  t->nw->room_id = room;
  if ((rc = enqueue_reminder(d, t->nw)) != ERR_OK) return rc;
  if ((rc = ag_send_confirmation(d, t->a, t->e, t->nw, t->token, 1)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->e->id, "agenda.change", "agenda_appointment", t->nw->id,
                          appt_json(&old), appt_json(t->nw));
}

err_code agenda_change(db *d, arena *a, const ente *e, const actor *who, const char *token,
                       int64_t counter_id, int video, int64_t start, ag_appt *out, problem *pb) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  ag_appt old;
  err_code rc = agenda_by_token(d, a, e->id, token, &old);
  if (rc != ERR_OK) return rc;
  if (old.state != AG_BOOKED || old.start <= clock_now()) return ERR_APPOINTMENT_CLOSED;
  ag_avail av;
  rc = as_avail_find(d, a, e->id, counter_id, old.topic_id, video ? 1 : 0, &av);
  if (rc == ERR_NOT_FOUND)
    return bad(pb, "counter", "Lo sportello scelto non offre appuntamenti per questo argomento.");
  if (rc != ERR_OK) return rc;
  ag_slot slot;
  if ((rc = find_slot(d, a, e, &av, start, 0, &slot, pb)) != ERR_OK) return rc;
  if (slot.available <= 0) return ERR_SLOT_FULL;
  *out = old;
  out->id = 0;
  out->availability_id = av.id;
  out->counter_id = av.counter_id;
  out->start = slot.start;
  out->end = slot.end;
  out->video = av.video;
  out->room_id = NULL;
  if (av.video) {
    out->room_id = arena_alloc(a, AG_ROOM_HEX + 1);
    rand_hex(out->room_id, AG_ROOM_HEX / 2);
  }
  change_tx t = {a, e, who, token, {0}, out, av.capacity};
  token_hash(token, t.hash);
  return db_tx_locking(d, change_tx_fn, &t);
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, id;
  ag_state state;
} mark_tx;

static err_code mark_tx_fn(db *d, void *ctx) {
  mark_tx *t = ctx;
  ag_appt ap;
  err_code rc = as_appt_get(d, t->a, t->ente_id, t->id, &ap);
  if (rc != ERR_OK) return rc;
  if (ap.state == AG_CANCELLED || ap.state == AG_MOVED) return ERR_APPOINTMENT_CLOSED;
  rc = as_appt_mark(d, t->ente_id, t->id, ag_state_name(t->state), clock_now());
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "agenda.mark", "agenda_appointment", t->id,
                          json_pack("{s:s}", "state", ag_state_name(ap.state)),
                          json_pack("{s:s}", "state", ag_state_name(t->state)));
}

err_code agenda_mark(db *d, const actor *who, int64_t ente_id, int64_t id, ag_state state) {
  if (state != AG_ATTENDED && state != AG_NO_SHOW && state != AG_BOOKED) return ERR_INVALID;
  arena *a = arena_new();
  mark_tx t = {a, who, ente_id, id, state};
  err_code rc = db_tx(d, mark_tx_fn, &t);
  arena_free(a);
  return rc;
}

err_code agenda_appts(db *d, arena *a, int64_t ente_id, int64_t counter_id, int64_t from,
                      int64_t to, ag_appt **out, size_t *n) {
  return as_appt_range(d, a, ente_id, counter_id, from, to, out, n);
}

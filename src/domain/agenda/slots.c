/* Topics, the availability that makes a counter's opening hours bookable
 * for a topic, Europe/Rome wall time, and the slots: computed from the
 * timetable valid on each day minus closures and holidays, cut into
 * slot_minutes with buffer_minutes between consecutive slots, within the
 * booking horizon and after the minimum notice, with the seats already
 * taken counted from the bookings. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/agenda/agenda.h"
#include "domain/agenda/agenda_store.h"

static err_code bad(problem *pb, const char *field, const char *msg) {
  if (pb) *pb = (problem){ERR_INVALID, field, msg};
  return ERR_INVALID;
}

static const char *const STATES[] = {"booked", "cancelled", "moved", "attended", "no_show"};
static const char *const STATE_LABELS[] = {"Prenotato", "Annullato", "Spostato", "Presentato",
                                           "Non presentato"};

const char *ag_state_name(ag_state s) { return (unsigned)s < 5 ? STATES[s] : "booked"; }
const char *ag_state_label_it(ag_state s) { return (unsigned)s < 5 ? STATE_LABELS[s] : ""; }
int ag_state_parse(const char *s) {
  for (int i = 0; s && i < 5; i++)
    if (strcmp(s, STATES[i]) == 0) return i;
  return -1;
}

/* --- Europe/Rome wall time --- */

int64_t ag_local_to_utc(civil_date day, int minutes) {
  int64_t local = date_to_days(day) * 86400 + (int64_t)minutes * 60;
  /* summer time when the instant an hour-and-two earlier is in summer time;
   * the repeated hour of October resolves to its first (summer) occurrence */
  if (rome_utc_offset(local - 7200) == 7200) return local - 7200;
  return local - 3600;
}

void ag_local_iso_format(int64_t utc, char out[20]) {
  int64_t local = utc + rome_utc_offset(utc);
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t secs = local - days * 86400;
  civil_date d = date_from_days(days);
  snprintf(out, 20, "%04u-%02u-%02uT%02u:%02u:%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
           (unsigned)d.d % 100u, (unsigned)(secs / 3600) % 100u, (unsigned)(secs / 60 % 60) % 100u,
           (unsigned)(secs % 60) % 100u);
}

int ag_local_iso_parse(const char *s, int64_t *utc) {
  /* YYYY-MM-DDTHH:MM[:SS], no offset */
  size_t n = s ? strlen(s) : 0;
  if ((n != 16 && n != 19) || s[10] != 'T') return -1;
  char day[11];
  memcpy(day, s, 10);
  day[10] = 0;
  civil_date d;
  if (date_parse_iso(day, &d) != 0) return -1;
  char hm[6];
  memcpy(hm, s + 11, 5);
  hm[5] = 0;
  int m = ag_hhmm_parse(hm);
  if (m < 0 || m >= 1440) return -1;
  if (n == 19 && (s[16] != ':' || s[17] != '0' || s[18] != '0')) return -1;
  *utc = ag_local_to_utc(d, m);
  return 0;
}

/* --- topics --- */

static int code_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
          s[i] == '_'))
      return 0;
  return 1;
}

typedef struct {
  const actor *who;
  int64_t ente_id;
  const char *code, *name;
  int64_t *id;
} topic_tx;

static err_code topic_add_tx(db *d, void *ctx) {
  topic_tx *t = ctx;
  err_code rc = as_topic_insert(d, t->ente_id, t->code, t->name, clock_now(), t->id);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "agenda.topic.add", "agenda_topic", *t->id, NULL,
                          json_pack("{s:s, s:s}", "code", t->code, "name", t->name));
}

err_code agenda_topic_add(db *d, const actor *who, int64_t ente_id, const char *code,
                          const char *name, int64_t *id, problem *pb) {
  if (!code_ok(code))
    return bad(pb, "code", "Codice dell'argomento non valido: da 1 a 40 tra a-z, 0-9, - e _.");
  arena *a = arena_new();
  char *n = text_trim_dup(a, name);
  err_code rc;
  int64_t dummy;
  if (!n) rc = bad(pb, "name", "Indica il nome dell'argomento.");
  else if (text_utf8_len(n) > AG_MAX_NAME) rc = bad(pb, "name", "Il nome è troppo lungo (massimo 100 caratteri).");
  else {
    topic_tx t = {who, ente_id, code, n, id ? id : &dummy};
    rc = db_tx(d, topic_add_tx, &t);
    if (rc == ERR_CONFLICT) rc = bad(pb, "code", "Esiste già un argomento con questo codice.");
  }
  arena_free(a);
  return rc;
}

err_code agenda_topic_list(db *d, arena *a, int64_t ente_id, ag_topic **out, size_t *n) {
  return as_topic_list(d, a, ente_id, out, n);
}

err_code agenda_topic_by_code(db *d, arena *a, int64_t ente_id, const char *code, ag_topic *out) {
  if (!code_ok(code)) return ERR_NOT_FOUND;
  return as_topic_by_code(d, a, ente_id, code, out);
}

/* --- availability --- */

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id;
  ag_avail *av;
  problem *pb;
} open_tx;

static err_code open_tx_fn(db *d, void *ctx) {
  open_tx *t = ctx;
  ag_counter c;
  err_code rc = as_counter_get(d, t->a, t->ente_id, t->av->counter_id, &c);
  if (rc == ERR_NOT_FOUND) return bad(t->pb, "counter", "Sportello inesistente per questo Ente.");
  if (rc != ERR_OK) return rc;
  rc = as_avail_upsert(d, t->ente_id, t->av, clock_now(), &t->av->id);
  if (rc == ERR_CONFLICT) return bad(t->pb, "topic", "Argomento inesistente per questo Ente.");
  if (rc != ERR_OK) return rc;
  const ag_avail *v = t->av;
  return audit_write_json(
      d, t->who, t->ente_id, "agenda.open", "agenda_availability", v->id, NULL,
      json_pack("{s:I, s:I, s:b, s:i, s:i, s:i, s:i, s:i}", "counter", (json_int_t)v->counter_id,
                "topic", (json_int_t)v->topic_id, "video", v->video, "slot_minutes",
                v->slot_minutes, "buffer_minutes", v->buffer_minutes, "capacity", v->capacity,
                "horizon_days", v->horizon_days, "notice_minutes", v->notice_minutes));
}

err_code agenda_open(db *d, const actor *who, int64_t ente_id, ag_avail *in, problem *pb) {
  if (in->slot_minutes < 5 || in->slot_minutes > 480)
    return bad(pb, "slot_minutes", "Durata dell'appuntamento non valida (da 5 a 480 minuti).");
  if (in->buffer_minutes < 0 || in->buffer_minutes > 240)
    return bad(pb, "buffer_minutes", "Pausa tra appuntamenti non valida (da 0 a 240 minuti).");
  if (in->capacity < 1 || in->capacity > 50)
    return bad(pb, "capacity", "Posti per orario non validi (da 1 a 50).");
  if (in->horizon_days < 1 || in->horizon_days > 366)
    return bad(pb, "horizon_days", "Orizzonte di prenotazione non valido (da 1 a 366 giorni).");
  if (in->notice_minutes < 0 || in->notice_minutes > 20160)
    return bad(pb, "notice_minutes", "Preavviso minimo non valido (da 0 a 20160 minuti).");
  in->video = in->video ? 1 : 0;
  arena *a = arena_new();
  open_tx t = {a, who, ente_id, in, pb};
  err_code rc = db_tx(d, open_tx_fn, &t);
  arena_free(a);
  return rc;
}

err_code agenda_avail_list(db *d, arena *a, int64_t ente_id, int64_t topic_id, ag_avail **out,
                           size_t *n) {
  return as_avail_list(d, a, ente_id, topic_id, out, n);
}

/* --- slots --- */

size_t ag_day_slot_starts(const ag_avail *av, const ag_hours *const *iv, size_t n_iv, civil_date day,
                          int64_t *starts, size_t max) {
  size_t k = 0;
  int step = av->slot_minutes + av->buffer_minutes;
  for (size_t i = 0; i < n_iv; i++)
    for (int m = iv[i]->start_min; m + av->slot_minutes <= iv[i]->end_min && k < max; m += step)
      starts[k++] = ag_local_to_utc(day, m);
  return k;
}

static int slot_cmp(const void *x, const void *y) {
  const ag_slot *a = x, *b = y;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  if (a->counter_id != b->counter_id) return a->counter_id < b->counter_id ? -1 : 1;
  return a->video - b->video;
}

enum { MAX_IV = 64, MAX_DAY_SLOTS = 300 };

err_code agenda_slots(db *d, arena *a, const ente *e, const ag_slot_query *q, ag_slot **out,
                      size_t *n) {
  *out = NULL;
  *n = 0;
  int64_t span = date_to_days(q->to) - date_to_days(q->from);
  if (span < 0 || span >= AG_MAX_RANGE_DAYS) return ERR_INVALID;
  ag_avail *avs;
  size_t nav;
  ag_hours *hs;
  size_t nh;
  ag_closure *cl;
  size_t ncl;
  as_taken *tk;
  size_t ntk;
  char from_iso[11];
  date_format_iso(q->from, from_iso);
  int64_t t0 = ag_local_to_utc(q->from, 0), t1 = ag_local_to_utc(date_add_days(q->to, 1), 0);
  err_code rc = as_avail_list(d, a, e->id, q->topic_id, &avs, &nav);
  if (rc == ERR_OK) rc = as_hours_list(d, a, e->id, 0, &hs, &nh);
  if (rc == ERR_OK) rc = as_closure_list(d, a, e->id, from_iso, &cl, &ncl);
  if (rc == ERR_OK) rc = as_taken_list(d, a, e->id, q->topic_id, t0, t1, &tk, &ntk);
  if (rc != ERR_OK) return rc;
  work_calendar cal;
  ag_calendar(e, &cal);
  civil_date today = date_today_rome(q->now);
  size_t cap = 0, k = 0, ti = 0;
  ag_slot *slots = arena_grow(a, NULL, sizeof(ag_slot), 0, &cap);
  int64_t starts[MAX_DAY_SLOTS];
  for (civil_date day = q->from; date_cmp(day, q->to) <= 0; day = date_add_days(day, 1)) {
    if (cal_is_holiday(&cal, day, NULL) || date_weekday(day) == 7) continue;
    int64_t ahead = date_to_days(day) - date_to_days(today);
    if (ahead < 0) continue;
    for (size_t v = 0; v < nav; v++) {
      const ag_avail *av = &avs[v];
      if (q->counter_id && av->counter_id != q->counter_id) continue;
      if (q->video >= 0 && av->video != q->video) continue;
      if (ahead > (q->staff ? 2 * av->horizon_days : av->horizon_days)) continue;
      if (ag_closed_on(cl, ncl, av->counter_id, day)) continue;
      const ag_hours *iv[MAX_IV];
      size_t niv = ag_hours_on(hs, nh, av->counter_id, day, iv, MAX_IV);
      size_t ns = ag_day_slot_starts(av, iv, niv, day, starts, MAX_DAY_SLOTS);
      int64_t earliest = q->now + (q->staff ? 0 : (int64_t)av->notice_minutes * 60);
      for (size_t s = 0; s < ns; s++) {
        if (starts[s] < earliest) continue;
        slots = arena_grow(a, slots, sizeof(ag_slot), k, &cap);
        slots[k++] = (ag_slot){av->id, av->counter_id, starts[s],
                               starts[s] + (int64_t)av->slot_minutes * 60, av->capacity, 0,
                               av->capacity, av->video};
      }
    }
  }
  qsort(slots, k, sizeof *slots, slot_cmp);
  /* taken seats: both lists are ordered by start; match per start */
  for (size_t i = 0; i < k; i++) {
    while (ti < ntk && tk[ti].start < slots[i].start) ti++;
    for (size_t j = ti; j < ntk && tk[j].start == slots[i].start; j++)
      if (tk[j].availability_id == slots[i].availability_id) {
        slots[i].booked = (int)tk[j].taken;
        slots[i].available = slots[i].capacity > slots[i].booked ? slots[i].capacity - slots[i].booked : 0;
      }
  }
  *out = slots;
  *n = k;
  return ERR_OK;
}

/* Counters, their weekly timetables and closures, and the table of the
 * minimum weekly hours by population: validation, one transaction per
 * change with its audit row. */
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

/* --- small parsers --- */

int ag_weekday_parse(const char *s) {
  static const char *const en[] = {"mon", "tue", "wed", "thu", "fri", "sat"};
  static const char *const it[] = {"lun", "mar", "mer", "gio", "ven", "sab"};
  if (!s) return 0;
  for (int i = 0; i < 6; i++)
    if (strcmp(s, en[i]) == 0 || strcmp(s, it[i]) == 0) return i + 1;
  if (s[0] >= '1' && s[0] <= '6' && !s[1]) return s[0] - '0';
  return 0;
}

const char *ag_weekday_it(int weekday) {
  static const char *const names[] = {"lunedì", "martedì", "mercoledì", "giovedì",
                                      "venerdì", "sabato",  "domenica"};
  return weekday >= 1 && weekday <= 7 ? names[weekday - 1] : "";
}

int ag_hhmm_parse(const char *s) {
  if (!s || strlen(s) != 5 || s[2] != ':') return -1;
  for (int i = 0; i < 5; i++)
    if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m)) return -1;
  return h * 60 + m;
}

void ag_hhmm_format(int minutes, char out[6]) {
  unsigned h = (unsigned)(minutes / 60) % 100u, m = (unsigned)(minutes % 60) % 60u;
  out[0] = (char)('0' + h / 10);
  out[1] = (char)('0' + h % 10);
  out[2] = ':';
  out[3] = (char)('0' + m / 10);
  out[4] = (char)('0' + m % 10);
  out[5] = 0;
}

static civil_date iso_week1_monday(int year) {
  civil_date jan4 = {year, 1, 4};
  return date_add_days(jan4, -(date_weekday(jan4) - 1));
}

int ag_iso_week_parse(const char *s, civil_date *monday) {
  if (!s || strlen(s) != 8 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w')) return -1;
  for (int i = 0; i < 8; i++)
    if (i != 4 && i != 5 && (s[i] < '0' || s[i] > '9')) return -1;
  int y = atoi(s), w = atoi(s + 6);
  if (y < 1900 || y > 2199 || w < 1) return -1;
  civil_date m = date_add_days(iso_week1_monday(y), 7 * (int64_t)(w - 1));
  if (date_cmp(m, iso_week1_monday(y + 1)) >= 0) return -1; /* no such week */
  *monday = m;
  return 0;
}

void ag_iso_week_format(civil_date d, char out[9]) {
  civil_date thu = date_add_days(d, 4 - date_weekday(d)); /* the week's year is its Thursday's */
  int64_t w = (date_to_days(thu) - date_to_days(iso_week1_monday(thu.y))) / 7 + 1;
  snprintf(out, 9, "%04u-W%02u", (unsigned)thu.y % 10000u, (unsigned)w % 100u);
}

void ag_calendar(const ente *e, work_calendar *c) {
  if (work_calendar_init(c, e ? e->patron_day : NULL) != 0) work_calendar_init(c, NULL);
}

/* A trimmed, bounded, required text: NULL and ERR_INVALID via *bad_out. */
static char *text_field(arena *a, const char *v, size_t max, int required, const char *field,
                        const char *msg_missing, const char *msg_long, problem *pb, err_code *rc) {
  char *t = text_trim_dup(a, v);
  if (!t && required) *rc = bad(pb, field, msg_missing);
  else if (t && text_utf8_len(t) > max) *rc = bad(pb, field, msg_long);
  return t;
}

/* --- counters --- */

typedef struct {
  const actor *who;
  int64_t ente_id;
  const char *name, *place;
  int64_t *id;
} counter_tx;

static err_code counter_add_tx(db *d, void *ctx) {
  counter_tx *t = ctx;
  err_code rc = as_counter_insert(d, t->ente_id, t->name, t->place, clock_now(), t->id);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "agenda.counter.add", "agenda_counter", *t->id,
                          NULL, json_pack("{s:s, s:s?}", "name", t->name, "place", t->place));
}

err_code agenda_counter_add(db *d, const actor *who, int64_t ente_id, const char *name,
                            const char *place, int64_t *id, problem *pb) {
  arena *a = arena_new();
  err_code rc = ERR_OK;
  char *n = text_field(a, name, AG_MAX_NAME, 1, "name", "Indica il nome dello sportello.",
                       "Il nome è troppo lungo (massimo 100 caratteri).", pb, &rc);
  char *p = rc == ERR_OK ? text_field(a, place, AG_MAX_PLACE, 0, "place", NULL,
                                      "Il luogo è troppo lungo (massimo 300 caratteri).", pb, &rc)
                         : NULL;
  if (rc == ERR_OK) {
    counter_tx t = {who, ente_id, n, p, id};
    rc = db_tx(d, counter_add_tx, &t);
    if (rc == ERR_CONFLICT) rc = bad(pb, "name", "Esiste già uno sportello con questo nome.");
  }
  arena_free(a);
  return rc;
}

err_code agenda_counter_list(db *d, arena *a, int64_t ente_id, ag_counter **out, size_t *n) {
  return as_counter_list(d, a, ente_id, out, n);
}

err_code agenda_counter_get(db *d, arena *a, int64_t ente_id, int64_t id, ag_counter *out) {
  return as_counter_get(d, a, ente_id, id, out);
}

/* --- hours --- */

size_t ag_hours_on(const ag_hours *all, size_t n, int64_t counter_id, civil_date day,
                   const ag_hours **out, size_t max) {
  char iso[11];
  date_format_iso(day, iso);
  const char *best = NULL; /* the latest valid_from <= day */
  for (size_t i = 0; i < n; i++)
    if (all[i].counter_id == counter_id && strcmp(all[i].valid_from, iso) <= 0 &&
        (!best || strcmp(all[i].valid_from, best) > 0))
      best = all[i].valid_from;
  if (!best) return 0;
  int wd = date_weekday(day);
  size_t k = 0;
  for (size_t i = 0; i < n && k < max; i++)
    if (all[i].counter_id == counter_id && all[i].weekday == wd &&
        strcmp(all[i].valid_from, best) == 0)
      out[k++] = &all[i];
  /* by start (lists come ordered, but keep it true for any input) */
  for (size_t i = 1; i < k; i++)
    for (size_t j = i; j > 0 && out[j - 1]->start_min > out[j]->start_min; j--) {
      const ag_hours *x = out[j];
      out[j] = out[j - 1];
      out[j - 1] = x;
    }
  return k;
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id;
  ag_hours h;
  int explicit_from;
  problem *pb;
} hours_tx;

static err_code hours_add_tx(db *d, void *ctx) {
  hours_tx *t = ctx;
  ag_counter c;
  err_code rc = as_counter_get(d, t->a, t->ente_id, t->h.counter_id, &c);
  if (rc == ERR_NOT_FOUND) return bad(t->pb, "counter", "Sportello inesistente per questo Ente.");
  if (rc != ERR_OK) return rc;
  if (!t->explicit_from) {
    char *latest;
    rc = as_hours_latest(d, t->a, t->ente_id, t->h.counter_id, &latest);
    if (rc == ERR_NOT_FOUND) {
      t->h.valid_from = arena_alloc(t->a, 11);
      date_format_iso(date_today_rome(clock_now()), t->h.valid_from);
    } else if (rc != ERR_OK) {
      return rc;
    } else {
      t->h.valid_from = latest;
    }
  }
  ag_hours *all;
  size_t n;
  rc = as_hours_list(d, t->a, t->ente_id, t->h.counter_id, &all, &n);
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < n; i++)
    if (all[i].weekday == t->h.weekday && strcmp(all[i].valid_from, t->h.valid_from) == 0 &&
        all[i].start_min < t->h.end_min && t->h.start_min < all[i].end_min)
      return bad(t->pb, "from", "L'intervallo si sovrappone a un altro orario dello stesso giorno.");
  rc = as_hours_insert(d, t->ente_id, &t->h, clock_now(), &t->h.id);
  if (rc != ERR_OK) return rc;
  char f[6], to[6];
  ag_hhmm_format(t->h.start_min, f);
  ag_hhmm_format(t->h.end_min, to);
  return audit_write_json(d, t->who, t->ente_id, "agenda.hours.add", "agenda_counter",
                          t->h.counter_id, NULL,
                          json_pack("{s:s, s:i, s:s, s:s}", "valid_from", t->h.valid_from,
                                    "weekday", t->h.weekday, "from", f, "to", to));
}

err_code agenda_hours_add(db *d, arena *a, const actor *who, int64_t ente_id, int64_t counter_id,
                          int weekday, int start_min, int end_min, const char *valid_from,
                          problem *pb) {
  if (weekday < 1 || weekday > 6)
    return bad(pb, "day", "Giorno non valido: da lunedì (mon) a sabato (sat).");
  if (start_min < 0 || start_min >= 1440) return bad(pb, "from", "Ora di inizio non valida (HH:MM).");
  if (end_min <= start_min || end_min > 1440)
    return bad(pb, "to", "L'ora di fine deve essere successiva all'ora di inizio.");
  civil_date vf;
  if (valid_from && date_parse_iso(valid_from, &vf) != 0)
    return bad(pb, "valid_from", "Data di validità non valida (AAAA-MM-GG).");
  hours_tx t = {a, who, ente_id, {0, counter_id, (char *)valid_from, weekday, start_min, end_min},
                valid_from != NULL, pb};
  return db_tx(d, hours_add_tx, &t);
}

err_code agenda_hours_list(db *d, arena *a, int64_t ente_id, int64_t counter_id, ag_hours **out,
                           size_t *n) {
  return as_hours_list(d, a, ente_id, counter_id, out, n);
}

/* --- closures --- */

const ag_closure *ag_closed_on(const ag_closure *all, size_t n, int64_t counter_id, civil_date day) {
  char iso[11];
  date_format_iso(day, iso);
  for (size_t i = 0; i < n; i++)
    if ((all[i].counter_id == 0 || all[i].counter_id == counter_id) &&
        strcmp(all[i].from_day, iso) <= 0 && strcmp(all[i].to_day, iso) >= 0)
      return &all[i];
  return NULL;
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id;
  ag_closure c;
  int64_t *id;
  problem *pb;
} closure_tx;

static err_code closure_add_tx(db *d, void *ctx) {
  closure_tx *t = ctx;
  if (t->c.counter_id) {
    ag_counter k;
    err_code rc = as_counter_get(d, t->a, t->ente_id, t->c.counter_id, &k);
    if (rc == ERR_NOT_FOUND) return bad(t->pb, "counter", "Sportello inesistente per questo Ente.");
    if (rc != ERR_OK) return rc;
  }
  err_code rc = as_closure_insert(d, t->ente_id, &t->c, clock_now(), t->id);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "agenda.closure.add", "agenda_closure", *t->id,
                          NULL,
                          json_pack("{s:I, s:s, s:s, s:s}", "counter", (json_int_t)t->c.counter_id,
                                    "from", t->c.from_day, "to", t->c.to_day, "reason",
                                    t->c.reason));
}

err_code agenda_closure_add(db *d, const actor *who, int64_t ente_id, int64_t counter_id,
                            const char *from_day, const char *to_day, const char *reason,
                            int64_t *id, problem *pb) {
  civil_date f, t;
  if (!from_day || date_parse_iso(from_day, &f) != 0)
    return bad(pb, "from", "Data di inizio della chiusura non valida (AAAA-MM-GG).");
  if (!to_day || !*to_day) to_day = from_day;
  if (date_parse_iso(to_day, &t) != 0)
    return bad(pb, "to", "Data di fine della chiusura non valida (AAAA-MM-GG).");
  if (date_cmp(t, f) < 0) return bad(pb, "to", "La chiusura finisce prima di cominciare.");
  if (date_to_days(t) - date_to_days(f) > 366)
    return bad(pb, "to", "Una chiusura dura al massimo un anno.");
  arena *a = arena_new();
  err_code rc = ERR_OK;
  char *r = text_field(a, reason, AG_MAX_REASON, 1, "reason", "Indica il motivo della chiusura.",
                       "Il motivo è troppo lungo (massimo 500 caratteri).", pb, &rc);
  int64_t dummy;
  if (rc == ERR_OK) {
    closure_tx tx = {a, who, ente_id, {0, counter_id, (char *)from_day, (char *)to_day, r, NULL},
                     id ? id : &dummy, pb};
    rc = db_tx(d, closure_add_tx, &tx);
  }
  arena_free(a);
  return rc;
}

err_code agenda_closure_list(db *d, arena *a, int64_t ente_id, const char *from_day,
                             ag_closure **out, size_t *n) {
  return as_closure_list(d, a, ente_id, from_day, out, n);
}

/* --- minimum weekly hours --- */

err_code agenda_min_list(db *d, arena *a, ag_min_row **out, size_t *n) {
  return as_min_list(d, a, out, n);
}

typedef struct {
  const actor *who;
  const ag_min_row *rows;
  size_t n;
} min_tx;

static err_code min_replace_tx(db *d, void *ctx) {
  min_tx *t = ctx;
  err_code rc = as_min_clear(d);
  json_t *rows = json_array();
  for (size_t i = 0; rc == ERR_OK && i < t->n; i++) {
    rc = as_min_insert(d, &t->rows[i]);
    json_array_append_new(rows, json_pack("{s:I, s:o, s:I}", "from", (json_int_t)t->rows[i].pop_from,
                                          "to", t->rows[i].pop_to ? json_integer(t->rows[i].pop_to)
                                                                  : json_null(),
                                          "minutes", (json_int_t)t->rows[i].min_minutes));
  }
  if (rc != ERR_OK) {
    json_decref(rows);
    return rc;
  }
  return audit_write_json(d, t->who, 0, "agenda.min_hours.import", "agenda_min_hours", 0, NULL,
                          json_pack("{s:o}", "rows", rows));
}

err_code agenda_min_replace(db *d, const actor *who, const ag_min_row *rows, size_t n,
                            problem *pb) {
  if (n == 0 || n > 50) return bad(pb, "rows", "La tabella deve avere da 1 a 50 righe.");
  for (size_t i = 0; i < n; i++) {
    if (rows[i].pop_from != (i == 0 ? 0 : rows[i - 1].pop_to))
      return bad(pb, "population_from_inclusive",
                 "Le fasce di popolazione devono partire da 0 ed essere contigue e crescenti.");
    if (rows[i].pop_to ? rows[i].pop_to <= rows[i].pop_from : i + 1 != n)
      return bad(pb, "population_to_exclusive",
                 "Solo l'ultima fascia può essere senza limite superiore; ogni limite deve "
                 "superare l'inizio della fascia.");
    if (rows[i].min_minutes < 0 || rows[i].min_minutes > 7 * 24 * 60)
      return bad(pb, "min_opening_hours_per_week", "Ore minime settimanali non valide.");
  }
  min_tx t = {who, rows, n};
  return db_tx(d, min_replace_tx, &t);
}

/* One CSV field (RFC 4180 quotes) from *p; NULL at the end of the line. */
static char *csv_next(arena *a, const char **p, int *eol) {
  const char *s = *p;
  if (*eol) return NULL;
  char *buf = arena_alloc(a, strlen(s) + 1);
  size_t k = 0;
  if (*s == '"') {
    s++;
    while (*s && !(*s == '"' && s[1] != '"')) {
      if (*s == '"') s++;
      buf[k++] = *s++;
    }
    if (*s == '"') s++;
  } else {
    while (*s && *s != ',' && *s != '\n' && *s != '\r') buf[k++] = *s++;
  }
  buf[k] = 0;
  if (*s == ',') s++;
  else {
    while (*s == '\r') s++;
    if (*s == '\n') s++;
    *eol = 1;
  }
  *p = s;
  return buf;
}

static int parse_num(const char *s, int64_t *out, int allow_fraction) {
  /* integers, or hours with up to two decimals ("7.5") when allowed: the
   * result is then in minutes */
  if (!s || !*s) return -1;
  int64_t v = 0, frac = 0, scale = 1;
  const char *p = s;
  for (; *p >= '0' && *p <= '9'; p++) {
    v = v * 10 + (*p - '0');
    if (v > 1000000000) return -1;
  }
  if (p == s) return -1;
  if (allow_fraction && (*p == '.' || *p == ',')) {
    p++;
    for (int i = 0; i < 2 && *p >= '0' && *p <= '9'; i++, p++) {
      frac = frac * 10 + (*p - '0');
      scale *= 10;
    }
  }
  if (*p) return -1;
  *out = allow_fraction ? v * 60 + frac * 60 / scale : v;
  return 0;
}

err_code ag_min_parse_csv(arena *a, const char *text, ag_min_row **out, size_t *n, problem *pb) {
  size_t cap = 0, k = 0;
  ag_min_row *rows = NULL;
  const char *p = text;
  int line = 0;
  while (*p) {
    int eol = 0;
    line++;
    char *f[5] = {0};
    int nf = 0;
    char *v;
    while ((v = csv_next(a, &p, &eol))) {
      if (nf < 5) f[nf] = v;
      nf++;
    }
    if (nf == 1 && !*f[0]) continue; /* blank line */
    if (line == 1) {
      if (nf < 3 || strcmp(f[0], "population_from_inclusive") != 0 ||
          strcmp(f[1], "population_to_exclusive") != 0 ||
          strcmp(f[2], "min_opening_hours_per_week") != 0)
        return bad(pb, "header",
                   "Intestazione attesa: population_from_inclusive,population_to_exclusive,"
                   "min_opening_hours_per_week[,source,note].");
      continue;
    }
    if (nf < 3 || k >= 50) return bad(pb, "rows", arena_printf(a, "Riga %d non valida.", line));
    rows = arena_grow(a, rows, sizeof *rows, k, &cap);
    ag_min_row *r = &rows[k++];
    memset(r, 0, sizeof *r);
    if (parse_num(f[0], &r->pop_from, 0) != 0 || (*f[1] && parse_num(f[1], &r->pop_to, 0) != 0) ||
        parse_num(f[2], &r->min_minutes, 1) != 0)
      return bad(pb, "rows", arena_printf(a, "Riga %d: numeri non validi.", line));
    r->source = nf > 3 && *f[3] ? f[3] : NULL;
    r->note = nf > 4 && *f[4] ? f[4] : NULL;
  }
  if (k == 0) return bad(pb, "rows", "Il file non contiene righe.");
  *out = rows;
  *n = k;
  return ERR_OK;
}

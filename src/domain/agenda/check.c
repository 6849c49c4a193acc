/* The weekly check of an Ente's front office: the hours its counters are
 * open to the public in an ISO week (the union over counters of each day's
 * intervals, minus holidays and closures) against the minimum of the
 * table for its population, and whether afternoon openings exist. */
#include <string.h>

#include "domain/agenda/agenda.h"
#include "domain/agenda/agenda_store.h"

enum { AFTERNOON_FROM = 14 * 60, MAX_IV = 64 };

/* Minutes covered by the union of intervals [s, e) given as a minute mask. */
static int mask_minutes(const unsigned char *mask) {
  int n = 0;
  for (int i = 0; i < 1440; i++) n += mask[i];
  return n;
}

static int64_t min_for(const ag_min_row *rows, size_t n, int64_t population) {
  for (size_t i = 0; i < n; i++)
    if (population >= rows[i].pop_from && (rows[i].pop_to == 0 || population < rows[i].pop_to))
      return rows[i].min_minutes;
  return 0;
}

err_code agenda_week_check(db *d, arena *a, const ente *e, civil_date monday, ag_week_report *r) {
  memset(r, 0, sizeof *r);
  r->monday = monday;
  r->population = e->population;
  ag_iso_week_format(monday, r->week);
  ag_counter *cs;
  size_t nc;
  ag_hours *hs;
  size_t nh;
  ag_closure *cl;
  size_t ncl;
  ag_min_row *mins;
  size_t nm;
  char from_iso[11];
  date_format_iso(monday, from_iso);
  err_code rc = as_counter_list(d, a, e->id, &cs, &nc);
  if (rc == ERR_OK) rc = as_hours_list(d, a, e->id, 0, &hs, &nh);
  if (rc == ERR_OK) rc = as_closure_list(d, a, e->id, from_iso, &cl, &ncl);
  if (rc == ERR_OK) rc = as_min_list(d, a, &mins, &nm);
  if (rc != ERR_OK) return rc;
  r->min_minutes = min_for(mins, nm, e->population);
  r->counters = cs;
  r->n_counters = nc;
  r->counter_minutes = arena_alloc(a, sizeof(int64_t) * (nc ? nc : 1));
  memset(r->counter_minutes, 0, sizeof(int64_t) * (nc ? nc : 1));
  work_calendar cal;
  ag_calendar(e, &cal);
  unsigned char *mask = arena_alloc(a, 1440);
  for (int i = 0; i < 7; i++) {
    ag_day_hours *dh = &r->days[i];
    dh->day = date_add_days(monday, i);
    memset(mask, 0, 1440);
    if (cal_is_holiday(&cal, dh->day, &dh->holiday)) continue;
    int open_counters = 0, closed_counters = 0;
    for (size_t c = 0; c < nc; c++) {
      if (!cs[c].active) continue;
      const ag_hours *iv[MAX_IV];
      size_t k = ag_hours_on(hs, nh, cs[c].id, dh->day, iv, MAX_IV);
      if (k == 0) continue;
      const ag_closure *closed = ag_closed_on(cl, ncl, cs[c].id, dh->day);
      if (closed) {
        closed_counters++;
        dh->closure = closed->reason;
        continue;
      }
      open_counters++;
      for (size_t j = 0; j < k; j++) {
        r->counter_minutes[c] += iv[j]->end_min - iv[j]->start_min;
        memset(mask + iv[j]->start_min, 1, (size_t)(iv[j]->end_min - iv[j]->start_min));
        if (iv[j]->end_min > AFTERNOON_FROM) dh->afternoon = 1;
      }
    }
    if (open_counters) dh->closure = NULL; /* some counter is open that day */
    (void)closed_counters;
    dh->minutes = mask_minutes(mask);
    r->offered_minutes += dh->minutes;
    if (dh->afternoon) r->afternoon = 1;
  }
  r->shortfall_minutes = r->offered_minutes >= r->min_minutes ? 0 : r->min_minutes - r->offered_minutes;
  r->ok = r->shortfall_minutes == 0 && r->afternoon;
  return ERR_OK;
}

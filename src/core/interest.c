#include "core/interest.h"

#include <string.h>

/* The rate of year; a year after the last one in the table keeps the last
 * rate (a decree's rate stays in force until the next one). */
static int rate_of(const interest_rate *rates, size_t n, int year) {
  int last_year = 0, last = -1;
  for (size_t i = 0; i < n; i++) {
    if (rates[i].year == year) return rates[i].rate_bp;
    if (rates[i].year > last_year) last_year = rates[i].year, last = rates[i].rate_bp;
  }
  return year > last_year ? last : -1;
}

/* num / den rounded half-up (num, den >= 0), 128-bit. */
static int64_t div_half_up(__int128 num, __int128 den) { return (int64_t)((num * 2 + den) / (den * 2)); }

int interest_compute(int64_t principal, civil_date due, civil_date to, const interest_rate *rates,
                     size_t n_rates, int spread_bp, interest_result *out) {
  interest_result r;
  memset(&r, 0, sizeof r);
  int64_t from_day = date_to_days(due) + 1, to_day = date_to_days(to);
  if (principal <= 0 || to_day < from_day) {
    *out = r;
    return 0;
  }
  __int128 num = 0;
  int64_t d = from_day;
  while (d <= to_day) {
    civil_date c = date_from_days(d);
    int64_t year_end = date_to_days((civil_date){c.y, 12, 31});
    int64_t end = year_end < to_day ? year_end : to_day;
    int64_t days = end - d + 1;
    int rate = rate_of(rates, n_rates, c.y);
    if (rate < 0) return -1;
    rate += spread_bp;
    if (r.n_seg >= INTEREST_MAX_SEGMENTS) return -1;
    r.seg[r.n_seg++] = (interest_segment){c.y, (int)days, rate};
    num += (__int128)principal * rate * days;
    r.days += days;
    d = end + 1;
  }
  /* principal x rate_bp/10000 x days/365 */
  r.cents = div_half_up(num, (__int128)10000 * 365);
  *out = r;
  return 0;
}

__int128 interest_num(const interest_result *r, int64_t principal) {
  __int128 num = 0;
  for (size_t i = 0; i < r->n_seg; i++) num += (__int128)principal * r->seg[i].rate_bp * r->seg[i].days;
  return num;
}

int64_t interest_num_round(__int128 num) { return num <= 0 ? 0 : div_half_up(num, (__int128)10000 * 365); }

void interest_table_init(interest_table *t, const interest_rate *rates, size_t n_rates, int spread_bp,
                         int last_year) {
  t->rates = rates;
  t->n_rates = n_rates;
  t->spread_bp = spread_bp;
  t->n = 0;
  if (n_rates == 0) return;
  int y0 = rates[0].year;
  for (size_t i = 1; i < n_rates; i++)
    if (rates[i].year < y0) y0 = rates[i].year;
  if (last_year < y0 || last_year - y0 + 1 > INTEREST_TABLE_YEARS) return;
  t->y0 = y0;
  t->n = last_year - y0 + 1;
  t->cum[0] = 0;
  t->bad[0] = 0;
  for (int i = 0; i <= t->n; i++) t->day0[i] = date_to_days((civil_date){y0 + i, 1, 1});
  for (int i = 0; i < t->n; i++) {
    int r = rate_of(rates, n_rates, y0 + i);
    t->rate[i] = r < 0 ? -1 : r + spread_bp;
    t->bad[i + 1] = t->bad[i] + (r < 0);
    t->cum[i + 1] = t->cum[i] + (r < 0 ? 0 : (int64_t)t->rate[i] * (t->day0[i + 1] - t->day0[i]));
  }
}

/* Sum of rate x 1 over the days from the table's first day up to day d,
 * which lies in year index i. */
static int64_t running(const interest_table *t, int i, int64_t d) {
  return t->cum[i] + (t->rate[i] < 0 ? 0 : (d - t->day0[i] + 1) * t->rate[i]);
}

int interest_table_num(const interest_table *t, int64_t principal, civil_date due, civil_date to,
                       __int128 *num) {
  int64_t from_day = date_to_days(due) + 1, to_day = date_to_days(to);
  *num = 0;
  if (principal <= 0 || to_day < from_day) return 0;
  int yf = due.y - t->y0, yt = to.y - t->y0; /* year indexes of due and to */
  if (t->n == 0 || yf < -1 || yt >= t->n || yf >= t->n) {
    interest_result r;
    if (interest_compute(principal, due, to, t->rates, t->n_rates, t->spread_bp, &r) != 0) return -1;
    *num = interest_num(&r, principal);
    return 0;
  }
  int first = from_day >= t->day0[yf + 1] ? yf + 1 : yf; /* year index of the first day */
  if (first < 0) {
    interest_result r; /* the period starts before the table */
    if (interest_compute(principal, due, to, t->rates, t->n_rates, t->spread_bp, &r) != 0) return -1;
    *num = interest_num(&r, principal);
    return 0;
  }
  if (t->bad[yt + 1] - t->bad[first] > 0 || yt - first + 1 > INTEREST_MAX_SEGMENTS) return -1;
  int64_t before = yf < 0 ? 0 : running(t, yf, from_day - 1);
  *num = (__int128)principal * (running(t, yt, to_day) - before);
  return 0;
}

static int in_regime(const ravv_band *b, civil_date due) {
  if (date_cmp(due, b->regime_from) < 0) return 0;
  return b->regime_to.y == 0 || date_cmp(due, b->regime_to) < 0;
}

static int band_applies(const ravv_band *b, int64_t days, civil_date due, civil_date pay) {
  if (days < b->min_days) return 0;
  if (b->max_days > 0 && days > b->max_days) return 0;
  if (b->max_years > 0) {
    civil_date limit = {due.y + b->max_years, due.m, due.d};
    if (limit.m == 2 && limit.d == 29 && !date_valid(limit.y, 2, 29)) limit.d = 28;
    if (date_cmp(pay, limit) > 0) return 0;
  }
  return 1;
}

int ravv_compute(int64_t tax_cents, civil_date due, civil_date pay, const ravv_band *bands, size_t n_bands,
                 const interest_rate *rates, size_t n_rates, ravv_result *out) {
  memset(out, 0, sizeof *out);
  int64_t days = date_to_days(pay) - date_to_days(due);
  if (tax_cents <= 0 || days < 1) return -1;
  const ravv_band *best = NULL;
  for (size_t i = 0; i < n_bands; i++) {
    const ravv_band *b = &bands[i];
    if (!in_regime(b, due) || !band_applies(b, days, due, pay)) continue;
    if (!best || b->position < best->position) best = b;
  }
  if (!best || best->reduction_den <= 0) return -1;
  /* tax x base/1000 x (days/15 | 1) / den, one rounding */
  __int128 num = (__int128)tax_cents * best->base_rate_pm * (best->per_day ? days : 15);
  __int128 den = (__int128)1000 * 15 * best->reduction_den;
  out->sanction_cents = div_half_up(num, den);
  if (interest_compute(tax_cents, due, pay, rates, n_rates, 0, &out->interest) != 0) return -1;
  out->tax_cents = tax_cents;
  out->interest_cents = out->interest.cents;
  out->total_cents = tax_cents + out->sanction_cents + out->interest_cents;
  out->days_late = days;
  out->band = best;
  return 0;
}

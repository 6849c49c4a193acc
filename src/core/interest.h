/* Late interest and ravvedimento operoso, pure: integer cents, dates, and
 * the rule tables passed in by the caller (loaded from the database by
 * src/domain/portal, never compiled in).
 *
 * Interest (the convention of ../shared/data/README.md): it accrues from the
 * day after the deadline up to and including the payment day, per calendar
 * year at that year's legal rate plus a spread, on a 365-day basis also in
 * leap years; the segments are summed exactly (128-bit numerator) and
 * rounded half-up to the cent once. */
#ifndef SP_INTEREST_H
#define SP_INTEREST_H
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"

typedef struct {
  int year;
  int rate_bp; /* basis points: 250 = 2.5% */
} interest_rate;

/* One calendar-year segment of a computation, for showing the working. */
typedef struct {
  int year;
  int days;
  int rate_bp; /* legal rate + spread */
} interest_segment;

enum { INTEREST_MAX_SEGMENTS = 64 };

typedef struct {
  int64_t cents; /* rounded half-up once */
  int64_t days;  /* total days of delay */
  interest_segment seg[INTEREST_MAX_SEGMENTS];
  size_t n_seg;
} interest_result;

/* Interest on principal cents from the day after due to to (inclusive), at
 * the rate of each year in rates (any order) plus spread_bp. 0 (and no
 * segment) when to <= due or principal <= 0. A year after the last of the
 * table keeps the last rate (it stays in force until a new decree).
 * Returns -1 when a year before the table's first is in the period (out
 * untouched), else 0. */
int interest_compute(int64_t principal, civil_date due, civil_date to, const interest_rate *rates,
                     size_t n_rates, int spread_bp, interest_result *out);

/* The exact numerator of r for principal (principal x rate_bp x days,
 * summed over the segments), and its rounding to cents: callers adding
 * several periods (an amount that payments reduce) sum the numerators and
 * round once. */
__int128 interest_num(const interest_result *r, int64_t principal);
int64_t interest_num_round(__int128 num);

/* The rates of a table plus a spread as a running sum of rate x day, for
 * many periods against one table (a statement): interest_table_num gives
 * the numerator interest_compute + interest_num give, in constant time. */
enum { INTEREST_TABLE_YEARS = 160 };
typedef struct {
  int y0, n;                              /* years y0 .. y0 + n - 1; n 0: none */
  int64_t day0[INTEREST_TABLE_YEARS + 1]; /* first day of each year (days since 1970) */
  int64_t cum[INTEREST_TABLE_YEARS + 1];  /* sum of rate x days of the years before */
  int rate[INTEREST_TABLE_YEARS];         /* rate + spread, -1: none for that year */
  int bad[INTEREST_TABLE_YEARS + 1];      /* years without a rate before each year */
  const interest_rate *rates;             /* kept for periods outside the years */
  size_t n_rates;
  int spread_bp;
} interest_table;

/* The table for periods ending by year last_year (later periods, and ones
 * starting before the table's first year, are computed the slow way). */
void interest_table_init(interest_table *t, const interest_rate *rates, size_t n_rates, int spread_bp,
                         int last_year);
/* *num = interest_num(interest_compute(principal, due, to, ...)); the same
 * return value (-1: a year without a rate in the period). */
int interest_table_num(const interest_table *t, int64_t principal, civil_date due, civil_date to,
                       __int128 *num);

/* A band of reduced sanctions (see migration 0012_portal.sql, ravv_band). */
typedef struct {
  const char *regime, *band;
  civil_date regime_from, regime_to; /* regime_to.y == 0: open */
  int position;
  int min_days, max_days; /* max_days 0: open */
  int max_years;          /* 0: open */
  int base_rate_pm;       /* per mille of the tax */
  int per_day;            /* 1: x days / 15 */
  int reduction_den;
} ravv_band;

typedef struct {
  int64_t tax_cents, sanction_cents, interest_cents, total_cents;
  int64_t days_late;
  const ravv_band *band; /* the band applied (points into the table) */
  interest_result interest;
} ravv_result;

/* Ravvedimento for tax_cents due on due (moved to the effective deadline by
 * the caller when it fell on a non-working day) and paid on pay: the band
 * of the regime in force on due and of the delay, the reduced sanction
 * rounded half-up once, the legal interest (spread 0). Returns 0, or -1
 * when pay is not after due, no band applies or a rate is missing. */
int ravv_compute(int64_t tax_cents, civil_date due, civil_date pay, const ravv_band *bands, size_t n_bands,
                 const interest_rate *rates, size_t n_rates, ravv_result *out);

#endif

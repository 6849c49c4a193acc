/* Traffic fines (art. 202-203 D.Lgs. 285/1992, Codice della strada): the
 * amount to pay on a given day, by band (../shared/data/cds_art202_payment_bands.csv):
 *   - within 5 days of notification: the minimum less 30%, where the law
 *     allows it (not with confisca or sospensione della patente);
 *   - within 60 days: the minimum;
 *   - afterwards: half of the maximum (the report becomes an enforceable
 *     title).
 * Notification and procedure costs are added in full in every band. Day 0
 * is the notification (or the on-the-spot contestation). A window whose
 * last day is a Sunday or a holiday of the calendar ends on the next day
 * that is neither. Pure; integer cents, half-up rounding. */
#ifndef SP_FINES_H
#define SP_FINES_H
#include <stdint.h>
#include "core/calendar.h"
#include "core/date.h"

typedef enum { FINE_REDUCED = 1, FINE_MINIMUM = 2, FINE_HALF_MAX = 3 } fine_band;

typedef struct {
  civil_date notified;
  int64_t min_cents, max_cents, costs_cents;
  int reduction_allowed;
} fine_terms;

typedef struct {
  fine_band band;
  int64_t fine_cents;  /* the sanction part of this band */
  int64_t costs_cents; /* never reduced */
  int64_t total_cents;
  civil_date band_until; /* last day of this band (y == 0: none) */
  int64_t day;           /* days since notification */
} fine_amount;

/* Last day of the reduced window (notification + 5, moved) and of the
 * minimum window (notification + 60, moved). */
civil_date fine_reduced_until(const work_calendar *c, civil_date notified);
civil_date fine_minimum_until(const work_calendar *c, civil_date notified);
/* The amount due when paying on pay. -1 when pay is before the
 * notification or the terms are inconsistent (min > max, negatives). */
int fine_amount_on(const work_calendar *c, const fine_terms *t, civil_date pay, fine_amount *out);
const char *fine_band_label(fine_band b); /* Italian */

#endif

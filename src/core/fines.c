#include "core/fines.h"

#include <string.h>

#include "core/money.h"

/* The window's last day moves past Sundays and holidays. */
static civil_date window_end(const work_calendar *c, civil_date d) {
  while (date_weekday(d) == 7 || cal_is_holiday(c, d, NULL)) d = date_add_days(d, 1);
  return d;
}

civil_date fine_reduced_until(const work_calendar *c, civil_date notified) {
  return window_end(c, date_add_days(notified, 5));
}

civil_date fine_minimum_until(const work_calendar *c, civil_date notified) {
  return window_end(c, date_add_days(notified, 60));
}

int fine_amount_on(const work_calendar *c, const fine_terms *t, civil_date pay, fine_amount *out) {
  memset(out, 0, sizeof *out);
  if (t->min_cents <= 0 || t->max_cents < t->min_cents || t->costs_cents < 0) return -1;
  if (date_cmp(pay, t->notified) < 0) return -1;
  out->day = date_to_days(pay) - date_to_days(t->notified);
  civil_date reduced = fine_reduced_until(c, t->notified);
  civil_date minimum = fine_minimum_until(c, t->notified);
  if (t->reduction_allowed && date_cmp(pay, reduced) <= 0) {
    out->band = FINE_REDUCED;
    out->fine_cents = money_mul_ratio(t->min_cents, 70, 100);
    out->band_until = reduced;
  } else if (date_cmp(pay, minimum) <= 0) {
    out->band = FINE_MINIMUM;
    out->fine_cents = t->min_cents;
    out->band_until = minimum;
  } else {
    out->band = FINE_HALF_MAX;
    out->fine_cents = money_div_round(t->max_cents, 2);
  }
  out->costs_cents = t->costs_cents;
  out->total_cents = out->fine_cents + out->costs_cents;
  return 0;
}

const char *fine_band_label(fine_band b) {
  switch (b) {
    case FINE_REDUCED:
      return "Pagamento entro 5 giorni (ridotto del 30%)";
    case FINE_MINIMUM:
      return "Pagamento entro 60 giorni (minimo edittale)";
    case FINE_HALF_MAX:
      return "Pagamento oltre 60 giorni (metà del massimo)";
  }
  return "";
}

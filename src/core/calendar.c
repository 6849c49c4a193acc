#include "core/calendar.h"
#include <stddef.h>

int work_calendar_init(work_calendar *c, const char *s) {
  c->patron_month = c->patron_day = 0;
  if (!s || !*s) return 0;
  for (int i = 0; i < 5; i++)
    if (!s[i]) return -1;
  if (s[5] || s[2] != '-') return -1;
  for (int i = 0; i < 5; i++)
    if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
  int m = (s[0] - '0') * 10 + (s[1] - '0');
  int d = (s[3] - '0') * 10 + (s[4] - '0');
  if (!date_valid(2000, m, d)) return -1; /* 2000 is leap: 02-29 allowed */
  c->patron_month = m;
  c->patron_day = d;
  return 0;
}

/* Fixed-date national holidays (L. 260/1949, L. 54/1977, DPR 792/1985,
 * L. 336/2000, L. 151/2025). from_year lets a holiday start in a year. */
static const struct {
  int m, d, from_year;
  const char *name;
} fixed[] = {
    {1, 1, 0, "Capodanno"},
    {1, 6, 0, "Epifania"},
    {4, 25, 0, "Festa della Liberazione"},
    {5, 1, 0, "Festa del Lavoro"},
    {6, 2, 0, "Festa della Repubblica"},
    {8, 15, 0, "Assunzione (Ferragosto)"},
    {10, 4, 2026, "San Francesco d'Assisi"},
    {11, 1, 0, "Ognissanti"},
    {12, 8, 0, "Immacolata Concezione"},
    {12, 25, 0, "Natale"},
    {12, 26, 0, "Santo Stefano"},
};

int cal_is_holiday(const work_calendar *c, civil_date d, const char **name_it) {
  const char *name = NULL;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && !name; i++)
    if (fixed[i].m == d.m && fixed[i].d == d.d && d.y >= fixed[i].from_year) name = fixed[i].name;
  if (!name && (d.m == 3 || d.m == 4)) {
    civil_date easter = date_easter(d.y);
    if (date_cmp(d, easter) == 0)
      name = "Pasqua";
    else if (date_cmp(d, date_add_days(easter, 1)) == 0)
      name = "Lunedì dell'Angelo (Pasquetta)";
  }
  if (!name && c && c->patron_month == d.m && c->patron_day == d.d) name = "Festa del Santo Patrono";
  if (name_it) *name_it = name;
  return name != NULL;
}

int cal_is_working_day(const work_calendar *c, civil_date d) {
  return date_weekday(d) <= 5 && !cal_is_holiday(c, d, NULL);
}

civil_date cal_working_day_on_or_after(const work_calendar *c, civil_date d) {
  /* Holidays never chain for more than a few days, so this ends quickly. */
  while (!cal_is_working_day(c, d)) d = date_add_days(d, 1);
  return d;
}

civil_date cal_next_working_day(const work_calendar *c, civil_date d) {
  return cal_working_day_on_or_after(c, date_add_days(d, 1));
}

civil_date cal_add_working_days(const work_calendar *c, civil_date d, int n) {
  int step = n < 0 ? -1 : 1;
  while (n != 0) {
    d = date_add_days(d, step);
    if (cal_is_working_day(c, d)) n -= step;
  }
  return d;
}

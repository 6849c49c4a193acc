/* The Italian working-day calendar every deadline uses: weekends, national
 * holidays (with Easter Monday and, from 2026, 4 October per L. 151/2025)
 * and the Ente's patron saint day. */
#ifndef SP_CALENDAR_H
#define SP_CALENDAR_H
#include "core/date.h"

typedef struct {
  int patron_month, patron_day; /* 0,0 = no patron saint holiday */
} work_calendar;

/* Fills c from "MM-DD" (zero-padded, a day that exists in a leap year), or
 * no patron for NULL / "". Returns -1 (and leaves no patron) if malformed. */
int work_calendar_init(work_calendar *c, const char *patron_mm_dd);
/* 1 if d is a national holiday or the patron saint day; *name_it (if
 * name_it is not NULL) gets the Italian name (a static string). When the
 * patron day coincides with a national holiday the national name wins.
 * c may be NULL (national holidays only). */
int cal_is_holiday(const work_calendar *c, civil_date d, const char **name_it);
/* Monday to Friday and not a holiday. */
int cal_is_working_day(const work_calendar *c, civil_date d);
/* d if it is a working day, else the next one: a deadline that falls on a
 * non-working day moves forward. */
civil_date cal_working_day_on_or_after(const work_calendar *c, civil_date d);
/* First working day strictly after d. */
civil_date cal_next_working_day(const work_calendar *c, civil_date d);
/* The n-th working day after d (d itself not counted); n = 0 returns d
 * unchanged; n < 0 counts backwards (the |n|-th working day before d). */
civil_date cal_add_working_days(const work_calendar *c, civil_date d, int n);

#endif

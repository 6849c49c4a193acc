/* Civil (proleptic Gregorian) dates without time zones, and the Europe/Rome
 * wall clock computed by hand from the EU summer-time rule, so nothing
 * depends on the host's tzdata or TZ variable. */
#ifndef SP_DATE_H
#define SP_DATE_H
#include <stdint.h>

typedef struct {
  int y, m, d;
} civil_date;

/* 1 if y-m-d is a real Gregorian date with 1800 <= y <= 2200, else 0. */
int date_valid(int y, int m, int d);
/* Exactly "YYYY-MM-DD" (10 chars, zero-padded) and a valid date: 0 ok, -1 bad. */
int date_parse_iso(const char *s, civil_date *out);
/* "DD/MM/YYYY" as typed by people: day and month of 1 or 2 digits, year of
 * exactly 4, and a valid date. 0 ok, -1 bad. */
int date_parse_it(const char *s, civil_date *out);
void date_format_iso(civil_date d, char out[11]); /* "YYYY-MM-DD" */
void date_format_it(civil_date d, char out[11]);  /* "DD/MM/YYYY" */
/* Days since 1970-01-01 (negative before); exact for any y in int range. */
int64_t date_to_days(civil_date d);
civil_date date_from_days(int64_t days);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(civil_date d);
civil_date date_add_days(civil_date d, int64_t n);
/* <0, 0, >0 like strcmp. */
int date_cmp(civil_date a, civil_date b);
/* Gregorian Easter Sunday (anonymous Gregorian / Meeus algorithm). */
civil_date date_easter(int year);

/* Europe/Rome offset from UTC at the instant unix_utc: 7200 from the last
 * Sunday of March 01:00 UTC (inclusive) to the last Sunday of October 01:00
 * UTC (exclusive), 3600 otherwise. */
int rome_utc_offset(int64_t unix_utc);
/* The calendar day in Rome at the instant unix_utc. */
civil_date date_today_rome(int64_t unix_utc);
/* Local Rome time "DD/MM/YYYY HH:MM" for people. */
void time_format_rome(int64_t unix_utc, char out[17]);
/* "YYYY-MM-DDTHH:MM:SS+01:00" (or +02:00): Rome local time with its offset. */
void time_format_iso_rome(int64_t unix_utc, char out[26]);
/* "YYYY-MM-DDTHH:MM:SSZ" for logs, APIs and XML. */
void time_format_iso_utc(int64_t unix_utc, char out[21]);

#endif

#include "core/date.h"

#include <string.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

int date_valid(int y, int m, int d) {
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return 0;
  return d <= days_in_month(y, m);
}

/* Reads exactly n ASCII digits; -1 if any is not a digit. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int date_parse_iso(const char *s, civil_date *out) {
  if (!s) return -1;
  for (int i = 0; i < 10; i++)
    if (!s[i]) return -1;
  if (s[10] || s[4] != '-' || s[7] != '-') return -1;
  int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
  if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d)) return -1;
  out->y = y;
  out->m = m;
  out->d = d;
  return 0;
}

/* One or two digits up to `sep`; advances *p past the separator. */
static int small_field(const char **p, char sep) {
  const char *s = *p;
  int n = 0;
  while (s[n] >= '0' && s[n] <= '9' && n < 3) n++;
  if (n < 1 || n > 2 || s[n] != sep) return -1;
  int v = digits(s, n);
  *p = s + n + 1;
  return v;
}

int date_parse_it(const char *s, civil_date *out) {
  if (!s) return -1;
  int d = small_field(&s, '/');
  if (d < 0) return -1;
  int m = small_field(&s, '/');
  if (m < 0) return -1;
  for (int i = 0; i < 4; i++)
    if (!s[i]) return -1;
  if (s[4]) return -1;
  int y = digits(s, 4);
  if (y < 0 || !date_valid(y, m, d)) return -1;
  out->y = y;
  out->m = m;
  out->d = d;
  return 0;
}

/* Writes v as exactly n zero-padded digits (no snprintf: fixed-size output
 * whatever the value, so no truncation is possible). */
static void put_digits(char *p, int v, int n) {
  unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
  for (int i = n - 1; i >= 0; i--) {
    p[i] = (char)('0' + u % 10);
    u /= 10;
  }
}

void date_format_iso(civil_date d, char out[11]) {
  put_digits(out, d.y, 4);
  out[4] = '-';
  put_digits(out + 5, d.m, 2);
  out[7] = '-';
  put_digits(out + 8, d.d, 2);
  out[10] = 0;
}

void date_format_it(civil_date d, char out[11]) {
  put_digits(out, d.d, 2);
  out[2] = '/';
  put_digits(out + 3, d.m, 2);
  out[5] = '/';
  put_digits(out + 6, d.y, 4);
  out[10] = 0;
}

/* Howard Hinnant's days_from_civil: exact, no tables, no loops. */
int64_t date_to_days(civil_date d) {
  int64_t y = d.y - (d.m <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil_date date_from_days(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  civil_date r;
  r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
  r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
  r.y = (int)(yoe + era * 400 + (r.m <= 2));
  return r;
}

int date_weekday(civil_date d) {
  int64_t z = date_to_days(d); /* 1970-01-01 was a Thursday (4) */
  int64_t w = ((z % 7) + 7) % 7;
  return (int)((w + 3) % 7) + 1;
}

civil_date date_add_days(civil_date d, int64_t n) { return date_from_days(date_to_days(d) + n); }

int date_cmp(civil_date a, civil_date b) {
  if (a.y != b.y) return a.y < b.y ? -1 : 1;
  if (a.m != b.m) return a.m < b.m ? -1 : 1;
  if (a.d != b.d) return a.d < b.d ? -1 : 1;
  return 0;
}

civil_date date_easter(int year) {
  int a = year % 19, b = year / 100, c = year % 100;
  int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int n = h + l - 7 * m + 114;
  civil_date r = {year, n / 31, n % 31 + 1};
  return r;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* Day number of the last Sunday of month m in year y. */
static int64_t last_sunday(int y, int m) {
  civil_date last = {y, m, days_in_month(y, m)};
  return date_to_days(last) - date_weekday(last) % 7;
}

int rome_utc_offset(int64_t unix_utc) {
  int y = date_from_days(floor_div(unix_utc, 86400)).y;
  int64_t start = last_sunday(y, 3) * 86400 + 3600;
  int64_t end = last_sunday(y, 10) * 86400 + 3600;
  return unix_utc >= start && unix_utc < end ? 7200 : 3600;
}

civil_date date_today_rome(int64_t unix_utc) {
  return date_from_days(floor_div(unix_utc + rome_utc_offset(unix_utc), 86400));
}

void time_format_rome(int64_t unix_utc, char out[17]) {
  int64_t local = unix_utc + rome_utc_offset(unix_utc);
  int64_t secs = local - floor_div(local, 86400) * 86400;
  date_format_it(date_from_days(floor_div(local, 86400)), out);
  out[10] = ' ';
  put_digits(out + 11, (int)(secs / 3600), 2);
  out[13] = ':';
  put_digits(out + 14, (int)(secs / 60 % 60), 2);
  out[16] = 0;
}

void time_format_iso_utc(int64_t unix_utc, char out[21]) {
  int64_t secs = unix_utc - floor_div(unix_utc, 86400) * 86400;
  date_format_iso(date_from_days(floor_div(unix_utc, 86400)), out);
  out[10] = 'T';
  put_digits(out + 11, (int)(secs / 3600), 2);
  out[13] = ':';
  put_digits(out + 14, (int)(secs / 60 % 60), 2);
  out[16] = ':';
  put_digits(out + 17, (int)(secs % 60), 2);
  out[19] = 'Z';
  out[20] = 0;
}

void time_format_iso_rome(int64_t unix_utc, char out[26]) {
  int off = rome_utc_offset(unix_utc);
  char utc[21];
  time_format_iso_utc(unix_utc + off, utc);
  memcpy(out, utc, 19);
  memcpy(out + 19, off == 7200 ? "+02:00" : "+01:00", 7);
}

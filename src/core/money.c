#include "core/money.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Appends n digits of s to *v (v *= 10^n + digits); -1 on overflow. */
static int acc_digits(uint64_t *v, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (*v > (UINT64_C(0x7fffffffffffffff) - (uint64_t)(s[i] - '0')) / 10) return -1;
    *v = *v * 10 + (uint64_t)(s[i] - '0');
  }
  return 0;
}

int money_parse(const char *s, int64_t *cents) {
  if (!s) return -1;
  while (is_blank(*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && is_blank(s[n - 1])) n--;
  int neg = 0;
  if (n > 0 && s[0] == '-') {
    neg = 1;
    s++;
    n--;
  }
  if (n == 0) return -1;
  /* Which separator is decimal: a comma if any; else a single dot followed
   * by 1-2 digits at the end. Every other dot must separate thousands. */
  const char *comma = memchr(s, ',', n);
  size_t int_len = n; /* length of the integer part (with thousands dots) */
  const char *dec = NULL;
  if (comma) {
    int_len = (size_t)(comma - s);
    dec = comma + 1;
  } else {
    const char *last_dot = NULL;
    for (size_t i = 0; i < n; i++)
      if (s[i] == '.') last_dot = s + i;
    size_t tail = last_dot ? n - (size_t)(last_dot - s) - 1 : 0;
    if (last_dot && (tail == 1 || tail == 2)) {
      int_len = (size_t)(last_dot - s);
      dec = last_dot + 1;
    }
  }
  size_t dec_len = dec ? n - (size_t)(dec - s) : 0;
  if (dec && (dec_len < 1 || dec_len > 2)) return -1;
  for (size_t i = 0; i < dec_len; i++)
    if (!is_digit(dec[i])) return -1;

  uint64_t v = 0;
  int grouped = memchr(s, '.', int_len) != NULL;
  if (grouped && !comma && dec) return -1; /* "1.234.5": dot used both ways */
  size_t group = 0, groups = 0; /* digits in the current group, groups seen */
  for (size_t i = 0; i < int_len; i++) {
    if (s[i] == '.') {
      if (group == 0 || (groups == 0 ? group > 3 : group != 3)) return -1;
      groups++;
      group = 0;
      continue;
    }
    if (!is_digit(s[i])) return -1;
    group++;
    if (acc_digits(&v, s + i, 1)) return -1;
  }
  if (group == 0 || (grouped && group != 3)) return -1;
  if (acc_digits(&v, dec ? dec : "", dec_len) || acc_digits(&v, "00", 2 - dec_len)) return -1;
  *cents = neg ? -(int64_t)v : (int64_t)v;
  return 0;
}

void money_format_it(int64_t cents, char out[32]) {
  uint64_t mag = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
  char rev[32];
  int n = 0;
  rev[n++] = (char)('0' + mag % 10);
  rev[n++] = (char)('0' + mag / 10 % 10);
  rev[n++] = ',';
  uint64_t units = mag / 100;
  int digits = 0;
  do {
    if (digits > 0 && digits % 3 == 0) rev[n++] = '.';
    rev[n++] = (char)('0' + units % 10);
    units /= 10;
    digits++;
  } while (units);
  if (cents < 0) rev[n++] = '-';
  for (int i = 0; i < n; i++) out[i] = rev[n - 1 - i];
  out[n] = 0;
}

/* Half away from zero on 128-bit values; both public functions use it so
 * there is exactly one rounding rule. */
static __int128 div_round128(__int128 num, __int128 den) {
  if (den == 0) {
    fputs("money: division by zero\n", stderr);
    abort();
  }
  __int128 q = num / den, r = num % den;
  if (r < 0) r = -r;
  __int128 d = den < 0 ? -den : den;
  if (r >= d - r) q += ((num < 0) != (den < 0)) ? -1 : 1;
  return q;
}

static int64_t saturate(__int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return (int64_t)v;
}

int64_t money_div_round(int64_t num, int64_t den) { return saturate(div_round128(num, den)); }

int64_t money_div_round_wide(__int128 num, __int128 den) { return saturate(div_round128(num, den)); }

int64_t money_mul_ratio(int64_t cents, int64_t num, int64_t den) {
  return saturate(div_round128((__int128)cents * num, den));
}

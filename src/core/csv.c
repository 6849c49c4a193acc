#include "core/csv.h"

#include <string.h>

/* "-12.50" and "+39..." phone numbers are data, not formulas. */
static int plain_number(const char *s) {
  if (*s == '-' || *s == '+') s++;
  if (!*s) return 0;
  for (; *s; s++)
    if ((*s < '0' || *s > '9') && *s != '.' && *s != ',') return 0;
  return 1;
}

void csv_field(FILE *f, const char *s, int sep) {
  if (sep) fputc(',', f);
  if (!s) return;
  int formula = strchr("=+-@\t\r", *s) && *s && !plain_number(s);
  int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
  if (quote) fputc('"', f);
  if (formula) fputc('\'', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  if (quote) fputc('"', f);
}

void csv_int(FILE *f, int64_t v, int sep) {
  if (sep) fputc(',', f);
  fprintf(f, "%lld", (long long)v);
}

void csv_end(FILE *f) { fputc('\n', f); }

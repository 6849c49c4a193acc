/* Minimal CSV reading for tests that take their vectors from
 * ../shared/data (read in place, never copied). Header-only, static. */
#ifndef SP_TEST_CSV_H
#define SP_TEST_CSV_H
#include <stdio.h>
#include <string.h>

/* Opens SHARED_DIR/data/<name> (NULL if missing: assert on it) and skips
 * the header line. */
static FILE *csv_open(const char *name) {
  char path[1024], header[4096];
  snprintf(path, sizeof path, "%s/data/%s", SHARED_DIR, name);
  FILE *f = fopen(path, "r");
  if (f && !fgets(header, sizeof header, f)) {
    fclose(f);
    f = NULL;
  }
  return f;
}

/* Splits one line in place into at most max fields (RFC 4180 quotes, no
 * embedded newlines); strips the line end. Returns the number of fields. */
static int csv_split(char *line, char **fields, int max) {
  line[strcspn(line, "\r\n")] = 0;
  int n = 0;
  char *r = line, *w = line;
  while (n < max) {
    fields[n++] = w;
    if (*r == '"') {
      r++;
      for (;;) {
        if (*r == 0) break;
        if (*r == '"' && r[1] == '"') {
          *w++ = '"';
          r += 2;
        } else if (*r == '"') {
          r++;
          break;
        } else {
          *w++ = *r++;
        }
      }
    }
    while (*r && *r != ',') *w++ = *r++;
    if (*r == 0) {
      *w = 0;
      break;
    }
    r++;
    *w++ = 0;
  }
  return n;
}

#endif

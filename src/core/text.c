#include "core/text.h"
#include <ctype.h>
#include <string.h>

char *text_trim_dup(arena *a, const char *s) {
  if (!s) return NULL;
  while (*s && isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
  return n ? arena_strndup(a, s, n) : NULL;
}

size_t text_utf8_len(const char *s) {
  size_t n = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

int text_all_of(const char *s, size_t n, int (*pred)(int)) {
  if (!s || strlen(s) != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (!pred((unsigned char)s[i])) return 0;
  return 1;
}

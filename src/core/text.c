#include "core/text.h"
#include <ctype.h>
#include <stdint.h>
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

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 if
 * there is none; *cp receives the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char b = s[0];
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0; /* overlong */
    if (b == 0xED) hi = 0x9F; /* surrogates */
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90; /* overlong */
    if (b == 0xF4) hi = 0x8F; /* past U+10FFFF */
  } else {
    return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  uint32_t v = b & (0x7F >> len);
  v = (v << 6) | (s[1] & 0x3F);
  for (size_t i = 2; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  *cp = v;
  return len;
}

text_fault text_check(const char *s, size_t n, int multiline) {
  const unsigned char *p = (const unsigned char *)s;
  text_fault found = TEXT_OK;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t len = utf8_seq(p + i, n - i, &cp);
    if (!len) return TEXT_BAD_UTF8; /* the worse fault wins */
    int allowed_ws = multiline && (cp == '\t' || cp == '\n' || cp == '\r');
    if ((cp < 0x20 && !allowed_ws) || (cp >= 0x7F && cp <= 0x9F)) found = TEXT_CONTROL;
    i += len;
  }
  return found;
}

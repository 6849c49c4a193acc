#include "core/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb, size_t max) {
  memset(sb, 0, sizeof *sb);
  sb->max = max;
}

err_code sb_to_arena(strbuf *sb, err_code rc, arena *a, const void **out, size_t *len) {
  if (rc == ERR_OK && !sb->len) rc = ERR_INTERNAL;
  if (rc == ERR_OK) {
    char *copy = arena_alloc(a, sb->len);
    memcpy(copy, sb_str(sb), sb->len);
    *out = copy;
    *len = sb->len;
  }
  sb_free(sb);
  return rc;
}

void sb_free(strbuf *sb) {
  free(sb->data);
  sb->data = NULL;
  sb->len = sb->cap = 0;
}

void sb_reset(strbuf *sb) {
  sb->len = 0;
  sb->err = 0;
  if (sb->data) sb->data[0] = 0;
}

/* Make room for n more bytes plus the terminator; sets err on failure. */
static int grow(strbuf *sb, size_t n) {
  if (sb->err) return -1;
  size_t need = sb->len + n + 1;
  if (sb->max && need > sb->max + 1) {
    sb->err = 1;
    return -1;
  }
  if (need <= sb->cap) return 0;
  size_t cap = sb->cap ? sb->cap : 256;
  while (cap < need) cap *= 2;
  char *p = realloc(sb->data, cap);
  if (!p) {
    sb->err = 1;
    return -1;
  }
  sb->data = p;
  sb->cap = cap;
  return 0;
}

void sb_appendn(strbuf *sb, const char *s, size_t n) {
  if (grow(sb, n)) return;
  memcpy(sb->data + sb->len, s, n);
  sb->len += n;
  sb->data[sb->len] = 0;
}

void sb_append(strbuf *sb, const char *s) {
  if (s) sb_appendn(sb, s, strlen(s));
}

void sb_putc(strbuf *sb, char c) {
  if (grow(sb, 1)) return;
  sb->data[sb->len++] = c;
  sb->data[sb->len] = 0;
}

void sb_vappendf(strbuf *sb, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    sb->err = 1;
    return;
  }
  if (grow(sb, (size_t)n)) return;
  vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
  sb->len += (size_t)n;
}

void sb_appendf(strbuf *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vappendf(sb, fmt, ap);
  va_end(ap);
}

char *sb_take(strbuf *sb) {
  char *p = sb->data;
  if (!p) p = calloc(1, 1);
  sb->data = NULL;
  sb->len = sb->cap = 0;
  return p;
}

const char *sb_str(const strbuf *sb) { return sb->data ? sb->data : ""; }

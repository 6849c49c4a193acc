/* Growable string with a sticky error: appends after a failure (out of
 * memory or past the configured maximum) are ignored, and the caller checks
 * sb->err once at the end. */
#ifndef SP_STRBUF_H
#define SP_STRBUF_H
#include <stddef.h>
#include <stdarg.h>
#include "core/arena.h"
#include "core/error.h"

typedef struct strbuf {
  char *data; /* always NUL-terminated once anything was appended */
  size_t len, cap;
  size_t max; /* 0 = unlimited */
  int err;
} strbuf;

void sb_init(strbuf *sb, size_t max);
void sb_free(strbuf *sb);
/* A document built in sb (a PDF, say) as arena bytes, then sb freed:
 * ERR_OK with *out and *len; rc when it is not ERR_OK; ERR_INTERNAL when
 * nothing was built. */
err_code sb_to_arena(strbuf *sb, err_code rc, arena *a, const void **out, size_t *len);
void sb_reset(strbuf *sb);
void sb_append(strbuf *sb, const char *s);
void sb_appendn(strbuf *sb, const char *s, size_t n);
void sb_putc(strbuf *sb, char c);
void sb_appendf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vappendf(strbuf *sb, const char *fmt, va_list ap);
/* Returns the malloc'ed buffer (caller frees) and resets sb; "" if empty. */
char *sb_take(strbuf *sb);
/* Current contents, never NULL. */
const char *sb_str(const strbuf *sb);

#endif

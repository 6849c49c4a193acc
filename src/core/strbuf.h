/* Growable string with a sticky error: appends after a failure (out of
 * memory or past the configured maximum) are ignored, and the caller checks
 * sb->err once at the end. */
#ifndef SP_STRBUF_H
#define SP_STRBUF_H
#include <stddef.h>
#include <stdarg.h>

typedef struct strbuf {
  char *data; /* always NUL-terminated once anything was appended */
  size_t len, cap;
  size_t max; /* 0 = unlimited */
  int err;
} strbuf;

void sb_init(strbuf *sb, size_t max);
void sb_free(strbuf *sb);
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

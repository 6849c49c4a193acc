/* Small text helpers shared by the validating domain code. */
#ifndef SP_TEXT_H
#define SP_TEXT_H
#include <stddef.h>
#include "core/arena.h"

/* Copy of s without leading/trailing white space; NULL if nothing is left
 * (or s is NULL). */
char *text_trim_dup(arena *a, const char *s);
/* Length in characters (code points) of a UTF-8 string; 0 for NULL. */
size_t text_utf8_len(const char *s);
/* 1 if s is exactly n bytes long and pred holds for each (e.g. isdigit). */
int text_all_of(const char *s, size_t n, int (*pred)(int));

/* What is wrong with a piece of input text. */
typedef enum {
  TEXT_OK = 0,
  TEXT_BAD_UTF8, /* not well-formed UTF-8: stray or truncated bytes, overlong forms,
                    surrogates, code points past U+10FFFF */
  TEXT_CONTROL   /* a control character: C0 (NUL included), DEL or C1 */
} text_fault;

/* Checks the n bytes at s as input text: well-formed UTF-8 (Unicode table
 * 3-7) without control characters; tab, LF and CR are accepted only when
 * multiline is set. */
text_fault text_check(const char *s, size_t n, int multiline);

#endif

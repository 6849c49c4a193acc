/* The only HTML writer. Text and attribute values are escaped; raw markup
 * can only come from string literals (html_lit); tag and attribute names
 * are literals too (the macros paste "" around them, so a variable does not
 * compile). Links come from the typed builders in link.h.
 *
 *   html_open(h, "a", HA("href", url_taxpayer(a, slug, id)), HA("class", "btn"));
 *   html_text(h, name);
 *   html_close(h, "a");
 */
#ifndef SP_HTML_H
#define SP_HTML_H
#include <stddef.h>
#include "core/arena.h"
#include "core/error.h"
#include "core/strbuf.h"

enum { HTML_MAX_DEPTH = 64 };

typedef struct html {
  strbuf *sb;
  arena *a;
  /* Open elements, checked against each close in debug builds
   * (HTML_CHECK_NESTING); kept in every build so the layout is one. */
  const char *open[HTML_MAX_DEPTH];
  int depth;
  /* The field errors bound to the form being written (form.h). */
  const problem *errs;
  size_t n_errs;
} html;

/* Called on a close that does not match its open, on too deep nesting and
 * on html_finish with elements still open (debug builds only). The default
 * prints the two tags and aborts; tests may replace it. */
extern void (*html_nesting_fault)(const char *expected, const char *got);
/* End of a document or fragment: every element must be closed. */
void html_finish(html *h);
/* 1 when this build checks nesting (debug builds), else 0. */
int html_nesting_checked(void);

/* Attribute name/value pair for html_open / html_void: a NULL value leaves
 * the attribute out; HBOOL writes a boolean attribute when cond is true. */
#define HA(name, value) "" name "", (const char *)(value)
#define HBOOL(name, cond) "" name "", ((cond) ? "" : NULL)

void html_text(html *h, const char *s);
void html_textf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_raw_(html *h, const char *s);
#define html_lit(h, s) html_raw_((h), "" s "")

void html_open_(html *h, const char *tag, ...);
void html_void_(html *h, const char *tag, ...);
void html_close_(html *h, const char *tag);
#define html_open(h, tag, ...) html_open_((h), "" tag "", ##__VA_ARGS__, (const char *)0)
#define html_void(h, tag, ...) html_void_((h), "" tag "", ##__VA_ARGS__, (const char *)0)
#define html_close(h, tag) html_close_((h), "" tag "")
/* <tag attrs>escaped text</tag> */
#define html_elem(h, tag, text, ...)                            \
  do {                                                          \
    html_open_((h), "" tag "", ##__VA_ARGS__, (const char *)0); \
    html_text((h), (text));                                     \
    html_close_((h), "" tag "");                                \
  } while (0)

/* <tag>escaped text</tag> without attributes, written in three copies
 * (table cells and other plain elements; balanced by construction). */
void html_text_elem_(html *h, const char *tag, const char *text);
#define html_text_elem(h, tag, text) html_text_elem_((h), "" tag "", (text))

/* Escapes s for HTML text and attribute contexts into sb. */
void html_escape(strbuf *sb, const char *s);

#endif

#include "render/html.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void default_fault(const char *expected, const char *got) {
  fprintf(stderr, "html: nesting fault: expected </%s>, got %s\n", expected ? expected : "(none)",
          got ? got : "(end of document)");
  abort();
}
void (*html_nesting_fault)(const char *expected, const char *got) = default_fault;

void html_escape(strbuf *sb, const char *s) {
  if (!s) return;
  const char *run = s;
  for (const char *p = s; *p; p++) {
    const char *rep = NULL;
    switch (*p) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    sb_appendn(sb, run, (size_t)(p - run));
    sb_append(sb, rep);
    run = p + 1;
  }
  sb_append(sb, run);
}

void html_text(html *h, const char *s) { html_escape(h->sb, s); }

void html_textf(html *h, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = arena_vprintf(h->a, fmt, ap);
  va_end(ap);
  html_escape(h->sb, s);
}

void html_raw_(html *h, const char *s) { sb_append(h->sb, s); }

/* Writes "<tag a="v" ...>" from NULL-terminated name/value pairs. */
static void open_tag(html *h, const char *tag, va_list ap) {
  sb_putc(h->sb, '<');
  sb_append(h->sb, tag);
  for (;;) {
    const char *name = va_arg(ap, const char *);
    if (!name) break;
    const char *value = va_arg(ap, const char *);
    if (!value) continue;
    sb_putc(h->sb, ' ');
    sb_append(h->sb, name);
    if (*value || strcmp(name, "value") == 0 || strcmp(name, "alt") == 0) {
      sb_append(h->sb, "=\"");
      html_escape(h->sb, value);
      sb_putc(h->sb, '"');
    }
  }
  sb_putc(h->sb, '>');
}

void html_open_(html *h, const char *tag, ...) {
  va_list ap;
  va_start(ap, tag);
  open_tag(h, tag, ap);
  va_end(ap);
#ifdef HTML_CHECK_NESTING
  if (h->depth >= HTML_MAX_DEPTH) {
    html_nesting_fault("(nesting too deep)", tag);
    return;
  }
  h->open[h->depth++] = tag;
#endif
}

void html_void_(html *h, const char *tag, ...) {
  va_list ap;
  va_start(ap, tag);
  open_tag(h, tag, ap);
  va_end(ap);
}

void html_close_(html *h, const char *tag) {
#ifdef HTML_CHECK_NESTING
  if (h->depth == 0 || strcmp(h->open[h->depth - 1], tag) != 0)
    html_nesting_fault(h->depth ? h->open[h->depth - 1] : NULL, tag);
  else
    h->depth--;
#endif
  sb_append(h->sb, "</");
  sb_append(h->sb, tag);
  sb_putc(h->sb, '>');
}

void html_finish(html *h) {
#ifdef HTML_CHECK_NESTING
  if (h->depth) html_nesting_fault(h->open[h->depth - 1], NULL);
  h->depth = 0;
#else
  (void)h;
#endif
}

int html_nesting_checked(void) {
#ifdef HTML_CHECK_NESTING
  return 1;
#else
  return 0;
#endif
}

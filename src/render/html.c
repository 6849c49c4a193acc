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

/* Appends n bytes like sb_appendn (same limit and sticky error) without a
 * call when there is room; growing is strbuf's own. */
static inline void put(strbuf *sb, const char *s, size_t n) {
  if (sb->len + n < sb->cap && !sb->err && (!sb->max || sb->len + n <= sb->max)) {
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = 0;
  } else {
    sb_appendn(sb, s, n);
  }
}
#define PUT_LIT(sb, s) put((sb), "" s "", sizeof(s) - 1)

/* 1 for the five characters that are escaped. */
static const unsigned char special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1};

void html_escape(strbuf *sb, const char *s) {
  if (!s) return;
  const unsigned char *p = (const unsigned char *)s, *run = p;
  for (;; p++) {
    unsigned char c = *p;
    if (!c) break;
    if (!special[c]) continue;
    if (p > run) put(sb, (const char *)run, (size_t)(p - run));
    switch (c) {
      case '&': PUT_LIT(sb, "&amp;"); break;
      case '<': PUT_LIT(sb, "&lt;"); break;
      case '>': PUT_LIT(sb, "&gt;"); break;
      case '"': PUT_LIT(sb, "&quot;"); break;
      default: PUT_LIT(sb, "&#39;"); break;
    }
    run = p + 1;
  }
  if (p > run) put(sb, (const char *)run, (size_t)(p - run));
}

void html_text(html *h, const char *s) { html_escape(h->sb, s); }

void html_textf(html *h, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = arena_vprintf(h->a, fmt, ap);
  va_end(ap);
  html_escape(h->sb, s);
}

void html_raw_(html *h, const char *s) {
  if (s) put(h->sb, s, strlen(s));
}

/* Writes "<tag a="v" ...>" from NULL-terminated name/value pairs. */
static void open_tag(html *h, const char *tag, va_list ap) {
  /* "<tag" and " name" go out in one copy each, from a small buffer */
  char buf[80];
  size_t tl = strlen(tag);
  if (tl + 1 <= sizeof buf) {
    buf[0] = '<';
    memcpy(buf + 1, tag, tl);
    put(h->sb, buf, tl + 1);
  } else {
    PUT_LIT(h->sb, "<");
    put(h->sb, tag, tl);
  }
  for (;;) {
    const char *name = va_arg(ap, const char *);
    if (!name) break;
    const char *value = va_arg(ap, const char *);
    if (!value) continue;
    size_t nl = strlen(name);
    int with_value = *value || strcmp(name, "value") == 0 || strcmp(name, "alt") == 0;
    if (nl + 3 <= sizeof buf) {
      buf[0] = ' ';
      memcpy(buf + 1, name, nl);
      size_t k = nl + 1;
      if (with_value) {
        buf[k++] = '=';
        buf[k++] = '"';
      }
      put(h->sb, buf, k);
    } else {
      PUT_LIT(h->sb, " ");
      put(h->sb, name, nl);
      if (with_value) PUT_LIT(h->sb, "=\"");
    }
    if (with_value) {
      html_escape(h->sb, value);
      PUT_LIT(h->sb, "\"");
    }
  }
  PUT_LIT(h->sb, ">");
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
  char buf[80];
  size_t tl = strlen(tag);
  if (tl + 3 <= sizeof buf) {
    buf[0] = '<';
    buf[1] = '/';
    memcpy(buf + 2, tag, tl);
    buf[tl + 2] = '>';
    put(h->sb, buf, tl + 3);
  } else {
    PUT_LIT(h->sb, "</");
    put(h->sb, tag, tl);
    PUT_LIT(h->sb, ">");
  }
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

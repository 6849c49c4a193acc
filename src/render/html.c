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

/* The runs between the five escaped characters are found with strcspn
 * (vectorised in glibc) and copied whole. */
void html_escape(strbuf *sb, const char *s) {
  if (!s) return;
  for (;;) {
    size_t n = strcspn(s, "&<>\"'");
    if (n) put(sb, s, n);
    s += n;
    switch (*s) {
      case 0: return;
      case '&': PUT_LIT(sb, "&amp;"); break;
      case '<': PUT_LIT(sb, "&lt;"); break;
      case '>': PUT_LIT(sb, "&gt;"); break;
      case '"': PUT_LIT(sb, "&quot;"); break;
      default: PUT_LIT(sb, "&#39;"); break;
    }
    s++;
  }
}

void html_text_elem_(html *h, const char *tag, const char *text) {
  char buf[40];
  size_t tl = strlen(tag);
  if (tl + 3 > sizeof buf) {
    html_open_(h, tag, (const char *)0);
    html_text(h, text);
    html_close_(h, tag);
    return;
  }
  buf[0] = '<';
  memcpy(buf + 1, tag, tl);
  buf[tl + 1] = '>';
  put(h->sb, buf, tl + 2);
  html_escape(h->sb, text);
  buf[1] = '/';
  memcpy(buf + 2, tag, tl);
  buf[tl + 2] = '>';
  put(h->sb, buf, tl + 3);
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

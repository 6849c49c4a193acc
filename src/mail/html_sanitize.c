/* HTML from received mail made safe to show: parsed with libxml2's HTML
 * parser (no network), then written back keeping only formatting
 * elements, links to http(s)/mailto and inline images by cid:. Scripts,
 * styles, forms, embedded objects, comments and every other attribute
 * (event handlers, style, class...) are dropped; unknown elements are
 * unwrapped (their text stays). The text of the HTML comes out too, for
 * messages without text/plain. */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "core/strbuf.h"
#include "mail/mail.h"

enum { MAX_DEPTH = 100, MAX_OUT = 4 << 20 };

static const char *const KEEP[] = {"p",  "br", "div", "span", "b",  "i",     "u",     "strong",
                                   "em", "ul", "ol",  "li",   "table", "thead", "tbody", "tr",
                                   "td", "th", "a",   "h1",   "h2", "h3",    "h4",    "h5",
                                   "h6", "blockquote", "pre", "code", "hr", "img", "small",
                                   "sub", "sup", "dl", "dt", "dd", "caption", NULL};
static const char *const DROP[] = {"script", "style",  "head",   "title",    "iframe", "frame",
                                   "frameset", "object", "embed", "applet", "form",   "noscript",
                                   "svg",    "math",   "template", "link",   "meta",   "base",
                                   "input",  "button", "select", "textarea", "audio", "video",
                                   NULL};
static const char *const BLOCK[] = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5",
                                    "h6", "blockquote", "pre", "hr", "table", "dt", "dd", NULL};

static int in(const char *name, const char *const *set) {
  for (; *set; set++)
    if (strcmp(name, *set) == 0) return 1;
  return 0;
}

static void esc(strbuf *sb, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '&': sb_append(sb, "&amp;"); break;
      case '<': sb_append(sb, "&lt;"); break;
      case '>': sb_append(sb, "&gt;"); break;
      case '"': sb_append(sb, "&quot;"); break;
      default: sb_putc(sb, *s);
    }
  }
}

static int safe_url(const char *u, int image) {
  while (*u && isspace((unsigned char)*u)) u++;
  if (image) return strncasecmp(u, "cid:", 4) == 0;
  return strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0 ||
         strncasecmp(u, "mailto:", 7) == 0;
}

static void attr(strbuf *sb, xmlNode *n, const char *name, int url, int image) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v) return;
  int ok = 1;
  if (url) ok = safe_url((const char *)v, image);
  if (!url && (strcmp(name, "colspan") == 0 || strcmp(name, "rowspan") == 0))
    for (const xmlChar *c = v; *c; c++) ok = ok && isdigit(*c);
  if (ok) {
    sb_appendf(sb, " %s=\"", name);
    esc(sb, (const char *)v);
    sb_putc(sb, '"');
  }
  xmlFree(v);
}

typedef struct {
  strbuf html, text;
} out;

static void text_append(strbuf *t, const char *s) {
  /* whitespace runs become one space; no space at a line start */
  for (; *s; s++) {
    char c = isspace((unsigned char)*s) ? ' ' : *s;
    char last = t->len && t->data ? t->data[t->len - 1] : '\n';
    if (c == ' ' && (last == ' ' || last == '\n')) continue;
    sb_putc(t, c);
  }
}

static void walk(out *o, xmlNode *n, int depth) {
  for (; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      esc(&o->html, (const char *)n->content);
      text_append(&o->text, (const char *)n->content);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH) continue;
    const char *name = (const char *)n->name;
    if (in(name, DROP)) continue;
    int keep = in(name, KEEP);
    int block = in(name, BLOCK);
    if (keep) {
      sb_appendf(&o->html, "<%s", name);
      if (strcmp(name, "a") == 0) attr(&o->html, n, "href", 1, 0);
      if (strcmp(name, "img") == 0) {
        attr(&o->html, n, "src", 1, 1);
        attr(&o->html, n, "alt", 0, 0);
      }
      if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
        attr(&o->html, n, "colspan", 0, 0);
        attr(&o->html, n, "rowspan", 0, 0);
      }
      sb_putc(&o->html, '>');
    }
    int is_void = strcmp(name, "br") == 0 || strcmp(name, "hr") == 0 || strcmp(name, "img") == 0;
    if (!is_void) walk(o, n->children, depth + 1);
    if (keep && !is_void) sb_appendf(&o->html, "</%s>", name);
    if (block) {
      strbuf *t = &o->text;
      if (t->len && t->data && t->data[t->len - 1] == ' ') t->data[--t->len] = 0;
      if (t->len && t->data && t->data[t->len - 1] != '\n') sb_putc(t, '\n');
    }
  }
}

char *mail_html_sanitize(arena *a, const char *html, size_t len, char **text) {
  out o;
  sb_init(&o.html, MAX_OUT);
  sb_init(&o.text, MAX_OUT);
  sb_append(&o.html, "");
  sb_append(&o.text, "");
  htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                      HTML_PARSE_NOIMPLIED);
  if (doc) {
    walk(&o, xmlDocGetRootElement(doc) ? doc->children : NULL, 0);
    xmlFreeDoc(doc);
  }
  char *h = arena_strdup(a, sb_str(&o.html) ? sb_str(&o.html) : "");
  if (text) {
    const char *t = sb_str(&o.text) ? sb_str(&o.text) : "";
    while (*t == '\n' || *t == ' ') t++;
    *text = arena_strdup(a, t);
  }
  sb_free(&o.html);
  sb_free(&o.text);
  return h;
}

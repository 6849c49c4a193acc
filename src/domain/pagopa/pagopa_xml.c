#include "domain/pagopa/pagopa_xml.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init_once(void) { xmlInitParser(); }
void pagopa_xml_init(void) { pthread_once(&xml_once, xml_init_once); }

int pagopa_xml_parse_options(void) {
  /* Not XML_PARSE_NOENT (substitutes entities), not DTDLOAD/DTDATTR/DTDVALID
   * (load the external subset), not HUGE (lifts libxml2's own limits). */
  return XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
}

/* The parser's private flag: a DOCTYPE was met. */
typedef struct {
  int doctype;
} read_guard;

/* SAX hook called at "<!DOCTYPE name ..." before the internal subset is
 * read: stop there, so no entity is ever declared, loaded or expanded. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id, const xmlChar *sys_id) {
  xmlParserCtxtPtr ctxt = ctx;
  ((read_guard *)ctxt->_private)->doctype = 1;
  xmlStopParser(ctxt);
}

static void quiet(void *ud, xmlErrorPtr e) {}

/* 1 if an element below root (root = depth 1) is deeper than max_depth. */
static int too_deep(xmlNode *root, int max_depth) {
  xmlNode *n = root;
  int depth = 1;
  for (;;) {
    if (n->type == XML_ELEMENT_NODE && depth > max_depth) return 1;
    if (n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      depth++;
      continue;
    }
    for (;;) {
      if (n == root) return 0;
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      depth--;
    }
  }
}

int pagopa_xml_read(const char *buf, size_t len, size_t max_bytes, int max_depth, xmlDoc **doc, char *msg,
                    size_t msg_size) {
  *doc = NULL;
  pagopa_xml_init();
  if (len > max_bytes || len > (size_t)0x7fffffff) {
    snprintf(msg, msg_size, "document larger than %zu bytes", max_bytes);
    return -1;
  }
  if (len == 0) {
    snprintf(msg, msg_size, "empty document");
    return -1;
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    snprintf(msg, msg_size, "out of memory");
    return -1;
  }
  read_guard g = {0};
  ctxt->_private = &g;
  ctxt->sax->internalSubset = refuse_doctype;
  ctxt->sax->externalSubset = refuse_doctype;
  ctxt->sax->serror = quiet;
  xmlDoc *d = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, pagopa_xml_parse_options());
  int rc = -1;
  if (g.doctype) {
    snprintf(msg, msg_size, "DOCTYPE is not allowed");
  } else if (!d || !ctxt->wellFormed) {
    xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
    const char *m = e && e->message ? e->message : "parse error";
    size_t ml = strlen(m);
    while (ml > 0 && (m[ml - 1] == '\n' || m[ml - 1] == ' ')) ml--;
    snprintf(msg, msg_size, "not well-formed XML (line %d): %.*s", e ? e->line : 0, (int)ml, m);
  } else if (d->intSubset || d->extSubset) {
    snprintf(msg, msg_size, "DOCTYPE is not allowed");
  } else if (!xmlDocGetRootElement(d)) {
    snprintf(msg, msg_size, "no root element");
  } else if (too_deep(xmlDocGetRootElement(d), max_depth)) {
    snprintf(msg, msg_size, "elements nested deeper than %d levels", max_depth);
  } else {
    rc = 0;
  }
  if (rc == 0) {
    *doc = d;
  } else if (d) {
    xmlFreeDoc(d);
  }
  ctxt->_private = NULL;
  xmlFreeParserCtxt(ctxt);
  return rc;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

const char *pagopa_xml_trim(const char *s, size_t *n) {
  while (is_blank(*s)) s++;
  size_t l = strlen(s);
  while (l > 0 && is_blank(s[l - 1])) l--;
  *n = l;
  return s;
}

int pagopa_xml_text_ok(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p;
    unsigned cp;
    int extra;
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return 0;
      p++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      cp = c & 0x1F;
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      cp = c & 0x0F;
      extra = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
      cp = c & 0x07;
      extra = 3;
    } else {
      return 0;
    }
    p++;
    for (int i = 0; i < extra; i++, p++) {
      if ((*p & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (*p & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
  }
  return 1;
}

size_t pagopa_utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static int dig(char c) { return c >= '0' && c <= '9'; }

int pagopa_digits(const char *s, size_t n) {
  size_t i = 0;
  for (; s[i]; i++)
    if (!dig(s[i])) return 0;
  return i == n;
}

int pagopa_amount_parse(const char *s, int64_t *cents) {
  size_t n;
  s = pagopa_xml_trim(s, &n);
  if (n < 4 || s[n - 3] != '.' || !dig(s[n - 2]) || !dig(s[n - 1])) return -1;
  size_t ilen = n - 3, i = 0;
  while (i + 1 < ilen && s[i] == '0') i++; /* leading zeros */
  if (ilen - i > 9) return -1;             /* above 999999999.99 */
  int64_t v = 0;
  for (; i < ilen; i++) {
    if (!dig(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  *cents = v * 100 + (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
  return 0;
}

int pagopa_amount_format(int64_t cents, char out[32]) {
  if (cents < 0 || cents > PAGOPA_AMOUNT_MAX) return -1;
  snprintf(out, 32, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
  return 0;
}

int pagopa_bool_parse(const char *s) {
  size_t n;
  s = pagopa_xml_trim(s, &n);
  if ((n == 4 && !memcmp(s, "true", 4)) || (n == 1 && s[0] == '1')) return 1;
  if ((n == 5 && !memcmp(s, "false", 5)) || (n == 1 && s[0] == '0')) return 0;
  return -1;
}

static int num(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!dig(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "YYYY-MM-DD" at s (10 chars known to be there). */
static int date10(const char *s, civil_date *out) {
  if (s[4] != '-' || s[7] != '-') return -1;
  int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
  if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d)) return -1;
  out->y = y;
  out->m = m;
  out->d = d;
  return 0;
}

/* Optional zone at s, n chars: "", "Z" or "+hh:mm" / "-hh:mm" (|zone| <= 14:00). */
static int zone(const char *s, size_t n, int *has, int *minutes) {
  *has = 0;
  *minutes = 0;
  if (n == 0) return 0;
  *has = 1;
  if (n == 1 && s[0] == 'Z') return 0;
  if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return -1;
  int h = num(s + 1, 2), m = num(s + 4, 2);
  if (h < 0 || m < 0 || m > 59 || h > 14 || (h == 14 && m != 0)) return -1;
  *minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
  return 0;
}

int pagopa_date_parse(const char *s, civil_date *out) {
  size_t n;
  s = pagopa_xml_trim(s, &n);
  civil_date d;
  int has, mins;
  if (n < 10 || date10(s, &d) || zone(s + 10, n - 10, &has, &mins)) return -1;
  *out = d;
  return 0;
}

int pagopa_datetime_parse(const char *s, pagopa_datetime *out) {
  size_t n;
  s = pagopa_xml_trim(s, &n);
  pagopa_datetime t = {0};
  if (n < 19 || date10(s, &t.date) || s[10] != 'T' || s[13] != ':' || s[16] != ':') return -1;
  t.hour = num(s + 11, 2);
  t.minute = num(s + 14, 2);
  t.second = num(s + 17, 2);
  if (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59) return -1;
  size_t i = 19;
  if (i < n && s[i] == '.') {
    size_t start = ++i;
    while (i < n && dig(s[i])) i++;
    if (i == start) return -1;
    for (size_t k = 0; k < 3; k++) t.millis = t.millis * 10 + (start + k < i ? s[start + k] - '0' : 0);
  }
  if (zone(s + i, n - i, &t.has_tz, &t.tz_minutes)) return -1;
  *out = t;
  return 0;
}

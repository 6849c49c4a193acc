#include "soaptest.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/parser.h>

char *st_read(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) fail_msg("cannot read %s", path);
  fclose(f);
  buf[n] = 0;
  if (len) *len = (size_t)n;
  return buf;
}

static void quiet_generic(void *ctx, const char *msg, ...) {}

xmlSchemaPtr st_schema(const char *xsd_path) {
  xmlSetGenericErrorFunc(NULL, quiet_generic);
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd_path);
  assert_non_null(pc);
  xmlSchemaPtr s = xmlSchemaParse(pc);
  xmlSchemaFreeParserCtxt(pc);
  if (!s) fail_msg("cannot load the schema %s", xsd_path);
  return s;
}

typedef struct {
  char *why;
  size_t size;
} err_sink;

static void first_error(void *ctx, xmlErrorPtr e) {
  err_sink *s = ctx;
  if (s->why[0] || !e || !e->message) return;
  snprintf(s->why, s->size, "%s", e->message);
  size_t n = strlen(s->why);
  while (n > 0 && s->why[n - 1] == '\n') s->why[--n] = 0;
}

static xmlNode *first_el(xmlNode *n) {
  while (n && n->type != XML_ELEMENT_NODE) n = n->next;
  return n;
}

static xmlNode *body_child(xmlDoc *d) {
  xmlNode *env = xmlDocGetRootElement(d);
  for (xmlNode *c = env ? first_el(env->children) : NULL; c; c = first_el(c->next))
    if (!strcmp((const char *)c->name, "Body")) return first_el(c->children);
  return NULL;
}

static int validate(xmlSchemaPtr schema, const char *xml, size_t len, int body, char *why, size_t size) {
  why[0] = 0;
  xmlDoc *d =
      xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!d) {
    snprintf(why, size, "not well-formed");
    return -1;
  }
  xmlNode *el = body ? body_child(d) : xmlDocGetRootElement(d);
  int rc = -1;
  if (!el) {
    snprintf(why, size, "no element to validate");
  } else {
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    err_sink sink = {why, size};
    xmlSchemaSetValidStructuredErrors(vc, first_error, &sink);
    rc = body ? xmlSchemaValidateOneElement(vc, el) : xmlSchemaValidateDoc(vc, d);
    xmlSchemaFreeValidCtxt(vc);
    if (rc != 0 && !why[0]) snprintf(why, size, "invalid (%d)", rc);
    rc = rc == 0 ? 0 : -1;
  }
  xmlFreeDoc(d);
  return rc;
}

int st_validate_body(xmlSchemaPtr schema, const char *xml, size_t len, char *why, size_t size) {
  return validate(schema, xml, len, 1, why, size);
}

int st_validate_doc(xmlSchemaPtr schema, const char *xml, size_t len, char *why, size_t size) {
  return validate(schema, xml, len, 0, why, size);
}

static int blank(const xmlChar *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t') return 0;
  return 1;
}

/* Next child worth comparing: an element or non-blank text. */
static xmlNode *next_sig(xmlNode *n) {
  while (n && !(n->type == XML_ELEMENT_NODE || (n->type == XML_TEXT_NODE && !blank(n->content)))) n = n->next;
  return n;
}

static int same(xmlNode *a, xmlNode *b, char *why, size_t size) {
  if (a->type != b->type) {
    snprintf(why, size, "node kinds differ at %s", a->name ? (const char *)a->name : "?");
    return -1;
  }
  if (a->type == XML_TEXT_NODE) {
    if (strcmp((const char *)a->content, (const char *)b->content)) {
      snprintf(why, size, "text '%s' vs '%s'", (const char *)a->content, (const char *)b->content);
      return -1;
    }
    return 0;
  }
  const char *na = a->ns ? (const char *)a->ns->href : "", *nb = b->ns ? (const char *)b->ns->href : "";
  if (strcmp((const char *)a->name, (const char *)b->name) || strcmp(na, nb)) {
    snprintf(why, size, "element %s vs %s", (const char *)a->name, (const char *)b->name);
    return -1;
  }
  xmlNode *ca = next_sig(a->children), *cb = next_sig(b->children);
  while (ca && cb) {
    if (same(ca, cb, why, size)) return -1;
    ca = next_sig(ca->next);
    cb = next_sig(cb->next);
  }
  if (ca || cb) {
    snprintf(why, size, "in %s: %s has more content (%s)", (const char *)a->name, ca ? "first" : "second",
             (const char *)(ca ? ca : cb)->name);
    return -1;
  }
  return 0;
}

int st_same_body(const char *a, size_t alen, const char *b, size_t blen, char *why, size_t size) {
  why[0] = 0;
  int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xmlDoc *da = xmlReadMemory(a, (int)alen, NULL, NULL, opts),
         *db = xmlReadMemory(b, (int)blen, NULL, NULL, opts);
  int rc = -1;
  if (!da || !db)
    snprintf(why, size, "not well-formed");
  else if (!body_child(da) || !body_child(db))
    snprintf(why, size, "no body");
  else
    rc = same(body_child(da), body_child(db), why, size);
  if (da) xmlFreeDoc(da);
  if (db) xmlFreeDoc(db);
  return rc;
}

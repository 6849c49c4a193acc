/* The XSD simple and common complex types of SANP, both directions. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "soap/sanp_internal.h"

static int az09(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* stEMail: [a-zA-Z0-9_\.\+\-]+@[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)* */
static int email_ok(const char *v) {
  const char *p = v;
  while (az09(*p) || *p == '_' || *p == '.' || *p == '+' || *p == '-') p++;
  if (p == v || *p != '@') return 0;
  p++;
  for (;;) {
    const char *label = p;
    while (az09(*p) || *p == '-') p++;
    if (p == label) return 0;
    if (*p == 0) return 1;
    if (*p != '.') return 0;
    p++;
  }
}

static const char *len_range(const char *v, size_t lo, size_t hi) {
  static const char *msgs[] = {"must not be empty", "is too long", "is too short"};
  size_t n = pagopa_utf8_len(v);
  if (n < lo) return lo == 1 ? msgs[0] : msgs[2];
  if (n > hi) return msgs[1];
  return NULL;
}

const char *sanp_check_string(sanp_stype t, const char *v) {
  if (!pagopa_xml_text_ok(v)) return "contains characters not allowed in XML";
  switch (t) {
    case ST_STRING:
      return NULL;
    case ST_TEXT16:
      return len_range(v, 1, 16) ? "must be 1 to 16 characters" : NULL;
    case ST_TEXT20:
      return len_range(v, 1, 20) ? "must be 1 to 20 characters" : NULL;
    case ST_TEXT35:
      return len_range(v, 1, 35) ? "must be 1 to 35 characters" : NULL;
    case ST_TEXT70:
      return len_range(v, 1, 70) ? "must be 1 to 70 characters" : NULL;
    case ST_TEXT140:
      return len_range(v, 1, 140) ? "must be 1 to 140 characters" : NULL;
    case ST_TEXT210:
      return len_range(v, 1, 210) ? "must be 1 to 210 characters" : NULL;
    case ST_IBAN:
      return len_range(v, 1, 35) ? "must be 1 to 35 characters" : NULL;
    case ST_ENTITY_VALUE:
      return len_range(v, 2, 16) ? "must be 2 to 16 characters" : NULL;
    case ST_LEN5:
      return pagopa_utf8_len(v) != 5 ? "must be exactly 5 characters" : NULL;
    case ST_FISCAL_CODE_PA:
      return pagopa_digits(v, 11) ? NULL : "must be 11 digits";
    case ST_NOTICE_NUMBER:
      return pagopa_digits(v, 18) ? NULL : "must be 18 digits";
    case ST_NAZIONE_PROVINCIA:
      return (strlen(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z')
                 ? NULL
                 : "must be 2 capital letters";
    case ST_EMAIL:
      return (strlen(v) <= 256 && email_ok(v)) ? NULL : "is not a valid e-mail address";
    case ST_ENTITY_TYPE:
      return (!strcmp(v, "F") || !strcmp(v, "G")) ? NULL : "must be F or G";
    case ST_TIPO_BOLLO:
      return !strcmp(v, "01") ? NULL : "must be 01";
    case ST_BASE64_72: {
      /* base64Binary collapses blanks; the pattern .{4,72} then counts
       * the characters of the collapsed value */
      size_t n;
      const char *s = pagopa_xml_trim(v, &n);
      size_t len = 0;
      for (size_t i = 0; i < n; i++)
        if (!(i > 0 && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') &&
              (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\r' || s[i - 1] == '\n')))
          len++;
      if (len < 4 || len > 72) return "must be 4 to 72 base64 characters";
      return NULL; /* base64 validity: checked by the caller's decode */
    }
  }
  return "unknown type";
}

int sanp_base64_decode(arena *a, const char *b64, const unsigned char **out, size_t *len) {
  size_t n;
  const char *s = pagopa_xml_trim(b64, &n);
  unsigned char *buf = arena_alloc(a, n / 4 * 3 + 4);
  size_t bin_len = 0;
  const char *end = NULL;
  if (sodium_base642bin(buf, n / 4 * 3 + 3, s, n, " \t\r\n", &bin_len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != s + n)
    return -1;
  *out = buf;
  *len = bin_len;
  return 0;
}

/* ---- decoding --------------------------------------------------------- */

void d_push(dctx *d, const char *name) {
  int w = snprintf(d->path + d->plen, sizeof d->path - d->plen, "%s%s", d->plen ? "/" : "", name);
  if (w > 0) d->plen = d->plen + (size_t)w < sizeof d->path ? d->plen + (size_t)w : sizeof d->path - 1;
}

void d_pop(dctx *d) {
  while (d->plen > 0 && d->path[d->plen - 1] != '/') d->plen--;
  if (d->plen > 0) d->plen--;
  d->path[d->plen] = 0;
}

/* out = path + "/" + leaf (no slash without a leaf), cut to n - 1 bytes
 * (written by hand: snprintf's truncation warning fails -O3 builds). */
static void field_path(char *out, size_t n, const char *path, const char *leaf) {
  size_t o = 0;
  for (const char *p = path; *p && o + 1 < n; p++) out[o++] = *p;
  if (leaf && *leaf && o + 1 < n) out[o++] = '/';
  for (const char *p = leaf ? leaf : ""; *p && o + 1 < n; p++) out[o++] = *p;
  out[o] = 0;
}

void d_fail(dctx *d, const char *leaf, const char *fmt, ...) {
  if (d->failed) return;
  d->failed = 1;
  d->err->fault = PAA_SINTASSI_XSD;
  field_path(d->err->field, sizeof d->err->field, d->path, leaf);
  char why[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  snprintf(d->err->description, sizeof d->err->description, "%s: %s", d->err->field, why);
}

static int blank_text(const xmlChar *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
  return 1;
}

static xmlNode *next_element(xmlNode *n) {
  while (n && n->type != XML_ELEMENT_NODE) n = n->next;
  return n;
}

void d_open(dctx *d, dseq *s, xmlNode *parent) {
  s->parent = parent;
  s->cur = NULL;
  if (d->failed) return;
  if (parent->properties) {
    d_fail(d, NULL, "attribute '%s' is not allowed", (const char *)parent->properties->name);
    return;
  }
  for (xmlNode *c = parent->children; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !blank_text(c->content)) {
      d_fail(d, NULL, "text is not allowed here");
      return;
    }
  s->cur = next_element(parent->children);
}

static int named(xmlNode *n, const char *name) { return n && !n->ns && !strcmp((const char *)n->name, name); }

xmlNode *d_take(dctx *d, dseq *s, const char *name, int required) {
  if (d->failed) return NULL;
  if (named(s->cur, name)) {
    xmlNode *n = s->cur;
    s->cur = next_element(n->next);
    return n;
  }
  if (required) {
    if (s->cur)
      d_fail(d, name, "missing required element (found '%s%s%s')",
             s->cur->ns ? (const char *)s->cur->ns->href : "", s->cur->ns ? ":" : "",
             (const char *)s->cur->name);
    else
      d_fail(d, name, "missing required element");
  }
  return NULL;
}

void d_close(dctx *d, dseq *s) {
  if (d->failed || !s->cur) return;
  d_fail(d, NULL, "unexpected element '%s%s%s'", s->cur->ns ? (const char *)s->cur->ns->href : "",
         s->cur->ns ? ":" : "", (const char *)s->cur->name);
}

const char *d_text(dctx *d, xmlNode *n) {
  if (d->failed) return NULL;
  if (n->properties) {
    d_fail(d, (const char *)n->name, "attribute '%s' is not allowed", (const char *)n->properties->name);
    return NULL;
  }
  size_t total = 0;
  for (xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      d_fail(d, (const char *)n->name, "element content is not allowed");
      return NULL;
    }
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      total += strlen((const char *)c->content);
  }
  char *out = arena_alloc(d->a, total + 1), *p = out;
  for (xmlNode *c = n->children; c; c = c->next)
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      size_t l = strlen((const char *)c->content);
      memcpy(p, c->content, l);
      p += l;
    }
  *p = 0;
  return out;
}

const char *d_str(dctx *d, dseq *s, const char *name, sanp_stype t, int required) {
  xmlNode *n = d_take(d, s, name, required);
  if (!n) return NULL;
  const char *v = d_text(d, n);
  if (!v) return NULL;
  const char *why = sanp_check_string(t, v);
  if (why) {
    d_fail(d, name, "%s", why);
    return NULL;
  }
  return v;
}

int d_amount(dctx *d, dseq *s, const char *name, int not_zero, int required, int64_t *cents) {
  xmlNode *n = d_take(d, s, name, required);
  const char *v = n ? d_text(d, n) : NULL;
  if (!v) return 0;
  if (pagopa_amount_parse(v, cents)) {
    d_fail(d, name, "not an amount with two decimals up to 999999999.99 (e.g. 123.45)");
    return 0;
  }
  if (not_zero && *cents == 0) {
    d_fail(d, name, "must be at least 0.01");
    return 0;
  }
  return 1;
}

int d_date(dctx *d, dseq *s, const char *name, int required, civil_date *out) {
  xmlNode *n = d_take(d, s, name, required);
  const char *v = n ? d_text(d, n) : NULL;
  if (!v) return 0;
  if (pagopa_date_parse(v, out)) {
    d_fail(d, name, "not a date YYYY-MM-DD");
    return 0;
  }
  return 1;
}

int d_datetime(dctx *d, dseq *s, const char *name, int required, const char **raw, pagopa_datetime *out) {
  xmlNode *n = d_take(d, s, name, required);
  const char *v = n ? d_text(d, n) : NULL;
  if (!v) return 0;
  if (pagopa_datetime_parse(v, out)) {
    d_fail(d, name, "not a date-time YYYY-MM-DDThh:mm:ss");
    return 0;
  }
  *raw = v;
  return 1;
}

int d_bool(dctx *d, dseq *s, const char *name, int required, int *out) {
  xmlNode *n = d_take(d, s, name, required);
  const char *v = n ? d_text(d, n) : NULL;
  if (!v) return 0;
  int b = pagopa_bool_parse(v);
  if (b < 0) {
    d_fail(d, name, "must be true or false");
    return 0;
  }
  *out = b;
  return 1;
}

const char *d_base64(dctx *d, dseq *s, const char *name, int required, const unsigned char **bytes,
                     size_t *len) {
  xmlNode *n = d_take(d, s, name, required);
  const char *v = n ? d_text(d, n) : NULL;
  if (!v) return NULL;
  if (!pagopa_xml_text_ok(v) || sanp_base64_decode(d->a, v, bytes, len)) {
    d_fail(d, name, "not valid base64");
    return NULL;
  }
  return v;
}

void d_caller(dctx *d, dseq *s, sanp_caller *c) {
  c->id_pa = d_str(d, s, "idPA", ST_TEXT35, 1);
  c->id_broker_pa = d_str(d, s, "idBrokerPA", ST_TEXT35, 1);
  c->id_station = d_str(d, s, "idStation", ST_TEXT35, 1);
}

void d_qr(dctx *d, dseq *s, sanp_qr_code *qr) {
  xmlNode *n = d_take(d, s, "qrCode", 1);
  if (!n) return;
  dseq q;
  d_push(d, "qrCode");
  d_open(d, &q, n);
  qr->fiscal_code = d_str(d, &q, "fiscalCode", ST_FISCAL_CODE_PA, 1);
  qr->notice_number = d_str(d, &q, "noticeNumber", ST_NOTICE_NUMBER, 1);
  d_close(d, &q);
  d_pop(d);
}

void d_subject(dctx *d, dseq *s, const char *name, int required, sanp_subject *out, int *present) {
  xmlNode *n = d_take(d, s, name, required);
  if (present) *present = n != NULL;
  if (!n) return;
  dseq q, u;
  d_push(d, name);
  d_open(d, &q, n);
  xmlNode *uid = d_take(d, &q, "uniqueIdentifier", 1);
  if (uid) {
    d_push(d, "uniqueIdentifier");
    d_open(d, &u, uid);
    const char *t = d_str(d, &u, "entityUniqueIdentifierType", ST_ENTITY_TYPE, 1);
    out->id_type = t ? t[0] : 0;
    out->id_value = d_str(d, &u, "entityUniqueIdentifierValue", ST_ENTITY_VALUE, 1);
    d_close(d, &u);
    d_pop(d);
  }
  out->full_name = d_str(d, &q, "fullName", ST_TEXT70, 1);
  out->street_name = d_str(d, &q, "streetName", ST_TEXT70, 0);
  out->civic_number = d_str(d, &q, "civicNumber", ST_TEXT16, 0);
  out->postal_code = d_str(d, &q, "postalCode", ST_TEXT16, 0);
  out->city = d_str(d, &q, "city", ST_TEXT35, 0);
  out->state_province_region = d_str(d, &q, "stateProvinceRegion", ST_TEXT35, 0);
  out->country = d_str(d, &q, "country", ST_NAZIONE_PROVINCIA, 0);
  out->email = d_str(d, &q, "e-mail", ST_EMAIL, 0);
  d_close(d, &q);
  d_pop(d);
}

void d_metadata(dctx *d, dseq *s, sanp_metadata *m) {
  m->n = 0;
  m->entries = NULL;
  xmlNode *n = d_take(d, s, "metadata", 0);
  if (!n) return;
  dseq q;
  d_push(d, "metadata");
  d_open(d, &q, n);
  m->entries = ARENA_ARRAY(d->a, sanp_map_entry, 15);
  xmlNode *e;
  while (!d->failed && (e = d_take(d, &q, "mapEntry", m->n == 0))) {
    if (m->n == 15) {
      d_fail(d, "mapEntry", "more than 15 entries");
      break;
    }
    dseq me;
    char seg[24];
    snprintf(seg, sizeof seg, "mapEntry[%zu]", m->n + 1);
    d_push(d, seg);
    d_open(d, &me, e);
    m->entries[m->n].key = d_str(d, &me, "key", ST_TEXT140, 1);
    m->entries[m->n].value = d_str(d, &me, "value", ST_TEXT140, 1);
    d_close(d, &me);
    d_pop(d);
    m->n++;
  }
  d_close(d, &q);
  d_pop(d);
}

static void d_transfer(dctx *d, xmlNode *n, transfer_kind k, sanp_transfer *t) {
  dseq q;
  d_open(d, &q, n);
  const char *id = d_str(d, &q, "idTransfer", ST_STRING, 1);
  if (id) {
    /* xsd:int restricted to 1..5: blanks, an optional sign, leading zeros */
    size_t len;
    const char *p = pagopa_xml_trim(id, &len), *e = p + len;
    if (p < e && *p == '+') p++;
    while (p + 1 < e && *p == '0') p++;
    if (p + 1 == e && *p >= '1' && *p <= '5')
      t->id_transfer = *p - '0';
    else
      d_fail(d, "idTransfer", "must be 1, 2, 3, 4 or 5");
  }
  d_amount(d, &q, "transferAmount", 1, 1, &t->amount_cents);
  t->fiscal_code_pa = d_str(d, &q, "fiscalCodePA", ST_FISCAL_CODE_PA, 1);
  if (k != TRANSFER_V1) t->company_name = d_str(d, &q, "companyName", ST_TEXT140, 0);
  t->iban = d_str(d, &q, "IBAN", ST_IBAN, k == TRANSFER_V1);
  if (!t->iban && k == TRANSFER_V2_STAMP) {
    xmlNode *m = d_take(d, &q, "richiestaMarcaDaBollo", 0);
    if (!m && !d->failed) d_fail(d, "IBAN", "missing IBAN or richiestaMarcaDaBollo");
    if (m) {
      dseq r;
      d_push(d, "richiestaMarcaDaBollo");
      d_open(d, &r, m);
      t->stamp_hash = d_str(d, &r, "hashDocumento", ST_BASE64_72, 1);
      const unsigned char *bin;
      size_t bl;
      if (t->stamp_hash && sanp_base64_decode(d->a, t->stamp_hash, &bin, &bl))
        d_fail(d, "hashDocumento", "not valid base64");
      t->stamp_type = d_str(d, &r, "tipoBollo", ST_TIPO_BOLLO, 1);
      t->stamp_province = d_str(d, &r, "provinciaResidenza", ST_NAZIONE_PROVINCIA, 1);
      d_close(d, &r);
      d_pop(d);
    }
  } else if (!t->iban && k == TRANSFER_V2_MBD) {
    t->mbd_base64 = d_base64(d, &q, "MBDAttachment", 0, &t->mbd, &t->mbd_len);
    if (!t->mbd_base64 && !d->failed) d_fail(d, "IBAN", "missing IBAN or MBDAttachment");
  }
  t->remittance_information = d_str(d, &q, "remittanceInformation", ST_TEXT140, 1);
  t->transfer_category = d_str(d, &q, "transferCategory", ST_TEXT140, 1);
  d_metadata(d, &q, &t->metadata);
  d_close(d, &q);
}

void d_transfer_list(dctx *d, dseq *s, transfer_kind k, sanp_transfer **out, size_t *n) {
  *n = 0;
  *out = NULL;
  xmlNode *list = d_take(d, s, "transferList", 1);
  if (!list) return;
  dseq q;
  d_push(d, "transferList");
  d_open(d, &q, list);
  sanp_transfer *t = ARENA_ARRAY(d->a, sanp_transfer, 5);
  xmlNode *e;
  while (!d->failed && (e = d_take(d, &q, "transfer", *n == 0))) {
    if (*n == 5) {
      d_fail(d, "transfer", "more than 5 transfers");
      break;
    }
    char seg[24];
    snprintf(seg, sizeof seg, "transfer[%zu]", *n + 1);
    d_push(d, seg);
    d_transfer(d, e, k, &t[*n]);
    d_pop(d);
    (*n)++;
  }
  d_close(d, &q);
  d_pop(d);
  *out = t;
}

/* ---- encoding --------------------------------------------------------- */

void e_fail(ectx *e, const char *leaf, const char *fmt, ...) {
  if (e->failed) return;
  e->failed = 1;
  e->err->fault = PAA_SYSTEM_ERROR;
  field_path(e->err->field, sizeof e->err->field, e->path, leaf);
  char why[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  snprintf(e->err->description, sizeof e->err->description, "%s: %s", e->err->field, why);
}

void e_open(ectx *e, const char *name) {
  int w = snprintf(e->path + e->plen, sizeof e->path - e->plen, "%s%s", e->plen ? "/" : "", name);
  if (w > 0) e->plen = e->plen + (size_t)w < sizeof e->path ? e->plen + (size_t)w : sizeof e->path - 1;
  sb_putc(&e->sb, '<');
  sb_append(&e->sb, name);
  sb_putc(&e->sb, '>');
}

void e_close(ectx *e, const char *name) {
  while (e->plen > 0 && e->path[e->plen - 1] != '/') e->plen--;
  if (e->plen > 0) e->plen--;
  e->path[e->plen] = 0;
  sb_append(&e->sb, "</");
  sb_append(&e->sb, name);
  sb_putc(&e->sb, '>');
}

/* Text content: &, <, > and CR escaped (the rest is valid XML already). */
static void e_escaped(ectx *e, const char *v) {
  for (const char *p = v; *p; p++) {
    switch (*p) {
      case '&':
        sb_append(&e->sb, "&amp;");
        break;
      case '<':
        sb_append(&e->sb, "&lt;");
        break;
      case '>':
        sb_append(&e->sb, "&gt;");
        break;
      case '\r':
        sb_append(&e->sb, "&#13;");
        break;
      default:
        sb_putc(&e->sb, *p);
    }
  }
}

static void e_leaf(ectx *e, const char *name, const char *v) {
  sb_putc(&e->sb, '<');
  sb_append(&e->sb, name);
  sb_putc(&e->sb, '>');
  e_escaped(e, v);
  sb_append(&e->sb, "</");
  sb_append(&e->sb, name);
  sb_putc(&e->sb, '>');
}

void e_str(ectx *e, const char *name, sanp_stype t, const char *v, int required) {
  if (e->failed) return;
  if (!v) {
    if (required) e_fail(e, name, "missing required value");
    return;
  }
  const char *why = sanp_check_string(t, v);
  if (why) {
    e_fail(e, name, "%s", why);
    return;
  }
  e_leaf(e, name, v);
}

void e_amount(ectx *e, const char *name, int64_t cents, int not_zero) {
  char buf[32];
  if (e->failed) return;
  if (pagopa_amount_format(cents, buf) || (not_zero && cents == 0)) {
    e_fail(e, name, "amount out of range (%s to 999999999.99)", not_zero ? "0.01" : "0.00");
    return;
  }
  e_leaf(e, name, buf);
}

void e_date(ectx *e, const char *name, civil_date d) {
  if (e->failed) return;
  if (!date_valid(d.y, d.m, d.d)) {
    e_fail(e, name, "not a valid date");
    return;
  }
  char buf[11];
  date_format_iso(d, buf);
  e_leaf(e, name, buf);
}

void e_bool(ectx *e, const char *name, int v) { e_leaf(e, name, v ? "true" : "false"); }

void e_subject(ectx *e, const char *name, const sanp_subject *s) {
  e_open(e, name);
  e_open(e, "uniqueIdentifier");
  char type[2] = {s->id_type, 0};
  e_str(e, "entityUniqueIdentifierType", ST_ENTITY_TYPE, type, 1);
  e_str(e, "entityUniqueIdentifierValue", ST_ENTITY_VALUE, s->id_value, 1);
  e_close(e, "uniqueIdentifier");
  e_str(e, "fullName", ST_TEXT70, s->full_name, 1);
  e_str(e, "streetName", ST_TEXT70, s->street_name, 0);
  e_str(e, "civicNumber", ST_TEXT16, s->civic_number, 0);
  e_str(e, "postalCode", ST_TEXT16, s->postal_code, 0);
  e_str(e, "city", ST_TEXT35, s->city, 0);
  e_str(e, "stateProvinceRegion", ST_TEXT35, s->state_province_region, 0);
  e_str(e, "country", ST_NAZIONE_PROVINCIA, s->country, 0);
  e_str(e, "e-mail", ST_EMAIL, s->email, 0);
  e_close(e, name);
}

void e_qr(ectx *e, const sanp_qr_code *qr) {
  e_open(e, "qrCode");
  e_str(e, "fiscalCode", ST_FISCAL_CODE_PA, qr->fiscal_code, 1);
  e_str(e, "noticeNumber", ST_NOTICE_NUMBER, qr->notice_number, 1);
  e_close(e, "qrCode");
}

void e_metadata(ectx *e, const sanp_metadata *m) {
  if (m->n == 0) return;
  if (m->n > 15) {
    e_fail(e, "metadata", "more than 15 entries");
    return;
  }
  e_open(e, "metadata");
  for (size_t i = 0; i < m->n; i++) {
    e_open(e, "mapEntry");
    e_str(e, "key", ST_TEXT140, m->entries[i].key, 1);
    e_str(e, "value", ST_TEXT140, m->entries[i].value, 1);
    e_close(e, "mapEntry");
  }
  e_close(e, "metadata");
}

void e_payment_option_list(ectx *e, const sanp_payment_option *o) {
  static const char *opts[] = {"EQ", "LS", "GT", "ANY"};
  if ((unsigned)o->options > SANP_OPTION_ANY) {
    e_fail(e, "paymentList/paymentOptionDescription/options", "not EQ, LS, GT or ANY");
    return;
  }
  e_open(e, "paymentList");
  e_open(e, "paymentOptionDescription");
  e_amount(e, "amount", o->amount_cents, 1);
  e_leaf(e, "options", opts[o->options]);
  if (o->has_due_date) e_date(e, "dueDate", o->due_date);
  e_str(e, "detailDescription", ST_TEXT140, o->detail_description, 0);
  e_bool(e, "allCCP", o->all_ccp);
  e_close(e, "paymentOptionDescription");
  e_close(e, "paymentList");
}

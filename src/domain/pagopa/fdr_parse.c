#include "domain/pagopa/fdr_parse.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlreader.h>

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

/* Leaf fields. */
enum {
  F_NONE = 0,
  F_VERSIONE,
  F_ID_FLUSSO,
  F_DATA_ORA,
  F_ID_REGOLAMENTO,
  F_DATA_REGOLAMENTO,
  F_MITT_TIPO,
  F_MITT_ID,
  F_MITT_DEN,
  F_BIC,
  F_RIC_TIPO,
  F_RIC_ID,
  F_RIC_DEN,
  F_NUMERO,
  F_IMPORTO,
  F_IUV,
  F_IUR,
  F_INDICE,
  F_SINGOLO_IMPORTO,
  F_ESITO,
  F_DATA_ESITO,
};

/* The content model: a sequence of items, each a leaf or a nested model. */
typedef struct model model;
typedef struct {
  const char *name;
  int min, max; /* max 0: unbounded */
  int field;    /* leaf field, or F_NONE with child */
  const model *child;
} item;
struct model {
  const item *items;
  int n;
};

#define ITEMS(a) \
  { a, (int)(sizeof a / sizeof a[0]) }
static const item id_mitt_items[] = {{"tipoIdentificativoUnivoco", 1, 1, F_MITT_TIPO, NULL},
                                     {"codiceIdentificativoUnivoco", 1, 1, F_MITT_ID, NULL}};
static const model id_mitt = ITEMS(id_mitt_items);
static const item mitt_items[] = {{"identificativoUnivocoMittente", 1, 1, F_NONE, &id_mitt},
                                  {"denominazioneMittente", 0, 1, F_MITT_DEN, NULL}};
static const model mitt = ITEMS(mitt_items);
static const item id_ric_items[] = {{"tipoIdentificativoUnivoco", 1, 1, F_RIC_TIPO, NULL},
                                    {"codiceIdentificativoUnivoco", 1, 1, F_RIC_ID, NULL}};
static const model id_ric = ITEMS(id_ric_items);
static const item ric_items[] = {{"identificativoUnivocoRicevente", 1, 1, F_NONE, &id_ric},
                                 {"denominazioneRicevente", 0, 1, F_RIC_DEN, NULL}};
static const model ric = ITEMS(ric_items);
static const item pag_items[] = {{"identificativoUnivocoVersamento", 1, 1, F_IUV, NULL},
                                 {"identificativoUnivocoRiscossione", 1, 1, F_IUR, NULL},
                                 {"indiceDatiSingoloPagamento", 0, 1, F_INDICE, NULL},
                                 {"singoloImportoPagato", 1, 1, F_SINGOLO_IMPORTO, NULL},
                                 {"codiceEsitoSingoloPagamento", 1, 1, F_ESITO, NULL},
                                 {"dataEsitoSingoloPagamento", 1, 1, F_DATA_ESITO, NULL}};
static const model pag = ITEMS(pag_items);
static const item flusso_items[] = {
    {"versioneOggetto", 1, 1, F_VERSIONE, NULL},
    {"identificativoFlusso", 1, 1, F_ID_FLUSSO, NULL},
    {"dataOraFlusso", 1, 1, F_DATA_ORA, NULL},
    {"identificativoUnivocoRegolamento", 1, 1, F_ID_REGOLAMENTO, NULL},
    {"dataRegolamento", 1, 1, F_DATA_REGOLAMENTO, NULL},
    {"istitutoMittente", 1, 1, F_NONE, &mitt},
    {"codiceBicBancaDiRiversamento", 0, 1, F_BIC, NULL},
    {"istitutoRicevente", 1, 1, F_NONE, &ric},
    {"numeroTotalePagamenti", 1, 1, F_NUMERO, NULL},
    {"importoTotalePagamenti", 1, 1, F_IMPORTO, NULL},
    {"datiSingoliPagamenti", 1, 0, F_NONE, &pag},
};
static const model flusso = ITEMS(flusso_items);
static const item root_items[] = {{"FlussoRiversamento", 1, 1, F_NONE, &flusso}};
static const model root = ITEMS(root_items);

#define MAX_DEPTH 8

typedef struct {
  const model *m;
  int idx, count; /* current item, and how many times it occurred */
} frame;
#define MAX_TEXT 4096

typedef struct {
  const fdr_options *o;
  fdr_result *r;
  xmlTextReaderPtr reader;
  err_code rc; /* first error */
  frame stack[MAX_DEPTH];
  int depth;
  int leaf; /* field being read, F_NONE outside a leaf */
  const char *leaf_name;
  char text[MAX_TEXT];
  size_t tlen;
  int text_overflow;
  int header_sent;
  int at_end; /* the document was read: errors have no line */
  fdr_payment p;
  char xml_error[200]; /* first libxml2 error */
} fdr_state;

static void fail(fdr_state *s, err_code rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(fdr_state *s, err_code rc, const char *fmt, ...) {
  if (s->rc != ERR_OK) return;
  s->rc = rc;
  if (s->reader && !s->at_end) s->r->line = xmlTextReaderGetParserLineNumber(s->reader);
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (s->r->line > 0)
    snprintf(s->r->error, sizeof s->r->error, "line %d: %s", s->r->line, msg);
  else
    snprintf(s->r->error, sizeof s->r->error, "%s", msg);
}

/* A string leaf with minLength/maxLength in characters, copied to out. */
static void str_field(fdr_state *s, const char *v, size_t lo, size_t hi, char *out, size_t out_size) {
  size_t n = pagopa_utf8_len(v);
  if (n < lo || n > hi || strlen(v) >= out_size) {
    fail(s, ERR_INVALID, "%s must be %zu to %zu characters", s->leaf_name, lo, hi);
    return;
  }
  memcpy(out, v, strlen(v) + 1);
}

static int esito_ok(fdr_schema sc, const char *v) {
  if (strlen(v) != 1) return 0;
  switch (v[0]) {
    case '0':
    case '9':
      return 1;
    case '3':
      return sc != FDR_SCHEMA_1_0_5;
    case '4':
    case '8':
      return sc != FDR_SCHEMA_1_0_4;
    default:
      return 0;
  }
}

/* xsd:integer (or a decimal whose fraction is all zeros, when
 * allow_fraction): blanks, optional sign, digits. Returns the value, -1 when
 * bad or above max_digits significant digits. */
static int64_t integer(const char *v, int max_digits, int allow_fraction) {
  size_t n;
  const char *p = pagopa_xml_trim(v, &n), *e = p + n;
  const char *dot = allow_fraction ? memchr(p, '.', n) : NULL;
  if (dot) {
    for (const char *z = dot + 1; z < e; z++)
      if (*z != '0') return -1;
    e = dot;
  }
  if (p < e && *p == '+') p++;
  if (p == e) return -1;
  while (p + 1 < e && *p == '0') p++;
  if (e - p > max_digits) return -1;
  int64_t x = 0;
  for (; p < e; p++) {
    if (*p < '0' || *p > '9') return -1;
    x = x * 10 + (*p - '0');
  }
  return x;
}

static void store_leaf(fdr_state *s) {
  fdr_header *h = &s->r->header;
  const char *v = s->text;
  if (s->text_overflow) {
    fail(s, ERR_INVALID, "%s is too long", s->leaf_name);
    return;
  }
  if (!pagopa_xml_text_ok(v)) {
    fail(s, ERR_INVALID, "%s holds characters not allowed in XML", s->leaf_name);
    return;
  }
  switch (s->leaf) {
    case F_VERSIONE:
      if (strcmp(v, "1.0") && strcmp(v, "1.1"))
        fail(s, ERR_INVALID, "versioneOggetto must be 1.0 or 1.1");
      else
        memcpy(h->versione_oggetto, v, 4);
      break;
    case F_ID_FLUSSO: {
      size_t n = strlen(v), i = 0;
      for (; i < n; i++) {
        char c = v[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_'))
          break;
      }
      if (n < 1 || n > 35 || i != n)
        fail(s, ERR_INVALID, "identificativoFlusso must be 1 to 35 letters, digits, '-' or '_'");
      else
        memcpy(h->identificativo_flusso, v, n + 1);
      break;
    }
    case F_DATA_ORA:
      if (pagopa_datetime_parse(v, &h->data_ora_flusso))
        fail(s, ERR_INVALID, "dataOraFlusso is not a date-time YYYY-MM-DDThh:mm:ss");
      break;
    case F_ID_REGOLAMENTO:
      str_field(s, v, 1, 35, h->identificativo_univoco_regolamento,
                sizeof h->identificativo_univoco_regolamento);
      break;
    case F_DATA_REGOLAMENTO:
      if (pagopa_date_parse(v, &h->data_regolamento))
        fail(s, ERR_INVALID, "dataRegolamento is not a date YYYY-MM-DD");
      break;
    case F_MITT_TIPO:
      if (strcmp(v, "G") && strcmp(v, "A") && strcmp(v, "B"))
        fail(s, ERR_INVALID, "istitutoMittente tipoIdentificativoUnivoco must be G, A or B");
      else
        h->mittente_tipo = v[0];
      break;
    case F_MITT_ID:
      str_field(s, v, 1, 35, h->mittente_id, sizeof h->mittente_id);
      break;
    case F_MITT_DEN:
      str_field(s, v, 3, 70, h->mittente_denominazione, sizeof h->mittente_denominazione);
      break;
    case F_BIC:
      str_field(s, v, 1, 35, h->bic_riversamento, sizeof h->bic_riversamento);
      break;
    case F_RIC_TIPO:
      if (strcmp(v, "G")) fail(s, ERR_INVALID, "istitutoRicevente tipoIdentificativoUnivoco must be G");
      break;
    case F_RIC_ID:
      str_field(s, v, 1, 35, h->ricevente_id, sizeof h->ricevente_id);
      break;
    case F_RIC_DEN:
      str_field(s, v, 1, 140, h->ricevente_denominazione, sizeof h->ricevente_denominazione);
      break;
    case F_NUMERO:
      h->numero_totale_pagamenti = integer(v, 15, 1);
      if (h->numero_totale_pagamenti < 1)
        fail(s, ERR_INVALID, "numeroTotalePagamenti must be a whole number from 1");
      break;
    case F_IMPORTO:
      if (pagopa_amount_parse(v, &h->importo_totale_cents))
        fail(s, ERR_INVALID, "importoTotalePagamenti is not an amount with two decimals (e.g. 123.45)");
      break;
    case F_IUV:
      str_field(s, v, 1, 35, s->p.iuv, sizeof s->p.iuv);
      break;
    case F_IUR:
      str_field(s, v, 1, 35, s->p.iur, sizeof s->p.iur);
      break;
    case F_INDICE: {
      int64_t x = integer(v, 1, 0);
      if (x < 1 || x > 5) fail(s, ERR_INVALID, "indiceDatiSingoloPagamento must be 1 to 5");
      s->p.indice = (int)x;
      break;
    }
    case F_SINGOLO_IMPORTO:
      if (pagopa_amount_parse(v, &s->p.importo_cents) || s->p.importo_cents == 0)
        fail(s, ERR_INVALID,
             "singoloImportoPagato is not an amount from 0.01 with two decimals (e.g. 123.45)");
      break;
    case F_ESITO:
      if (!esito_ok(s->o->schema, v))
        fail(s, ERR_INVALID, "codiceEsitoSingoloPagamento '%.8s' is not allowed by the schema%s", v,
             s->o->schema == FDR_SCHEMA_1_0_4   ? " 1.0.4"
             : s->o->schema == FDR_SCHEMA_1_0_5 ? " 1.0.5"
                                                : "s");
      else
        s->p.esito = v[0] - '0';
      break;
    case F_DATA_ESITO:
      if (pagopa_date_parse(v, &s->p.data_esito))
        fail(s, ERR_INVALID, "dataEsitoSingoloPagamento is not a date YYYY-MM-DD");
      break;
  }
}

/* The element `name` starts inside the top frame. */
static void start_element(fdr_state *s, const char *name) {
  if (s->leaf != F_NONE) {
    fail(s, ERR_INVALID, "element %s is not allowed inside %s", name, s->leaf_name);
    return;
  }
  if (s->depth >= MAX_DEPTH) {
    fail(s, ERR_INVALID, "elements nested too deep");
    return;
  }
  frame *f = &s->stack[s->depth];
  const item *it;
  for (;;) {
    if (f->idx >= f->m->n) {
      fail(s, ERR_INVALID, "unexpected element %s", name);
      return;
    }
    it = &f->m->items[f->idx];
    if (!strcmp(it->name, name)) {
      if (it->max && f->count >= it->max) {
        fail(s, ERR_INVALID, "element %s repeated", name);
        return;
      }
      f->count++;
      break;
    }
    if (f->count < it->min) {
      fail(s, ERR_INVALID, "missing element %s (found %s)", it->name, name);
      return;
    }
    f->idx++;
    f->count = 0;
  }
  if (it->child) {
    if (it->child == &pag) {
      if (!s->header_sent) {
        s->header_sent = 1;
        if (s->o->on_header) {
          err_code rc = s->o->on_header(s->o->ud, &s->r->header);
          if (rc != ERR_OK) fail(s, rc, "stopped by the header callback");
        }
      }
      memset(&s->p, 0, sizeof s->p);
    }
    s->depth++;
    s->stack[s->depth].m = it->child;
    s->stack[s->depth].idx = 0;
    s->stack[s->depth].count = 0;
  } else {
    s->leaf = it->field;
    s->leaf_name = it->name;
    s->tlen = 0;
    s->text[0] = 0;
    s->text_overflow = 0;
  }
}

static void end_element(fdr_state *s) {
  if (s->leaf != F_NONE) {
    store_leaf(s);
    s->leaf = F_NONE;
    return;
  }
  frame *f = &s->stack[s->depth];
  for (int i = f->idx; i < f->m->n; i++) {
    int count = i == f->idx ? f->count : 0;
    if (count < f->m->items[i].min) {
      fail(s, ERR_INVALID, "missing element %s", f->m->items[i].name);
      return;
    }
  }
  const model *ended = f->m;
  s->depth--;
  if (ended == &pag) {
    s->r->count++;
    s->p.seq = s->r->count;
    s->r->sum_cents += s->p.importo_cents; /* <= 1e11 each: no overflow before 9e7 entries */
    if (s->o->on_payment) {
      err_code rc = s->o->on_payment(s->o->ud, &s->r->header, &s->p);
      if (rc != ERR_OK) fail(s, rc, "stopped by the payment callback");
    }
  }
}

static void text(fdr_state *s, const char *v) {
  if (s->leaf == F_NONE) {
    for (const char *p = v; *p; p++)
      if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
        fail(s, ERR_INVALID, "text is not allowed here");
        return;
      }
    return;
  }
  size_t n = strlen(v);
  if (s->tlen + n >= sizeof s->text) {
    s->text_overflow = 1;
    return;
  }
  memcpy(s->text + s->tlen, v, n + 1);
  s->tlen += n;
}

/* Attributes other than namespace declarations and xsi:* are refused. */
static void check_attributes(fdr_state *s, const char *name) {
  while (s->rc == ERR_OK && xmlTextReaderMoveToNextAttribute(s->reader) == 1) {
    if (xmlTextReaderIsNamespaceDecl(s->reader) == 1) continue;
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(s->reader);
    if (ns && !strcmp((const char *)ns, XSI_NS)) continue;
    fail(s, ERR_INVALID, "attribute %s is not allowed on %s",
         (const char *)xmlTextReaderConstLocalName(s->reader), name);
  }
  xmlTextReaderMoveToElement(s->reader);
}

static void quiet(void *arg, const char *msg, xmlParserSeverities sev, xmlTextReaderLocatorPtr loc) {
  fdr_state *s = arg;
  if (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR) return;
  if (!s->xml_error[0]) {
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    snprintf(s->xml_error, sizeof s->xml_error, "%.*s", (int)n, msg);
  }
}

static err_code run(fdr_state *s) {
  xmlTextReaderSetErrorHandler(s->reader, quiet, s);
  s->stack[0].m = &root;
  int ret;
  while (s->rc == ERR_OK && (ret = xmlTextReaderRead(s->reader)) == 1) {
    int type = xmlTextReaderNodeType(s->reader);
    switch (type) {
      case XML_READER_TYPE_DOCUMENT_TYPE:
        fail(s, ERR_BAD_REQUEST, "DOCTYPE is not allowed");
        break;
      case XML_READER_TYPE_ELEMENT: {
        const char *name = (const char *)xmlTextReaderConstLocalName(s->reader);
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(s->reader);
        if (!ns || strcmp((const char *)ns, FDR_NS)) {
          fail(s, ERR_INVALID, "element %s is not in the namespace %s", name, FDR_NS);
          break;
        }
        int empty = xmlTextReaderIsEmptyElement(s->reader);
        if (xmlTextReaderHasAttributes(s->reader) == 1) check_attributes(s, name);
        start_element(s, name);
        if (empty && s->rc == ERR_OK) end_element(s);
        break;
      }
      case XML_READER_TYPE_END_ELEMENT:
        end_element(s);
        break;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
        const xmlChar *v = xmlTextReaderConstValue(s->reader);
        if (v) text(s, (const char *)v);
        break;
      }
      case XML_READER_TYPE_ENTITY_REFERENCE:
      case XML_READER_TYPE_ENTITY:
        fail(s, ERR_BAD_REQUEST, "entities are not allowed");
        break;
      default:
        break; /* comments, processing instructions */
    }
  }
  if (s->rc == ERR_OK && ret != 0)
    fail(s, ERR_BAD_REQUEST, "not well-formed XML: %s", s->xml_error[0] ? s->xml_error : "parse error");
  if (s->rc == ERR_OK && s->stack[0].count == 0) fail(s, ERR_INVALID, "no FlussoRiversamento element");
  if (s->rc != ERR_OK) return s->rc;
  s->at_end = 1;
  const fdr_header *h = &s->r->header;
  if (h->numero_totale_pagamenti != s->r->count) {
    s->r->totals_mismatch = 1;
    fail(s, ERR_INVALID, "numeroTotalePagamenti is %lld but the flow holds %lld payments",
         (long long)h->numero_totale_pagamenti, (long long)s->r->count);
  } else if (h->importo_totale_cents != s->r->sum_cents) {
    s->r->totals_mismatch = 1;
    fail(s, ERR_INVALID, "importoTotalePagamenti is %lld.%02lld but the payments add up to %lld.%02lld",
         (long long)(h->importo_totale_cents / 100), (long long)(h->importo_totale_cents % 100),
         (long long)(s->r->sum_cents / 100), (long long)(s->r->sum_cents % 100));
  }
  return s->rc;
}

static int reader_options(void) {
  /* NOBLANKS: no whitespace nodes between elements (a leaf made only of
   * blanks is still reported by libxml2, so string values keep them). */
  return pagopa_xml_parse_options() | XML_PARSE_NOBLANKS;
}

err_code fdr_parse_memory(const char *buf, size_t len, const fdr_options *o, fdr_result *r) {
  memset(r, 0, sizeof *r);
  pagopa_xml_init();
  static fdr_state zero;
  fdr_state *s = malloc(sizeof *s); /* ~4.5 KiB: keep it off small stacks */
  if (!s) return ERR_INTERNAL;
  *s = zero;
  s->o = o;
  s->r = r;
  if ((o->max_bytes && len > o->max_bytes) || len > 0x7fffffff) {
    fail(s, ERR_TOO_LARGE, "the flow is larger than %zu bytes", o->max_bytes);
  } else {
    s->reader = xmlReaderForMemory(buf, (int)len, NULL, NULL, reader_options());
    if (!s->reader)
      fail(s, ERR_INTERNAL, "cannot create the XML reader");
    else
      run(s);
  }
  err_code rc = s->rc;
  if (s->reader) xmlFreeTextReader(s->reader);
  free(s);
  return rc;
}

typedef struct {
  int fd;
  size_t read, max;
  int too_large;
} file_in;

static int file_read(void *ctx, char *buf, int len) {
  file_in *f = ctx;
  ssize_t n;
  do n = read(f->fd, buf, (size_t)len);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  f->read += (size_t)n;
  if (f->max && f->read > f->max) {
    f->too_large = 1;
    return -1;
  }
  return (int)n;
}

static int file_close(void *ctx) { return 0; }

err_code fdr_parse_file(const char *path, const fdr_options *o, fdr_result *r) {
  memset(r, 0, sizeof *r);
  pagopa_xml_init();
  file_in f = {.fd = open(path, O_RDONLY | O_CLOEXEC), .max = o->max_bytes};
  if (f.fd < 0) {
    snprintf(r->error, sizeof r->error, "cannot open %s: %s", path, strerror(errno));
    return ERR_NOT_FOUND;
  }
  static fdr_state zero;
  fdr_state *s = malloc(sizeof *s);
  if (!s) {
    close(f.fd);
    return ERR_INTERNAL;
  }
  *s = zero;
  s->o = o;
  s->r = r;
  s->reader = xmlReaderForIO(file_read, file_close, &f, NULL, NULL, reader_options());
  if (!s->reader)
    fail(s, ERR_INTERNAL, "cannot create the XML reader");
  else
    run(s);
  if (f.too_large) {
    s->rc = ERR_OK;
    r->line = 0;
    r->totals_mismatch = 0;
    fail(s, ERR_TOO_LARGE, "the flow is larger than %zu bytes", o->max_bytes);
  }
  err_code rc = s->rc;
  if (s->reader) xmlFreeTextReader(s->reader);
  free(s);
  close(f.fd);
  return rc;
}

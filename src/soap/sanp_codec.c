/* SANP operations, fault codes, the SOAP envelope in and out. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include "soap/sanp_internal.h"

static const struct {
  const char *name, *req, *res;
} ops[SANP_OP__COUNT] = {
    [SANP_OP_NONE] = {"", "", ""},
    [SANP_OP_VERIFY] = {"paVerifyPaymentNotice", "paVerifyPaymentNoticeReq", "paVerifyPaymentNoticeRes"},
    [SANP_OP_GET_PAYMENT] = {"paGetPayment", "paGetPaymentReq", "paGetPaymentRes"},
    [SANP_OP_GET_PAYMENT_V2] = {"paGetPaymentV2", "paGetPaymentV2Request", "paGetPaymentV2Response"},
    [SANP_OP_SEND_RT] = {"paSendRT", "paSendRTReq", "paSendRTRes"},
    [SANP_OP_SEND_RT_V2] = {"paSendRTV2", "paSendRTV2Request", "paSendRTV2Response"},
    [SANP_OP_DEMAND] = {"paDemandPaymentNotice", "paDemandPaymentNoticeRequest",
                        "paDemandPaymentNoticeResponse"},
};

static int op_ok(sanp_op op) { return op > SANP_OP_NONE && op < SANP_OP__COUNT; }
const char *sanp_op_name(sanp_op op) { return op_ok(op) ? ops[op].name : ""; }
const char *sanp_op_request_element(sanp_op op) { return op_ok(op) ? ops[op].req : ""; }
const char *sanp_op_response_element(sanp_op op) { return op_ok(op) ? ops[op].res : ""; }

sanp_op sanp_op_from_action(const char *a) {
  if (!a) return SANP_OP_NONE;
  size_t n;
  a = pagopa_xml_trim(a, &n);
  if (n >= 2 && a[0] == '"' && a[n - 1] == '"') {
    a++;
    n -= 2;
  }
  for (int op = SANP_OP_NONE + 1; op < SANP_OP__COUNT; op++)
    if (strlen(ops[op].name) == n && !memcmp(ops[op].name, a, n)) return (sanp_op)op;
  return SANP_OP_NONE;
}

/* faultString as in the SANP table "faultCode e faultString" (Dominio EC),
 * with the plain apostrophe of the shared examples; PAA_RECEIPT_DUPLICATA,
 * absent from that table, as in the shared paSendRTV2 example. */
static const sanp_fault_info faults[PAA__COUNT - 1] = {
    {PAA_PAGAMENTO_SCONOSCIUTO, "PAA_PAGAMENTO_SCONOSCIUTO",
     "Pagamento in attesa risulta sconosciuto all'Ente Creditore"},
    {PAA_PAGAMENTO_DUPLICATO, "PAA_PAGAMENTO_DUPLICATO",
     "Pagamento in attesa risulta concluso all'Ente Creditore"},
    {PAA_PAGAMENTO_IN_CORSO, "PAA_PAGAMENTO_IN_CORSO",
     "Pagamento in attesa risulta in corso all'Ente Creditore"},
    {PAA_PAGAMENTO_SCADUTO, "PAA_PAGAMENTO_SCADUTO",
     "Pagamento in attesa risulta scaduto all'Ente Creditore"},
    {PAA_PAGAMENTO_ANNULLATO, "PAA_PAGAMENTO_ANNULLATO",
     "Pagamento in attesa risulta annullato all'Ente Creditore"},
    {PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO, "PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO",
     "L'importo del pagamento in attesa non e' congruente con il dato indicato dal PSP"},
    {PAA_ID_DOMINIO_ERRATO, "PAA_ID_DOMINIO_ERRATO", "La PAA non corrisponde al Dominio indicato"},
    {PAA_ID_INTERMEDIARIO_ERRATO, "PAA_ID_INTERMEDIARIO_ERRATO",
     "Identificativo intermediario non corrispondente"},
    {PAA_STAZIONE_INT_ERRATA, "PAA_STAZIONE_INT_ERRATA", "Stazione intermediario non corrispondente"},
    {PAA_SINTASSI_XSD, "PAA_SINTASSI_XSD", "Errore di sintassi XSD"},
    {PAA_SINTASSI_EXTRAXSD, "PAA_SINTASSI_EXTRAXSD", "Errore di sintassi extra XSD"},
    {PAA_SEMANTICA, "PAA_SEMANTICA", "Errore semantico"},
    {PAA_RECEIPT_DUPLICATA, "PAA_RECEIPT_DUPLICATA", "La receipt e' gia' stata acquisita"},
    {PAA_SYSTEM_ERROR, "PAA_SYSTEM_ERROR", "Errore generico"},
};

const sanp_fault_info *sanp_fault_table(size_t *n) {
  *n = PAA__COUNT - 1;
  return faults;
}

const char *sanp_fault_code(sanp_fault f) { return f > PAA_NONE && f < PAA__COUNT ? faults[f - 1].code : ""; }
const char *sanp_fault_string(sanp_fault f) {
  return f > PAA_NONE && f < PAA__COUNT ? faults[f - 1].string : "";
}

sanp_fault sanp_fault_from_code(const char *code) {
  for (size_t i = 0; code && i < PAA__COUNT - 1; i++)
    if (!strcmp(faults[i].code, code)) return faults[i].fault;
  return PAA_NONE;
}

/* ---- decoding the envelope -------------------------------------------- */

static err_code extra(sanp_error *err, sanp_op op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static err_code extra(sanp_error *err, sanp_op op, const char *fmt, ...) {
  err->fault = PAA_SINTASSI_EXTRAXSD;
  err->op = op;
  err->field[0] = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->description, sizeof err->description, fmt, ap);
  va_end(ap);
  return ERR_BAD_REQUEST;
}

static int in_ns(xmlNode *n, const char *ns) {
  return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns);
}

static xmlNode *first_element(xmlNode *n) {
  while (n && n->type != XML_ELEMENT_NODE) n = n->next;
  return n;
}

static int only_blank_text(xmlNode *parent) {
  for (xmlNode *c = parent->children; c; c = c->next) {
    if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) continue;
    for (const xmlChar *p = c->content; p && *p; p++)
      if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') return 0;
  }
  return 1;
}

/* Envelope -> the single element child of Body, or an error. */
static err_code body_element(xmlDoc *doc, sanp_op op, xmlNode **out, sanp_error *err) {
  xmlNode *env = xmlDocGetRootElement(doc);
  if (!in_ns(env, SANP_NS_SOAP) || strcmp((const char *)env->name, "Envelope"))
    return extra(err, op, "the document is not a SOAP 1.1 Envelope");
  if (!only_blank_text(env)) return extra(err, op, "text is not allowed in the SOAP Envelope");
  xmlNode *c = first_element(env->children);
  if (c && in_ns(c, SANP_NS_SOAP) && !strcmp((const char *)c->name, "Header")) c = first_element(c->next);
  if (!c || !in_ns(c, SANP_NS_SOAP) || strcmp((const char *)c->name, "Body"))
    return extra(err, op, "the SOAP Envelope has no Body");
  if (first_element(c->next)) return extra(err, op, "unexpected element after the SOAP Body");
  if (!only_blank_text(c)) return extra(err, op, "text is not allowed in the SOAP Body");
  xmlNode *b = first_element(c->children);
  if (!b) return extra(err, op, "the SOAP Body is empty");
  if (first_element(b->next)) return extra(err, op, "the SOAP Body holds more than one element");
  *out = b;
  return ERR_OK;
}

err_code sanp_decode(arena *a, const char *soap_action, const char *body, size_t len,
                     const sanp_limits *limits, sanp_request *out, sanp_error *err) {
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  sanp_limits lim = {SANP_DEFAULT_MAX_BYTES, SANP_DEFAULT_MAX_DEPTH};
  if (limits) lim = *limits;
  sanp_op op = sanp_op_from_action(soap_action);
  if (!soap_action || !*soap_action) return extra(err, SANP_OP_NONE, "SOAPAction header missing");
  if (op == SANP_OP_NONE) return extra(err, SANP_OP_NONE, "SOAPAction names no operation of paForNode");
  if (!body) return extra(err, op, "empty request");
  xmlDoc *doc = NULL;
  char msg[256];
  if (pagopa_xml_read(body, len, lim.max_bytes, lim.max_depth, &doc, msg, sizeof msg))
    return extra(err, op, "%s", msg);
  xmlNode *b = NULL;
  err_code rc = body_element(doc, op, &b, err);
  if (rc != ERR_OK) {
    xmlFreeDoc(doc);
    return rc;
  }
  sanp_op body_op = SANP_OP_NONE;
  for (int i = SANP_OP_NONE + 1; i < SANP_OP__COUNT; i++)
    if (in_ns(b, SANP_NS_PAFN) && !strcmp((const char *)b->name, ops[i].req)) body_op = (sanp_op)i;
  if (body_op == SANP_OP_NONE) {
    err->fault = PAA_SINTASSI_XSD;
    err->op = op;
    snprintf(err->field, sizeof err->field, "%s", (const char *)b->name);
    snprintf(err->description, sizeof err->description,
             "the SOAP Body holds '%s%s%s', not a paForNode request",
             b->ns && b->ns->href ? (const char *)b->ns->href : "", b->ns ? ":" : "", (const char *)b->name);
    xmlFreeDoc(doc);
    return ERR_BAD_REQUEST;
  }
  if (body_op != op) {
    xmlFreeDoc(doc);
    return extra(err, op, "SOAPAction %s does not match the body element %s", ops[op].name, ops[body_op].req);
  }
  dctx d = {.a = a, .err = err};
  d_push(&d, ops[op].req);
  switch (op) {
    case SANP_OP_VERIFY:
      sanp_decode_verify(&d, b, &out->u.verify);
      break;
    case SANP_OP_GET_PAYMENT:
    case SANP_OP_GET_PAYMENT_V2:
      sanp_decode_get_payment(&d, b, &out->u.get_payment);
      break;
    case SANP_OP_SEND_RT:
      sanp_decode_send_rt(&d, b, 0, &out->u.send_rt);
      break;
    case SANP_OP_SEND_RT_V2:
      sanp_decode_send_rt(&d, b, 1, &out->u.send_rt);
      break;
    case SANP_OP_DEMAND:
      sanp_decode_demand(&d, b, &out->u.demand);
      break;
    default:
      break;
  }
  xmlFreeDoc(doc);
  if (d.failed) {
    err->op = op;
    memset(&out->u, 0, sizeof out->u);
    return ERR_BAD_REQUEST;
  }
  out->op = op;
  out->raw_xml = arena_strndup(a, body, len);
  out->raw_len = len;
  return ERR_OK;
}

/* ---- encoding the envelope -------------------------------------------- */

#define SANP_MAX_RESPONSE ((size_t)4 << 20)

void e_init(ectx *e, sanp_error *err, sanp_op op) {
  memset(e, 0, sizeof *e);
  sb_init(&e->sb, SANP_MAX_RESPONSE);
  e->err = err;
  memset(err, 0, sizeof *err);
  err->op = op;
}

void e_begin(ectx *e, sanp_op op, int ok) {
  sb_append(&e->sb,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<soapenv:Envelope xmlns:soapenv=\"" SANP_NS_SOAP "\" xmlns:pafn=\"" SANP_NS_PAFN
            "\"><soapenv:Body><pafn:");
  sb_append(&e->sb, ops[op].res);
  sb_append(&e->sb, ok ? "><outcome>OK</outcome>" : "><outcome>KO</outcome>");
  snprintf(e->path, sizeof e->path, "%s", ops[op].res);
  e->plen = strlen(e->path);
}

void e_end(ectx *e, sanp_op op) {
  sb_append(&e->sb, "</pafn:");
  sb_append(&e->sb, ops[op].res);
  sb_append(&e->sb, "></soapenv:Body></soapenv:Envelope>\n");
}

err_code e_finish(ectx *e, arena *a, char **xml, size_t *len) {
  *xml = NULL;
  *len = 0;
  if (!e->failed && e->sb.err) e_fail(e, NULL, "response larger than %zu bytes", SANP_MAX_RESPONSE);
  if (e->failed) {
    sb_free(&e->sb);
    return ERR_INVALID;
  }
  *len = e->sb.len;
  *xml = arena_strndup(a, sb_str(&e->sb), e->sb.len);
  sb_free(&e->sb);
  return ERR_OK;
}

/* Free text for a fault: kept if valid, else every byte outside printable
 * ASCII (tab, CR, LF kept) replaced with '?'. */
static const char *fault_text(arena *a, const char *s) {
  if (pagopa_xml_text_ok(s)) return s;
  char *c = arena_strdup(a, s);
  for (char *p = c; *p; p++) {
    unsigned char b = (unsigned char)*p;
    if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') || b >= 0x7f) *p = '?';
  }
  return c;
}

err_code sanp_encode_ko(arena *a, sanp_op op, const sanp_fault_bean *f, char **xml, size_t *len,
                        sanp_error *err) {
  ectx e;
  e_init(&e, err, op);
  if (!op_ok(op)) {
    e_fail(&e, NULL, "unknown operation");
    return e_finish(&e, a, xml, len);
  }
  if (f->fault <= PAA_NONE || f->fault >= PAA__COUNT) e_fail(&e, "fault/faultCode", "unknown fault code");
  e_begin(&e, op, 0);
  e_open(&e, "fault");
  e_str(&e, "faultCode", ST_STRING, sanp_fault_code(f->fault), 1);
  e_str(&e, "faultString", ST_STRING, sanp_fault_string(f->fault), 1);
  e_str(&e, "id", ST_STRING, f->id ? fault_text(a, f->id) : NULL, 1);
  if (f->description) e_str(&e, "description", ST_STRING, fault_text(a, f->description), 0);
  e_close(&e, "fault");
  e_end(&e, op);
  return e_finish(&e, a, xml, len);
}

err_code sanp_encode_soap_fault(arena *a, const sanp_error *se, char **xml, size_t *len) {
  sanp_error err;
  ectx e;
  e_init(&e, &err, se->op);
  sb_append(&e.sb,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<soapenv:Envelope xmlns:soapenv=\"" SANP_NS_SOAP
            "\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode>");
  e_str(&e, "faultstring", ST_STRING, sanp_fault_code(se->fault == PAA_NONE ? PAA_SYSTEM_ERROR : se->fault),
        1);
  e_open(&e, "detail");
  e_str(&e, "description", ST_STRING, fault_text(a, se->description), 1);
  e_close(&e, "detail");
  sb_append(&e.sb, "</soapenv:Fault></soapenv:Body></soapenv:Envelope>\n");
  return e_finish(&e, a, xml, len);
}

err_code sanp_encode_send_rt_ok(arena *a, sanp_op op, char **xml, size_t *len, sanp_error *err) {
  ectx e;
  e_init(&e, err, op);
  if (op != SANP_OP_SEND_RT && op != SANP_OP_SEND_RT_V2) {
    e_fail(&e, NULL, "not paSendRT or paSendRTV2");
    return e_finish(&e, a, xml, len);
  }
  e_begin(&e, op, 1);
  e_end(&e, op);
  return e_finish(&e, a, xml, len);
}

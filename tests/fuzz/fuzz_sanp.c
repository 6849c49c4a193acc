/* libFuzzer target of the SANP decoder. Input: the SOAPAction header, a
 * newline, the request body. Beyond "never crash, never leak": whatever the
 * decoder accepts must be valid against paForNode.xsd (from ../shared), and
 * whatever it refuses must give a fault from which a KO or a SOAP Fault can
 * be built. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include "soap/sanp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xmlSchemaPtr schema;

static void quiet(void *ctx, const char *msg, ...) {}
static void quiet_s(void *ctx, xmlErrorPtr e) {}

static void load_schema(void) {
  xmlSetGenericErrorFunc(NULL, quiet);
  xmlSchemaParserCtxtPtr pc =
      xmlSchemaNewParserCtxt(SHARED_DIR "/spec/pagopa/pagopa-api-SANP3.13.0/wsdl/xsd/paForNode.xsd");
  schema = pc ? xmlSchemaParse(pc) : NULL;
  if (pc) xmlSchemaFreeParserCtxt(pc);
  if (!schema) {
    fprintf(stderr, "fuzz_sanp: cannot load paForNode.xsd from " SHARED_DIR "\n");
    abort();
  }
}

static int body_valid(const char *xml, size_t len) {
  xmlDoc *d =
      xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!d) return 0;
  xmlNode *n = xmlDocGetRootElement(d), *b = NULL;
  for (n = n ? n->children : NULL; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "Body")) b = n->children;
  while (b && b->type != XML_ELEMENT_NODE) b = b->next;
  int ok = 0;
  if (b) {
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(vc, quiet_s, NULL);
    ok = xmlSchemaValidateOneElement(vc, b) == 0;
    xmlSchemaFreeValidCtxt(vc);
  }
  xmlFreeDoc(d);
  return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!schema) load_schema();
  const char *nl = memchr(data, '\n', size);
  char action[128] = {0};
  const char *body = (const char *)data;
  size_t len = size;
  if (nl && (size_t)(nl - (const char *)data) < sizeof action) {
    memcpy(action, data, (size_t)(nl - (const char *)data));
    body = nl + 1;
    len = size - (size_t)(body - (const char *)data);
  }
  arena *a = arena_new();
  sanp_request req;
  sanp_error err;
  char *xml;
  size_t xlen;
  if (sanp_decode(a, nl ? action : NULL, body, len, NULL, &req, &err) == ERR_OK) {
    if (req.raw_len != len || memcmp(req.raw_xml, body, len)) abort();
    if (!body_valid(body, len)) {
      fprintf(stderr, "accepted but not valid against the XSD\n");
      abort();
    }
  } else {
    if (err.fault != PAA_SINTASSI_XSD && err.fault != PAA_SINTASSI_EXTRAXSD) abort();
    sanp_fault_bean f = {err.fault, "77777777777", err.description};
    sanp_error e2;
    err_code rc = err.op != SANP_OP_NONE ? sanp_encode_ko(a, err.op, &f, &xml, &xlen, &e2)
                                         : sanp_encode_soap_fault(a, &err, &xml, &xlen);
    if (rc != ERR_OK) abort();
  }
  arena_free(a);
  return 0;
}

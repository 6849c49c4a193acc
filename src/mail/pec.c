/* PEC certification data (daticert.xml, DM 2 novembre 2005, allegato
 * tecnico 7.3.3). Read with libxml2 without network, DTD loading or
 * entity substitution; a document declaring entities is refused. The
 * root must be <postacert>. Mixed content is tolerated (some providers
 * emit stray characters, see ../shared/spec/pec/README.md). */
#include <libxml/parser.h>
#include <string.h>

#include "mail/mail.h"

enum { MAX_DATICERT = 1 << 20 };

static xmlNode *child(xmlNode *n, const char *name) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
  return NULL;
}

static const char *text_of(arena *a, xmlNode *n) {
  if (!n) return NULL;
  xmlChar *v = xmlNodeGetContent(n);
  if (!v) return NULL;
  const char *s = (const char *)v;
  while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') s++;
  size_t len = strlen(s);
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == '\t'))
    len--;
  char *out = arena_strndup(a, s, len);
  xmlFree(v);
  return out;
}

static const char *attr_of(arena *a, xmlNode *n, const char *name) {
  xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
  if (!v) return NULL;
  char *out = arena_strdup(a, (const char *)v);
  xmlFree(v);
  return out;
}

err_code pec_daticert_parse(arena *a, const void *xml, size_t len, pec_daticert *out) {
  memset(out, 0, sizeof *out);
  if (len == 0 || len > MAX_DATICERT) return ERR_INVALID;
  /* no entity declarations at all: nothing to expand, nothing to fetch */
  const char *p = xml;
  for (size_t i = 0; i + 8 <= len; i++)
    if (p[i] == '<' && p[i + 1] == '!' && memcmp(p + i, "<!ENTITY", 8) == 0) return ERR_INVALID;
  xmlDocPtr doc = xmlReadMemory(xml, (int)len, "daticert.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return ERR_INVALID;
  err_code rc = ERR_INVALID;
  xmlNode *root = xmlDocGetRootElement(doc);
  if (root && strcmp((const char *)root->name, "postacert") == 0) {
    out->tipo = attr_of(a, root, "tipo");
    out->errore = attr_of(a, root, "errore");
    xmlNode *h = child(root, "intestazione"), *d = child(root, "dati");
    out->mittente = text_of(a, child(h, "mittente"));
    out->oggetto = text_of(a, child(h, "oggetto"));
    out->gestore = text_of(a, child(d, "gestore-emittente"));
    out->identificativo = text_of(a, child(d, "identificativo"));
    out->msgid = text_of(a, child(d, "msgid"));
    out->consegna = text_of(a, child(d, "consegna"));
    out->errore_esteso = text_of(a, child(d, "errore-esteso"));
    xmlNode *data = child(d, "data");
    out->giorno = text_of(a, child(data, "giorno"));
    out->ora = text_of(a, child(data, "ora"));
    if (out->tipo) rc = ERR_OK;
  }
  xmlFreeDoc(doc);
  return rc;
}

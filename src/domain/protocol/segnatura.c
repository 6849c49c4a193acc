/* The segnatura di protocollo of an entry: the AgID format of Allegato 6
 * ("Comunicazione tra AOO di Documenti Amministrativi Protocollati") of the
 * Linee guida sul documento informatico, schema
 * ../shared/spec/protocollo/segnatura_protocollo.xsd (versione 3.0.0),
 * signed with an enveloped XML-DSig (RSA-SHA256, exclusive C14N, the
 * certificate in KeyInfo/X509Data) by xmlsec over OpenSSL.
 *
 * The document is built with the libxml2 tree API (text always escaped),
 * serialised with indentation and read back (no network, no DTD, no entity
 * substitution) before it is signed, so the signed bytes are the printed
 * ones. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include "domain/protocol/protocol.h"

#define NS_PROT "http://www.agid.gov.it/protocollo/"
#define X(s) ((const xmlChar *)(s))

static pthread_once_t xmlsec_once = PTHREAD_ONCE_INIT;
static int xmlsec_ready;

static void xmlsec_start(void) {
  if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(NULL) < 0 ||
      xmlSecCryptoInit() < 0)
    return;
  xmlsec_ready = 1;
}

static xmlNodePtr el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text) {
  return xmlNewTextChild(parent, ns, X(name), text ? X(text) : NULL);
}

/* "Mario Rossi <m.rossi@example.org>" -> name and address (either NULL). */
static void split_correspondent(arena *a, const char *s, const char **name, const char **addr) {
  const char *lt = strrchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
  *addr = NULL;
  *name = s;
  if (lt && gt && gt > lt + 1) {
    *addr = arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
    size_t n = (size_t)(lt - s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"')) n--;
    size_t b = 0;
    while (b < n && s[b] == '"') b++;
    *name = n > b ? arena_strndup(a, s + b, n - b) : *addr;
  } else if (strchr(s, '@') && !strchr(s, ' ')) {
    *addr = s;
  }
}

static int eleven_digits(const char *s) {
  if (!s || strlen(s) != 11) return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return 0;
  return 1;
}

static void our_side(xmlNodePtr parent, xmlNsPtr ns, const prot_segnatura_conf *en) {
  xmlNodePtr am = el(parent, ns, "Amministrazione", NULL);
  el(am, ns, "DenominazioneAmministrazione", en->ente_name);
  if (eleven_digits(en->ente_fiscal_code)) el(am, ns, "CFAmministrazione", en->ente_fiscal_code);
  el(am, ns, "CodiceIPAAmministrazione", en->ente_fiscal_code);
  el(am, ns, "CodiceIPAAOO", en->aoo_code);
}

static void their_side(arena *a, xmlNodePtr parent, xmlNsPtr ns, const char *correspondent) {
  const char *name, *addr;
  split_correspondent(a, correspondent, &name, &addr);
  xmlNodePtr pg = el(parent, ns, "PersonaGiuridica", NULL);
  el(pg, ns, "Denominazione", name);
  if (addr) {
    xmlNodePtr c = el(pg, ns, "ContattiPersonaGiuridica", NULL);
    xmlNodePtr t = el(c, ns, "IndirizzoTelematico", addr);
    xmlNewNsProp(t, ns, X("tipo"), X("smtp"));
  }
}

static void document(xmlNodePtr parent, xmlNsPtr ns, const char *tag, const prot_doc *doc) {
  xmlNodePtr d = el(parent, ns, tag, NULL);
  xmlNewNsProp(d, ns, X("nomeFile"), X(doc->name));
  xmlNewNsProp(d, ns, X("mimeType"), X(doc->mime));
  unsigned char md[32];
  size_t n = 0;
  char b64[64] = "";
  if (sodium_hex2bin(md, sizeof md, doc->sha256, strlen(doc->sha256), NULL, &n, NULL) == 0 && n == sizeof md)
    sodium_bin2base64(b64, sizeof b64, md, sizeof md, sodium_base64_VARIANT_ORIGINAL);
  xmlNodePtr imp = el(d, ns, "Impronta", b64);
  xmlNewNsProp(imp, ns, X("algoritmo"), X("SHA-256"));
}

static xmlDocPtr build(arena *a, const prot_entry *e, const prot_segnatura_conf *conf) {
  xmlDocPtr doc = xmlNewDoc(X("1.0"));
  xmlNodePtr root = xmlNewNode(NULL, X("SegnaturaInformatica"));
  xmlNsPtr ns = xmlNewNs(root, X(NS_PROT), X("prot"));
  xmlSetNs(root, ns);
  xmlDocSetRootElement(doc, root);
  xmlNewNsProp(root, ns, X("versione"), X("3.0.0"));
  xmlNewNsProp(root, ns, X("lang"), X("it"));

  xmlNodePtr in = el(root, ns, "Intestazione", NULL);
  xmlNodePtr id = el(in, ns, "Identificatore", NULL);
  xmlNodePtr ca = el(id, ns, "CodiceAmministrazione", conf->ente_fiscal_code);
  xmlNewNsProp(ca, ns, X("descrizione"), X(conf->ente_name));
  el(id, ns, "CodiceAOO", conf->aoo_code);
  el(id, ns, "CodiceRegistro", conf->registry_code);
  el(id, ns, "NumeroRegistrazione", arena_printf(a, "%07lld", (long long)e->number));
  el(id, ns, "DataRegistrazione", e->day);
  char iso[26];
  time_format_iso_rome(e->registered_at, iso); /* 2026-11-30T10:15:00+01:00 */
  if (strlen(iso) > 11) el(id, ns, "OraRegistrazione", iso + 11);
  el(in, ns, "Oggetto", e->subject);
  xmlNodePtr cl = el(in, ns, "Classifica", NULL);
  el(cl, ns, "Denominazione", e->category ? e->category : "Non classificato");
  el(cl, ns, "CodiceFlat", e->category ? e->category : "0");
  if (e->fascicolo_id && e->category) {
    xmlNodePtr fa = el(in, ns, "Fascicolo", NULL);
    el(fa, ns, "Denominazione", arena_printf(a, "%s %d", e->category, e->year));
    el(fa, ns, "CodiceFascicolo", arena_printf(a, "%d-%s", e->year, e->category));
  }

  xmlNodePtr de = el(root, ns, "Descrizione", NULL);
  xmlNodePtr mit = el(de, ns, "Mittente", NULL);
  if (strcmp(e->direction, "in") == 0)
    their_side(a, mit, ns, e->correspondent);
  else
    our_side(mit, ns, conf);
  xmlNodePtr dst = el(de, ns, "Destinatario", NULL);
  if (strcmp(e->direction, "out") == 0)
    their_side(a, dst, ns, e->correspondent);
  else
    our_side(dst, ns, conf);
  for (size_t i = 0; i < e->n_docs; i++)
    if (strcmp(e->docs[i].role, "primary") == 0) document(de, ns, "DocumentoPrimario", &e->docs[i]);
  for (size_t i = 0; i < e->n_docs; i++)
    if (strcmp(e->docs[i].role, "primary") != 0) document(de, ns, "Allegato", &e->docs[i]);
  return doc;
}

/* Enveloped signature as the last child of the root. */
static int sign(xmlDocPtr doc, const prot_segnatura_conf *conf, const char **why) {
  xmlNodePtr root = xmlDocGetRootElement(doc);
  xmlNodePtr sig = xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id,
                                                   NULL, X("ds"));
  if (!sig) return -1;
  xmlAddChild(root, sig);
  xmlNodePtr ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL, X(""), NULL);
  if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
      !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId))
    return -1;
  xmlNodePtr ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
  xmlNodePtr x509 = ki ? xmlSecTmplKeyInfoAddX509Data(ki) : NULL;
  if (!x509 || !xmlSecTmplX509DataAddCertificate(x509)) return -1;
  xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(NULL);
  if (!ctx) return -1;
  int rc = -1;
  ctx->signKey = xmlSecCryptoAppKeyLoad(conf->key_file, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
  if (!ctx->signKey) {
    *why = "chiave di firma ([protocol] signing_key) non leggibile";
  } else if (xmlSecCryptoAppKeyCertLoad(ctx->signKey, conf->cert_file, xmlSecKeyDataFormatPem) < 0) {
    *why = "certificato di firma ([protocol] signing_cert) non leggibile";
  } else if (xmlSecDSigCtxSign(ctx, sig) < 0) {
    *why = "firma non riuscita";
  } else {
    rc = 0;
  }
  xmlSecDSigCtxDestroy(ctx);
  return rc;
}

err_code protocol_segnatura(db *d, arena *a, int64_t ente_id, int year, int64_t number,
                            const prot_segnatura_conf *conf, char **xml, size_t *len, const char **why) {
  *why = NULL;
  if (!conf->key_file || !*conf->key_file || !conf->cert_file || !*conf->cert_file) {
    *why = "configurare [protocol] signing_key e signing_cert (file PEM)";
    return ERR_INVALID;
  }
  prot_entry e;
  err_code rc = protocol_get(d, a, ente_id, year, number, &e);
  if (rc != ERR_OK) return rc;
  int primary = 0;
  for (size_t i = 0; i < e.n_docs; i++) primary |= strcmp(e.docs[i].role, "primary") == 0;
  if (!primary) {
    *why = "la registrazione non ha un documento primario, che la segnatura richiede";
    return ERR_INVALID;
  }
  pthread_once(&xmlsec_once, xmlsec_start);
  if (!xmlsec_ready) {
    *why = "libreria di firma (xmlsec) non inizializzata";
    return ERR_INTERNAL;
  }
  xmlDocPtr built = build(a, &e, conf);
  xmlChar *buf = NULL;
  int n = 0;
  xmlDocDumpFormatMemoryEnc(built, &buf, &n, "UTF-8", 1);
  xmlFreeDoc(built);
  if (!buf) return ERR_INTERNAL;
  /* read back what we wrote: no network, no DTD, no entities */
  xmlDocPtr doc = xmlReadMemory((const char *)buf, n, NULL, "UTF-8", XML_PARSE_NONET);
  xmlFree(buf);
  if (!doc) return ERR_INTERNAL;
  rc = ERR_INTERNAL;
  if (sign(doc, conf, why) == 0) {
    buf = NULL;
    xmlDocDumpMemoryEnc(doc, &buf, &n, "UTF-8");
    if (buf) {
      *xml = arena_strndup(a, (const char *)buf, (size_t)n);
      *len = (size_t)n;
      xmlFree(buf);
      rc = ERR_OK;
    }
  } else if (!*why) {
    *why = "firma non riuscita";
  }
  xmlFreeDoc(doc);
  return rc;
}

/* The Ente's authorisation (concessione) of an occupation of public land:
 * upload (PDF only, sniffed with libmagic), protocol entry on the case, and
 * the delivery to the taxpayer once the notice is paid (see
 * authorisation.h). */
#include <jansson.h>
#include <string.h>

#include "core/sniff.h"
#include "core/clock.h"
#include "domain/canone/authorisation.h"
#include "domain/canone/authorisation_store.h"
#include "domain/canone/canone_internal.h"
#include "domain/canone/canone_store.h"
#include "domain/debt/debt.h"
#include "domain/ente/ente.h"
#include "domain/protocol/protocol.h"

static const actor SYSTEM = {"system", 0};

/* The base name as sent, control characters and quotes replaced, with a
 * .pdf ending; "autorizzazione.pdf" when there is none. */
static char *clean_name(arena *a, const char *filename) {
  const char *b = filename ? strrchr(filename, '/') : NULL;
  b = b ? b + 1 : filename;
  if (b && strrchr(b, '\\')) b = strrchr(b, '\\') + 1;
  if (!b || !*b) return arena_strdup(a, "autorizzazione.pdf");
  size_t n = strlen(b);
  if (n > OCC_AUTH_MAX_NAME - 4) n = OCC_AUTH_MAX_NAME - 4;
  while (n && ((unsigned char)b[n - 1] & 0xC0) == 0x80) n--; /* never half a character */
  if (n && (unsigned char)b[n - 1] >= 0xC0) n--;
  char *s = arena_strndup(a, b, n);
  for (char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f) *p = '_';
  if (n < 4 || strcasecmp(s + n - 4, ".pdf") != 0) s = arena_printf(a, "%s.pdf", s);
  return s;
}

static int notice_paid(db *d, arena *a, const occupation *o) {
  if (o->paid_at) return 1;
  if (!o->act_id) return 0;
  debt_act act;
  return debt_act_get(d, a, o->ente_id, o->act_id, &act) == ERR_OK && strcmp(act.state, "paid") == 0;
}

err_code occ_auth_deliver(db *d, arena *a, int64_t ente_id, int64_t occupation_id, int *delivered) {
  if (delivered) *delivered = 0;
  occupation_auth x;
  err_code rc = as_auth_by_occ(d, a, ente_id, occupation_id, &x);
  if (rc == ERR_NOT_FOUND) return ERR_OK;
  if (rc != ERR_OK || x.delivered_at) return rc;
  occupation_notice n;
  if ((rc = occupation_notice_data(d, a, ente_id, occupation_id, &n)) != ERR_OK) return rc;
  if (!notice_paid(d, a, &n.occ) || !n.taxpayer_email) return ERR_OK;
  const void *pdf;
  size_t len;
  if ((rc = db_blob_get(d, a, x.sha256, &pdf, &len)) != ERR_OK) return rc;
  notify_attachment att = {.name = x.name, .mime = "application/pdf", .data = pdf, .size = (int64_t)len};
  const char *body = arena_printf(a,
                                  "Gentile %s,\n\n"
                                  "il pagamento del canone unico per l'occupazione di suolo pubblico in %s "
                                  "(pratica %s) è stato registrato.\n\n"
                                  "In allegato l'autorizzazione all'occupazione rilasciata dall'Ente: "
                                  "conservala e tienila a disposizione sul luogo dell'occupazione.\n\n%s\n",
                                  n.taxpayer_name, n.occ.place ? n.occ.place : "", n.case_label, n.ente_name);
  if ((rc = occ_mail(d, a, &n, n.taxpayer_email, "Autorizzazione all'occupazione di suolo pubblico", body,
                     &att, 1, n.taxpayer_name)) != ERR_OK)
    return rc;
  int64_t changed = 0, now = clock_now();
  if ((rc = as_auth_set_delivered(d, ente_id, x.id, now, &changed)) != ERR_OK) return rc;
  if (!changed) return ERR_BUSY; /* someone else delivered it meanwhile: run again, find it delivered */
  if (delivered) *delivered = 1;
  return audit_write_json(d, &SYSTEM, ente_id, "occupation.authorisation_delivered", "occupation",
                          occupation_id, NULL,
                          json_pack("{s:I, s:s}", "authorisation", (json_int_t)x.id, "sha256", x.sha256));
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id;
  const char *name;
  const void *data;
  size_t len;
  occupation_auth *out;
  int *delivered;
  problems *pbs;
} upload_tx;

static err_code upload_fn(db *d, void *ctx) {
  upload_tx *t = ctx;
  arena *a = t->a;
  occupation o;
  err_code rc = cs_occ_lock(d, a, t->ente_id, t->case_id, &o);
  if (rc != ERR_OK) return rc;
  if (strcmp(o.kind, "new") != 0 || o.ceased_on) return ERR_CASE_STATE;
  occupation_auth cur = {0};
  rc = as_auth_by_occ(d, a, t->ente_id, o.id, &cur);
  int replaced = rc == ERR_OK;
  if (replaced && cur.delivered_at) return ERR_CASE_STATE;
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  case_rec c;
  ente e;
  if ((rc = cases_get(d, a, t->ente_id, t->case_id, &c)) != ERR_OK ||
      (rc = ente_get(d, a, t->ente_id, &e)) != ERR_OK)
    return rc;
  /* incoming on the case: the Ente's document */
  prot_doc doc = {.role = "primary",
                  .name = t->name,
                  .mime = "application/pdf",
                  .data = t->data,
                  .size = (int64_t)t->len};
  prot_entry pe = {0};
  pe.ente_id = t->ente_id;
  pe.direction = "in";
  pe.correspondent = o.ente_email ? o.ente_email : e.name;
  pe.subject = (char *)arena_printf(a, "%s Autorizzazione all'occupazione di suolo pubblico - %s",
                                    case_subject_tag(a, c.year, c.number), o.place ? o.place : "");
  pe.channel = "web";
  pe.category = "osp_nuova";
  pe.docs = &doc;
  pe.n_docs = 1;
  problem pb = {0};
  if ((rc = protocol_register(d, a, t->who, &pe, &pb)) != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, "file", pb.message);
    return rc;
  }
  if ((rc = cases_link_protocol(d, t->ente_id, t->case_id, pe.id)) != ERR_OK) return rc;
  occupation_auth x = {.ente_id = t->ente_id,
                       .occupation_id = o.id,
                       .case_id = t->case_id,
                       .size = (int64_t)t->len,
                       .name = (char *)t->name,
                       .sha256 = doc.sha256,
                       .protocol_entry_id = pe.id,
                       .uploaded_at = clock_now()};
  if ((rc = as_auth_put(d, &x, t->who)) != ERR_OK) return rc;
  if ((rc = audit_write_json(
           d, t->who, t->ente_id, "occupation.authorisation", "occupation", o.id, NULL,
           json_pack("{s:I, s:s, s:I, s:s, s:b}", "case", (json_int_t)t->case_id, "name", t->name, "size",
                     (json_int_t)t->len, "sha256", doc.sha256, "replaced", replaced))) != ERR_OK)
    return rc;
  /* paid already: delivered right away */
  if ((rc = occ_auth_deliver(d, a, t->ente_id, o.id, t->delivered)) != ERR_OK) return rc;
  return as_auth_by_occ(d, a, t->ente_id, o.id, t->out);
}

err_code occupation_authorisation_upload(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                                         const char *filename, const void *data, size_t len,
                                         occupation_auth *out, int *delivered, problems *pbs) {
  int local = 0;
  if (!delivered) delivered = &local;
  *delivered = 0;
  if (!data || !len) {
    problems_add(a, pbs, ERR_INVALID, "file", "Scegli il file PDF dell'autorizzazione.");
    return ERR_INVALID;
  }
  if (len > OCC_AUTH_MAX_BYTES) {
    problems_add(a, pbs, ERR_TOO_LARGE, "file", "Il file è troppo grande (al massimo 10 MB).");
    return ERR_INVALID;
  }
  if (strcmp(sniff_mime(a, data, len), "application/pdf") != 0) {
    problems_add(a, pbs, ERR_INVALID, "file", "L'autorizzazione deve essere un documento PDF.");
    return ERR_INVALID;
  }
  upload_tx t = {a, who, ente_id, case_id, clean_name(a, filename), data, len, out, delivered, pbs};
  return db_tx_locking(d, upload_fn, &t);
}

err_code occupation_authorisation_get(db *d, arena *a, int64_t ente_id, int64_t case_id,
                                      occupation_auth *out) {
  return as_auth_by_case(d, a, ente_id, case_id, out);
}

err_code occupation_authorisation_data(db *d, arena *a, int64_t ente_id, int64_t case_id,
                                       occupation_auth *out, const void **data, size_t *len) {
  err_code rc = as_auth_by_case(d, a, ente_id, case_id, out);
  if (rc != ERR_OK) return rc;
  return db_blob_get(d, a, out->sha256, data, len);
}

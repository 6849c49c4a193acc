/* Photographs of a cessation and the inspection record (seed 000; see
 * canone.h): the upload link, the taxpayer's upload, the inspection with
 * its inspector, outcome and photos. */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "domain/canone/canone_internal.h"
#include "domain/canone/photos_store.h"
#include "domain/ente/ente.h"

static const actor TAXPAYER_LINK = {"citizen", 0};

static void token_hash(const char *token, char out[65]) {
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(md, (const unsigned char *)token, strlen(token));
  sodium_bin2hex(out, 65, md, sizeof md);
}

static int token_ok(const char *t) {
  if (!t || strlen(t) != OCC_PHOTO_TOKEN_HEX) return 0;
  for (const char *p = t; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

err_code occ_photo_link_new(db *d, arena *a, int64_t ente_id, int64_t case_id, const char **url,
                            const char **expires_it) {
  if (sodium_init() < 0) return ERR_INTERNAL;
  unsigned char raw[OCC_PHOTO_TOKEN_HEX / 2];
  randombytes_buf(raw, sizeof raw);
  char tok[OCC_PHOTO_TOKEN_HEX + 1], hash[65];
  sodium_bin2hex(tok, sizeof tok, raw, sizeof raw);
  token_hash(tok, hash);
  int64_t now = clock_now(), id;
  int64_t expires = now + (int64_t)OCC_PHOTO_LINK_DAYS * 86400;
  err_code rc = cps_link_insert(d, ente_id, case_id, hash, expires, now, &id);
  if (rc != ERR_OK) return rc;
  ente e;
  if ((rc = ente_get(d, a, ente_id, &e)) != ERR_OK) return rc;
  const char *base = config_str("server", "base_url");
  size_t n = strlen(base);
  while (n && base[n - 1] == '/') n--;
  *url = arena_printf(a, "%.*s/enti/%s/occupazioni/foto/%s", (int)n, base, e.slug, tok);
  char it[11];
  date_format_it(date_today_rome(expires), it);
  *expires_it = arena_strdup(a, it);
  return ERR_OK;
}

int occ_photos_check(arena *a, const occ_photo *ph, size_t n, int64_t left, problems *pbs) {
  size_t before = pbs->n;
  if ((int64_t)n > left)
    problems_add(a, pbs, ERR_INVALID, "foto",
                 left > 0
                     ? arena_printf(a, "Puoi caricare ancora al massimo %lld fotografie.", (long long)left)
                     : "Hai già caricato tutte le fotografie consentite.");
  for (size_t i = 0; i < n; i++) {
    const char *name = ph[i].name && *ph[i].name ? ph[i].name : "foto";
    if (!ph[i].mime || (strcmp(ph[i].mime, "image/jpeg") != 0 && strcmp(ph[i].mime, "image/png") != 0))
      problems_add(a, pbs, ERR_INVALID, "foto", arena_printf(a, "%s non è una fotografia JPEG o PNG.", name));
    else if (ph[i].size == 0 || ph[i].size > OCC_PHOTO_MAX_BYTES)
      problems_add(a, pbs, ERR_INVALID, "foto", arena_printf(a, "%s è vuota o supera 4 MB.", name));
    else if (strlen(name) > 200)
      problems_add(a, pbs, ERR_INVALID, "foto", "Il nome di un file supera 200 caratteri.");
  }
  return pbs->n > before;
}

case_file *occ_photo_files(arena *a, const occ_photo *ph, size_t n) {
  case_file *f = n ? ARENA_ARRAY(a, case_file, n) : NULL;
  for (size_t i = 0; i < n; i++) {
    memset(&f[i], 0, sizeof f[i]);
    f[i].name =
        ph[i].name && *ph[i].name
            ? ph[i].name
            : arena_printf(a, "foto-%zu.%s", i + 1, strcmp(ph[i].mime, "image/png") == 0 ? "png" : "jpg");
    f[i].mime = ph[i].mime;
    f[i].data = ph[i].data;
    f[i].size = (int64_t)ph[i].size;
  }
  return f;
}

static int link_usable(const occ_photo_link *l, const case_rec *c, const occupation *o) {
  return l->expires_at > clock_now() && c->state != CASE_CLOSED && strcmp(o->kind, "cessation") == 0 &&
         !o->inspection_on;
}

err_code occupation_photo_link_get(db *d, arena *a, int64_t ente_id, const char *token, occ_photo_link *out,
                                   case_rec *c, occupation *o, int *expired) {
  if (!token_ok(token)) return ERR_NOT_FOUND;
  char hash[65];
  token_hash(token, hash);
  err_code rc = cps_link_by_hash(d, ente_id, hash, 0, out);
  if (rc != ERR_OK) return rc;
  if ((rc = cases_get(d, a, ente_id, out->case_id, c)) != ERR_OK) return rc;
  if ((rc = occupation_get_by_case(d, a, ente_id, out->case_id, o)) != ERR_OK) return rc;
  *expired = !link_usable(out, c, o);
  return ERR_OK;
}

err_code occupation_photo_link_of_case(db *d, int64_t ente_id, int64_t case_id, occ_photo_link *out) {
  return cps_link_of_case(d, ente_id, case_id, out);
}

typedef struct {
  arena *a;
  int64_t ente_id;
  const char *hash;
  const occ_photo *ph;
  size_t n;
  problems *pbs;
} upload_tx;

static err_code upload_fn(db *d, void *ctx) {
  upload_tx *t = ctx;
  arena *a = t->a;
  occ_photo_link l;
  err_code rc = cps_link_by_hash(d, t->ente_id, t->hash, 1, &l);
  if (rc != ERR_OK) return rc;
  case_rec c;
  occupation o;
  if ((rc = cases_get(d, a, t->ente_id, l.case_id, &c)) != ERR_OK) return rc;
  if ((rc = occupation_get_by_case(d, a, t->ente_id, l.case_id, &o)) != ERR_OK) return rc;
  if (!link_usable(&l, &c, &o)) {
    problems_add(
        a, t->pbs, ERR_INVALID, "foto",
        "Il collegamento è scaduto o la pratica è già conclusa: rispondi alla mail con le fotografie.");
    return ERR_INVALID;
  }
  if (occ_photos_check(a, t->ph, t->n, OCC_PHOTO_MAX - l.photos, t->pbs)) return ERR_INVALID;
  case_reply_in in = {0};
  in.ente_id = t->ente_id;
  in.case_id = c.id;
  in.channel = "web";
  in.sender = c.requester_name && *c.requester_name ? c.requester_name : "Contribuente";
  in.subject = "Fotografie del ripristino dei luoghi";
  in.body = arena_printf(
      a, "%zu fotografie caricate dal contribuente con il collegamento ricevuto per e-mail.", t->n);
  in.files = occ_photo_files(a, t->ph, t->n);
  in.n_files = t->n;
  problem pb = {0};
  if ((rc = cases_add_incoming(d, a, &TAXPAYER_LINK, &in, &pb)) != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, "foto", pb.message);
    return rc;
  }
  if ((rc = cps_link_add_photos(d, t->ente_id, l.id, (int64_t)t->n)) != ERR_OK) return rc;
  return audit_write_json(d, &TAXPAYER_LINK, t->ente_id, "occupation.photos_uploaded", "occupation", o.id,
                          NULL,
                          json_pack("{s:I, s:I, s:I}", "case", (json_int_t)c.id, "photos", (json_int_t)t->n,
                                    "link", (json_int_t)l.id));
}

err_code occupation_photos_upload(db *d, arena *a, int64_t ente_id, const char *token, const occ_photo *ph,
                                  size_t n, problems *pbs) {
  if (!token_ok(token)) return ERR_NOT_FOUND;
  if (n == 0) {
    problems_add(a, pbs, ERR_INVALID, "foto", "Scegli almeno una fotografia.");
    return ERR_INVALID;
  }
  if (occ_photos_check(a, ph, n, OCC_PHOTO_MAX, pbs)) return ERR_INVALID;
  char hash[65];
  token_hash(token, hash);
  upload_tx t = {a, ente_id, hash, ph, n, pbs};
  return db_tx_locking(d, upload_fn, &t);
}

err_code occupation_inspection_get(db *d, arena *a, int64_t ente_id, int64_t case_id, occ_inspection *out) {
  return cps_inspection_get(d, a, ente_id, case_id, out);
}

typedef struct {
  arena *a;
  const actor *who;
  int64_t ente_id, case_id;
  const occ_inspection_input *in;
  occupation *out;
  problems *pbs;
} record_tx;

static err_code record_fn(db *d, void *ctx) {
  record_tx *t = ctx;
  arena *a = t->a;
  const occ_inspection_input *in = t->in;
  err_code rc = occ_inspect(d, a, t->who, t->ente_id, t->case_id, in->day, in->report, in->inspector,
                            in->outcome, t->out);
  if (rc != ERR_OK) return rc;
  if ((rc = cps_inspection_insert(d, t->ente_id, t->case_id, in->inspector, in->outcome,
                                  (int64_t)in->n_photos, clock_now())) != ERR_OK)
    return rc;
  if (!in->n_photos) return ERR_OK;
  /* the report with its photos, registered on the case as the incoming
   * document it is */
  case_reply_in ri = {0};
  ri.ente_id = t->ente_id;
  ri.case_id = t->case_id;
  ri.channel = "counter";
  ri.sender = in->inspector;
  ri.subject = arena_printf(a, "Verbale di sopralluogo del %s", in->day);
  ri.body = in->report;
  ri.files = occ_photo_files(a, in->photos, in->n_photos);
  ri.n_files = in->n_photos;
  problem pb = {0};
  rc = cases_add_incoming(d, a, t->who, &ri, &pb);
  if (rc != ERR_OK && pb.message) problems_add(a, t->pbs, rc, "foto", pb.message);
  return rc;
}

err_code occupation_inspection_record(db *d, arena *a, const actor *who, int64_t ente_id, int64_t case_id,
                                      const occ_inspection_input *in, occupation *out, problems *pbs) {
  civil_date dd;
  if (!in->day || date_parse_iso(in->day, &dd) != 0)
    problems_add(a, pbs, ERR_INVALID, "day", "Data del sopralluogo non valida (AAAA-MM-GG).");
  if (!in->inspector || !*in->inspector || strlen(in->inspector) > 200)
    problems_add(a, pbs, ERR_INVALID, "inspector",
                 "Indica chi ha eseguito il sopralluogo (al massimo 200 caratteri).");
  if (!in->outcome || (strcmp(in->outcome, "restored") != 0 && strcmp(in->outcome, "not_restored") != 0))
    problems_add(a, pbs, ERR_INVALID, "outcome", "Indica se i luoghi sono stati ripristinati.");
  if (!in->report || !*in->report || strlen(in->report) > 20000)
    problems_add(a, pbs, ERR_INVALID, "report",
                 "Scrivi il verbale del sopralluogo (al massimo 20000 caratteri).");
  occ_photos_check(a, in->photos, in->n_photos, OCC_PHOTO_MAX, pbs);
  if (pbs->n) return ERR_INVALID;
  record_tx t = {a, who, ente_id, case_id, in, out, pbs};
  return db_tx_locking(d, record_fn, &t);
}

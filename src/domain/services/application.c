/* Applications (pratiche) made through an online service: drafts, the
 * submission that opens the case with its protocolled PDF, and the
 * operator's and applicant's steps, each with its PDF protocolled in the
 * service's fascicolo of the year. See services.h. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/cases/cases.h"
#include "domain/ente/ente.h"
#include "domain/protocol/protocol.h"
#include "domain/services/services_internal.h"
#include "domain/services/services_store.h"

const char *svc_fascicolo(arena *a, const char *code) {
  return arena_printf(a, "servizio:%s", code);
}

const char *svc_app_value(void *ctx, const char *name) {
  const svc_app *x = ctx;
  for (size_t i = 0; i < x->n_values; i++)
    if (strcmp(x->names[i], name) == 0) return x->values[i];
  return NULL;
}

/* Fills names/values from data. */
static void unpack(arena *a, svc_app *x) {
  x->n_values = 0;
  json_t *o = x->data ? json_loads(x->data, 0, NULL) : NULL;
  if (!json_is_object(o)) {
    json_decref(o);
    return;
  }
  size_t n = json_object_size(o);
  x->names = ARENA_ARRAY(a, const char *, n + 1);
  x->values = ARENA_ARRAY(a, const char *, n + 1);
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    if (!json_is_string(v)) continue;
    x->names[x->n_values] = arena_strdup(a, k);
    x->values[x->n_values] = arena_strdup(a, json_string_value(v));
    x->n_values++;
  }
  json_decref(o);
}

static char *pack(arena *a, const char **names, const char **values, size_t n) {
  json_t *o = json_object();
  for (size_t i = 0; i < n; i++)
    if (names[i] && values[i]) json_object_set_new(o, names[i], json_string(values[i]));
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  char *r = arena_strdup(a, s ? s : "{}");
  free(s);
  return r;
}

static void sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(md, data ? data : (const void *)"", (unsigned long long)len);
  sodium_bin2hex(out, 65, md, sizeof md);
}

static int owns(const svc_app *x, const svc_owner *o) {
  if (!o) return 0;
  if (strcmp(o->kind, "citizen") == 0)
    return strcmp(x->owner_kind, "citizen") == 0 && x->owner_fiscal_code && o->fiscal_code &&
           strcmp(x->owner_fiscal_code, o->fiscal_code) == 0;
  return strcmp(x->owner_kind, "user") == 0 && x->owner_user_id == o->user_id;
}

err_code svc_app_get(db *d, arena *a, int64_t ente_id, int64_t id, svc_app *out) {
  err_code rc = sst_app_get(d, a, ente_id, id, out);
  if (rc == ERR_OK) unpack(a, out);
  return rc;
}

err_code svc_app_draft(db *d, arena *a, int64_t ente_id, const svc_owner *o, int64_t id,
                       svc_app *out) {
  err_code rc = svc_app_get(d, a, ente_id, id, out);
  if (rc != ERR_OK) return rc;
  if (strcmp(out->state, "draft") != 0 || !owns(out, o)) return ERR_NOT_FOUND;
  return ERR_OK;
}

err_code svc_app_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, svc_app *out) {
  err_code rc = sst_app_by_case(d, a, ente_id, case_id, out);
  if (rc == ERR_OK) unpack(a, out);
  return rc;
}

err_code svc_app_files(db *d, arena *a, int64_t ente_id, int64_t app_id, svc_app_file **out,
                       size_t *n) {
  return sst_files(d, a, ente_id, app_id, out, n);
}

err_code svc_app_file_data(db *d, arena *a, int64_t ente_id, int64_t app_id, int64_t file_id,
                           svc_app_file *out, const void **data) {
  return sst_file_data(d, a, ente_id, app_id, file_id, out, data);
}

err_code svc_app_list(db *d, arena *a, int64_t ente_id, int64_t office_id, int64_t service_id,
                      svc_app **out, size_t *n) {
  return sst_app_list(d, a, ente_id, office_id, service_id, out, n);
}

err_code svc_app_recent(db *d, arena *a, int64_t ente_id, const char *fiscal_code,
                        int64_t except_id, int limit, svc_app **out, size_t *n) {
  if (!fiscal_code) {
    *out = NULL;
    *n = 0;
    return ERR_OK;
  }
  return sst_app_recent(d, a, ente_id, fiscal_code, except_id, limit, out, n);
}

err_code svc_app_of_citizen(db *d, arena *a, int64_t ente_id, const char *fiscal_code,
                            svc_app **out, size_t *n) {
  return sst_app_of_citizen(d, a, ente_id, fiscal_code, out, n);
}

/* Uploads checked against their field (type by content, size); the good
 * ones are kept. */
static int upload_ok(const svc_def *def, const svc_upload *u) {
  const svc_field *f = svc_def_field(def, u->field);
  if (!f || f->type != SF_FILE || u->size <= 0 || u->size > f->max_bytes || !u->mime) return 0;
  for (size_t i = 0; i < f->n_types; i++)
    if (f->types[i] && strcmp(f->types[i], u->mime) == 0) return 1;
  return 0;
}

static err_code store_upload(db *d, arena *a, int64_t ente_id, int64_t app_id,
                             const svc_upload *u, int64_t now) {
  (void)a;
  char sha[65];
  sha256_hex(u->data, (size_t)u->size, sha);
  err_code rc = db_blob_put(d, sha, u->data, u->size, now);
  if (rc == ERR_OK)
    rc = sst_file_put(d, ente_id, app_id, u->field, u->name && *u->name ? u->name : "allegato",
                      u->mime, u->size, sha, now);
  return rc;
}

/* ---- drafts ---- */

typedef struct {
  arena *a;
  const actor *who;
  const service *s;
  const svc_def *def;
  const svc_owner *o;
  int64_t draft_id;
  const char *data;
  const svc_upload *up;
  size_t n_up;
  int64_t id;
} draft_tx;

static err_code draft_fn(db *d, void *ctx) {
  draft_tx *t = ctx;
  int64_t now = clock_now();
  svc_app x = {0};
  err_code rc;
  if (t->draft_id) {
    if ((rc = svc_app_draft(d, t->a, t->s->ente_id, t->o, t->draft_id, &x)) != ERR_OK) return rc;
    if (x.service_id != t->s->id) return ERR_NOT_FOUND;
    x.data = (char *)t->data;
    x.updated_at = now;
    if ((rc = sst_app_update(d, &x)) != ERR_OK) return rc;
  } else {
    x.ente_id = t->s->ente_id;
    x.service_id = t->s->id;
    x.state = "draft";
    x.owner_kind = (char *)t->o->kind;
    x.owner_user_id = t->o->user_id;
    x.owner_fiscal_code = (char *)t->o->fiscal_code;
    x.data = (char *)t->data;
    x.created_at = x.updated_at = now;
    if ((rc = sst_app_insert(d, &x, &x.id)) != ERR_OK) return rc;
  }
  t->id = x.id;
  for (size_t i = 0; i < t->n_up; i++)
    if (upload_ok(t->def, &t->up[i]) &&
        (rc = store_upload(d, t->a, x.ente_id, x.id, &t->up[i], now)) != ERR_OK)
      return rc;
  return audit_write_json(d, t->who, x.ente_id, "service.draft", "service_application", x.id, NULL,
                          json_pack("{s:s, s:I}", "service", t->s->code, "files",
                                    (json_int_t)t->n_up));
}

/* Every field's typed text (files: what is kept); problems for values too
 * long and for uploads that fail their checks. */
static char *typed_data(arena *a, const svc_def *def, svc_get_fn get, void *ctx,
                        const svc_upload *up, size_t n_up, problems *pbs) {
  size_t total = 0;
  for (size_t s = 0; s < def->n_sections; s++) total += def->sections[s].n_fields;
  const char **names = ARENA_ARRAY(a, const char *, total + 4);
  const char **values = ARENA_ARRAY(a, const char *, total + 4);
  size_t n = 0;
  for (size_t s = 0; s < def->n_sections; s++)
    for (size_t i = 0; i < def->sections[s].n_fields; i++) {
      const svc_field *f = &def->sections[s].fields[i];
      if (!f->name || f->type == SF_FILE) continue;
      const char *v = get(ctx, f->name);
      if (!v || !*v) continue;
      if (text_utf8_len(v) > SVC_MAX_TEXT || text_check(v, strlen(v), 1) != TEXT_OK) {
        problems_add(a, pbs, ERR_INVALID, f->name, "Testo troppo lungo o non valido.");
        continue;
      }
      names[n] = f->name;
      values[n++] = v;
    }
  /* how the stamp duty is paid (services with stamp_duty), as typed */
  static const char *const STAMP[] = {"_bollo", "_bollo_seriale", "_bollo_data"};
  for (size_t i = 0; i < 3; i++) {
    const char *v = get(ctx, STAMP[i]);
    if (!v || !*v || strlen(v) > 40 || text_check(v, strlen(v), 0) != TEXT_OK) continue;
    names[n] = STAMP[i];
    values[n++] = v;
  }
  for (size_t i = 0; i < n_up; i++) {
    if (up[i].size <= 0) continue;
    if (!upload_ok(def, &up[i])) {
      const svc_field *f = svc_def_field(def, up[i].field);
      if (f && f->type == SF_FILE)
        problems_add(a, pbs, ERR_INVALID, f->name,
                     up[i].size > f->max_bytes ? "Il file supera la dimensione massima."
                                               : "Tipo di file non ammesso.");
    }
  }
  return pack(a, names, values, n);
}

err_code svc_app_save_draft(db *d, arena *a, const actor *who, const service *s,
                            const svc_owner *o, int64_t draft_id, svc_get_fn get, void *ctx,
                            const svc_upload *up, size_t n_up, int64_t *id_out, problems *pbs) {
  svc_def def;
  err_code rc = services_def(a, s, &def);
  if (rc != ERR_OK) return rc;
  size_t before = pbs->n;
  const char *data = typed_data(a, &def, get, ctx, up, n_up, pbs);
  if (pbs->n > before) return ERR_INVALID;
  draft_tx t = {a, who, s, &def, o, draft_id, data, up, n_up, 0};
  rc = db_tx(d, draft_fn, &t);
  if (rc == ERR_OK && id_out) *id_out = t.id;
  return rc;
}

/* ---- submission ---- */

/* Values for validation: the typed text, and for file fields the upload
 * or the file kept with the draft. */
typedef struct {
  svc_get_fn get;
  void *ctx;
  svc_app_file *files;
  size_t n_files;
} merged;

static const char *merged_get(void *ctx, const char *name) {
  merged *m = ctx;
  for (size_t i = 0; i < m->n_files; i++)
    if (strcmp(m->files[i].field, name) == 0) return m->files[i].name;
  return m->get(m->ctx, name);
}

static const char *first_of(const svc_def *def, const svc_values *v, svc_field_type type,
                            const char *name) {
  for (size_t i = 0; i < v->n; i++) {
    const svc_field *f = svc_def_field(def, v->names[i]);
    if (f && (name ? strcmp(f->name, name) == 0 : f->type == type)) return v->values[i];
  }
  return NULL;
}

static const char *when_text(arena *a, int64_t t) {
  char buf[17];
  time_format_rome(t, buf);
  return arena_strdup(a, buf);
}

/* The PDF of a step: the caller's renderer, or a plain text stand-in
 * (command line, tests without fonts). */
static err_code make_pdf(arena *a, svc_pdf_fn fn, void *ctx, const svc_doc *doc,
                         const char **mime, const void **data, size_t *len) {
  if (fn) {
    *mime = "application/pdf";
    return fn(ctx, a, doc, data, len);
  }
  char *s = arena_printf(a, "%s\n\n", doc->title);
  for (size_t i = 0; i < doc->n; i++)
    s = arena_printf(a, "%s%s: %s\n", s, doc->labels[i], doc->values[i] ? doc->values[i] : "");
  if (doc->text) s = arena_printf(a, "%s\n%s\n", s, doc->text);
  *mime = "text/plain; charset=utf-8";
  *data = s;
  *len = strlen(s);
  return ERR_OK;
}

typedef struct {
  arena *a;
  const actor *who;
  const svc_submit_in *in;
  const svc_def *def;
  svc_app *out;
  problems *pbs;
} submit_tx;

static err_code submit_fn(db *d, void *ctx) {
  submit_tx *t = ctx;
  arena *a = t->a;
  const svc_submit_in *in = t->in;
  const service *s = in->svc;
  int64_t now = clock_now();
  svc_app x = {0};
  err_code rc;
  merged m = {in->get, in->ctx, NULL, 0};
  if (in->draft_id) {
    if ((rc = svc_app_draft(d, a, s->ente_id, in->owner, in->draft_id, &x)) != ERR_OK) return rc;
    if (x.service_id != s->id) return ERR_NOT_FOUND;
    if ((rc = sst_files(d, a, s->ente_id, x.id, &m.files, &m.n_files)) != ERR_OK) return rc;
  }
  svc_values v;
  problems_clear(t->pbs);
  svc_stamp stamp = {0};
  if (s->stamp_duty) {
    rc = svc_stamp_check(d, a, s->ente_id, &in->stamp, &stamp, t->pbs);
    if (rc != ERR_OK && rc != ERR_INVALID) return rc;
  }
  rc = svc_validate(a, t->def, merged_get, &m, in->up, in->n_up, &v, t->pbs);
  if (rc != ERR_OK && rc != ERR_INVALID) return rc;
  if (t->pbs->n) return ERR_INVALID;
  /* the application */
  x.ente_id = s->ente_id;
  x.service_id = s->id;
  x.state = "submitted";
  x.owner_kind = (char *)in->owner->kind;
  x.owner_user_id = in->owner->user_id;
  x.owner_fiscal_code = (char *)in->owner->fiscal_code;
  x.data = pack(a, v.names, v.values, v.n);
  x.applicant_name = (char *)first_of(t->def, &v, SF__TYPES, "nome");
  if (!x.applicant_name) x.applicant_name = (char *)first_of(t->def, &v, SF_TEXT, NULL);
  x.applicant_fiscal_code = (char *)first_of(t->def, &v, SF_CF, NULL);
  if (!x.applicant_fiscal_code) x.applicant_fiscal_code = (char *)in->owner->fiscal_code;
  x.applicant_email = (char *)first_of(t->def, &v, SF_EMAIL, NULL);
  if (!x.applicant_name) x.applicant_name = x.applicant_fiscal_code;
  if (!x.applicant_name) x.applicant_name = "Richiedente";
  x.updated_at = x.submitted_at = now;
  if (x.id) rc = sst_app_update(d, &x);
  else {
    x.created_at = now;
    rc = sst_app_insert(d, &x, &x.id);
  }
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < in->n_up; i++)
    if (upload_ok(t->def, &in->up[i]) &&
        (rc = store_upload(d, a, x.ente_id, x.id, &in->up[i], now)) != ERR_OK)
      return rc;
  svc_app_file *files;
  size_t n_files;
  if ((rc = sst_files(d, a, x.ente_id, x.id, &files, &n_files)) != ERR_OK) return rc;
  /* the application PDF: the form as filled */
  ente e;
  if ((rc = ente_get(d, a, x.ente_id, &e)) != ERR_OK) return rc;
  svc_doc doc = {0};
  doc.title = arena_printf(a, "Domanda: %s", s->name);
  size_t cap = v.n + 8;
  doc.labels = ARENA_ARRAY(a, const char *, cap);
  doc.values = ARENA_ARRAY(a, const char *, cap);
#define ROW(l, val) (doc.labels[doc.n] = (l), doc.values[doc.n++] = (val))
  ROW("Ente", e.name);
  ROW("Identificativo della domanda", arena_printf(a, "%lld", (long long)x.id));
  ROW("Richiesta presentata il", when_text(a, now));
  ROW("Richiedente", x.applicant_name);
  for (size_t i = 0; i < v.n; i++) {
    const svc_field *f = svc_def_field(t->def, v.names[i]);
    const char *val = v.values[i];
    for (size_t k = 0; f && k < f->n_options; k++)
      if (strcmp(f->options[k].value, val) == 0) val = f->options[k].label;
    ROW(f ? f->label : v.names[i], val);
  }
#undef ROW
  const char *list = NULL;
  for (size_t i = 0; i < n_files; i++)
    list = arena_printf(a, "%s%s (%s, %lld byte)", list ? arena_printf(a, "%s\n", list) : "",
                        files[i].name, files[i].mime, (long long)files[i].size);
  doc.text = list ? arena_printf(a, "Allegati:\n%s", list) : "Nessun allegato.";
  const char *mime;
  const void *pdf;
  size_t pdf_len;
  if ((rc = make_pdf(a, in->pdf, in->pdf_ctx, &doc, &mime, &pdf, &pdf_len)) != ERR_OK) return rc;
  /* the incoming protocol entry: the PDF and the attachments */
  case_file *cf = ARENA_ARRAY(a, case_file, n_files + 1);
  prot_entry pe = {0};
  pe.ente_id = x.ente_id;
  pe.direction = "in";
  pe.correspondent = x.applicant_email
                         ? arena_printf(a, "%s <%s>", x.applicant_name, x.applicant_email)
                         : x.applicant_name;
  pe.subject = arena_printf(a, "Domanda online: %s - %s", s->name, x.applicant_name);
  pe.channel = "web";
  pe.category = (char *)svc_fascicolo(a, s->code);
  pe.docs = ARENA_ARRAY(a, prot_doc, n_files + 1);
  pe.docs[0] = (prot_doc){.role = "primary", .name = strcmp(mime, "application/pdf") == 0 ? "domanda.pdf" : "domanda.txt",
                          .mime = mime, .data = pdf, .size = (int64_t)pdf_len};
  for (size_t i = 0; i < n_files; i++) {
    svc_app_file fi;
    const void *data;
    if ((rc = sst_file_data(d, a, x.ente_id, x.id, files[i].id, &fi, &data)) != ERR_OK) return rc;
    pe.docs[1 + i] = (prot_doc){.role = "attachment", .name = fi.name, .mime = fi.mime,
                                .data = data, .size = fi.size};
    cf[i] = (case_file){.name = fi.name, .mime = fi.mime, .data = data, .size = fi.size};
  }
  pe.n_docs = 1 + n_files;
  problem pb = {0};
  if (s->protocolled && (rc = protocol_register(d, a, t->who, &pe, &pb)) != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, pb.field, pb.message);
    return rc;
  }
  /* the case */
  case_input ci = {0};
  ci.ente_id = x.ente_id;
  ci.channel = "web";
  ci.category_code = s->category_code;
  ci.subject = arena_printf(a, "%s - %s", s->name, x.applicant_name);
  ci.description = arena_printf(a, "Domanda online n. %lld per il servizio \"%s\".", (long long)x.id,
                                s->name);
  ci.requester_kind = "person";
  ci.requester_name = x.applicant_name;
  ci.requester_email = x.applicant_email;
  ci.requester_fiscal_code = x.applicant_fiscal_code;
  if (s->protocolled) {
    ci.protocol_entry_id = pe.id;
    ci.protocol_year = pe.year;
    ci.protocol_number = pe.number;
  }
  ci.ack = x.applicant_email != NULL;
  ci.files = cf;
  ci.n_files = n_files;
  ci.office_id = s->office_id;
  ci.working_days = s->working_days;
  case_rec c;
  if ((rc = cases_open(d, a, t->who, &ci, &c, &pb)) != ERR_OK) {
    if (pb.message) problems_add(a, t->pbs, rc, pb.field, pb.message);
    return rc;
  }
  x.case_id = c.id;
  if ((rc = sst_app_update(d, &x)) != ERR_OK) return rc;
  x.service_name = s->name;
  x.service_code = s->code;
  if (s->stamp_duty && (rc = svc_stamp_record(d, a, t->who, &x, c.label, &stamp, t->pbs)) != ERR_OK)
    return rc;
  /* a payment in advance: its act and notice now, for the amount asked */
  if (strcmp(s->payment, "advance") == 0) {
    unpack(a, &x);
    int64_t amount = svc_app_amount(s, &x);
    svc_pay_in pay = {&x, c.label, "advance", s->revenue_code, amount, 0};
    debt_act act;
    if (amount > 0 && (rc = svc_issue_payment(d, a, t->who, &pay, &act, t->pbs)) != ERR_OK)
      return rc;
  }
  rc = audit_write_json(d, t->who, x.ente_id, "service.submit", "service_application", x.id, NULL,
                        json_pack("{s:s, s:s, s:I, s:s?}", "service", s->code, "case", c.label,
                                  "files", (json_int_t)n_files, "applicant_fiscal_code",
                                  x.applicant_fiscal_code));
  if (rc != ERR_OK) return rc;
  *t->out = x;
  unpack(a, t->out);
  return ERR_OK;
}

err_code svc_app_submit(db *d, arena *a, const actor *who, const svc_submit_in *in, svc_app *out,
                        problems *pbs) {
  svc_def def;
  err_code rc = services_def(a, in->svc, &def);
  if (rc != ERR_OK) return rc;
  if (!in->svc->active) return ERR_NOT_FOUND;
  submit_tx t = {a, who, in, &def, out, pbs};
  return db_tx_locking(d, submit_fn, &t);
}

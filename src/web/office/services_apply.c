/* The application form of a service, shared by the office (staff filling
 * in for a citizen) and the citizen's portal: the values of a request,
 * the draft's values, the form itself, and what a POST does ("Salva
 * bozza" keeps what was typed and the good files; "Invia" checks
 * everything and, when a field is wrong, keeps what was typed and the good
 * files with a draft and shows the form again with each message next to
 * its field). */
#include <string.h>

#include "core/sniff.h"
#include "render/service_form.h"
#include "web/office/services_ui.h"

svc_upload *svc_web_uploads(request *rq, size_t *n) {
  svc_upload *up = ARENA_ARRAY(rq->a, svc_upload, rq->files.n + 1);
  *n = 0;
  for (size_t i = 0; i < rq->files.n; i++) {
    const http_upload *u = &rq->files.items[i];
    if (!u->size) continue;
    up[(*n)++] = (svc_upload){u->name, u->filename, sniff_mime(rq->a, u->data, u->size),
                              u->data, (int64_t)u->size};
  }
  return up;
}

int64_t svc_draft_param(request *rq) {
  const char *v = rq_query(rq, "bozza");
  int64_t id = 0;
  for (const char *p = v; p && *p; p++) {
    if (*p < '0' || *p > '9' || id > 100000000000000LL) return 0;
    id = id * 10 + (*p - '0');
  }
  return id;
}

/* Values typed in this request (multi-line fields come as "<name>.text");
 * for file fields the upload, else the file kept with the draft. */
static const char *posted_get(void *ctx, const char *name) {
  svc_form_ctx *p = ctx;
  if (strncmp(name, "_bollo", 6) == 0) return rq_form(p->rq, name); /* the stamp duty */
  const svc_field *f = svc_def_field(p->def, name);
  if (!f) return NULL;
  if (f->type == SF_FILE) {
    const http_upload *u = rq_file(p->rq, name);
    if (u && u->size) return u->filename;
    for (size_t i = 0; i < p->n_files; i++)
      if (strcmp(p->files[i].field, name) == 0) return p->files[i].name;
    return NULL;
  }
  return rq_form(p->rq, svc_form_input_name(p->rq->a, f));
}

/* What the form shows again after a refusal: the text typed, and for file
 * fields only the files actually kept (an upload is not sent again). */
static const char *shown_get(void *ctx, const char *name) {
  svc_form_ctx *p = ctx;
  const svc_field *f = svc_def_field(p->def, name);
  if (f && f->type == SF_FILE) {
    for (size_t i = 0; i < p->n_files; i++)
      if (strcmp(p->files[i].field, name) == 0) return p->files[i].name;
    return NULL;
  }
  return posted_get(ctx, name);
}

const char *svc_draft_get(void *ctx, const char *name) {
  svc_form_ctx *p = ctx;
  for (size_t i = 0; i < p->n_files; i++)
    if (strcmp(p->files[i].field, name) == 0) return p->files[i].name;
  return p->has_draft ? svc_app_value(&p->draft, name) : NULL;
}

err_code svc_form_ctx_load(request *rq, const svc_def *def, const svc_owner *o, int64_t draft_id,
                           svc_form_ctx *ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->rq = rq;
  ctx->def = def;
  if (!draft_id) return ERR_OK;
  err_code rc = svc_app_draft(rq->db, rq->a, rq->ente->id, o, draft_id, &ctx->draft);
  if (rc != ERR_OK) return rc;
  ctx->has_draft = 1;
  svc_app_file *files;
  rc = svc_app_files(rq->db, rq->a, rq->ente->id, draft_id, &files, &ctx->n_files);
  ctx->files = files;
  return rc;
}

/* The stamp duty: the marca da bollo's serial and date, or pagoPA when
 * the Ente has the stamp-duty revenue. What was posted is shown again. */
static void stamp_fields(html *h, request *rq, svc_get_fn get, void *ctx) {
  html_elem(h, "h2", "Imposta di bollo", HA("class", "h5 mt-4"));
  html_elem(h, "p",
            "La domanda è soggetta all'imposta di bollo di 16,00 euro: indica la marca da bollo "
            "che hai acquistato (numero di serie di 14 cifre e data di emissione) oppure pagala con "
            "pagoPA.",
            HA("class", "small"));
  int pagopa = svc_stamp_pagopa_available(rq->db, rq->a, rq->ente->id);
  static const form_option modes[] = {{"seriale", "Ho una marca da bollo"},
                                      {"pagopa", "Pago 16,00 euro con pagoPA"}};
  form_field m = {.name = "_bollo", .label = "Come assolvi l'imposta di bollo", .value = get(ctx, "_bollo")};
  form_radio_group(h, &m, modes, pagopa ? 2 : 1);
  form_field sn = {.name = "_bollo_seriale", .label = "Numero di serie della marca da bollo",
                   .value = get(ctx, "_bollo_seriale"), .maxlength = 14,
                   .hint = "Le 14 cifre stampate sulla marca."};
  form_input(h, &sn);
  form_field sd = {.name = "_bollo_data", .label = "Data di emissione della marca", .type = "date",
                   .value = get(ctx, "_bollo_data")};
  form_input(h, &sd);
}

void svc_stamp_view(html *h, request *rq, int64_t app_id, const svc_payment *pays, size_t n_pays) {
  svc_stamp st;
  if (svc_app_stamp(rq->db, rq->a, rq->ente->id, app_id, &st) != ERR_OK) {
    html_elem(h, "p", "Imposta di bollo di 16,00 euro non indicata con la domanda.");
    return;
  }
  dl_begin(h);
  if (strcmp(st.mode, "serial") == 0) {
    dl_row(h, "Modalità", "Marca da bollo", NULL);
    dl_row(h, "Numero di serie", st.serial, NULL);
    dl_row(h, "Data di emissione", date_it(rq->a, st.issue_date), NULL);
    dl_row(h, "Importo", "16,00 euro", NULL);
  } else {
    dl_row(h, "Modalità", "Pagamento pagoPA di 16,00 euro", NULL);
    const char *state = NULL, *nav = NULL;
    for (size_t i = 0; i < n_pays; i++)
      if (strcmp(pays[i].kind, "stamp") == 0) {
        state = pays[i].paid ? "Pagato" : "Da pagare";
        nav = pays[i].nav;
      }
    dl_row(h, "Codice avviso", nav, "—");
    dl_row(h, "Stato", state, "—");
  }
  dl_end(h);
}

void svc_apply_form(html *h, request *rq, const service *s, const svc_def *def, svc_get_fn get,
                    void *ctx, const char *action, const problems *pbs) {
  if (s->description) html_elem(h, "p", s->description, HA("class", "lead"));
  html_elem(h, "p", "I campi con * sono obbligatori.", HA("class", "small"));
  form_begin_multipart_errors(h, action, rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  svc_form_fields(h, def, get, ctx);
  if (s->stamp_duty) stamp_fields(h, rq, get, ctx);
  html_open(h, "div", HA("class", "sp-form-actions"));
  form_submit(h, "Invia la domanda");
  html_elem(h, "button", "Salva bozza", HA("type", "submit"), HA("name", "_bozza"),
            HA("value", "1"), HA("class", "btn btn-outline-primary"));
  html_close(h, "div");
  form_end(h);
}

err_code svc_apply_post(request *rq, const service *s, const svc_def *def, const svc_owner *o,
                        int64_t draft_id, svc_apply_result *r) {
  memset(r, 0, sizeof *r);
  err_code rc = svc_form_ctx_load(rq, def, o, draft_id, &r->ctx);
  if (rc != ERR_OK) return rc;
  size_t n_up;
  svc_upload *up = svc_web_uploads(rq, &n_up);
  if (rq_form(rq, "_bozza")) {
    rc = svc_app_save_draft(rq->db, rq->a, &rq->who, s, o, draft_id, posted_get, &r->ctx, up, n_up,
                            &r->id, &r->pbs);
    if (rc == ERR_INVALID) {
      r->outcome = SVC_APPLY_REFUSED;
      r->id = draft_id;
      r->get = shown_get;
      return ERR_OK;
    }
    r->outcome = SVC_APPLY_DRAFT;
    return rc;
  }
  svc_submit_in in = {s,           o,
                      draft_id,    posted_get,
                      &r->ctx,     up,
                      n_up,        service_doc_pdf_fn,
                      rq->ente->name,
                      {rq_form(rq, "_bollo"), rq_form(rq, "_bollo_seriale"), rq_form(rq, "_bollo_data")}};
  svc_app x;
  rc = svc_app_submit(rq->db, rq->a, &rq->who, &in, &x, &r->pbs);
  if (rc == ERR_OK) {
    r->outcome = SVC_APPLY_SUBMITTED;
    r->id = x.id;
    return ERR_OK;
  }
  if (rc != ERR_INVALID || !r->pbs.n) return rc;
  /* nothing lost: what was typed and the good files go to a draft */
  r->outcome = SVC_APPLY_REFUSED;
  r->get = shown_get;
  r->id = draft_id;
  int typed = n_up > 0;
  for (size_t i = 0; i < rq->form.n && !typed; i++)
    typed = rq->form.items[i].key[0] != '_' && rq->form.items[i].value[0];
  problems keep = {0};
  int64_t id = draft_id;
  if (typed && svc_app_save_draft(rq->db, rq->a, &rq->who, s, o, draft_id, posted_get, &r->ctx, up,
                                  n_up, &id, &keep) == ERR_OK) {
    r->id = id;
    svc_app_file *files;
    size_t n;
    if (svc_app_files(rq->db, rq->a, rq->ente->id, id, &files, &n) == ERR_OK) {
      r->ctx.files = files;
      r->ctx.n_files = n;
    }
  }
  return ERR_OK;
}

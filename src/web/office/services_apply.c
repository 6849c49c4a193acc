/* The application form of a service, shared by the office (staff filling
 * in for a citizen) and the citizen's portal: the values of a request,
 * the draft's values, the form itself, and what a POST does ("Salva
 * bozza" keeps what was typed and the good files; "Invia" checks
 * everything and, when a field is wrong, keeps what was typed and the good
 * files with a draft and shows the form again with each message next to
 * its field). */
#include <string.h>

#include "render/service_form.h"
#include "web/office/services_ui.h"

svc_upload *svc_web_uploads(request *rq, size_t *n) {
  svc_upload *up = ARENA_ARRAY(rq->a, svc_upload, rq->files.n + 1);
  *n = 0;
  for (size_t i = 0; i < rq->files.n; i++) {
    const http_upload *u = &rq->files.items[i];
    if (!u->size) continue;
    up[(*n)++] = (svc_upload){u->name, u->filename, svc_sniff_mime(rq->a, u->data, u->size),
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

void svc_apply_form(html *h, request *rq, const service *s, const svc_def *def, svc_get_fn get,
                    void *ctx, const char *action, const problems *pbs) {
  if (s->description) html_elem(h, "p", s->description, HA("class", "lead"));
  html_elem(h, "p", "I campi con * sono obbligatori.", HA("class", "small"));
  form_begin_multipart_errors(h, action, rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  svc_form_fields(h, def, get, ctx);
  if (s->stamp_duty)
    html_elem(h, "p",
              "La domanda è soggetta all'imposta di bollo di 16 euro: l'ufficio ne verifica il "
              "pagamento o il numero di serie della marca.",
              HA("class", "alert alert-info"));
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
  svc_submit_in in = {s, o, draft_id, posted_get, &r->ctx, up, n_up, svc_web_pdf, rq->ente->name};
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

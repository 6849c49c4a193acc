/* Shared pieces of the online-service pages (office and portal): the
 * uploads of a request as the domain sees them (type sniffed from the
 * content), the PDF of each step, and the application form with what a
 * POST of it does (services_apply.c). */
#ifndef SP_WEB_SERVICES_UI_H
#define SP_WEB_SERVICES_UI_H
#include "render/pdf/service_doc.h"
#include "domain/services/services.h"
#include "web/web.h"

/* The non-empty file parts of the request, mime by libmagic. */
svc_upload *svc_web_uploads(request *rq, size_t *n);
/* The context of svc_web_notice: the Ente and the database (for the
 * bollettino data of the act's revenue account). */
typedef struct {
  const ente *ente;
  db *db;
} svc_notice_ctx;
/* svc_notice_fn drawing the act's payment notice (ctx: a svc_notice_ctx). */
err_code svc_web_notice(void *ctx, arena *a, const debt_act *act, const void **pdf, size_t *len);
/* The stamp duty of application app_id (16 euro): the marca da bollo's
 * serial and date, or the pagoPA payment among pays with its state. */
void svc_stamp_view(html *h, request *rq, int64_t app_id, const svc_payment *pays, size_t n_pays);
/* ?bozza=N, or 0. */
int64_t svc_draft_param(request *rq);

/* The values behind a form: the request's, a draft's, its files. */
typedef struct {
  request *rq;
  const svc_def *def;
  svc_app draft;
  int has_draft;
  const svc_app_file *files;
  size_t n_files;
} svc_form_ctx;
/* Loads the owner's draft (draft_id 0: none); ERR_NOT_FOUND when it is not
 * theirs. */
err_code svc_form_ctx_load(request *rq, const svc_def *def, const svc_owner *o, int64_t draft_id,
                           svc_form_ctx *ctx);
/* svc_get_fn over a loaded draft (ctx: svc_form_ctx *). */
const char *svc_draft_get(void *ctx, const char *name);

/* The form (description, fields, stamp duty note, "Invia la domanda" and
 * "Salva bozza") posting to action; no page frame. */
void svc_apply_form(html *h, request *rq, const service *s, const svc_def *def, svc_get_fn get,
                    void *ctx, const char *action, const problems *pbs);

typedef enum { SVC_APPLY_DRAFT = 1, SVC_APPLY_SUBMITTED, SVC_APPLY_REFUSED } svc_apply_outcome;
typedef struct {
  svc_apply_outcome outcome;
  int64_t id;       /* the draft (DRAFT, REFUSED: 0 when none) or the application */
  problems pbs;     /* REFUSED */
  svc_get_fn get;   /* REFUSED: the values to show again, over ctx */
  svc_form_ctx ctx;
} svc_apply_result;
/* Runs a POST of the form (draft or submission) for owner o. */
err_code svc_apply_post(request *rq, const service *s, const svc_def *def, const svc_owner *o,
                        int64_t draft_id, svc_apply_result *r);

/* The operator's page of an application with a problem shown at the top
 * (an action that could not be done) and status (0: 200). */
err_code application_page_render(request *rq, response *rs, int64_t id, const problem *pb,
                                 int status);

#endif

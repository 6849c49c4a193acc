/* Online services at the office: the Ente's services, and a service's form
 * filled in by staff for a citizen (at the counter, on the phone) — the
 * same form, validator, drafts and submission as the citizen's portal
 * (services_apply.c); the draft belongs to the staff member. */
#include <string.h>

#include "web/office/services_ui.h"

err_code page_office_services(request *rq, response *rs) {
  service *ss;
  size_t n;
  err_code rc = services_list(rq->db, rq->a, rq->ente->id, 1, &ss, &n);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, "Servizi online", "pratiche", &p)) != ERR_OK) return rc;
  WEB_OFFICE_TRAIL(rq, &p, {"Servizi online", NULL});
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            "Le domande dei cittadini si compilano online; allo sportello puoi compilarle per "
            "loro con lo stesso modulo.",
            HA("class", "lead"));
  html_open(&h, "p");
  button_link(&h, "Domande ricevute", url_office_applications(rq->a, rq->ente->slug), BTN_SECONDARY);
  html_close(&h, "p");
  static const char *const cols[] = {"Servizio", "Descrizione", "Termine", "Domanda"};
  table_begin(&h, "Servizi online", 0, cols, 4);
  for (size_t i = 0; i < n; i++) {
    table_row_begin(&h);
    table_cell(&h, ss[i].name);
    table_cell(&h, ss[i].description ? ss[i].description : "");
    table_cell(&h, arena_printf(rq->a, "%d giorni lavorativi", ss[i].working_days));
    table_cell_link(&h, "Compila la domanda",
                    url_office_service_apply(rq->a, rq->ente->slug, ss[i].code, 0), 0);
    table_row_end(&h);
  }
  table_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

static void render_form(request *rq, response *rs, const service *s, const svc_def *def,
                        svc_get_fn get, void *ctx, int64_t draft_id, const problems *pbs,
                        const char *notice) {
  page_info p;
  if (web_page_info(rq, s->name, "pratiche", &p) != ERR_OK) return;
  WEB_OFFICE_TRAIL(rq, &p, {"Servizi online", url_office_services(rq->a, rq->ente->slug)},
                   {s->name, NULL});
  p.notice = notice;
  if (pbs && pbs->n) rs->status = 422;
  html h = web_begin(rq, rs, &p);
  svc_apply_form(&h, rq, s, def, get, ctx,
                 url_office_service_apply(rq->a, rq->ente->slug, s->code, draft_id), pbs);
  page_end(&h, &p);
}

static err_code load_service(request *rq, service *s, svc_def *def) {
  err_code rc = services_get_by_code(rq->db, rq->a, rq->ente->id, rq->params[1], s);
  if (rc != ERR_OK) return rc;
  if (!s->active) return ERR_NOT_FOUND;
  return services_def(rq->a, s, def);
}

err_code page_office_service_apply(request *rq, response *rs) {
  service s;
  svc_def def;
  err_code rc = load_service(rq, &s, &def);
  if (rc != ERR_OK) return rc;
  svc_owner o = {"user", rq->user->id, NULL};
  int64_t draft_id = svc_draft_param(rq);
  svc_form_ctx ctx;
  if ((rc = svc_form_ctx_load(rq, &def, &o, draft_id, &ctx)) != ERR_OK) return rc;
  const char *saved = rq_query(rq, "salvato");
  render_form(rq, rs, &s, &def, svc_draft_get, &ctx, draft_id, NULL,
              saved && strcmp(saved, "bozza") == 0 ? "Bozza salvata: puoi riprenderla quando vuoi."
                                                   : NULL);
  return ERR_OK;
}

err_code page_office_service_apply_post(request *rq, response *rs) {
  service s;
  svc_def def;
  err_code rc = load_service(rq, &s, &def);
  if (rc != ERR_OK) return rc;
  svc_owner o = {"user", rq->user->id, NULL};
  svc_apply_result r;
  if ((rc = svc_apply_post(rq, &s, &def, &o, svc_draft_param(rq), &r)) != ERR_OK) return rc;
  switch (r.outcome) {
  case SVC_APPLY_DRAFT:
    return rs_redirect(rs, arena_printf(rq->a, "%s&salvato=bozza",
                                        url_office_service_apply(rq->a, rq->ente->slug, s.code, r.id)));
  case SVC_APPLY_SUBMITTED:
    return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=inviata",
                                        url_office_application(rq->a, rq->ente->slug, r.id)));
  case SVC_APPLY_REFUSED:
    render_form(rq, rs, &s, &def, r.get, &r.ctx, r.id, &r.pbs, NULL);
    return ERR_OK;
  }
  return ERR_INTERNAL;
}

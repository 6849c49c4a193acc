/* The Ente's side of an occupation on the case page: the authorisation
 * (concessione) the Ente uploads (multipart, PDF only, Ente staff), when it
 * was delivered to the taxpayer, its download, and a reply of the Ente to
 * the approval request that an operator must read. */
#include <string.h>

#include "domain/canone/authorisation.h"
#include "domain/protocol/protocol.h"
#include "web/office/cases_ui.h"
#include "web/office/occupation_auth.h"

void case_occupation_auth_section(request *rq, html *h, const case_rec *c, const occupation *o) {
  arena *a = rq->a;
  occupation_reply_rec fr;
  if (occupation_reply_flagged(rq->db, a, rq->ente->id, c->id, &fr) == ERR_OK) {
    html_open(h, "div", HA("class", "alert alert-warning"), HA("role", "status"));
    html_elem(h, "p",
              arena_printf(a,
                           "Risposta dell'Ente da verificare: il messaggio di %s del %s non dice APPROVATO "
                           "né RIFIUTATO. La variazione resta in attesa: leggi la risposta e registra la "
                           "decisione.",
                           fr.sender, cu_time(a, fr.at)),
              HA("class", "mb-1"));
    html_elem(h, "p", fr.body, HA("class", "sp-pre small mb-0"));
    html_close(h, "div");
  }
  if (strcmp(o->kind, "new") != 0) return;
  html_elem(h, "h3", "Autorizzazione all'occupazione", HA("class", "h5"), HA("id", "autorizzazione"));
  occupation_auth x;
  int has = occupation_authorisation_get(rq->db, a, rq->ente->id, c->id, &x) == ERR_OK;
  if (has) {
    dl_begin(h);
    cu_row(h, "Caricata il", cu_time(a, x.uploaded_at));
    if (x.protocol_number) cu_row(h, "Protocollo", protocol_label(a, x.protocol_number, x.protocol_year));
    cu_row(h, "Consegnata al contribuente",
           x.delivered_at ? cu_time(a, x.delivered_at)
                          : "Non ancora: sarà inviata per e-mail quando l'avviso risulta pagato.");
    dl_end(h);
    html_open(h, "p");
    html_elem(h, "a", arena_printf(a, "Scarica %s", x.name),
              HA("href", url_case_action(a, rq->ente->slug, c->id, "autorizzazione.pdf")));
    html_textf(h, " (%lld byte)", (long long)x.size);
    html_close(h, "p");
  } else {
    html_elem(h, "p", "L'Ente non ha ancora caricato l'autorizzazione.");
  }
  int ente_staff = WEB_USER_HAS_ROLE(rq, ROLE_BIT(ROLE_ENTE_STAFF) | ROLE_BIT(ROLE_ADMIN));
  if (!ente_staff || o->ceased_on || (has && x.delivered_at)) return;
  form_begin_multipart_errors(h, url_case_action(a, rq->ente->slug, c->id, "autorizzazione"), rq->csrf, NULL,
                              0);
  html_open(h, "div", HA("class", "form-group"));
  html_elem(h, "label", has ? "Sostituisci l'autorizzazione (PDF)" : "Autorizzazione (PDF)",
            HA("for", "f-file"), HA("class", "active"));
  html_void(h, "input", HA("type", "file"), HA("id", "f-file"), HA("name", "file"),
            HA("accept", "application/pdf,.pdf"), HA("required", "required"), HA("class", "form-control"),
            HA("aria-describedby", "f-file-hint"));
  html_elem(h, "small",
            "Solo PDF, al massimo 10 MB. Sarà inviata al contribuente per e-mail dopo il pagamento "
            "dell'avviso (subito, se ha già pagato).",
            HA("id", "f-file-hint"), HA("class", "form-text"));
  html_close(h, "div");
  form_submit(h, "Carica l'autorizzazione");
  form_end(h);
}

err_code page_case_authorisation_post(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  const http_upload *f = rq_file(rq, "file");
  problems pbs = {0};
  occupation_auth x;
  int delivered = 0;
  err_code e =
      occupation_authorisation_upload(rq->db, rq->a, &rq->who, rq->ente->id, id, f ? f->filename : NULL,
                                      f ? f->data : NULL, f ? f->size : 0, &x, &delivered, &pbs);
  if (e == ERR_OK)
    return rs_redirect(
        rs, arena_printf(rq->a, "%s?salvato=%s#autorizzazione", url_case(rq->a, rq->ente->slug, id),
                         delivered ? "autorizzazione-inviata" : "autorizzazione"));
  if (e == ERR_INVALID) return case_page_render(rq, rs, id, pbs.n ? &pbs.items[0] : NULL, 422);
  if (e == ERR_CASE_STATE) {
    problem p = {
        e, NULL,
        "L'autorizzazione si carica solo per una nuova occupazione non cessata, e non dopo che è stata "
        "consegnata al contribuente."};
    return case_page_render(rq, rs, id, &p, 409);
  }
  return e;
}

err_code page_case_authorisation_pdf(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  occupation_auth x;
  const void *data;
  size_t len;
  err_code e = occupation_authorisation_data(rq->db, rq->a, rq->ente->id, id, &x, &data, &len);
  if (e != ERR_OK) return e;
  rs->content_type = "application/pdf";
  rs_header(rs, "Content-Disposition", arena_printf(rq->a, "attachment; filename=\"%s\"", x.name));
  sb_appendn(&rs->body, data, len);
  return ERR_OK;
}

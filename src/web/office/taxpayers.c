/* Registry search: by codice fiscale, partita IVA or name prefix, paged. */
#include <stdlib.h>
#include <string.h>
#include "web/web.h"

#define PAGE_SIZE 25

err_code page_taxpayers(request *rq, response *rs) {
  const char *q = rq_query(rq, "q");
  const char *pg = rq_query(rq, "pagina");
  int page = pg ? atoi(pg) : 1;
  if (page < 1 || page > 10000) page = 1;
  if (q && strlen(q) > 100) return ERR_BAD_REQUEST;
  taxpayer *list = NULL;
  size_t n = 0;
  err_code e = ERR_OK;
  if (q && *q) {
    e = taxpayer_search(rq->db, rq->a, rq->ente->id, q, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE,
                        &list, &n);
    if (e != ERR_OK) return e;
  }
  page_info p;
  e = web_page_info(rq, "Contribuenti", "contribuenti", &p);
  if (e != ERR_OK) return e;
  html h = web_begin(rq, rs, &p);
  if (WEB_USER_HAS_ROLE(rq, ROLES_REGISTRY_EDIT)) {
    html_open(&h, "p", HA("class", "mb-5"));
    html_open(&h, "a", HA("href", url_taxpayer_new(rq->a, rq->ente->slug)),
              HA("class", "btn btn-outline-primary"));
    html_lit(&h, "Nuovo contribuente");
    html_close(&h, "a");
    html_close(&h, "p");
  }
  html_open(&h, "form", HA("method", "get"), HA("action", url_taxpayers(rq->a, rq->ente->slug, NULL, 0)),
            HA("role", "search"), HA("class", "mb-4"));
  form_field fq = {.name = "q", .label = "Cerca per codice fiscale, partita IVA o nome", .value = q,
                   .type = "search", .maxlength = 100,
                   .hint = "Per il nome basta l'inizio del cognome o della ragione sociale."};
  form_input(&h, &fq);
  form_submit(&h, "Cerca");
  html_close(&h, "form");
  if (q && *q) {
    int more = n > PAGE_SIZE;
    if (more) n = PAGE_SIZE;
    if (n == 0) {
      html_elem(&h, "p", "Nessun contribuente trovato.", HA("role", "status"));
    } else {
      html_open(&h, "p", HA("role", "status"));
      html_textf(&h, "Risultati: %zu%s.", n + (size_t)(page - 1) * PAGE_SIZE, more ? " e altri" : "");
      html_close(&h, "p");
      html_open(&h, "div", HA("class", "table-responsive"));
      html_open(&h, "table", HA("class", "table table-striped"));
      html_elem(&h, "caption", "Contribuenti trovati", HA("class", "visually-hidden"));
      html_lit(&h, "<thead><tr><th scope=\"col\">Nome</th><th scope=\"col\">Codice fiscale</th>"
                   "<th scope=\"col\">Partita IVA</th><th scope=\"col\">Tipo</th></tr></thead><tbody>");
      for (size_t i = 0; i < n; i++) {
        html_open(&h, "tr");
        html_open(&h, "td");
        html_open(&h, "a", HA("href", url_taxpayer(rq->a, rq->ente->slug, list[i].id)));
        html_text(&h, taxpayer_display_name(rq->a, &list[i]));
        html_close(&h, "a");
        html_close(&h, "td");
        html_elem(&h, "td", list[i].fiscal_code);
        html_elem(&h, "td", list[i].vat_number ? list[i].vat_number : "");
        html_elem(&h, "td", list[i].kind == TP_COMPANY ? "Impresa" : "Persona fisica");
        html_close(&h, "tr");
      }
      html_lit(&h, "</tbody>");
      html_close(&h, "table");
      html_close(&h, "div");
      html_open(&h, "nav", HA("class", "pagination-wrapper"), HA("aria-label", "Paginazione"));
      html_open(&h, "ul", HA("class", "pagination"));
      if (page > 1) {
        html_open(&h, "li", HA("class", "page-item"));
        html_open(&h, "a", HA("class", "page-link"), HA("href", url_taxpayers(rq->a, rq->ente->slug, q, page - 1)));
        html_lit(&h, "Pagina precedente");
        html_close(&h, "a");
        html_close(&h, "li");
      }
      if (more) {
        html_open(&h, "li", HA("class", "page-item"));
        html_open(&h, "a", HA("class", "page-link"), HA("href", url_taxpayers(rq->a, rq->ente->slug, q, page + 1)));
        html_lit(&h, "Pagina successiva");
        html_close(&h, "a");
        html_close(&h, "li");
      }
      html_close(&h, "ul");
      html_close(&h, "nav");
    }
  }
  page_end(&h, &p);
  return ERR_OK;
}

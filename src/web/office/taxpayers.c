/* The registry: every taxpayer of the Ente, page by page, or those found by
 * codice fiscale, partita IVA or the start of the name; the true total,
 * numbered pages, and the columns that tell two namesakes apart. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "web/web.h"

#define PAGE_SIZE 25

typedef struct {
  const char *slug, *q;
} list_ctx;

static const char *page_href(arena *a, const void *ctx, int page) {
  const list_ctx *c = ctx;
  return url_taxpayers(a, c->slug, c->q, page);
}

/* "12/03/1980, Roma" for a person; NULL for a company. */
static const char *birth(arena *a, const taxpayer *tp) {
  if (tp->kind != TP_PERSON) return NULL;
  const char *d = tp->birth_date ? date_it(a, tp->birth_date) : NULL;
  if (d && tp->birth_place) return arena_printf(a, "%s, %s", d, tp->birth_place);
  return d ? d : tp->birth_place;
}

/* 16 letters and digits with at least one digit: meant as a codice fiscale. */
static int looks_like_cf(const char *q) {
  size_t n = 0;
  int digit = 0;
  for (const char *p = q; *p; p++) {
    if (*p == ' ') continue;
    if (!isalnum((unsigned char)*p)) return 0;
    digit |= isdigit((unsigned char)*p) != 0;
    n++;
  }
  return n == 16 && digit;
}

static void results(request *rq, html *h, const char *q, const taxpayer *list, size_t n,
                    int64_t total, int page) {
  list_ctx ctx = {rq->ente->slug, q};
  pager_info pi = {.page = page, .page_size = PAGE_SIZE, .total = total, .href = page_href,
                   .ctx = &ctx, .noun_one = "contribuente", .noun_many = "contribuenti"};
  if (total == 0) {
    html_elem(h, "p", q ? "Nessun contribuente trovato." : "Nessun contribuente registrato.",
              HA("role", "status"), HA("class", "sp-count"));
    if (q && taxpayer_query_kind(rq->a, q) == TQ_NAME && looks_like_cf(q))
      html_elem(h, "p",
                "Se cercavi un codice fiscale, controllalo: quello indicato non è valido (il "
                "carattere di controllo non corrisponde).",
                HA("class", "text-secondary"));
    return;
  }
  pager_summary(h, &pi);
  static const char *const cols[] = {"Nome o ragione sociale", "Codice fiscale", "Partita IVA",
                                     "Nascita", "Tipo"};
  table_begin(h, q ? "Contribuenti trovati" : "Contribuenti dell'Ente", 0, cols, 5);
  for (size_t i = 0; i < n; i++) {
    const taxpayer *tp = &list[i];
    table_row_begin(h);
    table_cell_link(h, taxpayer_display_name(rq->a, tp), url_taxpayer(rq->a, rq->ente->slug, tp->id),
                    1);
    table_cell(h, tp->fiscal_code);
    table_cell(h, tp->vat_number);
    table_cell(h, birth(rq->a, tp));
    table_cell(h, code_label(&LABELS_TAXPAYER_KIND, tp->kind == TP_COMPANY ? "company" : "person"));
    table_row_end(h);
  }
  table_end(h);
  pager(h, &pi);
}

err_code page_taxpayers(request *rq, response *rs) {
  const char *q = rq_query(rq, "q");
  const char *pg = rq_query(rq, "pagina");
  int page = pg ? atoi(pg) : 1;
  if (page < 1 || page > 100000) page = 1;
  if (q && strlen(q) > 100) return ERR_BAD_REQUEST;
  if (q && !*q) q = NULL;
  taxpayer *list = NULL;
  size_t n = 0;
  int64_t total = 0;
  err_code e = taxpayer_search_page(rq->db, rq->a, rq->ente->id, q, PAGE_SIZE,
                                    (page - 1) * PAGE_SIZE, &list, &n, &total);
  if (e != ERR_OK) return e;
  page_info p;
  e = web_page_info(rq, "Contribuenti", "contribuenti", &p);
  if (e != ERR_OK) return e;
  WEB_OFFICE_TRAIL(rq, &p, {"Contribuenti", NULL});
  html h = web_begin(rq, rs, &p);
  if (WEB_USER_HAS_ROLE(rq, ROLES_REGISTRY_EDIT)) {
    html_open(&h, "p", HA("class", "mb-5"));
    button_link(&h, "Nuovo contribuente", url_taxpayer_new(rq->a, rq->ente->slug), BTN_SECONDARY);
    html_close(&h, "p");
  }
  html_open(&h, "form", HA("method", "get"),
            HA("action", url_taxpayers(rq->a, rq->ente->slug, NULL, 0)), HA("role", "search"),
            HA("class", "mb-4"));
  form_field fq = {.name = "q", .label = "Cerca per codice fiscale, partita IVA o nome", .value = q,
                   .type = "search", .maxlength = 100,
                   .hint = "Per il nome basta l'inizio del cognome o della ragione sociale. "
                           "Senza nulla da cercare, l'elenco mostra tutti i contribuenti."};
  form_input(&h, &fq);
  html_open(&h, "div", HA("class", "sp-form-actions"));
  form_submit(&h, "Cerca");
  if (q) html_elem(&h, "a", "Mostra tutti", HA("href", url_taxpayers(rq->a, rq->ente->slug, NULL, 0)),
                   HA("class", "btn btn-outline-secondary"));
  html_close(&h, "div");
  html_close(&h, "form");
  results(rq, &h, q, list, n, total, page);
  page_end(&h, &p);
  return ERR_OK;
}

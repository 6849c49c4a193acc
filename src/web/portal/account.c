/* The personal area: the account situation since 2007 by year and revenue
 * (to pay, paid, sent to coattivo), the acts, and for an intermediary the
 * clients whose delegation the office recorded (?cf= shows a client's
 * situation, only with a live delegation). The summary covers every act; the
 * acts themselves are listed ACTS_PAGE at a time (?pagina=N), newest first,
 * so the page stays small for a taxpayer with hundreds of acts. */
#include <stdlib.h>
#include <string.h>

#include "web/portal/portal_web.h"

/* "?cf=X" for links when looking at a client's data. */
static const char *cfq(request *rq, const char *cf, char sep) {
  if (!strcmp(cf, rq->citizen->fiscal_code)) return "";
  return arena_printf(rq->a, "%ccf=%s", sep, url_encode(rq->a, cf));
}

enum { ACTS_PAGE = 25 };

typedef struct {
  request *rq;
  const char *cf;
} page_ctx;

static const char *page_href(arena *a, const void *ctx, int page) {
  const page_ctx *c = ctx;
  return arena_printf(a, "%s?pagina=%d%s", portal_url(c->rq, "/area-personale"), page,
                      cfq(c->rq, c->cf, '&'));
}

/* ?pagina=N, 1 when absent or not a page number. */
static int page_asked(request *rq) {
  const char *s = rq_query(rq, "pagina");
  if (!s || !*s || strlen(s) > 6) return 1;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 1;
  int n = atoi(s);
  return n >= 1 ? n : 1;
}

err_code page_portal_account(request *rq, response *rs) {
  const char *cf;
  err_code rc = portal_subject(rq, &cf);
  if (rc != ERR_OK) return rc;
  portal_situation_view v;
  if ((rc = portal_situation_read(rq->db, rq->a, rq->ente->id, cf, rq->citizen->fiscal_code, portal_today(rq),
                                  &v)) != ERR_OK)
    return rc;
  portal_situation_row *rows = v.rows;
  size_t nr = v.nr, total = v.na, nc = v.nc;
  portal_delegation *clients = v.clients;
  int page = page_asked(rq), pages = pager_pages((int64_t)total, ACTS_PAGE);
  if (page > pages) page = pages;
  size_t first = (size_t)(page - 1) * ACTS_PAGE;
  debt_act *acts = v.acts + first;
  size_t na = total - first < ACTS_PAGE ? total - first : ACTS_PAGE;
  portal_page p;
  portal_page_with(rq, "Situazione contabile", "area-personale", &p, &v.settings);
  PORTAL_TRAIL(rq, &p, {"Area personale", NULL});
  p.lead = strcmp(cf, rq->citizen->fiscal_code) ? arena_printf(rq->a, "Contribuente %s (delega)", cf)
                                                : arena_printf(rq->a, "Codice fiscale %s", cf);
  html h = portal_html(rq, rs, &p);
  html_open(&h, "ul", HA("class", "list-inline"));
  html_open(&h, "li", HA("class", "list-inline-item"));
  button_link(&h, "Estratto conto",
              arena_printf(rq->a, "%s%s", portal_url(rq, "/area-personale/estratto"), cfq(rq, cf, '?')),
              BTN_SECONDARY);
  html_close(&h, "li");
  html_open(&h, "li", HA("class", "list-inline-item"));
  button_link(&h, "Ravvedimento operoso", portal_url(rq, "/area-personale/ravvedimento"), BTN_SECONDARY);
  html_close(&h, "li");
  html_open(&h, "li", HA("class", "list-inline-item"));
  button_link(&h, "Occupazioni di suolo pubblico", portal_url(rq, "/area-personale/occupazioni"), BTN_SECONDARY);
  html_close(&h, "li");
  html_close(&h, "ul");
  html_elem(&h, "h2", "Per anno e tributo", HA("class", "h4 mt-4"));
  if (nr == 0) {
    html_elem(&h, "p", "Non risultano posizioni a tuo nome presso l'Ente.");
  } else {
    static const char *const cols[] = {"Anno",      "Tributo", "Atti",
                                       "Da pagare", "Pagato",  "Trasmesso al coattivo"};
    table_begin(&h, "Situazione per anno e tributo", 0, cols, 6);
    for (size_t i = 0; i < nr; i++) {
      table_row_begin(&h);
      table_cell(&h, portal_year(rq->a, rows[i].year));
      table_cell(&h, rows[i].revenue_name);
      table_cell_num(&h, rows[i].acts);
      table_cell(&h, portal_eur(rq->a, rows[i].to_pay_cents));
      table_cell(&h, portal_eur(rq->a, rows[i].paid_cents));
      table_cell(&h, portal_eur(rq->a, rows[i].coattivo_cents));
      table_row_end(&h);
    }
    table_end(&h);
    html_elem(&h, "h2", "Atti", HA("class", "h4 mt-4"), HA("id", "atti"));
    page_ctx pc = {rq, cf};
    pager_info pi = {.page = page,
                     .page_size = ACTS_PAGE,
                     .total = (int64_t)total,
                     .href = page_href,
                     .ctx = &pc,
                     .noun_one = "atto",
                     .noun_many = "atti"};
    pager_summary(&h, &pi);
    static const char *const acols[] = {"Atto", "Anno", "Tributo", "Stato", "Importo", "Residuo"};
    table_begin(&h, "Atti", 0, acols, 6);
    /* the act links: the same prefix and query for every row */
    const char *act_base = portal_url(rq, "/area-personale/atti/"), *act_q = cfq(rq, cf, '?');
    for (size_t i = 0; i < na; i++) {
      debt_act *x = &acts[i];
      table_row_begin(&h);
      table_cell_link(&h, arena_printf(rq->a, "%s n. %s", debt_act_type_label(x->act_type), x->number),
                      arena_printf(rq->a, "%s%lld%s", act_base, (long long)x->id, act_q), 1);
      table_cell(&h, portal_year(rq->a, x->year));
      table_cell(&h, x->revenue_code);
      table_cell(&h, debt_state_label(x->state));
      table_cell(&h, portal_eur(rq->a, x->charged_cents));
      table_cell(&h, portal_eur(rq->a, x->residual_cents > 0 ? x->residual_cents : 0));
      table_row_end(&h);
    }
    table_end(&h);
    pager(&h, &pi);
    if (v.settings.coattivo_url) {
      html_open(&h, "p");
      html_lit(&h, "Le posizioni trasmesse alla riscossione coattiva si pagano sul ");
      html_elem(&h, "a", "portale della riscossione coattiva", HA("href", v.settings.coattivo_url));
      html_lit(&h, ".");
      html_close(&h, "p");
    }
  }
  if (nc > 0) {
    html_elem(&h, "h2", "Contribuenti che ti hanno delegato", HA("class", "h4 mt-4"));
    html_open(&h, "ul", HA("data-testid", "clients"));
    for (size_t i = 0; i < nc; i++) {
      html_open(&h, "li");
      html_elem(&h, "a", clients[i].client_cf,
                HA("href", arena_printf(rq->a, "%s?cf=%s", portal_url(rq, "/area-personale"),
                                        url_encode(rq->a, clients[i].client_cf))));
      html_close(&h, "li");
    }
    html_close(&h, "ul");
  }
  portal_end(&h, &p);
  return ERR_OK;
}

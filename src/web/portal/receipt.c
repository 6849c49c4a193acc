/* After paying: the page Checkout sends the citizen back to, and the
 * receipt (quietanza) of a paid notice as a page and as a PDF, found by
 * notice number and fiscal code like the notice itself (same lookup
 * limit). */
#include <string.h>

#include "domain/pagopa/nav.h"
#include "web/portal/portal_pdf.h"
#include "web/portal/portal_web.h"

err_code page_portal_paid(request *rq, response *rs) {
  const char *esito = rq_query(rq, "esito"), *nav = rq_query(rq, "codice_avviso");
  portal_page p;
  err_code rc = portal_page_for(rq, "Esito del pagamento", "avviso", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Paga un avviso", portal_url(rq, "/avviso")}, {"Esito del pagamento", NULL});
  html h = portal_html(rq, rs, &p);
  if (esito && !strcmp(esito, "ok"))
    portal_alert(&h, "success", "Pagamento eseguito",
                 "pagoPA ha preso in carico il pagamento. La ricevuta è disponibile appena l'Ente riceve "
                 "l'esito, di solito entro pochi minuti.");
  else if (esito && !strcmp(esito, "annullato"))
    portal_alert(&h, "warning", "Pagamento annullato",
                 "Hai annullato il pagamento: l'avviso resta da pagare.");
  else
    portal_alert(&h, "danger", "Pagamento non riuscito",
                 "Il pagamento non è andato a buon fine: l'avviso resta da pagare. Puoi riprovare.");
  char n[19];
  const char *href = portal_url(rq, "/ricevuta");
  if (nav && !nav_parse(nav, n)) href = arena_printf(rq->a, "%s?codice_avviso=%s", href, n);
  button_link(&h, "Ricevuta di pagamento", href, BTN_SECONDARY);
  portal_end(&h, &p);
  return ERR_OK;
}

typedef struct {
  err_code rc;
  const char *problem, *field;
  debt_notice n;
  debt_movement *pay; /* the payments of the option */
  size_t npay;
} receipt_result;

static err_code find(request *rq, const char *nav_in, const char *cf_in, receipt_result *r) {
  memset(r, 0, sizeof *r);
  err_code rc = portal_notice_find(rq, nav_in, cf_in, &r->n, &r->field, &r->problem);
  if (err_http_status(rc) >= 500) return rc; /* storage */
  if (rc == ERR_INVALID || rc == ERR_NOTICE_UNKNOWN) {
    r->rc = rc;
    return ERR_OK;
  }
  debt_movement *mv;
  size_t nm;
  if ((rc = debt_act_movements(rq->db, rq->a, rq->ente->id, r->n.act.id, &mv, &nm)) != ERR_OK) return rc;
  r->pay = ARENA_ARRAY(rq->a, debt_movement, nm ? nm : 1);
  for (size_t i = 0; i < nm; i++)
    if (!strcmp(mv[i].kind, "payment") && mv[i].option_id == r->n.option->id) r->pay[r->npay++] = mv[i];
  r->rc = r->npay ? ERR_OK : ERR_NOTICE_UNKNOWN;
  return ERR_OK;
}

static const char *channel_label(const char *c) {
  if (!c) return "";
  if (!strcmp(c, "pagopa")) return "pagoPA";
  if (!strcmp(c, "f24")) return "F24";
  if (!strcmp(c, "counter")) return "Sportello";
  if (!strcmp(c, "bank_transfer")) return "Bonifico";
  return c;
}

static void receipt_form(request *rq, html *h, const char *nav, const char *cf, const receipt_result *r) {
  problem pb[1];
  size_t np = 0;
  if (r && r->rc == ERR_INVALID) pb[np++] = (problem){ERR_INVALID, r->field, r->problem};
  html_open(h, "form", HA("method", "get"), HA("action", portal_url(rq, "/ricevuta")));
  h->errs = pb;
  h->n_errs = np;
  form_error_summary(h, pb, np);
  form_input(h, &(form_field){.name = "codice_avviso",
                              .label = "Codice avviso",
                              .value = nav,
                              .required = 1,
                              .autocomplete = "off",
                              .maxlength = 40});
  form_input(h, &(form_field){.name = "codice_fiscale",
                              .label = "Codice fiscale",
                              .value = cf,
                              .required = 1,
                              .hint = "Dell'Ente creditore o dell'intestatario dell'avviso.",
                              .autocomplete = "off",
                              .maxlength = 16});
  form_submit(h, "Cerca la ricevuta");
  h->errs = NULL;
  h->n_errs = 0;
  html_close(h, "form");
}

err_code page_portal_receipt(request *rq, response *rs) {
  const char *nav = rq_query(rq, "codice_avviso"), *cf = rq_query(rq, "codice_fiscale");
  if ((nav && strlen(nav) > 64) || (cf && strlen(cf) > 32)) return ERR_BAD_REQUEST;
  portal_page p;
  err_code rc = portal_page_for(rq, "Ricevuta di pagamento", "avviso", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Ricevuta di pagamento", NULL});
  receipt_result r = {0};
  int looked = nav && cf && *cf;
  if (looked) {
    if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
    if ((rc = find(rq, nav, cf, &r)) != ERR_OK) return rc;
  }
  html h = portal_html(rq, rs, &p);
  if (!looked || r.rc == ERR_INVALID) {
    if (looked) rs->status = 422;
    receipt_form(rq, &h, nav, cf, looked ? &r : NULL);
  } else if (r.rc != ERR_OK) {
    rs->status = 404;
    portal_alert(
        &h, "danger", "Ricevuta non trovata",
        "Per questo codice avviso e codice fiscale non risulta alcun pagamento. Se hai appena pagato, "
        "riprova tra qualche minuto.");
    receipt_form(rq, &h, nav, cf, NULL);
  } else {
    char grouped[NAV_GROUPED_SIZE];
    nav_format_grouped(r.n.option->nav, grouped);
    html_elem(&h, "h2", "Quietanza", HA("class", "h4"));
    dl_begin(&h);
    dl_row(&h, "Ente creditore", rq->ente->name, NULL);
    dl_row(&h, "Codice fiscale dell'Ente", rq->ente->fiscal_code, NULL);
    dl_row(&h, "Intestatario", r.n.act.taxpayer_name, NULL);
    dl_row(&h, "Oggetto", r.n.act.description, NULL);
    dl_row(&h, "Codice avviso", grouped, NULL);
    dl_end(&h);
    static const char *const cols[] = {"Data", "Importo", "Canale", "Riferimento"};
    table_begin(&h, "Pagamenti ricevuti", 1, cols, 4);
    for (size_t i = 0; i < r.npay; i++) {
      table_row_begin(&h);
      table_cell(&h, date_it(rq->a, r.pay[i].value_date));
      table_cell(&h, portal_eur(rq->a, r.pay[i].amount_cents));
      table_cell(&h, channel_label(r.pay[i].channel));
      table_cell(&h, r.pay[i].reference ? r.pay[i].reference : "");
      table_row_end(&h);
    }
    table_end(&h);
    button_link(&h, "Scarica la quietanza (PDF)",
                arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s", portal_url(rq, "/ricevuta.pdf"),
                             url_encode(rq->a, r.n.option->nav), url_encode(rq->a, cf)),
                BTN_PRIMARY);
  }
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_receipt_pdf(request *rq, response *rs) {
  if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
  const char *nav = rq_query(rq, "codice_avviso"), *cf = rq_query(rq, "codice_fiscale");
  if ((nav && strlen(nav) > 64) || (cf && strlen(cf) > 32)) return ERR_BAD_REQUEST;
  receipt_result r;
  err_code rc = find(rq, nav, cf, &r);
  if (rc != ERR_OK) return rc;
  if (r.rc != ERR_OK) return ERR_NOT_FOUND;
  pdf_doc *d;
  if ((rc = portal_pdf_doc(&d)) != ERR_OK) return rc;
  strbuf pdf;
  sb_init(&pdf, 8u << 20);
  if ((rc = pdf_doc_begin(d, &pdf, "Quietanza di pagamento")) != ERR_OK) {
    sb_free(&pdf);
    return rc;
  }
  char grouped[NAV_GROUPED_SIZE];
  nav_format_grouped(r.n.option->nav, grouped);
  pdf_doc_kv(d, "Ente creditore", rq->ente->name);
  pdf_doc_kv(d, "Codice fiscale dell'Ente", rq->ente->fiscal_code);
  pdf_doc_kv(d, "Intestatario", r.n.act.taxpayer_name);
  pdf_doc_kv(d, "Codice fiscale", r.n.act.taxpayer_cf);
  pdf_doc_kv(d, "Oggetto", r.n.act.description);
  pdf_doc_kv(d, "Codice avviso", grouped);
  static const char *const cols[] = {"Data", "Importo", "Canale", "Riferimento"};
  static const double w[] = {0.18, 0.2, 0.17, 0.45};
  static const int right[] = {0, 1, 0, 0};
  pdf_doc_table(d, cols, w, right, 4);
  for (size_t i = 0; i < r.npay; i++) {
    const char *row[] = {date_it(rq->a, r.pay[i].value_date), portal_eur(rq->a, r.pay[i].amount_cents),
                         channel_label(r.pay[i].channel), r.pay[i].reference ? r.pay[i].reference : ""};
    pdf_doc_row(d, row, 0);
  }
  pdf_doc_text(d, "Documento emesso dallo Sportello delle riscossioni sulla base dei pagamenti registrati.");
  rc = pdf_doc_end(d);
  if (rc == ERR_OK) portal_send_pdf(rs, rq, &pdf, arena_printf(rq->a, "quietanza-%s.pdf", r.n.option->nav));
  sb_free(&pdf);
  return rc;
}

/* One act of the signed-in taxpayer (or of a delegating client): lines,
 * the notice, the payment options (the single payment and each
 * installment payable on its own), the payments already made with their
 * receipts. An act in coattivo shows its detail and what was paid, and
 * sends to the Ente's coattivo portal: no local payment. Another
 * taxpayer's act is 404, like one that does not exist. */
#include <string.h>

#include "domain/pagopa/nav.h"
#include "web/portal/portal_web.h"

static const char *line_kind(const char *k) {
  if (!strcmp(k, "tax")) return "Imposta";
  if (!strcmp(k, "sanction")) return "Sanzione";
  if (!strcmp(k, "interest")) return "Interessi";
  if (!strcmp(k, "costs")) return "Spese";
  return "Altro";
}

static const char *option_state(const char *s) {
  if (!strcmp(s, "open")) return "Da pagare";
  if (!strcmp(s, "partly_paid")) return "Pagata in parte";
  if (!strcmp(s, "paid")) return "Pagata";
  if (!strcmp(s, "superseded")) return "Non più dovuta";
  if (!strcmp(s, "replaced")) return "Sostituita";
  return "Annullata";
}

static void pay_button(request *rq, html *h, const debt_option *o, const char *cf, const char *label) {
  html_open(h, "form", HA("method", "post"), HA("action", portal_url(rq, "/avviso/paga")),
            HA("class", "d-inline"));
  html_void(h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", rq->csrf));
  html_void(h, "input", HA("type", "hidden"), HA("name", "codice_avviso"), HA("value", o->nav));
  html_void(h, "input", HA("type", "hidden"), HA("name", "codice_fiscale"), HA("value", cf));
  html_elem(h, "button", label, HA("type", "submit"), HA("class", "btn btn-primary btn-sm"));
  html_close(h, "form");
}

err_code page_portal_act(request *rq, response *rs) {
  const char *cf;
  err_code rc = portal_subject(rq, &cf);
  if (rc != ERR_OK) return rc;
  int64_t id = rq_param_id(rq, 1);
  debt_act x;
  if ((rc = portal_act_of(rq->db, rq->a, rq->ente->id, cf, id, &x)) != ERR_OK) return rc;
  debt_movement *mv;
  size_t nm;
  if ((rc = debt_act_movements(rq->db, rq->a, rq->ente->id, x.id, &mv, &nm)) != ERR_OK) return rc;
  portal_settings ps;
  if ((rc = portal_settings_get(rq->db, rq->a, rq->ente->id, &ps)) != ERR_OK) return rc;
  int coattivo = !strcmp(x.state, "coattivo");
  const char *title =
      arena_printf(rq->a, "%s n. %s del %d", debt_act_type_label(x.act_type), x.number, x.year);
  portal_page p;
  if ((rc = portal_page_for(rq, title, "area-personale", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")}, {title, NULL});
  html h = portal_html(rq, rs, &p);
  dl_begin(&h);
  dl_row(&h, "Oggetto", x.description, NULL);
  dl_row(&h, "Tributo", x.revenue_code, NULL);
  dl_row(&h, "Stato", debt_state_label(x.state), NULL);
  dl_row(&h, "Data di emissione", date_it(rq->a, x.issue_date), NULL);
  dl_row(&h, "Data di notifica", x.notification_date ? date_it(rq->a, x.notification_date) : NULL,
         "non notificato");
  dl_row(&h, "Scadenza", date_it(rq->a, x.due_date), NULL);
  dl_row(&h, "Importo", portal_eur(rq->a, x.charged_cents), NULL);
  dl_row(&h, "Pagato", portal_eur(rq->a, x.paid_cents), NULL);
  dl_row(&h, "Residuo", portal_eur(rq->a, x.residual_cents > 0 ? x.residual_cents : 0), NULL);
  dl_end(&h);
  if (coattivo) {
    portal_alert(&h, "warning", "Posizione trasmessa alla riscossione coattiva",
                 "Questa posizione non si paga da questo portale: quanto resta da pagare si paga sul portale "
                 "della riscossione coattiva.");
    if (ps.coattivo_url)
      button_link(&h, "Vai al portale della riscossione coattiva", ps.coattivo_url, BTN_PRIMARY);
  }
  html_elem(&h, "h2", "Righe di dettaglio", HA("class", "h4 mt-4"));
  static const char *const lcols[] = {"Voce", "Descrizione", "Importo"};
  table_begin(&h, "Righe di dettaglio", 0, lcols, 3);
  for (size_t i = 0; i < x.n_lines; i++) {
    table_row_begin(&h);
    table_cell(&h, line_kind(x.lines[i].kind));
    table_cell(&h, x.lines[i].description ? x.lines[i].description : "");
    table_cell(&h, portal_eur(rq->a, x.lines[i].amount_cents));
    table_row_end(&h);
  }
  table_end(&h);
  int gen = 0, payable_any = 0;
  for (size_t i = 0; i < x.n_options; i++)
    if (x.options[i].generation > gen) gen = x.options[i].generation;
  html_elem(&h, "h2", "Pagamento e rate", HA("class", "h4 mt-4"));
  static const char *const ocols[] = {"Opzione", "Codice avviso", "Scadenza", "Importo", "Stato", "Azione"};
  table_begin(&h, "Opzioni di pagamento", 0, ocols, 6);
  for (size_t i = 0; i < x.n_options; i++) {
    const debt_option *o = &x.options[i];
    if (o->generation != gen) continue;
    char grouped[NAV_GROUPED_SIZE];
    nav_format_grouped(o->nav, grouped);
    table_row_begin(&h);
    table_cell(&h, o->installment ? arena_printf(rq->a, "Rata %d", o->installment) : "Pagamento unico");
    table_cell(&h, grouped);
    table_cell(&h, date_it(rq->a, o->due_date));
    table_cell(&h, portal_eur(rq->a, o->amount_cents));
    table_cell(&h, option_state(o->state));
    html_open(&h, "td");
    int open = !strcmp(o->state, "open") || !strcmp(o->state, "partly_paid");
    if (open && !coattivo) {
      payable_any = 1;
      pay_button(rq, &h, o, x.taxpayer_cf,
                 o->installment ? arena_printf(rq->a, "Paga la rata %d", o->installment) : "Paga");
    }
    html_close(&h, "td");
    table_row_end(&h);
  }
  table_end(&h);
  if (payable_any) {
    const debt_option *first = NULL;
    for (size_t i = 0; i < x.n_options && !first; i++)
      if (x.options[i].generation == gen &&
          (!strcmp(x.options[i].state, "open") || !strcmp(x.options[i].state, "partly_paid")))
        first = &x.options[i];
    button_link(&h, "Scarica l'avviso di pagamento (PDF)",
                arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s", portal_url(rq, "/avviso/pdf"),
                             first->nav, url_encode(rq->a, x.taxpayer_cf)),
                BTN_SECONDARY);
  }
  html_elem(&h, "h2", "Pagamenti ricevuti", HA("class", "h4 mt-4"));
  static const char *const pcols[] = {"Data", "Importo", "Canale", "Ricevuta"};
  int any = 0;
  for (size_t i = 0; i < nm; i++) {
    if (strcmp(mv[i].kind, "payment") != 0) continue;
    if (!any) table_begin(&h, "Pagamenti ricevuti", 0, pcols, 4);
    any = 1;
    const char *nav = NULL;
    for (size_t k = 0; k < x.n_options; k++)
      if (x.options[k].id == mv[i].option_id) nav = x.options[k].nav;
    table_row_begin(&h);
    table_cell(&h, date_it(rq->a, mv[i].value_date));
    table_cell(&h, portal_eur(rq->a, mv[i].amount_cents));
    table_cell(&h, mv[i].channel ? mv[i].channel : "");
    if (nav)
      table_cell_link(&h, "Quietanza",
                      arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s",
                                   portal_url(rq, "/ricevuta"), nav, url_encode(rq->a, x.taxpayer_cf)),
                      0);
    else
      table_cell(&h, "");
    table_row_end(&h);
  }
  if (any)
    table_end(&h);
  else
    html_elem(&h, "p", "Nessun pagamento registrato.");
  portal_end(&h, &p);
  return ERR_OK;
}

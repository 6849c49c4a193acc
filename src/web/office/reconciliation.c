/* Reconciliation with the PSPs' Flussi di Rendicontazione (imported with
 * `sportello fdr import`): the Ente's flows with their outcome counts
 * (matched, receipt missing, amount mismatch, receipts missing in the
 * flow), and one flow with the entries that did not match (or all). */
#include <string.h>

#include "domain/pagopa/receipt.h"
#include "web/office/acts_ui.h"

err_code page_reconciliation(request *rq, response *rs) {
  pagopa_fdr_flow *list = NULL;
  size_t n = 0;
  err_code e = pagopa_fdr_list(rq->db, rq->a, rq->ente->id, 200, &list, &n);
  if (e != ERR_OK) return e;
  int64_t review = 0;
  if ((e = pagopa_receipts_count(rq->db, rq->ente->id, "review", &review)) != ERR_OK) return e;
  page_info p;
  if ((e = web_page_info(rq, "Riconciliazione dei flussi", "posizioni", &p)) != ERR_OK) return e;
  WEB_OFFICE_TRAIL(rq, &p, {"Posizioni debitorie", url_acts(rq->a, rq->ente->slug, NULL, 0)},
                   {"Riconciliazione", NULL});
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            "I flussi di rendicontazione dei prestatori si importano con il comando sportello fdr import; "
            "ogni voce è abbinata alla ricevuta con lo stesso IUV, identificativo di riscossione e indice.");
  if (review) {
    html_open(&h, "p");
    html_elem(&h, "a", arena_printf(rq->a, "%lld ricevute da verificare", (long long)review),
              HA("href", url_receipts_review(rq->a, rq->ente->slug, NULL)));
    html_close(&h, "p");
  }
  if (!n) {
    html_elem(&h, "p", "Nessun flusso importato.", HA("role", "status"), HA("class", "sp-count"));
    page_end(&h, &p);
    return ERR_OK;
  }
  static const char *const cols[] = {
      "Flusso",   "Prestatore",        "Data del flusso", "Regolamento",         "Voci", "Totale",
      "Abbinate", "Ricevuta mancante", "Importo diverso", "Mancanti nel flusso", "Stato"};
  table_begin(&h, "Flussi importati, dal più recente", 0, cols, 11);
  for (size_t i = 0; i < n; i++) {
    const pagopa_fdr_flow *f = &list[i];
    table_row_begin(&h);
    table_cell_link(&h, f->flow_id, url_reconciliation_flow(rq->a, rq->ente->slug, f->id), 1);
    table_cell(&h, f->psp_name ? f->psp_name : f->psp_id);
    table_cell(&h, f->flow_date_time);
    table_cell(&h, au_date(rq->a, f->regulation_date));
    table_cell_num(&h, f->total_count);
    table_cell(&h, au_euros(rq->a, f->total_cents));
    table_cell_num(&h, f->matched);
    table_cell_num(&h, f->receipt_missing);
    table_cell_num(&h, f->amount_mismatch);
    table_cell_num(&h, f->missing_in_flow);
    table_cell(&h, strcmp(f->state, "current") ? "Sostituito da una revisione" : "In vigore");
    table_row_end(&h);
  }
  table_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_reconciliation_flow(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  pagopa_fdr_flow f;
  err_code e = pagopa_fdr_get(rq->db, rq->a, rq->ente->id, id, &f);
  if (e != ERR_OK) return e;
  const char *all_q = rq_query(rq, "tutte");
  int all = all_q && !strcmp(all_q, "1");
  pagopa_fdr_entry *en = NULL;
  size_t n = 0;
  if ((e = pagopa_fdr_entries(rq->db, rq->a, rq->ente->id, id, all, 1000, &en, &n)) != ERR_OK) return e;
  page_info p;
  const char *title = arena_printf(rq->a, "Flusso %s", f.flow_id);
  if ((e = web_page_info(rq, title, "posizioni", &p)) != ERR_OK) return e;
  WEB_OFFICE_TRAIL(rq, &p, {"Posizioni debitorie", url_acts(rq->a, rq->ente->slug, NULL, 0)},
                   {"Riconciliazione", url_reconciliation(rq->a, rq->ente->slug)}, {title, NULL});
  html h = web_begin(rq, rs, &p);
  dl_begin(&h);
  dl_row(&h, "Prestatore (PSP)", f.psp_name ? arena_printf(rq->a, "%s (%s)", f.psp_name, f.psp_id) : f.psp_id,
         NULL);
  dl_row(&h, "Data e ora del flusso", f.flow_date_time, NULL);
  dl_row(&h, "Identificativo del regolamento", f.regulation_id, NULL);
  dl_row(&h, "Data del regolamento", au_date(rq->a, f.regulation_date), NULL);
  dl_row(&h, "Importato il", au_time(rq->a, f.imported_at), NULL);
  dl_row(&h, "Stato", strcmp(f.state, "current") ? "Sostituito da una revisione" : "In vigore", NULL);
  dl_row(&h, "Voci", num_it(rq->a, f.total_count), NULL);
  dl_row(&h, "Totale", au_euros(rq->a, f.total_cents), NULL);
  dl_row(&h, "Abbinate", num_it(rq->a, f.matched), NULL);
  dl_row(&h, "Ricevuta mancante", num_it(rq->a, f.receipt_missing), NULL);
  dl_row(&h, "Importo diverso", num_it(rq->a, f.amount_mismatch), NULL);
  dl_row(&h, "Ricevute mancanti nel flusso", num_it(rq->a, f.missing_in_flow), NULL);
  dl_end(&h);
  html_elem(&h, "h2", all ? "Tutte le voci" : "Voci non abbinate", HA("class", "h4 mt-5"));
  html_open(&h, "p");
  html_elem(&h, "a", all ? "Mostra solo le voci non abbinate" : "Mostra tutte le voci",
            HA("href",
               all ? url_reconciliation_flow(rq->a, rq->ente->slug, id)
                   : arena_printf(rq->a, "%s?tutte=1", url_reconciliation_flow(rq->a, rq->ente->slug, id))));
  html_close(&h, "p");
  if (!n) {
    html_elem(&h, "p",
              strcmp(f.state, "current") ? "Le voci sono nella revisione che ha sostituito il flusso."
                                         : "Nessuna voce da mostrare.",
              HA("role", "status"));
    page_end(&h, &p);
    return ERR_OK;
  }
  static const char *const cols[] = {
      "N.",   "IUV", "Identificativo riscossione", "Indice", "Importo nel flusso", "Importo della ricevuta",
      "Esito"};
  table_begin(&h, "Voci del flusso", 0, cols, 7);
  for (size_t i = 0; i < n; i++) {
    const pagopa_fdr_entry *x = &en[i];
    table_row_begin(&h);
    table_cell_num(&h, x->seq);
    table_cell(&h, x->iuv);
    table_cell(&h, x->iur);
    table_cell_num(&h, x->transfer_index);
    table_cell(&h, au_euros(rq->a, x->amount_cents));
    table_cell(&h, x->receipt_pk ? au_euros(rq->a, x->receipt_cents) : "");
    table_cell(&h, code_label(&LABELS_FDR_RESULT, x->result));
    table_row_end(&h);
  }
  table_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

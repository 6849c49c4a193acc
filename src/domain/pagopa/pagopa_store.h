/* Internal: the SQL of the pagopa area (receipts, flows). Every statement
 * names the Ente. */
#ifndef SP_PAGOPA_STORE_H
#define SP_PAGOPA_STORE_H
#include "domain/pagopa/receipt.h"

/* receipts (receipt_store.c) */
err_code ps_receipt_lock(db *d, int64_t ente_id);
err_code ps_receipt_find(db *d, int64_t ente_id, const char *receipt_id, int64_t *id);
err_code ps_receipt_insert(db *d, const pagopa_receipt *r, int64_t *id);
err_code ps_receipt_raw_insert(db *d, int64_t ente_id, int64_t receipt_pk, const char *xml);
err_code ps_receipt_transfer_insert(db *d, int64_t ente_id, int64_t receipt_pk,
                                    const pagopa_receipt_transfer *t);
err_code ps_receipt_set_state(db *d, int64_t ente_id, int64_t id, const char *state, const char *reason,
                              int64_t act_id, int64_t option_id, int64_t movement_id, int64_t resolved_at);
err_code ps_receipt_get(db *d, arena *a, int64_t ente_id, int64_t id, pagopa_receipt *out);
err_code ps_receipt_transfers(db *d, arena *a, int64_t ente_id, int64_t receipt_pk,
                              pagopa_receipt_transfer **out, size_t *n);
err_code ps_receipt_raw(db *d, arena *a, int64_t ente_id, int64_t id, char **xml);
err_code ps_receipts_since(db *d, arena *a, int64_t ente_id, int64_t since, int limit, pagopa_receipt **out,
                           size_t *n);
err_code ps_receipts_state(db *d, arena *a, int64_t ente_id, const char *state, pagopa_receipt **out,
                           size_t *n);
err_code ps_receipts_count(db *d, int64_t ente_id, const char *state, int64_t *n);

/* flows (fdr_store.c) */
err_code ps_ente_by_fiscal_code(db *d, const char *cf, int64_t *ente_id);
err_code ps_ente_fiscal_code(db *d, arena *a, int64_t ente_id, char **cf);
typedef struct {
  int64_t id;
  char *flow_date_time;
} ps_flow_ref;
/* The current flow with this id from this PSP; ERR_NOT_FOUND. */
err_code ps_fdr_current(db *d, arena *a, int64_t ente_id, const char *psp_id, const char *flow_id,
                        ps_flow_ref *out);
/* Undoes the matches of a flow, deletes its entries, marks it replaced. */
err_code ps_fdr_replace(db *d, int64_t ente_id, int64_t old_pk, int64_t new_pk);
typedef struct {
  int64_t ente_id;
  const char *flow_id, *psp_id, *psp_name, *flow_date_time, *regulation_id, *regulation_date;
  int64_t total_count, total_cents, imported_at;
} ps_flow_row;
err_code ps_fdr_insert(db *d, const ps_flow_row *f, int64_t *id);
err_code ps_fdr_totals(db *d, int64_t ente_id, int64_t flow_pk, int64_t matched, int64_t missing,
                       int64_t mismatch, int64_t not_in_flow);
/* The receipt transfer an FdR entry names: ERR_NOT_FOUND when none. */
err_code ps_fdr_match(db *d, int64_t ente_id, const char *iur, const char *iuv, int idx, int64_t *transfer_pk,
                      int64_t *amount_cents);
err_code ps_fdr_mark_transfer(db *d, int64_t ente_id, int64_t transfer_pk, int64_t flow_pk);
err_code ps_fdr_entry_insert(db *d, int64_t ente_id, int64_t flow_pk, int64_t seq, const char *iuv,
                             const char *iur, int idx, int64_t cents, int esito, const char *esito_date,
                             const char *result, int64_t transfer_pk);
/* Sets reconciled_at on the receipts touched by the flow whose transfers to
 * ente_cf are all matched. */
err_code ps_fdr_mark_receipts(db *d, int64_t ente_id, int64_t flow_pk, const char *ente_cf, int64_t now);
/* Receipt transfers to ente_cf of the PSP and settlement date that no flow
 * matched and flow_pk does not name (with another amount): fn for each
 * (receipt pk, IUV, receiptId, index, cents). */
typedef err_code (*ps_unmatched_fn)(void *ctx, int64_t receipt_pk, const char *iuv, const char *receipt_id,
                                    int idx, int64_t cents);
err_code ps_fdr_unmatched(db *d, arena *a, int64_t ente_id, int64_t flow_pk, const char *ente_cf,
                          const char *psp_id, const char *settlement_date, ps_unmatched_fn fn, void *ctx);

#endif

/* SQL of the Flussi di Rendicontazione: flows, entries and their matches
 * to receipt transfers. Statements are literals, so each is prepared once
 * per connection and reused for every entry of a flow. */
#include <string.h>
#include "domain/pagopa/pagopa_store.h"

err_code ps_ente_by_fiscal_code(db *d, const char *cf, int64_t *ente_id) {
  return db_get(d, NULL, "SELECT id FROM ente WHERE fiscal_code = ?", PARAMS(P_TEXT(cf)),
                RESULTS(R_INT(ente_id)));
}

err_code ps_ente_fiscal_code(db *d, arena *a, int64_t ente_id, char **cf) {
  return db_get(d, a, "SELECT fiscal_code FROM ente WHERE id = ?", PARAMS(P_INT(ente_id)),
                RESULTS(R_DUP(cf)));
}

err_code ps_fdr_current(db *d, arena *a, int64_t ente_id, const char *psp_id, const char *flow_id,
                        ps_flow_ref *out) {
  return db_get(d, a,
                "SELECT id, flow_date_time FROM pagopa_fdr WHERE ente_id = ? AND psp_id = ? AND flow_id = ? "
                "AND state = 'current'",
                PARAMS(P_INT(ente_id), P_TEXT(psp_id), P_TEXT(flow_id)),
                RESULTS(R_INT(&out->id), R_DUP(&out->flow_date_time)));
}

err_code ps_fdr_replace(db *d, int64_t ente_id, int64_t old_pk, int64_t new_pk) {
  err_code rc =
      db_exec(d,
              "UPDATE pagopa_receipt SET reconciled_at = NULL WHERE ente_id = ? AND id IN "
              "(SELECT receipt_pk FROM pagopa_receipt_transfer WHERE ente_id = ? AND fdr_flow_pk = ?)",
              PARAMS(P_INT(ente_id), P_INT(ente_id), P_INT(old_pk)), NULL);
  if (rc == ERR_OK)
    rc = db_exec(
        d, "UPDATE pagopa_receipt_transfer SET fdr_flow_pk = NULL WHERE ente_id = ? AND fdr_flow_pk = ?",
        PARAMS(P_INT(ente_id), P_INT(old_pk)), NULL);
  if (rc == ERR_OK)
    rc = db_exec(d, "DELETE FROM pagopa_fdr_entry WHERE ente_id = ? AND flow_pk = ?",
                 PARAMS(P_INT(ente_id), P_INT(old_pk)), NULL);
  if (rc == ERR_OK)
    rc = db_exec_one(d,
                     "UPDATE pagopa_fdr SET state = 'replaced', replaced_by = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(new_pk), P_INT(ente_id), P_INT(old_pk)));
  return rc;
}

err_code ps_fdr_insert(db *d, const ps_flow_row *f, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO pagopa_fdr (ente_id, flow_id, psp_id, psp_name, flow_date_time, regulation_id, "
      "regulation_date, total_count, total_cents, state, imported_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,'current',?) RETURNING id",
      PARAMS(P_INT(f->ente_id), P_TEXT(f->flow_id), P_TEXT(f->psp_id), P_TEXT(f->psp_name),
             P_TEXT(f->flow_date_time), P_TEXT(f->regulation_id), P_TEXT(f->regulation_date),
             P_INT(f->total_count), P_INT(f->total_cents), P_INT(f->imported_at)),
      id);
}

err_code ps_fdr_totals(db *d, int64_t ente_id, int64_t flow_pk, int64_t matched, int64_t missing,
                       int64_t mismatch, int64_t not_in_flow) {
  return db_exec_one(d,
                     "UPDATE pagopa_fdr SET matched = ?, receipt_missing = ?, amount_mismatch = ?, "
                     "missing_in_flow = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(matched), P_INT(missing), P_INT(mismatch), P_INT(not_in_flow),
                            P_INT(ente_id), P_INT(flow_pk)));
}

err_code ps_fdr_match(db *d, int64_t ente_id, const char *iur, const char *iuv, int idx, int64_t *transfer_pk,
                      int64_t *amount_cents) {
  return db_get(d, NULL,
                "SELECT t.id, t.amount_cents FROM pagopa_receipt r JOIN pagopa_receipt_transfer t "
                "ON t.receipt_pk = r.id AND t.id_transfer = ? "
                "WHERE r.ente_id = ? AND r.receipt_id = ? AND r.iuv = ? AND r.outcome = 'OK'",
                PARAMS(P_INT(idx), P_INT(ente_id), P_TEXT(iur), P_TEXT(iuv)),
                RESULTS(R_INT(transfer_pk), R_INT(amount_cents)));
}

err_code ps_fdr_mark_transfer(db *d, int64_t ente_id, int64_t transfer_pk, int64_t flow_pk) {
  return db_exec(d, "UPDATE pagopa_receipt_transfer SET fdr_flow_pk = ? WHERE ente_id = ? AND id = ?",
                 PARAMS(P_INT(flow_pk), P_INT(ente_id), P_INT(transfer_pk)), NULL);
}

err_code ps_fdr_entry_insert(db *d, int64_t ente_id, int64_t flow_pk, int64_t seq, const char *iuv,
                             const char *iur, int idx, int64_t cents, int esito, const char *esito_date,
                             const char *result, int64_t transfer_pk) {
  return db_exec(
      d,
      "INSERT INTO pagopa_fdr_entry (ente_id, flow_pk, seq, iuv, iur, transfer_index, amount_cents, "
      "outcome_code, outcome_date, result, transfer_pk) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      PARAMS(P_INT(ente_id), P_INT(flow_pk), P_INT(seq), P_TEXT(iuv), P_TEXT(iur), P_INT(idx), P_INT(cents),
             P_INT(esito), P_TEXT(esito_date), P_TEXT(result), P_INT_OR_NULL(transfer_pk)),
      NULL);
}

err_code ps_fdr_mark_receipts(db *d, int64_t ente_id, int64_t flow_pk, const char *ente_cf, int64_t now) {
  return db_exec(
      d,
      "UPDATE pagopa_receipt SET reconciled_at = ? WHERE ente_id = ? AND reconciled_at IS NULL "
      "AND id IN (SELECT receipt_pk FROM pagopa_receipt_transfer WHERE ente_id = ? AND fdr_flow_pk = ?) "
      "AND NOT EXISTS (SELECT 1 FROM pagopa_receipt_transfer t WHERE t.receipt_pk = pagopa_receipt.id "
      "AND t.fiscal_code_pa = ? AND t.iban IS NOT NULL AND t.fdr_flow_pk IS NULL)",
      PARAMS(P_INT(now), P_INT(ente_id), P_INT(ente_id), P_INT(flow_pk), P_TEXT(ente_cf)), NULL);
}

typedef struct {
  int64_t receipt_pk;
  char *iuv, *receipt_id;
  int idx;
  int64_t cents;
} unmatched_row;

static void read_int32(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result UNMATCHED_ROW[] = {
    F_INT(unmatched_row, receipt_pk),     F_DUP(unmatched_row, iuv),   F_DUP(unmatched_row, receipt_id),
    F_FN(unmatched_row, idx, read_int32), F_INT(unmatched_row, cents), F_END};

typedef struct {
  ps_unmatched_fn fn;
  void *ctx;
} unmatched_ctx;

static err_code unmatched_cb(void *row, void *ctx) {
  unmatched_row *r = row;
  unmatched_ctx *c = ctx;
  return c->fn(c->ctx, r->receipt_pk, r->iuv, r->receipt_id, r->idx, r->cents);
}

err_code ps_fdr_unmatched(db *d, arena *a, int64_t ente_id, int64_t flow_pk, const char *ente_cf,
                          const char *psp_id, const char *settlement_date, ps_unmatched_fn fn, void *ctx) {
  unmatched_row row;
  unmatched_ctx c = {fn, ctx};
  return db_each(
      d, a,
      "SELECT r.id, r.iuv, r.receipt_id, t.id_transfer, t.amount_cents FROM pagopa_receipt r "
      "JOIN pagopa_receipt_transfer t ON t.receipt_pk = r.id "
      "WHERE r.ente_id = ? AND r.psp_id = ? AND r.settlement_date = ? AND r.outcome = 'OK' "
      "AND t.fiscal_code_pa = ? AND t.iban IS NOT NULL AND t.fdr_flow_pk IS NULL "
      "AND NOT EXISTS (SELECT 1 FROM pagopa_fdr_entry e WHERE e.transfer_pk = t.id AND e.transfer_pk IS NOT "
      "NULL "
      "AND e.flow_pk = ?) "
      "ORDER BY r.id, t.id_transfer",
      PARAMS(P_INT(ente_id), P_TEXT(psp_id), P_TEXT(settlement_date), P_TEXT(ente_cf), P_INT(flow_pk)),
      UNMATCHED_ROW, &row, unmatched_cb, &c);
}

/* ---- reading for the office pages (receipt.h) ---- */

#define FLOW_COLS                                                                                \
  "id, flow_id, psp_id, psp_name, flow_date_time, regulation_id, regulation_date, total_count, " \
  "total_cents, matched, receipt_missing, amount_mismatch, missing_in_flow, state, imported_at "

static const db_result FLOW_ROW[] = {F_INT(pagopa_fdr_flow, id),
                                     F_DUP(pagopa_fdr_flow, flow_id),
                                     F_DUP(pagopa_fdr_flow, psp_id),
                                     F_DUP(pagopa_fdr_flow, psp_name),
                                     F_DUP(pagopa_fdr_flow, flow_date_time),
                                     F_DUP(pagopa_fdr_flow, regulation_id),
                                     F_DUP(pagopa_fdr_flow, regulation_date),
                                     F_INT(pagopa_fdr_flow, total_count),
                                     F_INT(pagopa_fdr_flow, total_cents),
                                     F_INT(pagopa_fdr_flow, matched),
                                     F_INT(pagopa_fdr_flow, receipt_missing),
                                     F_INT(pagopa_fdr_flow, amount_mismatch),
                                     F_INT(pagopa_fdr_flow, missing_in_flow),
                                     F_DUP(pagopa_fdr_flow, state),
                                     F_INT(pagopa_fdr_flow, imported_at),
                                     F_END};

err_code pagopa_fdr_list(db *d, arena *a, int64_t ente_id, int limit, pagopa_fdr_flow **out, size_t *n) {
  if (limit < 1 || limit > 500) limit = 100;
  err_code rc;
  *out = db_list(d, a, "SELECT " FLOW_COLS "FROM pagopa_fdr WHERE ente_id = ? ORDER BY id DESC LIMIT ?",
                 PARAMS(P_INT(ente_id), P_INT(limit)), FLOW_ROW, sizeof(pagopa_fdr_flow), n, &rc);
  return rc;
}

err_code pagopa_fdr_get(db *d, arena *a, int64_t ente_id, int64_t flow_pk, pagopa_fdr_flow *out) {
  return db_get_into(d, a, "SELECT " FLOW_COLS "FROM pagopa_fdr WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(ente_id), P_INT(flow_pk)), FLOW_ROW, out);
}

static void read_entry_idx(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result ENTRY_ROW[] = {F_INT(pagopa_fdr_entry, seq),
                                      F_DUP(pagopa_fdr_entry, iuv),
                                      F_DUP(pagopa_fdr_entry, iur),
                                      F_FN(pagopa_fdr_entry, transfer_index, read_entry_idx),
                                      F_INT(pagopa_fdr_entry, amount_cents),
                                      F_DUP(pagopa_fdr_entry, result),
                                      F_INT(pagopa_fdr_entry, receipt_pk),
                                      F_INT(pagopa_fdr_entry, receipt_cents),
                                      F_END};

err_code pagopa_fdr_entries(db *d, arena *a, int64_t ente_id, int64_t flow_pk, int all, int limit,
                            pagopa_fdr_entry **out, size_t *n) {
  if (limit < 1 || limit > 1000) limit = 200;
  err_code rc;
  *out = db_list(d, a,
                 "SELECT e.seq, e.iuv, e.iur, e.transfer_index, e.amount_cents, e.result, "
                 "COALESCE(t.receipt_pk, 0), COALESCE(t.amount_cents, 0) FROM pagopa_fdr_entry e "
                 "LEFT JOIN pagopa_receipt_transfer t ON t.id = e.transfer_pk AND t.ente_id = e.ente_id "
                 "WHERE e.ente_id = ? AND e.flow_pk = ? AND (? = 1 OR e.result <> 'matched') "
                 "ORDER BY e.seq LIMIT ?",
                 PARAMS(P_INT(ente_id), P_INT(flow_pk), P_INT(all ? 1 : 0), P_INT(limit)), ENTRY_ROW,
                 sizeof(pagopa_fdr_entry), n, &rc);
  return rc;
}

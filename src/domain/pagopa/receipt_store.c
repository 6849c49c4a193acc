/* SQL of the receipts: insert (idempotent on the Ente and receiptId),
 * state, reads in sequence order and the review queue. */
#include <string.h>
#include "core/clock.h"
#include "domain/pagopa/pagopa_store.h"

err_code ps_receipt_find(db *d, int64_t ente_id, const char *receipt_id, int64_t *id) {
  return db_get(d, NULL, "SELECT id FROM pagopa_receipt WHERE ente_id = ? AND receipt_id = ?",
                PARAMS(P_INT(ente_id), P_TEXT(receipt_id)), RESULTS(R_INT(id)));
}

err_code ps_receipt_lock(db *d, int64_t ente_id) {
  return db_exec(d,
                 "INSERT INTO pagopa_receipt_lock (ente_id, receipts) VALUES (?, 1) ON CONFLICT (ente_id) "
                 "DO UPDATE SET receipts = pagopa_receipt_lock.receipts + 1",
                 PARAMS(P_INT(ente_id)), NULL);
}

err_code ps_receipt_insert(db *d, const pagopa_receipt *r, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO pagopa_receipt (ente_id, receipt_id, operation, notice_number, iuv, fiscal_code, outcome, "
      "amount_cents, fee_cents, description, debtor_id, debtor_name, payer_id, payer_name, psp_id, psp_name, "
      "channel_id, payment_method, payment_date_time, application_date, transfer_date, settlement_date, "
      "stand_in, state, review_reason, act_id, option_id, movement_id, received_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(r->ente_id), P_TEXT(r->receipt_id), P_TEXT(r->operation), P_TEXT(r->notice_number),
             P_TEXT(r->iuv), P_TEXT(r->fiscal_code), P_TEXT(r->outcome), P_INT(r->amount_cents),
             r->has_fee ? P_INT(r->fee_cents) : P_NULL, P_TEXT(r->description), P_TEXT(r->debtor_id),
             P_TEXT(r->debtor_name), P_TEXT(r->payer_id), P_TEXT(r->payer_name), P_TEXT(r->psp_id),
             P_TEXT(r->psp_name), P_TEXT(r->channel_id), P_TEXT(r->payment_method),
             P_TEXT(r->payment_date_time), P_TEXT(r->application_date), P_TEXT(r->transfer_date),
             P_TEXT(r->settlement_date), P_INT(r->stand_in), P_TEXT(r->state), P_TEXT(r->review_reason),
             P_INT_OR_NULL(r->act_id), P_INT_OR_NULL(r->option_id), P_INT_OR_NULL(r->movement_id),
             P_INT(r->received_at)),
      id);
}

err_code ps_receipt_raw_insert(db *d, int64_t ente_id, int64_t receipt_pk, const char *xml) {
  return db_exec(d, "INSERT INTO pagopa_receipt_raw (receipt_pk, ente_id, xml) VALUES (?,?,?)",
                 PARAMS(P_INT(receipt_pk), P_INT(ente_id), P_TEXT(xml)), NULL);
}

err_code ps_receipt_transfer_insert(db *d, int64_t ente_id, int64_t receipt_pk,
                                    const pagopa_receipt_transfer *t) {
  return db_exec(
      d,
      "INSERT INTO pagopa_receipt_transfer (ente_id, receipt_pk, id_transfer, amount_cents, "
      "fiscal_code_pa, iban, mbd, remittance, category) VALUES (?,?,?,?,?,?,?,?,?)",
      PARAMS(P_INT(ente_id), P_INT(receipt_pk), P_INT(t->id_transfer), P_INT(t->amount_cents),
             P_TEXT(t->fiscal_code_pa), P_TEXT(t->iban), t->mbd ? P_BLOB(t->mbd, t->mbd_len) : P_NULL,
             P_TEXT(t->remittance), P_TEXT(t->category)),
      NULL);
}

err_code ps_receipt_set_state(db *d, int64_t ente_id, int64_t id, const char *state, const char *reason,
                              int64_t act_id, int64_t option_id, int64_t movement_id, int64_t resolved_at) {
  return db_exec_one(
      d,
      "UPDATE pagopa_receipt SET state = ?, review_reason = ?, act_id = ?, option_id = ?, "
      "movement_id = ?, resolved_at = ? WHERE ente_id = ? AND id = ?",
      PARAMS(P_TEXT(state), P_TEXT(reason), P_INT_OR_NULL(act_id), P_INT_OR_NULL(option_id),
             P_INT_OR_NULL(movement_id), P_INT_OR_NULL(resolved_at), P_INT(ente_id), P_INT(id)));
}

static void read_fee(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  pagopa_receipt *r = (pagopa_receipt *)((char *)dst - offsetof(pagopa_receipt, fee_cents));
  r->has_fee = !db_col_is_null(st, col);
  r->fee_cents = r->has_fee ? db_col_int(st, col) : 0;
}

#define RECEIPT_COLS                                                                                        \
  "id, ente_id, receipt_id, operation, notice_number, iuv, fiscal_code, outcome, amount_cents, fee_cents, " \
  "description, debtor_id, debtor_name, payer_id, payer_name, psp_id, psp_name, channel_id, "               \
  "payment_method, payment_date_time, application_date, transfer_date, settlement_date, stand_in, state, "  \
  "review_reason, COALESCE(act_id, 0), COALESCE(option_id, 0), COALESCE(movement_id, 0), received_at, "     \
  "COALESCE(resolved_at, 0), COALESCE(reconciled_at, 0) "

static const db_result RECEIPT_ROW[] = {F_INT(pagopa_receipt, id),
                                        F_INT(pagopa_receipt, ente_id),
                                        F_DUP(pagopa_receipt, receipt_id),
                                        F_DUP(pagopa_receipt, operation),
                                        F_DUP(pagopa_receipt, notice_number),
                                        F_DUP(pagopa_receipt, iuv),
                                        F_DUP(pagopa_receipt, fiscal_code),
                                        F_DUP(pagopa_receipt, outcome),
                                        F_INT(pagopa_receipt, amount_cents),
                                        F_FN(pagopa_receipt, fee_cents, read_fee),
                                        F_DUP(pagopa_receipt, description),
                                        F_DUP(pagopa_receipt, debtor_id),
                                        F_DUP(pagopa_receipt, debtor_name),
                                        F_DUP(pagopa_receipt, payer_id),
                                        F_DUP(pagopa_receipt, payer_name),
                                        F_DUP(pagopa_receipt, psp_id),
                                        F_DUP(pagopa_receipt, psp_name),
                                        F_DUP(pagopa_receipt, channel_id),
                                        F_DUP(pagopa_receipt, payment_method),
                                        F_DUP(pagopa_receipt, payment_date_time),
                                        F_DUP(pagopa_receipt, application_date),
                                        F_DUP(pagopa_receipt, transfer_date),
                                        F_DUP(pagopa_receipt, settlement_date),
                                        F_I32(pagopa_receipt, stand_in),
                                        F_DUP(pagopa_receipt, state),
                                        F_DUP(pagopa_receipt, review_reason),
                                        F_INT(pagopa_receipt, act_id),
                                        F_INT(pagopa_receipt, option_id),
                                        F_INT(pagopa_receipt, movement_id),
                                        F_INT(pagopa_receipt, received_at),
                                        F_INT(pagopa_receipt, resolved_at),
                                        F_INT(pagopa_receipt, reconciled_at),
                                        F_END};

err_code ps_receipt_get(db *d, arena *a, int64_t ente_id, int64_t id, pagopa_receipt *out) {
  return db_get_into(d, a, "SELECT " RECEIPT_COLS "FROM pagopa_receipt WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)), RECEIPT_ROW, out);
}

static void read_idx(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result TRANSFER_ROW[] = {
    F_FN(pagopa_receipt_transfer, id_transfer, read_idx), F_INT(pagopa_receipt_transfer, amount_cents),
    F_DUP(pagopa_receipt_transfer, fiscal_code_pa),       F_DUP(pagopa_receipt_transfer, iban),
    F_DUP(pagopa_receipt_transfer, remittance),           F_DUP(pagopa_receipt_transfer, category),
    F_INT(pagopa_receipt_transfer, fdr_flow_pk),          F_END};

err_code ps_receipt_transfers(db *d, arena *a, int64_t ente_id, int64_t receipt_pk,
                              pagopa_receipt_transfer **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id_transfer, amount_cents, fiscal_code_pa, iban, remittance, category, "
                 "COALESCE(fdr_flow_pk, 0) FROM pagopa_receipt_transfer WHERE ente_id = ? AND receipt_pk = ? "
                 "ORDER BY id_transfer",
                 PARAMS(P_INT(ente_id), P_INT(receipt_pk)), TRANSFER_ROW, sizeof(pagopa_receipt_transfer), n,
                 &rc);
  return rc;
}

err_code ps_receipt_raw(db *d, arena *a, int64_t ente_id, int64_t id, char **xml) {
  return db_get(d, a, "SELECT xml FROM pagopa_receipt_raw WHERE ente_id = ? AND receipt_pk = ?",
                PARAMS(P_INT(ente_id), P_INT(id)), RESULTS(R_DUP(xml)));
}

err_code ps_receipts_since(db *d, arena *a, int64_t ente_id, int64_t since, int limit, pagopa_receipt **out,
                           size_t *n) {
  err_code rc;
  *out = db_list(
      d, a, "SELECT " RECEIPT_COLS "FROM pagopa_receipt WHERE ente_id = ? AND id > ? ORDER BY id LIMIT ?",
      PARAMS(P_INT(ente_id), P_INT(since), P_INT(limit)), RECEIPT_ROW, sizeof(pagopa_receipt), n, &rc);
  return rc;
}

err_code ps_receipts_state(db *d, arena *a, int64_t ente_id, const char *state, pagopa_receipt **out,
                           size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " RECEIPT_COLS
                 "FROM pagopa_receipt WHERE ente_id = ? AND state = ? ORDER BY id LIMIT 1000",
                 PARAMS(P_INT(ente_id), P_TEXT(state)), RECEIPT_ROW, sizeof(pagopa_receipt), n, &rc);
  return rc;
}

err_code ps_receipts_count(db *d, int64_t ente_id, const char *state, int64_t *n) {
  return db_get(d, NULL, "SELECT count(*) FROM pagopa_receipt WHERE ente_id = ? AND state = ?",
                PARAMS(P_INT(ente_id), P_TEXT(state)), RESULTS(R_INT(n)));
}

err_code pagopa_receipts_of_act(db *d, arena *a, int64_t ente_id, int64_t act_id, pagopa_receipt **out,
                                size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " RECEIPT_COLS
                 "FROM pagopa_receipt WHERE ente_id = ? AND act_id = ? ORDER BY id LIMIT 500",
                 PARAMS(P_INT(ente_id), P_INT(act_id)), RECEIPT_ROW, sizeof(pagopa_receipt), n, &rc);
  return rc;
}

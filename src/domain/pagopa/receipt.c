/* Receipts: stored once per Ente and receiptId, with their transfers and
 * the raw request; read in sequence order for the Ente's accounting. */
#include <string.h>
#include "core/clock.h"
#include "domain/pagopa/pagopa_store.h"

err_code pagopa_ente_id(db *d, const char *cf, int64_t *ente_id) {
  return ps_ente_by_fiscal_code(d, cf, ente_id);
}

err_code pagopa_receipt_insert(db *d, pagopa_receipt *r, int *duplicate) {
  *duplicate = 0;
  if (!r->receipt_id || !*r->receipt_id || !r->state || r->n_transfers > PAGOPA_MAX_TRANSFERS)
    return ERR_INVALID;
  /* the Ente's receipts one at a time: ids commit in order */
  err_code rc = ps_receipt_lock(d, r->ente_id);
  if (rc != ERR_OK) return rc == ERR_CONFLICT ? ERR_BUSY : rc;
  int64_t id = 0;
  rc = ps_receipt_find(d, r->ente_id, r->receipt_id, &id);
  if (rc == ERR_OK) {
    *duplicate = 1;
    r->id = id;
    return ERR_OK;
  }
  if (rc != ERR_NOT_FOUND) return rc;
  r->received_at = clock_now();
  rc = ps_receipt_insert(d, r, &r->id);
  /* another transaction stored the same receipt after our read: run again,
   * the next attempt finds it */
  if (rc == ERR_CONFLICT) return ERR_BUSY;
  if (rc != ERR_OK) return rc;
  if (r->raw_xml && (rc = ps_receipt_raw_insert(d, r->ente_id, r->id, r->raw_xml)) != ERR_OK) return rc;
  for (size_t i = 0; i < r->n_transfers; i++)
    if ((rc = ps_receipt_transfer_insert(d, r->ente_id, r->id, &r->transfers[i])) != ERR_OK)
      return rc == ERR_CONFLICT ? ERR_INVALID : rc; /* two transfers with one idTransfer */
  return ERR_OK;
}

err_code pagopa_receipt_set_state(db *d, int64_t ente_id, int64_t id, const char *state, const char *reason,
                                  int64_t act_id, int64_t option_id, int64_t movement_id,
                                  int64_t resolved_at) {
  return ps_receipt_set_state(d, ente_id, id, state, reason, act_id, option_id, movement_id, resolved_at);
}

err_code pagopa_receipt_get(db *d, arena *a, int64_t ente_id, int64_t id, pagopa_receipt *out) {
  err_code rc = ps_receipt_get(d, a, ente_id, id, out);
  if (rc != ERR_OK) return rc;
  return ps_receipt_transfers(d, a, ente_id, id, &out->transfers, &out->n_transfers);
}

err_code pagopa_receipt_raw(db *d, arena *a, int64_t ente_id, int64_t id, char **xml) {
  return ps_receipt_raw(d, a, ente_id, id, xml);
}

static err_code with_transfers(db *d, arena *a, int64_t ente_id, pagopa_receipt *list, size_t n) {
  for (size_t i = 0; i < n; i++) {
    err_code rc = ps_receipt_transfers(d, a, ente_id, list[i].id, &list[i].transfers, &list[i].n_transfers);
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

err_code pagopa_receipts_since(db *d, arena *a, int64_t ente_id, int64_t since, int limit,
                               pagopa_receipt **out, size_t *n) {
  if (limit < 1 || limit > 1000) limit = 100;
  if (since < 0) since = 0;
  err_code rc = ps_receipts_since(d, a, ente_id, since, limit, out, n);
  return rc == ERR_OK ? with_transfers(d, a, ente_id, *out, *n) : rc;
}

err_code pagopa_receipts_in_review(db *d, arena *a, int64_t ente_id, pagopa_receipt **out, size_t *n) {
  err_code rc = ps_receipts_state(d, a, ente_id, "review", out, n);
  return rc == ERR_OK ? with_transfers(d, a, ente_id, *out, *n) : rc;
}

err_code pagopa_receipts_count(db *d, int64_t ente_id, const char *state, int64_t *n) {
  return ps_receipts_count(d, ente_id, state, n);
}

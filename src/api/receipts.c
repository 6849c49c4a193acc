/* GET /api/v1/receipts?ente=&since=&limit=: the Ente's pagoPA receipts in
 * the order they arrived, for its accounting. since is the id of the last
 * receipt already read (0 or absent: from the first); the answer carries
 * next_since for the following page. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "domain/pagopa/receipt.h"

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *receipt_json(const pagopa_receipt *r) {
  json_t *ts = json_array();
  for (size_t i = 0; i < r->n_transfers; i++) {
    const pagopa_receipt_transfer *t = &r->transfers[i];
    json_array_append_new(
        ts, json_pack("{s:i, s:I, s:s, s:o, s:o, s:o, s:b}", "id_transfer", t->id_transfer, "amount_cents",
                      (json_int_t)t->amount_cents, "beneficiary_fiscal_code", t->fiscal_code_pa, "iban",
                      str_or_null(t->iban), "remittance_information", str_or_null(t->remittance), "category",
                      str_or_null(t->category), "reconciled", t->fdr_flow_pk != 0));
  }
  json_t *j = json_pack(
      "{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->id,
      "receipt_id", r->receipt_id, "operation", r->operation, "notice_number", r->notice_number, "iuv",
      r->iuv, "outcome", r->outcome, "amount_cents", (json_int_t)r->amount_cents, "fee_cents",
      r->has_fee ? json_integer(r->fee_cents) : json_null(), "debtor_fiscal_code", str_or_null(r->debtor_id),
      "payer_fiscal_code", str_or_null(r->payer_id), "psp_id", str_or_null(r->psp_id), "payment_date_time",
      str_or_null(r->payment_date_time), "transfer_date", str_or_null(r->transfer_date), "description",
      str_or_null(r->description));
  json_object_set_new(j, "state", json_string(r->state));
  json_object_set_new(j, "review_reason", str_or_null(r->review_reason));
  json_object_set_new(j, "act_id", r->act_id ? json_integer(r->act_id) : json_null());
  json_object_set_new(j, "reconciled", json_boolean(r->reconciled_at != 0));
  json_object_set_new(j, "transfers", ts);
  return j;
}

/* A decimal integer in [min, max]; -1 when it is not one. */
static int64_t param_int(const char *s, int64_t min, int64_t max) {
  if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s)) return -1;
  int64_t v = strtoll(s, NULL, 10);
  return v < min || v > max ? -1 : v;
}

err_code api_receipts_list(request *rq, response *rs) {
  const char *ss = rq_query(rq, "since"), *ls = rq_query(rq, "limit");
  int64_t since = ss ? param_int(ss, 0, INT64_MAX) : 0, limit = ls ? param_int(ls, 1, 1000) : 100;
  problem pbs[2];
  size_t np = 0;
  if (since < 0)
    pbs[np++] = (problem){ERR_INVALID, "since", "L'id dell'ultima ricevuta letta (intero >= 0)."};
  if (limit < 0) pbs[np++] = (problem){ERR_INVALID, "limit", "Un intero da 1 a 1000."};
  if (np) return api_problems(rs, ERR_INVALID, pbs, np);
  pagopa_receipt *v;
  size_t n;
  err_code e = pagopa_receipts_since(rq->db, rq->a, rq->ente->id, since, (int)limit, &v, &n);
  if (e != ERR_OK) return e;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, receipt_json(&v[i]));
  int64_t next = n ? v[n - 1].id : since;
  return api_json(rs, 200,
                  json_pack("{s:o, s:I, s:b}", "items", items, "next_since", (json_int_t)next, "more",
                            (int64_t)n == limit));
}

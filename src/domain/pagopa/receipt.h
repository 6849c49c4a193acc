/* pagoPA receipts (paSendRT / paSendRTV2) as stored for an Ente, and the
 * reconciliation of the PSPs' Flussi di Rendicontazione against them.
 *
 * This area is below debt: it stores and reads receipts and flows, never
 * books money. Booking a receipt on its option (and the review queue that
 * resolves the unmatched ones) is src/domain/debt/debt_sanp.h, which calls
 * these functions inside its own transaction. Every function takes the
 * Ente and reads only its rows. */
#ifndef SP_PAGOPA_RECEIPT_H
#define SP_PAGOPA_RECEIPT_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"

enum { PAGOPA_MAX_TRANSFERS = 5 };

typedef struct {
  int id_transfer; /* 1..5 */
  int64_t amount_cents;
  char *fiscal_code_pa;
  char *iban;               /* NULL for a stamp duty transfer */
  const unsigned char *mbd; /* MBDAttachment decoded (insert only) */
  size_t mbd_len;
  char *remittance, *category;
  int64_t fdr_flow_pk; /* the flow that reconciled it, 0: none */
} pagopa_receipt_transfer;

typedef struct {
  int64_t id; /* the receipt sequence */
  int64_t ente_id;
  char *receipt_id;
  char *operation; /* "paSendRT" | "paSendRTV2" */
  char *notice_number, *iuv, *fiscal_code;
  char *outcome; /* "OK" | "KO" */
  int64_t amount_cents;
  int has_fee;
  int64_t fee_cents;
  char *description;
  char *debtor_id, *debtor_name, *payer_id, *payer_name;
  char *psp_id, *psp_name, *channel_id, *payment_method;
  char *payment_date_time;                /* as received */
  char *application_date, *transfer_date; /* YYYY-MM-DD or NULL */
  char *settlement_date;                  /* transfer, else application, else payment date */
  int stand_in;
  char *state; /* booked review resolved refunded secondary ko */
  char *review_reason;
  int64_t act_id, option_id, movement_id;
  int64_t received_at, resolved_at, reconciled_at;
  pagopa_receipt_transfer *transfers;
  size_t n_transfers;
  /* insert only: the request as received */
  const char *raw_xml;
} pagopa_receipt;

/* Review reasons (pagopa_receipt.review_reason). */
#define PAGOPA_REVIEW_UNKNOWN "unknown_notice"     /* no option with that IUV/NAV */
#define PAGOPA_REVIEW_CANCELLED "notice_cancelled" /* the option was cancelled or replaced */
#define PAGOPA_REVIEW_AMOUNT "invalid_amount"      /* nothing to book (0.00) */

/* The Ente whose codice fiscale is cf (the pagoPA idPA). ERR_NOT_FOUND. */
err_code pagopa_ente_id(db *d, const char *cf, int64_t *ente_id);

/* Inside the caller's transaction (db_tx_locking), first thing: stores r
 * (its row, transfers and raw XML) with state r->state, setting r->id and
 * r->received_at. It first locks the Ente's receipt row, so concurrent
 * receipts of one Ente are stored one after the other (ids commit in
 * order) and a concurrent copy of the same receipt waits, then finds it:
 * when the Ente already has a receipt with this receipt_id nothing is
 * written and *duplicate = 1 with r->id the stored one. A conflict on the
 * constraint is ERR_BUSY (the transaction runs again and sees it). */
err_code pagopa_receipt_insert(db *d, pagopa_receipt *r, int *duplicate);
/* Inside the caller's transaction: the receipt's state after booking or
 * review (act, option, movement 0: none; reason NULL: none). */
err_code pagopa_receipt_set_state(db *d, int64_t ente_id, int64_t id, const char *state, const char *reason,
                                  int64_t act_id, int64_t option_id, int64_t movement_id,
                                  int64_t resolved_at);
/* One receipt with its transfers. ERR_NOT_FOUND. */
err_code pagopa_receipt_get(db *d, arena *a, int64_t ente_id, int64_t id, pagopa_receipt *out);
/* The raw XML of a receipt. */
err_code pagopa_receipt_raw(db *d, arena *a, int64_t ente_id, int64_t id, char **xml);
/* Receipts with id > since, in id order, at most limit (1..1000), with
 * their transfers: the Ente's accounting feed. */
err_code pagopa_receipts_since(db *d, arena *a, int64_t ente_id, int64_t since, int limit,
                               pagopa_receipt **out, size_t *n);
/* Receipts waiting in the review queue, oldest first. */
err_code pagopa_receipts_in_review(db *d, arena *a, int64_t ente_id, pagopa_receipt **out, size_t *n);
/* How many receipts the Ente has in a state. */
err_code pagopa_receipts_count(db *d, int64_t ente_id, const char *state, int64_t *n);

/* ---- reconciliation (fdr_import.c) ---- */

typedef struct {
  const char *iuv, *iur;
  int transfer_index;
  int64_t flow_cents, receipt_cents; /* receipt_cents: amount mismatch only */
  int64_t receipt_pk;                /* missing in flow */
} fdr_problem;

typedef struct {
  int64_t flow_pk, replaced_pk; /* replaced_pk: the earlier revision, 0: none */
  int64_t ente_id;
  char flow_id[36], psp_id[141];
  int64_t entries, total_cents;
  int64_t matched, receipt_missing, amount_mismatch, missing_in_flow;
  /* the first problems of each kind (at most max_listed each), for the report */
  fdr_problem *missing, *mismatch, *not_in_flow;
  size_t n_missing, n_mismatch, n_not_in_flow;
  char error[384]; /* what was wrong with the file, English, "" on success */
} fdr_import_result;

typedef struct {
  /* The Ente the flow is for; 0: the one whose fiscal code is the flow's
   * receiving institution. When given, the flow must be addressed to it. */
  int64_t ente_id;
  size_t max_listed; /* problems listed per kind in the result (0: 20) */
  const actor *who;
} fdr_import_opts;

/* Imports one FlussoRiversamento file (1.0.4 or 1.0.5) in one transaction:
 * stores the flow and its entries, matches each entry to the receipt
 * transfer with the same IUV, IUR (= receiptId) and transfer index, marks
 * the matched transfers (and the receipts whose every transfer to the Ente
 * is matched) reconciled, and counts the receipts of the same PSP and
 * settlement date (dataRegolamento) left out of the flow. A revision of a
 * flow already imported (same flow id and PSP, later dataOraFlusso)
 * replaces it; the same or an older revision is ERR_FDR_STALE. Writes an
 * audit row. ERR_NOT_FOUND (file, or no Ente with the receiving fiscal
 * code), ERR_INVALID / ERR_BAD_REQUEST (the file; r->error says why),
 * ERR_FORBIDDEN (the flow is for another Ente than opts->ente_id). On any
 * error nothing is written. */
err_code fdr_import_file(db *d, arena *a, const char *path, const fdr_import_opts *opts,
                         fdr_import_result *r);

/* ---- reading for the office pages (receipt_store.c, fdr_store.c) ---- */

/* The receipts booked on (or resolved to) an act, in id order. */
err_code pagopa_receipts_of_act(db *d, arena *a, int64_t ente_id, int64_t act_id, pagopa_receipt **out,
                                size_t *n);

/* An imported flow with its outcome counts. */
typedef struct {
  int64_t id;
  char *flow_id, *psp_id, *psp_name, *flow_date_time, *regulation_id, *regulation_date;
  int64_t total_count, total_cents, matched, receipt_missing, amount_mismatch, missing_in_flow;
  char *state; /* current | replaced */
  int64_t imported_at;
} pagopa_fdr_flow;

/* The Ente's flows, newest import first (at most limit, 1..500). */
err_code pagopa_fdr_list(db *d, arena *a, int64_t ente_id, int limit, pagopa_fdr_flow **out, size_t *n);
/* One flow. ERR_NOT_FOUND. */
err_code pagopa_fdr_get(db *d, arena *a, int64_t ente_id, int64_t flow_pk, pagopa_fdr_flow *out);

/* An entry of a flow as matched at import. */
typedef struct {
  int64_t seq;
  char *iuv, *iur;
  int transfer_index;
  int64_t amount_cents;
  char *result;                      /* matched receipt_missing amount_mismatch */
  int64_t receipt_pk, receipt_cents; /* the matched receipt transfer, 0: none */
} pagopa_fdr_entry;

/* The entries of a flow whose result is not "matched" (every entry when
 * all is set), in flow order, at most limit (1..1000). */
err_code pagopa_fdr_entries(db *d, arena *a, int64_t ente_id, int64_t flow_pk, int all, int limit,
                            pagopa_fdr_entry **out, size_t *n);

#endif

/* The debt side of the pagoPA SANP endpoint: receipts booked on their
 * options (and the review queue of the ones that cannot be), spontaneous
 * payments (paDemandPaymentNotice) and the SANP settings of a revenue type
 * (the Catalogo Servizi service id, stamp duty). The receipts themselves
 * are stored by src/domain/pagopa/receipt.h; what is here decides what a
 * receipt does to the ledger, in the same transaction that stores it. */
#ifndef SP_DEBT_SANP_H
#define SP_DEBT_SANP_H
#include "domain/debt/debt.h"
#include "domain/pagopa/receipt.h"

/* ---- SANP settings of a revenue type (debt_sanp.c) ---- */

typedef struct {
  int64_t revenue_id;
  char *service_id;    /* idServizio of paDemandPaymentNotice (5 chars), NULL: none */
  int64_t stamp_cents; /* stamp duty asked in paGetPaymentV2, 0: none */
} debt_revenue_sanp;

/* The settings of a revenue (zeroes, ERR_OK, when it has none). */
err_code debt_revenue_sanp_get(db *d, arena *a, int64_t ente_id, int64_t revenue_id, debt_revenue_sanp *out);
/* Sets them for the revenue with this code (service_id NULL or "": none),
 * audited. ERR_NOT_FOUND (revenue), ERR_INVALID (service id not 5 letters
 * or digits, stamp not in 0..10000 cents, a service on a revenue that does
 * not allow spontaneous payment), ERR_CONFLICT (service id taken by
 * another revenue of the Ente); the field in *pb. */
err_code debt_revenue_sanp_set(db *d, arena *a, int64_t ente_id, const char *revenue_code,
                               const char *service_id, int64_t stamp_cents, const actor *who, problem *pb);

/* ---- receipts (debt_receipt.c) ---- */

typedef struct {
  int duplicate;      /* already acquired: nothing written */
  int64_t receipt_pk; /* the stored receipt */
  const char *state;  /* booked review secondary ko (or the stored state of a duplicate) */
  const char *review_reason;
  debt_booking booking; /* state booked */
} debt_receipt_result;

/* Stores receipt r for Ente e and, in the same transaction, books it with
 * debt_book_payment (reference = receiptId, channel pagopa) on the option
 * its IUV (creditorReferenceId), else its notice number, names; an option
 * cancelled or replaced, an unknown notice or a zero amount leave the
 * receipt in state review with the reason. A receipt of a position of
 * another Ente (we are a secondary beneficiary) is stored as secondary, a
 * KO outcome as ko. A receipt already stored for the Ente (same
 * receiptId) answers duplicate = 1 and writes nothing, also when the same
 * receipt arrives on several connections at once. Audited. */
err_code debt_receipt_accept(db *d, arena *a, const ente *e, pagopa_receipt *r, const actor *who,
                             debt_receipt_result *out);
/* The review queue, oldest first. */
err_code debt_receipt_review_list(db *d, arena *a, int64_t ente_id, pagopa_receipt **out, size_t *n);
/* Resolves a receipt in review by booking it on the option with this NAV
 * or IUV (state resolved). ERR_RECEIPT_STATE when it is not in review,
 * ERR_NOTICE_UNKNOWN, ERR_NOT_FOUND. Audited. */
err_code debt_receipt_resolve(db *d, arena *a, int64_t ente_id, int64_t receipt_pk, const char *nav_or_iuv,
                              const char *note, const actor *who, debt_booking *out);
/* Resolves a receipt in review as refunded to the payer: nothing is
 * booked (state refunded). A note (the refund reference) is required. */
err_code debt_receipt_refunded(db *d, arena *a, int64_t ente_id, int64_t receipt_pk, const char *note,
                               const actor *who);

/* ---- spontaneous payments (debt_receipt.c) ---- */

typedef struct {
  const char *service_id;  /* idServizio */
  const char *debtor_cf;   /* the taxpayer: created when unknown */
  const char *debtor_name; /* needed when unknown */
  int64_t amount_cents;
} debt_spontaneous_req;

/* Creates a position (one single payment, due in 30 days) for the revenue
 * of e mapped to the service, which must allow spontaneous payment.
 * ERR_SPONTANEOUS (no such service or not spontaneous), ERR_INVALID (amount,
 * debtor), ERR_PAGOPA_SETUP. out gets the act with its option. */
err_code debt_spontaneous_create(db *d, arena *a, const ente *e, const debt_spontaneous_req *q,
                                 const actor *who, debt_act *out);

#endif

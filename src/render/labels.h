/* Italian labels of the codes the domain stores, one table per family, all
 * here: pages show the label, forms offer the same table as the options of
 * a select, and the API keeps the code. An unknown code is shown as it is.
 * (Role labels live with the role table, role_label_it in domain/ente.) */
#ifndef SP_LABELS_H
#define SP_LABELS_H
#include <stddef.h>
#include "render/form.h"

typedef struct {
  const form_option *items; /* value = code, label = Italian */
  size_t n;
} code_family;

extern const code_family LABELS_TAXPAYER_KIND; /* person, company */
extern const code_family LABELS_SEX;           /* M, F */
extern const code_family LABELS_ADDRESS_KIND;  /* residenza, domicilio, sede_legale */
extern const code_family LABELS_CHANNEL;       /* email, pec, mobile */
extern const code_family LABELS_SOURCE;        /* sportello, web, email, pec, telefono, api, import */
extern const code_family LABELS_OUTBOX_STATE;  /* queued, sending, sent, failed, dead */
extern const code_family LABELS_DELIVERY;      /* accepted, delivered, not_delivered */
extern const code_family LABELS_RECEIPT;       /* PEC receipt types, bounce */

/* Debt positions (office pages): ledger movements, payment channels,
 * events, payment options, lines, receipts, review reasons, FdR results. */
extern const code_family LABELS_MOVEMENT_KIND; /* charge payment relief cancellation refund ... */
extern const code_family LABELS_PAY_CHANNEL;   /* pagopa f24 counter bank_transfer */
extern const code_family LABELS_DEBT_EVENT;    /* notified plan coattivo cancelled */
extern const code_family LABELS_OPTION_STATE;  /* open partly_paid paid superseded replaced cancelled */
extern const code_family LABELS_LINE_KIND;     /* tax sanction interest costs other */
extern const code_family LABELS_RECEIPT_STATE; /* booked review resolved refunded secondary ko */
extern const code_family LABELS_REVIEW_REASON; /* unknown_notice notice_cancelled invalid_amount */
extern const code_family LABELS_FDR_RESULT;    /* matched receipt_missing amount_mismatch */

/* Occupations of public land (canone unico). */
extern const code_family LABELS_OCCUPATION_STATE; /* declared notice_issued notice_sent paid awaiting_ente ... */

/* The label of code in family, or code itself when unknown ("" for NULL). */
const char *code_label(const code_family *f, const char *code);

#endif

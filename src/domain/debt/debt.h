/* Debt positions (C2): an Ente's pagoPA settings and IUV sequence, accounts
 * and revenue types, acts with lines and payment options (each with its
 * NAV/IUV and up to 5 transfers), and the money ledger.
 *
 * The rule of the area: money events (charge, payment from any channel,
 * relief, cancellation, refund, compensation) are rows of debt_movement
 * and other facts (notified, installment plan, sent to coattivo,
 * cancelled) rows of debt_event; both are only ever INSERTed. An act's
 * residual and state and its options' states are derived from them
 * (debt_derive) and cached in the act and option rows in the same
 * transaction as the row that changed them; debt_recompute derives them
 * again from scratch. Money is int64 cents. Every change writes an audit
 * row in its transaction. All functions take the Ente and never read
 * another Ente's rows. */
#ifndef SP_DEBT_H
#define SP_DEBT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/ente/ente.h"

enum {
  DEBT_MAX_TRANSFERS = 5, /* pagoPA: transfers per payment */
  DEBT_MAX_LINES = 20,
  DEBT_MAX_OPTIONS = 73, /* a single payment and up to 72 installments */
  DEBT_MAX_TEXT = 140    /* descriptions (pagoPA remittance information) */
};

/* Problems of a validation, every field at once (like taxpayer.h). */
typedef struct {
  problem *items;
  size_t n;
} debt_problems;

/* ---- pagoPA settings (debt_setup.c); Enti are named with ente_resolve ---- */

typedef struct {
  int64_t ente_id;
  char *segregation_code; /* 2 digits */
  char *cbill;            /* 5 letters or digits, optional */
  char *broker_id;        /* optional: intermediary fiscal code (11 digits) */
  char *station_id;       /* optional */
  int64_t iuv_next;       /* read only: the next IUV base */
} debt_pagopa;

/* ERR_NOT_FOUND when the Ente has no pagoPA settings yet. */
err_code debt_pagopa_get(db *d, arena *a, int64_t ente_id, debt_pagopa *out);
/* Creates or changes the settings (the IUV sequence is kept), with an audit
 * row; ERR_INVALID with the field in *pb. */
err_code debt_pagopa_set(db *d, const debt_pagopa *in, const actor *who, problem *pb);
/* Reserves n consecutive IUV bases of the Ente; *first gets the first.
 * Must run inside the caller's db_tx, which then stores what uses them: a
 * rollback gives them back, a commit uses them for ever, and concurrent
 * transactions (any process, either backend) never get the same base.
 * ERR_PAGOPA_SETUP when the Ente has no settings. */
err_code debt_iuv_reserve(db *d, int64_t ente_id, int n, int64_t *first);

/* ---- accounts and revenue types (debt_setup.c) ---- */

/* A default transfer of a revenue to another beneficiary. */
typedef struct {
  char *beneficiary_cf; /* 11 digits */
  char *beneficiary_name;
  char *iban;
  char *taxonomy;
  char *share_kind; /* "permille", "permille_on_top", "fixed" */
  int64_t share;    /* per mille, or cents when fixed */
} debt_split;

typedef struct {
  int64_t id, ente_id;
  char *code; /* [A-Z0-9_-]{1,20}, upper-cased */
  char *name;
  char *taxonomy; /* "9/0101100IM/" */
  int64_t account_id;
  char *iban;           /* the account's IBAN (Italian, CIN checked) */
  char *postal_account; /* optional, 1..12 digits */
  char *postal_auth;    /* Poste authorisation of the bollettino ("AUT. DB/SSIC/E ..."): optional, only
                           with postal_account, at most DEBT_POSTAL_AUTH_MAX characters, printable */
  int spontaneous;      /* may be paid without an act */
  debt_split *splits;   /* at most DEBT_MAX_TRANSFERS - 1 */
  size_t n_splits;
} debt_revenue;

/* The taxonomy code's format: "N/NNNNNNNXX/" — the version digit, the
 * 2-digit creditor type, 2-digit macro area, 3-digit service, 2 letters of
 * the legal reason. NULL when valid, else an Italian reason. */
const char *debt_taxonomy_check(const char *code);
/* 1 when code is a "DATI SPECIFICI DI INCASSO" of the pagoPA taxonomy file
 * (tassonomia JSON), 0 when not, -1 when the file cannot be read. */
int debt_taxonomy_file_has(const char *path, const char *code);
/* Validates and stores r (its account is created for a new IBAN) with an
 * audit row; sets r->id and r->account_id. ERR_INVALID / ERR_CONFLICT
 * (ERR_REVENUE_DUPLICATE, field "code") with the problems in pbs. A revenue
 * with the IBAN of an existing account uses it: when r names a postal
 * account that differs from the account's (number or authorisation), the
 * account is updated in the same transaction (audited "debt.account.postal");
 * without one, r gets the account's. */
err_code debt_revenue_add(db *d, arena *a, debt_revenue *r, const actor *who, debt_problems *pbs);

enum { DEBT_POSTAL_AUTH_MAX = 100 };
/* Sets (or, postal NULL, removes) the postal account and Poste
 * authorisation of the Ente's account with this IBAN, audited.
 * ERR_INVALID (problems in pbs), ERR_NOT_FOUND (no such account). */
err_code debt_account_postal_set(db *d, arena *a, int64_t ente_id, const char *iban, const char *postal,
                                 const char *auth, const actor *who, debt_problems *pbs);

/* What the bollettino postale PA of a notice needs. */
typedef struct {
  char *account; /* c/c postale, 1..12 digits */
  char *auth;    /* the Poste authorisation line */
} debt_postal;
/* The bollettino data of act act_id (its revenue's account): both set, or
 * both NULL when the account has no postal account, or has one without the
 * Poste authorisation (then the notice goes without the bollettino, and the
 * reason is logged once per account and process). */
err_code debt_act_postal(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_postal *out);

err_code debt_revenue_list(db *d, arena *a, int64_t ente_id, debt_revenue **out, size_t *n);
err_code debt_revenue_get(db *d, arena *a, int64_t ente_id, int64_t id, debt_revenue *out);
err_code debt_revenue_by_code(db *d, arena *a, int64_t ente_id, const char *code, debt_revenue *out);

/* ---- transfers (debt_split.c, pure) ---- */

typedef struct {
  int position; /* 1..5 */
  char *beneficiary_cf;
  char *beneficiary_name;
  char *iban;
  char *postal_account;
  char *taxonomy;
  int64_t amount_cents;
} debt_transfer;

/* The transfers of a payment of amount cents of revenue r: the default
 * splits (per mille rounded half up, fixed as given) in positions 2.., and
 * the remainder to the Ente's own account in position 1, so they always
 * sum to amount exactly. ERR_TRANSFERS_SUM when the others would leave the
 * Ente's part below one cent. *out is an arena array. */
err_code debt_split_amount(arena *a, const debt_revenue *r, const char *ente_cf, const char *ente_name,
                           int64_t amount, debt_transfer **out, size_t *n);
/* Splits total into n parts proportional to weights (all > 0), each rounded
 * half up and the remainder to part 0: the parts sum to total exactly.
 * weights NULL: equal parts. */
void debt_split_parts(int64_t total, const int64_t *weights, size_t n, int64_t *parts);

/* ---- installment brackets (debt_plan.c) ---- */

typedef struct {
  int64_t from_cents, to_cents; /* to_cents 0: no upper bound */
  int min_installments, max_installments;
} debt_bracket;

/* The Ente's brackets, or the installation default (the L. 160/2019 c. 796
 * table) when it has none; *own says which. */
err_code debt_brackets_get(db *d, arena *a, int64_t ente_id, debt_bracket **out, size_t *n, int *own);
/* Replaces the Ente's brackets (n == 0: back to the default), audited.
 * ERR_INVALID when they overlap, leave gaps or have min > max. */
err_code debt_brackets_set(db *d, int64_t ente_id, const debt_bracket *b, size_t n, const actor *who,
                           problem *pb);
/* Parses a CSV with header amount_from_eur,amount_to_eur,min_installments,
 * max_installments[,...] (the layout of the shared rateizzazione file; an
 * empty amount_to_eur is open-ended). ERR_INVALID with the line in pb. */
err_code debt_brackets_parse_csv(arena *a, const char *text, debt_bracket **out, size_t *n, problem *pb);
/* The bracket for amount; NULL when none covers it. */
const debt_bracket *debt_bracket_for(const debt_bracket *b, size_t n, int64_t amount);

/* ---- acts ---- */

typedef struct {
  char *kind; /* tax sanction interest costs other */
  char *description;
  int64_t amount_cents; /* > 0 */
} debt_line;

typedef struct {
  int64_t id;
  int generation;
  int installment; /* 0: the single payment; 1..n installments */
  char *nav, *iuv;
  int64_t amount_cents;
  char *due_date;    /* YYYY-MM-DD */
  char *valid_until; /* optional: after it the notice is expired */
  char *state;       /* open partly_paid paid superseded replaced cancelled */
  int64_t paid_cents;
  debt_transfer *transfers; /* create: optional explicit transfers */
  size_t n_transfers;
} debt_option;

typedef struct {
  int64_t id, ente_id, taxpayer_id, revenue_id;
  char *act_type; /* see debt_act_types */
  int year;
  char *number; /* NULL on create: the next number of Ente, type, year */
  char *description;
  char *issue_date, *notification_date, *due_date;
  char *state; /* see debt_states */
  int64_t charged_cents, paid_cents, relieved_cents, residual_cents;
  debt_line *lines;
  size_t n_lines;
  debt_option *options; /* create: none = one single payment of the total */
  size_t n_options;
  int64_t created_at, updated_at;
  /* filled by reads */
  char *revenue_code, *taxpayer_cf, *taxpayer_name;
} debt_act;

/* "bonario" (avviso bonario / annual payment document), "accertamento",
 * "ingiunzione", "cautelare", "esecutivo", "verbale" (traffic-fine
 * report), "canone" (canone notice); NULL-terminated. */
extern const char *const debt_act_types[];
/* issued notified paid partly_paid cancelled relieved installments
 * coattivo refunded; NULL-terminated. */
extern const char *const debt_states[];
const char *debt_act_type_label(const char *slug); /* Italian */
const char *debt_state_label(const char *slug);    /* Italian */

/* Validates act (lines, options, transfers; every problem at once, fields
 * like "lines[1].amount_cents", "options[0].transfers[1].iban"), numbers
 * it when number is NULL, gives every option its NAV/IUV from the Ente's
 * sequence and its transfers (explicit, or the revenue's split), writes
 * the act, the charge movements and an audit row in one transaction (the
 * caller's when inside db_tx). Sets the ids, number, NAVs, state.
 * ERR_INVALID, ERR_ACT_DUPLICATE (field "number"), ERR_TRANSFERS_SUM,
 * ERR_PAGOPA_SETUP. */
err_code debt_act_create(db *d, arena *a, debt_act *act, const actor *who, debt_problems *pbs);
/* With lines, options (all generations) and transfers. */
err_code debt_act_get(db *d, arena *a, int64_t ente_id, int64_t id, debt_act *out);

typedef struct {
  int64_t id, act_id, option_id;
  char *kind; /* charge payment relief cancellation refund compensation credit_used */
  int64_t amount_cents;
  char *channel, *reference, *value_date, *note;
  int64_t related_act_id;
  char *actor_kind;
  int64_t actor_id, at;
} debt_movement;

typedef struct {
  int64_t id, act_id;
  char *kind; /* notified plan coattivo cancelled */
  char *event_date, *note;
  char *actor_kind;
  int64_t actor_id, at;
} debt_event;

err_code debt_act_movements(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_movement **out, size_t *n);
err_code debt_act_events(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_event **out, size_t *n);

/* ---- derivation (debt_state.c, pure) ---- */

typedef struct {
  int64_t charged, paid, relieved, cancelled, refunded, compensated, credit_used;
  int64_t residual;  /* charged - relieved - cancelled - (paid + compensated - refunded - credit_used) */
  int64_t to_refund; /* overpayment not yet refunded: max(0, -residual) */
  const char *state;
  int generation; /* the current generation of options */
} debt_totals;

/* The act's totals and state from its movements and events, and each
 * option's paid amount and state (opts updated in place). */
void debt_derive(const debt_movement *mv, size_t nm, const debt_event *ev, size_t ne, debt_option *opts,
                 size_t no, debt_totals *out);
/* Derives the act again from its rows (ignoring the cache): for checks. */
err_code debt_recompute(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_totals *t, debt_option **opts,
                        size_t *n);

/* ---- operations (debt_ops.c) ---- */

/* Cancels the act (annullamento): a cancellation movement of the residual
 * and a "cancelled" event. ERR_ACT_STATE when nothing is left to cancel. */
err_code debt_act_cancel(db *d, arena *a, int64_t ente_id, int64_t act_id, const char *reason,
                         const actor *who);
/* Relief (sgravio) of amount cents (0: all that is still due), with a
 * reason; open options are reissued for the new residual (new NAVs, the
 * old ones answer "cancelled"). ERR_ACT_STATE, ERR_INVALID (amount). */
err_code debt_act_relieve(db *d, arena *a, int64_t ente_id, int64_t act_id, int64_t amount,
                          const char *reason, const actor *who);
/* Splits the residual into n installments (0: the most the Ente's bracket
 * allows), monthly from first_due (YYYY-MM-DD), as a new generation of
 * options; an event "plan". ERR_INSTALLMENTS (n outside the bracket),
 * ERR_ACT_STATE. */
err_code debt_act_plan(db *d, arena *a, int64_t ente_id, int64_t act_id, int n, const char *first_due,
                       const actor *who, debt_problems *pbs);
/* Events without money: "notified" (date = notification date) and
 * "coattivo" (sent to enforced collection). */
err_code debt_act_event(db *d, arena *a, int64_t ente_id, int64_t act_id, const char *kind, const char *date,
                        const char *note, const actor *who);

typedef struct {
  int64_t act_id; /* or 0 with option_id, nav or iuv */
  int64_t option_id;
  const char *nav, *iuv;
  int64_t amount_cents;
  const char *channel;    /* pagopa f24 counter bank_transfer */
  const char *reference;  /* idempotency key: receipt id, IUR, CRO (required for pagopa) */
  const char *value_date; /* YYYY-MM-DD, NULL: today */
  const char *evidence;   /* free text */
} debt_payment;

typedef struct {
  int64_t movement_id, act_id, option_id;
  int duplicate;     /* the reference was already booked: nothing written */
  int64_t to_refund; /* overpayment flagged for refund after this payment */
  const char *state; /* the act's state after it */
} debt_booking;

/* Books a payment (any channel) on its option or act, idempotently on
 * (channel, reference): a second call with the same reference writes
 * nothing and answers duplicate = 1 with the first movement. A payment of
 * the single option supersedes the installments and a payment of an
 * installment the single option; money beyond the residual is flagged in
 * to_refund. ERR_NOTICE_UNKNOWN for an unknown NAV/IUV. */
err_code debt_book_payment(db *d, arena *a, int64_t ente_id, const debt_payment *p, const actor *who,
                           debt_booking *out);
/* A refund of amount cents to the taxpayer (at most the credit). */
err_code debt_record_refund(db *d, arena *a, int64_t ente_id, int64_t act_id, int64_t amount,
                            const char *reference, const char *note, const actor *who);
/* Uses amount cents of the credit of credit_act to pay debt_act (both of
 * the same taxpayer): credit_used on one, compensation on the other. */
err_code debt_compensate(db *d, arena *a, int64_t ente_id, int64_t credit_act_id, int64_t debt_act_id,
                         int64_t amount, const char *note, const actor *who);

/* ---- lookups (debt_lookup.c) ---- */

typedef struct {
  const char *nav, *iuv, *fiscal_code, *number;
  int year;           /* 0: any */
  int64_t revenue_id; /* 0: any */
  int limit, offset;  /* limit 0: 50 */
} debt_query;

/* Acts (without lines/options) matching every given criterion, newest
 * first. */
err_code debt_find(db *d, arena *a, int64_t ente_id, const debt_query *q, debt_act **out, size_t *n);

/* What the SANP verify/activate calls need about one notice. */
typedef struct {
  debt_act act;        /* with its options (no lines); only option has its transfers */
  debt_option *option; /* the option of the NAV, inside act.options */
  int64_t due_today;   /* amount to pay now */
} debt_notice;

/* The notice with this NAV (18 digits) or IUV (17) of the Ente as of the
 * day today (YYYY-MM-DD). ERR_NOTICE_UNKNOWN, ERR_NOTICE_PAID,
 * ERR_NOTICE_EXPIRED (past valid_until, or the act is in coattivo),
 * ERR_NOTICE_CANCELLED (cancelled, relieved, replaced or superseded);
 * out is filled whenever the notice exists. */
err_code debt_notice_lookup(db *d, arena *a, int64_t ente_id, const char *nav_or_iuv, const char *today,
                            debt_notice *out);

/* ---- bulk (debt_import.c, debt_export.c) ---- */

/* Strict "123.45" (digits, a dot, exactly two decimals) to cents; -1 bad. */
int debt_parse_euros(const char *s, int64_t *cents);

typedef struct {
  int all_or_nothing;
  const actor *who;
} debt_import_opts;

/* Imports the CSV text (see README "Positions CSV"), writing one result
 * row per input line (one per NAV for installments) to out as CSV
 * "line,status,act_id,nav,amount_cents,due_date,error". *n_ok and *n_bad
 * count input lines. ERR_INVALID when any line was bad (with
 * all_or_nothing nothing was written), ERR_OK when all were imported. */
err_code debt_import_csv(db *d, arena *a, const char *text, const debt_import_opts *o, FILE *out,
                         size_t *n_ok, size_t *n_bad);
/* CSV of the Ente's acts (one row per current option), year 0: all. */
err_code debt_export_positions(db *d, arena *a, int64_t ente_id, int year, FILE *out);
/* CSV of the Ente's payment-side movements (payments, refunds,
 * compensations) with value date in [from, to] (NULL: open). */
err_code debt_export_payments(db *d, arena *a, int64_t ente_id, const char *from, const char *to, FILE *out);

#endif

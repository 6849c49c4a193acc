/* The taxpayer portal (C3), domain side: each Ente's portal settings, the
 * rule tables of the calculators (legal interest rates, ravvedimento
 * bands), citizens' sessions and OpenID Connect sign-ins in progress,
 * intermediaries' delegations, payment channels and fees, traffic fines,
 * spontaneous payments, the account situation and the statement. Reads of
 * debt positions go through src/domain/debt; every function takes the Ente
 * and never reads another Ente's rows. Writes run in db_tx with an audit
 * row. */
#ifndef SP_PORTAL_H
#define SP_PORTAL_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "core/fines.h"
#include "core/interest.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/debt/debt.h"
#include "domain/ente/ente.h"

enum { PORTAL_MAX_SPREAD_BP = 300, PORTAL_LOGO_MAX = 262144 };

/* ---- settings (portal_settings.c) ---- */

typedef struct {
  int64_t ente_id;
  char *host;         /* NULL: only /enti/{ente} */
  char *coattivo_url; /* NULL: none configured */
  int spread_bp;      /* 0..300 */
  int has_logo;
} portal_settings;

/* The Ente's settings; defaults (no host, spread 0) when none were set. */
err_code portal_settings_get(db *d, arena *a, int64_t ente_id, portal_settings *out);
/* Stores s (host lower-cased; logo: PNG bytes, NULL keeps the current one,
 * len 0 with non-NULL removes it), audited. ERR_INVALID with the field in
 * pb; ERR_CONFLICT when another Ente has the host. */
err_code portal_settings_set(db *d, arena *a, const portal_settings *s, const void *logo, size_t logo_len,
                             const actor *who, problem *pb);
/* The Ente whose portal answers on host (port ignored, case-insensitive). */
err_code portal_ente_by_host(db *d, arena *a, const char *host, ente *out);
err_code portal_logo(db *d, arena *a, int64_t ente_id, const void **png, size_t *len);

/* ---- rule tables (portal_settings.c) ---- */

err_code portal_rates(db *d, arena *a, interest_rate **out, size_t *n);
/* Sets the legal rate of a year (basis points), audited. */
err_code portal_rate_set(db *d, int year, int rate_bp, const char *decree, const actor *who, problem *pb);
err_code portal_ravv_bands(db *d, arena *a, ravv_band **out, size_t *n);

/* ---- citizens (citizen.c) ---- */

typedef struct {
  int64_t id;
  char *fiscal_code; /* 16 characters, validated */
  char *name;
  char *acr;      /* SPID level, e.g. https://www.spid.gov.it/SpidL2 */
  char *provider; /* "oidc" or "demo" */
  char *csrf;
  int64_t expires_at;
} citizen;

/* A new citizen session (fiscal code validated with core/validate.h);
 * *token_out is the cookie value. Audited on the chain of no Ente. */
err_code citizen_session_create(db *d, arena *a, const char *fiscal_code, const char *name, const char *acr,
                                const char *provider, int64_t ttl, char **token_out, citizen *out);
/* ERR_UNAUTHORIZED when unknown or expired. */
err_code citizen_session_lookup(db *d, arena *a, const char *token, citizen *out);
/* The same queued in a batch (db.h): *found 1 for a live session. */
void citizen_session_queue(db_batch *b, const char *token, citizen *out, int *found);
err_code citizen_session_destroy(db *d, const char *token);

/* An OpenID Connect sign-in in progress: state, nonce, PKCE verifier. */
typedef struct {
  char *state, *nonce, *verifier;
  int64_t ente_id;
  char *return_path;
} oidc_pending;

/* Creates fresh random state, nonce and verifier, stored (the state as its
 * SHA-256) for ttl seconds. */
err_code oidc_pending_begin(db *d, arena *a, int64_t ente_id, const char *return_path, int64_t ttl,
                            oidc_pending *out);
/* Takes (deletes) the sign-in with this state: ERR_NOT_FOUND when unknown,
 * already used or expired. */
err_code oidc_pending_take(db *d, arena *a, const char *state, oidc_pending *out);
/* The PKCE S256 challenge of a verifier (base64url, no padding). */
char *oidc_pkce_challenge(arena *a, const char *verifier);
/* Housekeeping: expired citizen sessions and sign-ins. */
err_code portal_prune(db *d, int64_t now);

/* ---- delegations (portal_settings.c) ---- */

typedef struct {
  int64_t id, ente_id;
  char *intermediary_cf, *client_cf, *valid_from, *valid_to;
} portal_delegation;

/* Records that intermediary_cf may see client_cf's situation from valid_from
 * (NULL: today) to valid_to (NULL: open), audited. */
err_code portal_delegation_add(db *d, arena *a, portal_delegation *dl, const actor *who, problem *pb);
err_code portal_delegation_revoke(db *d, int64_t ente_id, const char *intermediary_cf, const char *client_cf,
                                  const actor *who);
/* ERR_OK when viewer is cf itself or holds a live delegation for it,
 * ERR_NOT_FOUND otherwise. */
err_code portal_may_see(db *d, int64_t ente_id, const char *viewer_cf, const char *cf, const char *today);

/* ---- payment channels (portal_settings.c) ---- */

typedef struct {
  int64_t id;
  char *psp, *channel, *description;
  int64_t fee_cents;
} payment_channel;

/* Replaces the table with the CSV "psp,channel,description,fee_eur" (fee
 * like 1.50), audited. ERR_INVALID naming the line. */
err_code payment_channels_import(db *d, arena *a, const char *csv, const actor *who, size_t *n_out,
                                 problem *pb);
/* Decreasing fee, then PSP name. */
err_code payment_channels_list(db *d, arena *a, payment_channel **out, size_t *n);

/* ---- traffic fines (portal_pay.c) ---- */

typedef struct {
  int64_t act_id, ente_id;
  char *report_number, *plate, *violation_date, *notification_date;
  int64_t min_cents, max_cents, costs_cents;
  int reduction_allowed;
  /* create only */
  const char *taxpayer_cf;
  const char *revenue_code; /* NULL: "CDS" */
  const char *description;
} portal_fine;

/* Creates the report as a debt act ("verbale": lines sanction = minimum
 * and costs, one option) and its fine row, in one transaction. */
err_code portal_fine_create(db *d, arena *a, portal_fine *f, const actor *who, debt_problems *pbs);
/* The report with this number and plate (or violation date when plate is
 * NULL). ERR_NOT_FOUND. */
err_code portal_fine_find(db *d, arena *a, int64_t ente_id, const char *number, const char *plate,
                          const char *violation_date, portal_fine *out);
err_code portal_fine_by_act(db *d, arena *a, int64_t ente_id, int64_t act_id, portal_fine *out);
/* Today's band and amount. */
int portal_fine_amount(const ente *e, const portal_fine *f, const char *today, fine_amount *out);

/* ---- payments started from the portal (portal_pay.c) ---- */

typedef struct {
  const char *revenue_code;
  int64_t amount_cents;
  const char *reason;
  const char *payer_cf;
  const char *payer_surname; /* or the company name */
  const char *payer_given_name;
  const char *payer_email;
} portal_spontaneous;

/* A spontaneous payment: the payer found (or registered) in the Ente's
 * registry, an act with one option (NAV from the sequence) of a revenue the
 * Ente allows without an act. ERR_INVALID with problems per field. */
err_code portal_spontaneous_create(db *d, arena *a, int64_t ente_id, const portal_spontaneous *in,
                                   const actor *who, debt_act *out, debt_problems *pbs);
/* The ravvedimento act of a late tax: lines tax, sanction, interest. */
err_code portal_ravv_create(db *d, arena *a, int64_t ente_id, const char *taxpayer_cf,
                            const char *revenue_code, const char *description, const ravv_result *r,
                            const actor *who, debt_act *out, debt_problems *pbs);
/* Records a payment sent to Checkout, audited. */
err_code portal_checkout_record(db *d, int64_t ente_id, int64_t option_id, const char *nav, int64_t amount,
                                const char *email, const actor *who);

/* ---- situation and statement (portal_account.c) ---- */

typedef struct {
  int year;
  const char *revenue_code, *revenue_name;
  int acts;
  int64_t to_pay_cents, paid_cents, coattivo_cents;
} portal_situation_row;

/* What the situation page shows, read in one round trip: the taxpayer's
 * acts in the Ente newest first (year, then id; with the revenue code,
 * but without description, dates, lines or the taxpayer's fiscal code),
 * the summary by year and revenue from that one read, the clients whose
 * live delegation viewer_cf holds at today, and the Ente's portal
 * settings. A taxpayer unknown to the Ente has no acts. */
typedef struct {
  portal_situation_row *rows;
  size_t nr;
  debt_act *acts;
  size_t na;
  portal_delegation *clients;
  size_t nc;
  portal_settings settings;
} portal_situation_view;
err_code portal_situation_read(db *d, arena *a, int64_t ente_id, const char *cf, const char *viewer_cf,
                               const char *today, portal_situation_view *out);
/* The act if it belongs to the taxpayer cf; ERR_NOT_FOUND otherwise
 * (another taxpayer's act looks like no act). */
err_code portal_act_of(db *d, arena *a, int64_t ente_id, const char *cf, int64_t act_id, debt_act *out);

typedef struct {
  debt_act act;           /* without lines */
  int64_t residual_cents; /* at the date */
  int64_t interest_cents; /* late interest at the date */
  int64_t overdue_cents;  /* the part past its due date */
  int installments, installments_paid;
} portal_statement_act;

typedef struct {
  char date[11];
  int spread_bp;
  portal_statement_act *acts;
  size_t n;
  int64_t total_residual_cents, total_interest_cents;
} portal_statement;

/* The statement at date (YYYY-MM-DD): per act with a residual at that date,
 * the residual (movements with value date up to it), the installments and
 * the late interest on each overdue open option from its due date to date
 * (legal rate + the Ente's spread). */
err_code portal_statement_at(db *d, arena *a, int64_t ente_id, const char *cf, const char *date,
                             portal_statement *out);
/* The same, in one round trip with the Ente's portal settings (whose
 * spread it applies), which go to *settings. */
err_code portal_statement_read(db *d, arena *a, int64_t ente_id, const char *cf, const char *date,
                               portal_settings *settings, portal_statement *out);

#endif

/* SQL of the portal area (portal_store.c). Only this area includes it. */
#ifndef SP_PORTAL_STORE_H
#define SP_PORTAL_STORE_H
#include "domain/portal/portal.h"

err_code ps_settings_get(db *d, arena *a, int64_t ente_id, portal_settings *out);
/* queued in a batch: *found 0 when the Ente has no settings row */
void ps_settings_queue(db_batch *b, int64_t ente_id, portal_settings *out, int *found);
err_code ps_settings_upsert(db *d, const portal_settings *s, int64_t now);
err_code ps_logo_set(db *d, int64_t ente_id, const void *png, size_t len);
err_code ps_logo_get(db *d, arena *a, int64_t ente_id, const void **png, size_t *len);
err_code ps_ente_by_host(db *d, const char *host, int64_t *ente_id);

err_code ps_rates(db *d, arena *a, interest_rate **out, size_t *n);
void ps_rates_queue(db_batch *b, interest_rate **out, size_t *n);
err_code ps_rate_upsert(db *d, int year, int rate_bp, const char *decree, int64_t now);
/* raw band rows: dates as text */
typedef struct {
  char *regime, *regime_from, *regime_to, *band;
  int position, min_days, max_days, max_years, base_rate_pm, per_day, reduction_den;
} ps_band_row;
err_code ps_bands(db *d, arena *a, ps_band_row **out, size_t *n);

err_code ps_citizen_insert(db *d, const char *hash, const citizen *c, int64_t now, int64_t *id);
err_code ps_citizen_find(db *d, arena *a, const char *hash, int64_t now, citizen *out);
void ps_citizen_find_queue(db_batch *b, const char *hash, int64_t now, citizen *out, int *found);
err_code ps_citizen_delete(db *d, const char *hash, int64_t *id, char **cf, arena *a);
err_code ps_oidc_insert(db *d, const char *state_hash, const oidc_pending *p, int64_t now, int64_t expires);
err_code ps_oidc_take(db *d, arena *a, const char *state_hash, int64_t now, oidc_pending *out);
err_code ps_prune(db *d, int64_t now);

err_code ps_delegation_upsert(db *d, const portal_delegation *dl, int64_t now, int64_t *id);
err_code ps_delegation_revoke(db *d, int64_t ente_id, const char *icf, const char *ccf, int64_t now,
                              int64_t *id);
void ps_delegation_clients_queue(db_batch *b, int64_t ente_id, const char *icf, const char *today,
                                 portal_delegation **out, size_t *n);
err_code ps_delegation_live(db *d, int64_t ente_id, const char *icf, const char *ccf, const char *today);

err_code ps_channels_clear(db *d);
err_code ps_channel_insert(db *d, const payment_channel *c, int64_t now);
err_code ps_channels(db *d, arena *a, payment_channel **out, size_t *n);

err_code ps_fine_insert(db *d, const portal_fine *f);
err_code ps_fine_find(db *d, arena *a, int64_t ente_id, const char *number, const char *plate,
                      const char *vdate, portal_fine *out);
err_code ps_fine_by_act(db *d, arena *a, int64_t ente_id, int64_t act_id, portal_fine *out);
err_code ps_checkout_insert(db *d, int64_t ente_id, int64_t option_id, const char *nav, int64_t amount,
                            const char *email, int64_t now, int64_t *id);

err_code ps_act_owned(db *d, int64_t ente_id, const char *cf, int64_t act_id);
/* every option (all generations) of the taxpayer's acts, by act; what the
 * statement tests on each is worked out once, in ps_ledger_done */
enum { PS_OPT_SUPERSEDED = 1, PS_OPT_VOID = 2 /* cancelled or replaced */, PS_OPT_PAID = 4 };
typedef struct {
  int64_t act_id;
  debt_option o;
  civil_date due; /* o.due_date */
  int due_ok;     /* it parsed */
  int flags;      /* PS_OPT_* from o.state */
} ps_option_row;
/* every movement of the taxpayer's acts */
enum { PS_MV_OTHER, PS_MV_CHARGE, PS_MV_LESS_DEBT /* relief, cancellation */,
       PS_MV_PAID /* payment, compensation */, PS_MV_LESS_PAID /* refund, credit used */ };
typedef struct {
  int64_t act_id, id, option_id;
  char *kind, *value_date;
  int64_t amount;
  civil_date value; /* value_date */
  int value_ok;     /* it parsed */
  int sign;         /* PS_MV_* from kind */
} ps_movement_row;
/* What the situation and (full) the statement read of a taxpayer (by
 * fiscal code), queued in a batch; after db_batch_run, ps_ledger_done
 * orders it:
 *   - acts newest first (year, then id, descending): id, revenue id, type,
 *     year, number, state, amounts, issue and due dates (never
 *     description, notification date, taxpayer, nor the revenue's code and
 *     name: those come per request, ps_revenue_names_queue);
 *   - every option (all generations) by act id, then generation,
 *     installment and id, and every movement by act id then id: the
 *     statement finds each act's rows by binary search.
 * Once done it is only read, so one ledger can serve many requests (the
 * ledger cache) while the taxpayer's ledger version stays the same. */
typedef struct {
  debt_act *raw; /* as read */
  debt_act *acts;
  size_t na;
  ps_option_row *opts;
  size_t no;
  ps_movement_row *mv;
  size_t nm;
  int full; /* options and movements read too (the statement needs them; the situation does not) */
} ps_ledger;
void ps_ledger_queue(db_batch *b, int64_t ente_id, const char *cf, int full, ps_ledger *l);
void ps_ledger_done(arena *a, int64_t ente_id, ps_ledger *l);
/* The taxpayer's id and ledger version (taxpayer.ledger_version, bumped by
 * every change of their acts); *found 0 for a taxpayer unknown here. */
typedef struct {
  int64_t taxpayer_id, version;
} ps_ledger_key;
void ps_ledger_key_queue(db_batch *b, int64_t ente_id, const char *cf, ps_ledger_key *k, int *found);
/* The Ente's revenues: id, code and name. */
typedef struct {
  int64_t id;
  char *code, *name;
} ps_revenue_name;
void ps_revenue_names_queue(db_batch *b, int64_t ente_id, ps_revenue_name **out, size_t *n);
err_code ps_taxpayer_id(db *d, int64_t ente_id, const char *cf, int64_t *id);

#endif

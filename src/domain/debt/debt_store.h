/* Internal: the SQL behind debt.h. Every statement names the Ente
 * (ente_id = ?). The ledger (debt_movement) and the events (debt_event)
 * have INSERT and SELECT statements only: there is no UPDATE or DELETE of
 * them anywhere (tests/domain/test_debt_ledger.c greps for it). */
#ifndef SP_DEBT_STORE_H
#define SP_DEBT_STORE_H
#include "domain/debt/debt.h"

/* settings, sequence */
err_code ds_pagopa_get(db *d, arena *a, int64_t ente_id, debt_pagopa *out);
err_code ds_pagopa_upsert(db *d, const debt_pagopa *p, int64_t now);
/* Creates the settings of an Ente that has a segregation code in its own
 * row but none here yet; ERR_NOT_FOUND when it has none. */
err_code ds_pagopa_adopt(db *d, int64_t ente_id, int64_t now);
/* Keeps ente.segregation_code (shown by `ente list`) equal to ours. */
err_code ds_ente_segregation(db *d, int64_t ente_id, const char *code);
/* Advances the sequence by n; *last gets the new iuv_next. */
err_code ds_iuv_advance(db *d, int64_t ente_id, int64_t n, int64_t now, int64_t *next_after);

/* accounts, revenue types */
err_code ds_account_find(db *d, arena *a, int64_t ente_id, const char *iban, int64_t *id, char **postal,
                         char **auth);
err_code ds_account_insert(db *d, int64_t ente_id, const char *iban, const char *postal, const char *auth,
                           int64_t now, int64_t *id);
err_code ds_account_postal_set(db *d, int64_t ente_id, int64_t id, const char *postal, const char *auth);
/* The account (id, postal account, Poste authorisation) of act act_id's revenue. */
err_code ds_act_postal(db *d, arena *a, int64_t ente_id, int64_t act_id, int64_t *account_id, char **postal,
                       char **auth);
err_code ds_revenue_insert(db *d, const debt_revenue *r, int64_t now, int64_t *id);
err_code ds_split_insert(db *d, int64_t ente_id, int64_t revenue_id, int position, const debt_split *s);
err_code ds_revenue_list(db *d, arena *a, int64_t ente_id, debt_revenue **out, size_t *n);
err_code ds_revenue_get(db *d, arena *a, int64_t ente_id, int64_t id, const char *code, debt_revenue *out);

/* brackets */
err_code ds_brackets(db *d, arena *a, int64_t ente_id, debt_bracket **out, size_t *n);
err_code ds_brackets_delete(db *d, int64_t ente_id);
err_code ds_bracket_insert(db *d, int64_t ente_id, const debt_bracket *b);

/* acts */
/* The next automatic number of (Ente, type, year), at least min_next. */
err_code ds_act_number_next(db *d, int64_t ente_id, const char *type, int year, int64_t *n);
/* A number given by hand that is all digits moves the counter past it. */
err_code ds_act_number_seen(db *d, int64_t ente_id, const char *type, int year, int64_t n);
err_code ds_act_insert(db *d, const debt_act *act, int64_t now, int64_t *id);
err_code ds_act_exists(db *d, int64_t ente_id, const char *type, int year, const char *number);
err_code ds_line_insert(db *d, int64_t ente_id, int64_t act_id, int position, const debt_line *l);
err_code ds_option_insert(db *d, int64_t ente_id, int64_t act_id, const debt_option *o, int64_t now,
                          int64_t *id);
err_code ds_transfer_insert(db *d, int64_t ente_id, int64_t option_id, const debt_transfer *t);
/* The act row (cache included), no children. */
err_code ds_act_get(db *d, arena *a, int64_t ente_id, int64_t id, debt_act *out);
err_code ds_act_lines(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_line **out, size_t *n);
err_code ds_act_options(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_option **out, size_t *n);
err_code ds_option_transfers(db *d, arena *a, int64_t ente_id, int64_t option_id, debt_transfer **out,
                             size_t *n);
/* Locks the act's row for the rest of the transaction: every operation on
 * an act takes it first, so under READ COMMITTED (db_tx_locking) what it
 * reads afterwards includes every earlier operation's rows. */
err_code ds_act_lock(db *d, int64_t ente_id, int64_t act_id);
/* The cache of the derivation; it also bumps the taxpayer's ledger_version
 * (every ledger operation ends here, through debt_refresh). */
err_code ds_act_cache(db *d, int64_t ente_id, int64_t act_id, const debt_totals *t,
                      const char *notification_date, int64_t now);
err_code ds_option_cache(db *d, int64_t ente_id, int64_t option_id, const char *state, int64_t paid);
/* Option by IUV or NAV; ERR_NOT_FOUND. */
err_code ds_option_find(db *d, int64_t ente_id, const char *iuv, const char *nav, int64_t *option_id,
                        int64_t *act_id);
err_code ds_option_act(db *d, int64_t ente_id, int64_t option_id, int64_t *act_id);

/* ledger and events: INSERT and SELECT only */
err_code ds_movement_insert(db *d, int64_t ente_id, const debt_movement *m, int64_t *id);
err_code ds_movements(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_movement **out, size_t *n);
/* The movement already booked with (kind, channel, reference). */
err_code ds_movement_by_reference(db *d, arena *a, int64_t ente_id, const char *kind, const char *channel,
                                  const char *reference, debt_movement *out);
err_code ds_event_insert(db *d, int64_t ente_id, const debt_event *e, int64_t *id);
err_code ds_events(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_event **out, size_t *n);

/* lookups and exports */
err_code ds_find(db *d, arena *a, int64_t ente_id, const debt_query *q, debt_act **out, size_t *n);
typedef struct {
  int64_t act_id;
  char *act_type, *number, *revenue_code, *taxpayer_cf, *taxpayer_name, *state;
  int year;
  int64_t residual;
  int installment;
  char *nav, *iuv, *due_date, *option_state;
  int64_t amount, paid;
} ds_position_row;
typedef err_code (*ds_position_fn)(const ds_position_row *r, void *ctx);
err_code ds_positions_each(db *d, arena *a, int64_t ente_id, int year, ds_position_fn fn, void *ctx);
typedef struct {
  int64_t id, act_id;
  char *kind, *channel, *reference, *value_date, *note, *act_number, *nav, *taxpayer_cf;
  int64_t amount;
  int act_year;
} ds_payment_row;
typedef err_code (*ds_payment_fn)(const ds_payment_row *r, void *ctx);
err_code ds_payments_each(db *d, arena *a, int64_t ente_id, const char *from, const char *to,
                          ds_payment_fn fn, void *ctx);

#endif

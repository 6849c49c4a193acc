/* Internal helpers shared by the files of src/domain/debt. */
#ifndef SP_DEBT_INTERNAL_H
#define SP_DEBT_INTERNAL_H
#include <jansson.h>
#include "domain/debt/debt.h"

/* Appends a problem (field copied into a). */
void dp_add(arena *a, debt_problems *pbs, err_code code, const char *field, const char *msg);
/* The caller's list, or local, emptied. */
debt_problems *dp_reset(debt_problems *pbs, debt_problems *local);

/* Today in Rome as YYYY-MM-DD (the clock of clock_now). */
void debt_today(char out[11]);
/* 1 when s is a valid YYYY-MM-DD. */
int debt_date_ok(const char *s);
/* Italian reason when s is not a valid fiscal code of a person or a
 * company (11 digits), else NULL. */
const char *debt_cf_check(const char *s);

/* Derives the act from its rows and writes the cache (act and options),
 * inside the caller's transaction. out may be NULL. */
err_code debt_refresh(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_totals *out);

/* Gives opts[0..n) NAV/IUV from the Ente's sequence and, when they have
 * none, the transfers of revenue r; inserts them as generation gen of act
 * act_id. Inside the caller's transaction. */
err_code debt_issue_options(db *d, arena *a, const ente *e, const debt_revenue *r, int64_t act_id,
                            debt_option *opts, size_t n, int gen);

/* A movement / event of who, now, on act_id (other fields zero). */
debt_movement debt_mv(const actor *who, int64_t act_id, const char *kind, int64_t amount,
                      const char *value_date);
debt_event debt_ev(const actor *who, int64_t act_id, const char *kind, const char *date, const char *note);

/* The act as JSON for audit rows (amounts, state, options' NAVs). */
json_t *debt_act_json(const debt_act *x);
json_t *debt_totals_json(const debt_totals *t);

#endif

/* SQL of the portal area: settings, rule tables, citizen sessions and
 * sign-ins, delegations, payment channels, fines, and the reads of a
 * taxpayer's debt positions the situation and the statement need (one
 * statement each, whatever the number of acts). Every statement about Ente
 * data names the Ente. */
#include "domain/portal/portal_store.h"

#include <stdlib.h>
#include <string.h>

static const db_result SETTINGS_ROW[] = {
    F_INT(portal_settings, ente_id),   F_DUP(portal_settings, host),     F_DUP(portal_settings, coattivo_url),
    F_I32(portal_settings, spread_bp), F_I32(portal_settings, has_logo), F_END};

err_code ps_settings_get(db *d, arena *a, int64_t ente_id, portal_settings *out) {
  return db_get_into(d, a,
                     "SELECT ente_id, host, coattivo_url, spread_bp, "
                     "CASE WHEN logo_png IS NULL THEN 0 ELSE 1 END FROM portal_ente WHERE ente_id = ?",
                     PARAMS(P_INT(ente_id)), SETTINGS_ROW, out);
}

void ps_settings_queue(db_batch *b, int64_t ente_id, portal_settings *out, int *found) {
  db_batch_get_into(b,
                    "SELECT ente_id, host, coattivo_url, spread_bp, "
                    "CASE WHEN logo_png IS NULL THEN 0 ELSE 1 END FROM portal_ente WHERE ente_id = ?",
                    PARAMS(P_INT(ente_id)), SETTINGS_ROW, out, found);
}

err_code ps_settings_upsert(db *d, const portal_settings *s, int64_t now) {
  return db_exec(
      d,
      "INSERT INTO portal_ente (ente_id, host, coattivo_url, spread_bp, updated_at) "
      "VALUES (?,?,?,?,?) ON CONFLICT (ente_id) DO UPDATE SET host = excluded.host, "
      "coattivo_url = excluded.coattivo_url, spread_bp = excluded.spread_bp, "
      "updated_at = excluded.updated_at",
      PARAMS(P_INT(s->ente_id), P_TEXT(s->host), P_TEXT(s->coattivo_url), P_INT(s->spread_bp), P_INT(now)),
      NULL);
}

err_code ps_logo_set(db *d, int64_t ente_id, const void *png, size_t len) {
  if (len == 0)
    return db_exec_one(d, "UPDATE portal_ente SET logo_png = NULL WHERE ente_id = ?", PARAMS(P_INT(ente_id)));
  return db_exec_one(d, "UPDATE portal_ente SET logo_png = ? WHERE ente_id = ?",
                     PARAMS(P_BLOB(png, len), P_INT(ente_id)));
}

err_code ps_logo_get(db *d, arena *a, int64_t ente_id, const void **png, size_t *len) {
  *png = NULL;
  *len = 0;
  err_code rc = db_get(d, a, "SELECT logo_png FROM portal_ente WHERE ente_id = ? AND logo_png IS NOT NULL",
                       PARAMS(P_INT(ente_id)), RESULTS(R_BLOB(png, len)));
  return rc;
}

err_code ps_ente_by_host(db *d, const char *host, int64_t *ente_id) {
  return db_get(d, NULL, "SELECT ente_id FROM portal_ente WHERE host = ?", PARAMS(P_TEXT(host)),
                RESULTS(R_INT(ente_id)));
}

static const db_result RATE_ROW[] = {F_I32(interest_rate, year), F_I32(interest_rate, rate_bp), F_END};

#define RATES_SQL "SELECT year, rate_bp FROM legal_interest_rate ORDER BY year"

err_code ps_rates(db *d, arena *a, interest_rate **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, RATES_SQL, NULL, RATE_ROW, sizeof(interest_rate), n, &rc);
  return rc;
}

void ps_rates_queue(db_batch *b, interest_rate **out, size_t *n) {
  db_batch_list(b, RATES_SQL, NULL, RATE_ROW, sizeof(interest_rate), out, n);
}

err_code ps_rate_upsert(db *d, int year, int rate_bp, const char *decree, int64_t now) {
  return db_exec(d,
                 "INSERT INTO legal_interest_rate (year, rate_bp, decree, updated_at) VALUES (?,?,?,?) "
                 "ON CONFLICT (year) DO UPDATE SET rate_bp = excluded.rate_bp, decree = excluded.decree, "
                 "updated_at = excluded.updated_at",
                 PARAMS(P_INT(year), P_INT(rate_bp), P_TEXT(decree), P_INT(now)), NULL);
}

static void read_i32_or_zero(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = db_col_is_null(st, col) ? 0 : (int)db_col_int(st, col);
}

static const db_result BAND_ROW[] = {F_DUP(ps_band_row, regime),
                                     F_DUP(ps_band_row, regime_from),
                                     F_DUP(ps_band_row, regime_to),
                                     F_DUP(ps_band_row, band),
                                     F_I32(ps_band_row, position),
                                     F_I32(ps_band_row, min_days),
                                     F_FN(ps_band_row, max_days, read_i32_or_zero),
                                     F_FN(ps_band_row, max_years, read_i32_or_zero),
                                     F_I32(ps_band_row, base_rate_pm),
                                     F_I32(ps_band_row, per_day),
                                     F_I32(ps_band_row, reduction_den),
                                     F_END};

err_code ps_bands(db *d, arena *a, ps_band_row **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT regime, regime_from, regime_to, band, position, min_days, max_days, max_years, "
                 "base_rate_pm, per_day, reduction_den FROM ravv_band ORDER BY regime, position",
                 NULL, BAND_ROW, sizeof(ps_band_row), n, &rc);
  return rc;
}

/* ---- citizens ---- */

err_code ps_citizen_insert(db *d, const char *hash, const citizen *c, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO citizen_session (token_hash, fiscal_code, name, acr, provider, csrf, "
                   "created_at, expires_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_TEXT(hash), P_TEXT(c->fiscal_code), P_TEXT(c->name), P_TEXT(c->acr),
                          P_TEXT(c->provider), P_TEXT(c->csrf), P_INT(now), P_INT(c->expires_at)),
                   id);
}

static const db_result CITIZEN_ROW[] = {
    F_INT(citizen, id),       F_DUP(citizen, fiscal_code), F_DUP(citizen, name),       F_DUP(citizen, acr),
    F_DUP(citizen, provider), F_DUP(citizen, csrf),        F_INT(citizen, expires_at), F_END};

err_code ps_citizen_find(db *d, arena *a, const char *hash, int64_t now, citizen *out) {
  return db_get_into(d, a,
                     "SELECT id, fiscal_code, name, acr, provider, csrf, expires_at FROM citizen_session "
                     "WHERE token_hash = ? AND expires_at > ?",
                     PARAMS(P_TEXT(hash), P_INT(now)), CITIZEN_ROW, out);
}

void ps_citizen_find_queue(db_batch *b, const char *hash, int64_t now, citizen *out, int *found) {
  db_batch_get_into(b,
                    "SELECT id, fiscal_code, name, acr, provider, csrf, expires_at FROM citizen_session "
                    "WHERE token_hash = ? AND expires_at > ?",
                    PARAMS(P_TEXT(hash), P_INT(now)), CITIZEN_ROW, out, found);
}

err_code ps_citizen_delete(db *d, const char *hash, int64_t *id, char **cf, arena *a) {
  return db_get(d, a, "DELETE FROM citizen_session WHERE token_hash = ? RETURNING id, fiscal_code",
                PARAMS(P_TEXT(hash)), RESULTS(R_INT(id), R_DUP(cf)));
}

err_code ps_oidc_insert(db *d, const char *state_hash, const oidc_pending *p, int64_t now, int64_t expires) {
  return db_exec(d,
                 "INSERT INTO oidc_pending (state_hash, nonce, verifier, ente_id, return_path, created_at, "
                 "expires_at) VALUES (?,?,?,?,?,?,?)",
                 PARAMS(P_TEXT(state_hash), P_TEXT(p->nonce), P_TEXT(p->verifier), P_INT_OR_NULL(p->ente_id),
                        P_TEXT(p->return_path), P_INT(now), P_INT(expires)),
                 NULL);
}

static void read_int_or_zero(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int64_t *)dst = db_col_is_null(st, col) ? 0 : db_col_int(st, col);
}

static const db_result OIDC_ROW[] = {F_DUP(oidc_pending, nonce), F_DUP(oidc_pending, verifier),
                                     F_FN(oidc_pending, ente_id, read_int_or_zero),
                                     F_DUP(oidc_pending, return_path), F_END};

err_code ps_oidc_take(db *d, arena *a, const char *state_hash, int64_t now, oidc_pending *out) {
  return db_get_into(d, a,
                     "DELETE FROM oidc_pending WHERE state_hash = ? AND expires_at > ? "
                     "RETURNING nonce, verifier, ente_id, return_path",
                     PARAMS(P_TEXT(state_hash), P_INT(now)), OIDC_ROW, out);
}

err_code ps_prune(db *d, int64_t now) {
  err_code rc = db_exec(d, "DELETE FROM citizen_session WHERE expires_at <= ?", PARAMS(P_INT(now)), NULL);
  if (rc != ERR_OK) return rc;
  return db_exec(d, "DELETE FROM oidc_pending WHERE expires_at <= ?", PARAMS(P_INT(now)), NULL);
}

/* ---- delegations ---- */

err_code ps_delegation_upsert(db *d, const portal_delegation *dl, int64_t now, int64_t *id) {
  return db_get(d, NULL,
                "INSERT INTO portal_delegation (ente_id, intermediary_cf, client_cf, valid_from, valid_to, "
                "revoked_at, created_at) VALUES (?,?,?,?,?,NULL,?) "
                "ON CONFLICT (ente_id, intermediary_cf, client_cf) DO UPDATE SET "
                "valid_from = excluded.valid_from, valid_to = excluded.valid_to, revoked_at = NULL "
                "RETURNING id",
                PARAMS(P_INT(dl->ente_id), P_TEXT(dl->intermediary_cf), P_TEXT(dl->client_cf),
                       P_TEXT(dl->valid_from), P_TEXT(dl->valid_to), P_INT(now)),
                RESULTS(R_INT(id)));
}

err_code ps_delegation_revoke(db *d, int64_t ente_id, const char *icf, const char *ccf, int64_t now,
                              int64_t *id) {
  return db_get(d, NULL,
                "UPDATE portal_delegation SET revoked_at = ? WHERE ente_id = ? AND intermediary_cf = ? "
                "AND client_cf = ? AND revoked_at IS NULL RETURNING id",
                PARAMS(P_INT(now), P_INT(ente_id), P_TEXT(icf), P_TEXT(ccf)), RESULTS(R_INT(id)));
}

static const db_result DELEG_ROW[] = {F_INT(portal_delegation, id),
                                      F_INT(portal_delegation, ente_id),
                                      F_DUP(portal_delegation, intermediary_cf),
                                      F_DUP(portal_delegation, client_cf),
                                      F_DUP(portal_delegation, valid_from),
                                      F_DUP(portal_delegation, valid_to),
                                      F_END};

#define DELEG_LIVE "revoked_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"

void ps_delegation_clients_queue(db_batch *b, int64_t ente_id, const char *icf, const char *today,
                                 portal_delegation **out, size_t *n) {
  db_batch_list(b,
                "SELECT id, ente_id, intermediary_cf, client_cf, valid_from, valid_to FROM portal_delegation "
                "WHERE ente_id = ? AND intermediary_cf = ? AND " DELEG_LIVE " ORDER BY client_cf",
                PARAMS(P_INT(ente_id), P_TEXT(icf), P_TEXT(today), P_TEXT(today)), DELEG_ROW,
                sizeof(portal_delegation), out, n);
}

err_code ps_delegation_live(db *d, int64_t ente_id, const char *icf, const char *ccf, const char *today) {
  int64_t id;
  return db_get(
      d, NULL,
      "SELECT id FROM portal_delegation WHERE ente_id = ? AND intermediary_cf = ? AND client_cf = ? "
      "AND " DELEG_LIVE,
      PARAMS(P_INT(ente_id), P_TEXT(icf), P_TEXT(ccf), P_TEXT(today), P_TEXT(today)), RESULTS(R_INT(&id)));
}

/* ---- payment channels ---- */

err_code ps_channels_clear(db *d) { return db_exec(d, "DELETE FROM payment_channel", NULL, NULL); }

err_code ps_channel_insert(db *d, const payment_channel *c, int64_t now) {
  return db_exec(
      d,
      "INSERT INTO payment_channel (psp, channel, description, fee_cents, imported_at) "
      "VALUES (?,?,?,?,?)",
      PARAMS(P_TEXT(c->psp), P_TEXT(c->channel), P_TEXT(c->description), P_INT(c->fee_cents), P_INT(now)),
      NULL);
}

static const db_result CHANNEL_ROW[] = {
    F_INT(payment_channel, id),          F_DUP(payment_channel, psp),       F_DUP(payment_channel, channel),
    F_DUP(payment_channel, description), F_INT(payment_channel, fee_cents), F_END};

err_code ps_channels(db *d, arena *a, payment_channel **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, psp, channel, description, fee_cents FROM payment_channel "
                 "ORDER BY fee_cents DESC, psp, channel",
                 NULL, CHANNEL_ROW, sizeof(payment_channel), n, &rc);
  return rc;
}

/* ---- fines and checkout ---- */

err_code ps_fine_insert(db *d, const portal_fine *f) {
  return db_exec(d,
                 "INSERT INTO portal_fine (act_id, ente_id, report_number, plate, violation_date, "
                 "notification_date, min_cents, max_cents, costs_cents, reduction_allowed) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(f->act_id), P_INT(f->ente_id), P_TEXT(f->report_number), P_TEXT(f->plate),
                        P_TEXT(f->violation_date), P_TEXT(f->notification_date), P_INT(f->min_cents),
                        P_INT(f->max_cents), P_INT(f->costs_cents), P_INT(f->reduction_allowed)),
                 NULL);
}

static const db_result FINE_ROW[] = {F_INT(portal_fine, act_id),
                                     F_INT(portal_fine, ente_id),
                                     F_DUP(portal_fine, report_number),
                                     F_DUP(portal_fine, plate),
                                     F_DUP(portal_fine, violation_date),
                                     F_DUP(portal_fine, notification_date),
                                     F_INT(portal_fine, min_cents),
                                     F_INT(portal_fine, max_cents),
                                     F_INT(portal_fine, costs_cents),
                                     F_I32(portal_fine, reduction_allowed),
                                     F_END};

#define FINE_SELECT                                                                              \
  "SELECT act_id, ente_id, report_number, plate, violation_date, notification_date, min_cents, " \
  "max_cents, costs_cents, reduction_allowed FROM portal_fine "

err_code ps_fine_find(db *d, arena *a, int64_t ente_id, const char *number, const char *plate,
                      const char *vdate, portal_fine *out) {
  return db_get_into(
      d, a,
      FINE_SELECT
      "WHERE ente_id = ? AND report_number = ? "
      "AND (CAST(? AS TEXT) IS NULL OR plate = ?) "
      "AND (CAST(? AS TEXT) IS NULL OR violation_date = ?)",
      PARAMS(P_INT(ente_id), P_TEXT(number), P_TEXT(plate), P_TEXT(plate), P_TEXT(vdate), P_TEXT(vdate)),
      FINE_ROW, out);
}

err_code ps_fine_by_act(db *d, arena *a, int64_t ente_id, int64_t act_id, portal_fine *out) {
  return db_get_into(d, a, FINE_SELECT "WHERE ente_id = ? AND act_id = ?",
                     PARAMS(P_INT(ente_id), P_INT(act_id)), FINE_ROW, out);
}

err_code ps_checkout_insert(db *d, int64_t ente_id, int64_t option_id, const char *nav, int64_t amount,
                            const char *email, int64_t now, int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO portal_checkout (ente_id, option_id, nav, amount_cents, email, created_at) "
      "VALUES (?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(ente_id), P_INT(option_id), P_TEXT(nav), P_INT(amount), P_TEXT(email), P_INT(now)), id);
}

/* ---- a taxpayer's positions ---- */

/* The three reads of a taxpayer's acts, options and movements go from the
 * taxpayer's index to their acts and then by act: the unary + on the
 * options' and movements' ente_id keeps SQLite (which has no statistics
 * here) from walking every row of the Ente by an (ente_id, ...) index
 * instead; on PostgreSQL it is a no-op. They have no ORDER BY, which would
 * also lead SQLite to the Ente's (ente_id, year) index or to a temporary
 * B-tree: rows are sorted in C, and checking that they come sorted (SQLite's
 * joins give them by act) costs one pass. Pointers are sorted, not the wide
 * rows. */
typedef int (*row_cmp)(const void *, const void *);
static int cmp_ptr(const void *x, const void *y, void *cmp) {
  return ((row_cmp)cmp)(*(const void *const *)x, *(const void *const *)y);
}

/* Sorts n rows of size bytes in place by cmp, unless they already are. */
static void sort_rows(arena *a, void *rows, size_t n, size_t size, row_cmp cmp) {
  char *r = rows;
  size_t i = 1;
  while (i < n && cmp(r + (i - 1) * size, r + i * size) <= 0) i++;
  if (i >= n) return;
  void **p = ARENA_ARRAY(a, void *, n);
  for (size_t k = 0; k < n; k++) p[k] = r + k * size;
  qsort_r(p, n, sizeof *p, cmp_ptr, (void *)cmp);
  char *tmp = arena_alloc(a, n * size);
  for (size_t k = 0; k < n; k++) memcpy(tmp + k * size, p[k], size);
  memcpy(r, tmp, n * size);
}

static int cmp_newest(const void *x, const void *y, void *ctx) {
  const debt_act *rows = ctx, *a = &rows[*(const size_t *)x], *b = &rows[*(const size_t *)y];
  if (a->year != b->year) return a->year < b->year ? 1 : -1;
  return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* The indexes of rows newest first (year, then id, descending). Rows that
 * come by id (SQLite through the taxpayer's index) are bucketed by year
 * from the last one, which keeps ids descending within a year; others are
 * sorted. */
static size_t *newest_first(arena *a, const debt_act *rows, size_t n) {
  size_t *order = ARENA_ARRAY(a, size_t, n ? n : 1);
  int lo = 0, hi = 0, by_id = 1;
  for (size_t i = 0; i < n; i++) {
    int y = rows[i].year;
    if (i == 0 || y < lo) lo = y;
    if (i == 0 || y > hi) hi = y;
    if (i > 0 && rows[i].id <= rows[i - 1].id) by_id = 0;
  }
  if (n > 0 && by_id && hi - lo < 1000) {
    size_t *start = ARENA_ARRAY(a, size_t, (size_t)(hi - lo) + 2);
    for (size_t i = 0; i < n; i++) start[hi - rows[i].year + 1]++;
    for (int k = 1; k <= hi - lo + 1; k++) start[k] += start[k - 1];
    for (size_t i = n; i-- > 0;) order[start[hi - rows[i].year]++] = i;
    return order;
  }
  for (size_t i = 0; i < n; i++) order[i] = i;
  qsort_r(order, n, sizeof *order, cmp_newest, (void *)rows);
  return order;
}

/* What the situation and the statement show of an act: no description,
 * notification date nor taxpayer; the revenue's code and name are filled
 * in per request (ps_ledger_named), so a cached ledger never shows an old
 * name. */
static const db_result BRIEF_ROW[] = {F_INT(debt_act, id),
                                      F_INT(debt_act, revenue_id),
                                      F_DUP(debt_act, act_type),
                                      F_I32(debt_act, year),
                                      F_DUP(debt_act, number),
                                      F_DUP(debt_act, state),
                                      F_INT(debt_act, charged_cents),
                                      F_INT(debt_act, paid_cents),
                                      F_INT(debt_act, residual_cents),
                                      F_DUP(debt_act, issue_date),
                                      F_DUP(debt_act, due_date),
                                      F_END};

/* The acts newest first. */
static void acts_done(arena *a, int64_t ente_id, ps_ledger *l) {
  size_t n = l->na;
  size_t *order = newest_first(a, l->raw, n);
  l->acts = ARENA_ARRAY(a, debt_act, n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    l->acts[i] = l->raw[order[i]];
    l->acts[i].ente_id = ente_id;
  }
}

err_code ps_act_owned(db *d, int64_t ente_id, const char *cf, int64_t act_id) {
  int64_t id;
  return db_get(
      d, NULL,
      "SELECT x.id FROM debt_act x JOIN taxpayer t ON t.id = x.taxpayer_id AND t.ente_id = x.ente_id "
      "WHERE x.ente_id = ? AND x.id = ? AND t.fiscal_code = ?",
      PARAMS(P_INT(ente_id), P_INT(act_id), P_TEXT(cf)), RESULTS(R_INT(&id)));
}

static const db_result OPT_ROW[] = {F_INT(ps_option_row, act_id),
                                    F_INT(ps_option_row, o.id),
                                    F_I32(ps_option_row, o.generation),
                                    F_I32(ps_option_row, o.installment),
                                    F_INT(ps_option_row, o.amount_cents),
                                    F_DUP(ps_option_row, o.due_date),
                                    F_DUP(ps_option_row, o.state),
                                    F_INT(ps_option_row, o.paid_cents),
                                    F_END};

static int cmp_option(const void *x, const void *y) {
  const ps_option_row *a = x, *b = y;
  if (a->act_id != b->act_id) return a->act_id < b->act_id ? -1 : 1;
  if (a->o.generation != b->o.generation) return a->o.generation < b->o.generation ? -1 : 1;
  if (a->o.installment != b->o.installment) return a->o.installment < b->o.installment ? -1 : 1;
  return a->o.id < b->o.id ? -1 : a->o.id > b->o.id;
}

static int cmp_movement(const void *x, const void *y) {
  const ps_movement_row *a = x, *b = y;
  if (a->act_id != b->act_id) return a->act_id < b->act_id ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

static const db_result MOV_ROW[] = {F_INT(ps_movement_row, act_id),
                                    F_INT(ps_movement_row, id),
                                    F_FN(ps_movement_row, option_id, read_int_or_zero),
                                    F_DUP(ps_movement_row, kind),
                                    F_DUP(ps_movement_row, value_date),
                                    F_INT(ps_movement_row, amount),
                                    F_END};

static const db_result KEY_ROW[] = {F_INT(ps_ledger_key, taxpayer_id), F_INT(ps_ledger_key, version), F_END};

void ps_ledger_key_queue(db_batch *b, int64_t ente_id, const char *cf, ps_ledger_key *k, int *found) {
  db_batch_get_into(b, "SELECT id, ledger_version FROM taxpayer WHERE ente_id = ? AND fiscal_code = ?",
                    PARAMS(P_INT(ente_id), P_TEXT(cf)), KEY_ROW, k, found);
}

static const db_result REVENUE_ROW[] = {F_INT(ps_revenue_name, id), F_DUP(ps_revenue_name, code),
                                        F_DUP(ps_revenue_name, name), F_END};

void ps_revenue_names_queue(db_batch *b, int64_t ente_id, ps_revenue_name **out, size_t *n) {
  db_batch_list(b, "SELECT id, code, name FROM debt_revenue WHERE ente_id = ?", PARAMS(P_INT(ente_id)),
                REVENUE_ROW, sizeof(ps_revenue_name), out, n);
}

void ps_ledger_queue(db_batch *b, int64_t ente_id, const char *cf, int full, ps_ledger *l) {
  *l = (ps_ledger){.full = full};
  db_batch_list(b,
                "SELECT x.id, x.revenue_id, x.act_type, x.year, x.number, x.state, x.charged_cents, "
                "x.paid_cents, x.residual_cents, x.issue_date, x.due_date "
                "FROM taxpayer t JOIN debt_act x ON x.ente_id = t.ente_id AND x.taxpayer_id = t.id "
                "WHERE t.ente_id = ? AND t.fiscal_code = ?",
                PARAMS(P_INT(ente_id), P_TEXT(cf)), BRIEF_ROW, sizeof(debt_act), &l->raw, &l->na);
  if (!full) return;
  db_batch_list(b,
                "SELECT o.act_id, o.id, o.generation, o.installment, o.amount_cents, o.due_date, "
                "o.state, o.paid_cents FROM taxpayer t "
                "JOIN debt_act x ON x.ente_id = t.ente_id AND x.taxpayer_id = t.id "
                "JOIN debt_option o ON o.act_id = x.id AND +o.ente_id = x.ente_id "
                "WHERE t.ente_id = ? AND t.fiscal_code = ?",
                PARAMS(P_INT(ente_id), P_TEXT(cf)), OPT_ROW, sizeof(ps_option_row), &l->opts, &l->no);
  db_batch_list(b,
                "SELECT m.act_id, m.id, m.option_id, m.kind, m.value_date, m.amount_cents FROM taxpayer t "
                "JOIN debt_act x ON x.ente_id = t.ente_id AND x.taxpayer_id = t.id "
                "JOIN debt_movement m ON m.act_id = x.id AND +m.ente_id = x.ente_id "
                "WHERE t.ente_id = ? AND t.fiscal_code = ?",
                PARAMS(P_INT(ente_id), P_TEXT(cf)), MOV_ROW, sizeof(ps_movement_row), &l->mv, &l->nm);
}

static int mv_sign(const char *k) {
  if (!strcmp(k, "charge")) return PS_MV_CHARGE;
  if (!strcmp(k, "relief") || !strcmp(k, "cancellation")) return PS_MV_LESS_DEBT;
  if (!strcmp(k, "payment") || !strcmp(k, "compensation")) return PS_MV_PAID;
  if (!strcmp(k, "refund") || !strcmp(k, "credit_used")) return PS_MV_LESS_PAID;
  return PS_MV_OTHER;
}

void ps_ledger_done(arena *a, int64_t ente_id, ps_ledger *l) {
  acts_done(a, ente_id, l);
  sort_rows(a, l->opts, l->no, sizeof *l->opts, cmp_option);
  sort_rows(a, l->mv, l->nm, sizeof *l->mv, cmp_movement);
  for (size_t i = 0; i < l->no; i++) {
    ps_option_row *o = &l->opts[i];
    const char *st = o->o.state ? o->o.state : "";
    o->due_ok = o->o.due_date && date_parse_iso(o->o.due_date, &o->due) == 0;
    o->flags = (!strcmp(st, "superseded") ? PS_OPT_SUPERSEDED : 0) |
               (!strcmp(st, "cancelled") || !strcmp(st, "replaced") ? PS_OPT_VOID : 0) |
               (!strcmp(st, "paid") ? PS_OPT_PAID : 0);
  }
  for (size_t i = 0; i < l->nm; i++) {
    ps_movement_row *m = &l->mv[i];
    m->value_ok = m->value_date && date_parse_iso(m->value_date, &m->value) == 0;
    m->sign = mv_sign(m->kind ? m->kind : "");
  }
}

err_code ps_taxpayer_id(db *d, int64_t ente_id, const char *cf, int64_t *id) {
  return db_get(d, NULL, "SELECT id FROM taxpayer WHERE ente_id = ? AND fiscal_code = ?",
                PARAMS(P_INT(ente_id), P_TEXT(cf)), RESULTS(R_INT(id)));
}

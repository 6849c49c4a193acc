/* SQL for the Ente's pagoPA settings, the IUV sequence, accounts, revenue
 * types and installment brackets. Every statement names the Ente. */
#include <string.h>
#include "domain/debt/debt_store.h"

static const db_result PAGOPA_ROW[] = {F_INT(debt_pagopa, ente_id),
                                       F_DUP(debt_pagopa, segregation_code),
                                       F_DUP(debt_pagopa, cbill),
                                       F_DUP(debt_pagopa, broker_id),
                                       F_DUP(debt_pagopa, station_id),
                                       F_INT(debt_pagopa, iuv_next),
                                       F_END};

err_code ds_pagopa_get(db *d, arena *a, int64_t ente_id, debt_pagopa *out) {
  return db_get_into(d, a,
                     "SELECT ente_id, segregation_code, cbill, broker_id, station_id, iuv_next "
                     "FROM debt_pagopa WHERE ente_id = ?",
                     PARAMS(P_INT(ente_id)), PAGOPA_ROW, out);
}

err_code ds_pagopa_upsert(db *d, const debt_pagopa *p, int64_t now) {
  return db_exec(d,
                 "INSERT INTO debt_pagopa (ente_id, segregation_code, cbill, broker_id, "
                 "station_id, iuv_next, updated_at) VALUES (?,?,?,?,?,1,?) "
                 "ON CONFLICT (ente_id) DO UPDATE SET segregation_code = excluded.segregation_code, "
                 "cbill = excluded.cbill, broker_id = excluded.broker_id, "
                 "station_id = excluded.station_id, updated_at = excluded.updated_at",
                 PARAMS(P_INT(p->ente_id), P_TEXT(p->segregation_code), P_TEXT(p->cbill),
                        P_TEXT(p->broker_id), P_TEXT(p->station_id), P_INT(now)),
                 NULL);
}

err_code ds_pagopa_adopt(db *d, int64_t ente_id, int64_t now) {
  int64_t n = 0;
  err_code rc = db_exec(d,
                        "INSERT INTO debt_pagopa (ente_id, segregation_code, iuv_next, updated_at) "
                        "SELECT id, segregation_code, 1, ? FROM ente WHERE id = ? "
                        "AND segregation_code IS NOT NULL ON CONFLICT (ente_id) DO NOTHING",
                        PARAMS(P_INT(now), P_INT(ente_id)), &n);
  return rc == ERR_OK && n == 0 ? ERR_NOT_FOUND : rc;
}

err_code ds_ente_segregation(db *d, int64_t ente_id, const char *code) {
  return db_exec_one(d, "UPDATE ente SET segregation_code = ? WHERE id = ?",
                     PARAMS(P_TEXT(code), P_INT(ente_id)));
}

err_code ds_iuv_advance(db *d, int64_t ente_id, int64_t n, int64_t now, int64_t *next_after) {
  return db_get(d, NULL,
                "UPDATE debt_pagopa SET iuv_next = iuv_next + ?, updated_at = ? "
                "WHERE ente_id = ? RETURNING iuv_next",
                PARAMS(P_INT(n), P_INT(now), P_INT(ente_id)), RESULTS(R_INT(next_after)));
}

err_code ds_account_find(db *d, arena *a, int64_t ente_id, const char *iban, int64_t *id, char **postal,
                         char **auth) {
  return db_get(d, a,
                "SELECT id, postal_account, postal_auth FROM debt_account WHERE ente_id = ? AND iban = ?",
                PARAMS(P_INT(ente_id), P_TEXT(iban)), RESULTS(R_INT(id), R_DUP(postal), R_DUP(auth)));
}

err_code ds_account_insert(db *d, int64_t ente_id, const char *iban, const char *postal, const char *auth,
                           int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO debt_account (ente_id, iban, postal_account, postal_auth, created_at) "
                   "VALUES (?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_TEXT(iban), P_TEXT(postal), P_TEXT(auth), P_INT(now)), id);
}

err_code ds_account_postal_set(db *d, int64_t ente_id, int64_t id, const char *postal, const char *auth) {
  return db_exec_one(
      d, "UPDATE debt_account SET postal_account = ?, postal_auth = ? WHERE ente_id = ? AND id = ?",
      PARAMS(P_TEXT(postal), P_TEXT(auth), P_INT(ente_id), P_INT(id)));
}

err_code ds_act_postal(db *d, arena *a, int64_t ente_id, int64_t act_id, int64_t *account_id, char **postal,
                       char **auth) {
  return db_get(d, a,
                "SELECT c.id, c.postal_account, c.postal_auth FROM debt_act x "
                "JOIN debt_revenue r ON r.id = x.revenue_id AND r.ente_id = x.ente_id "
                "JOIN debt_account c ON c.id = r.account_id AND c.ente_id = r.ente_id "
                "WHERE x.ente_id = ? AND x.id = ?",
                PARAMS(P_INT(ente_id), P_INT(act_id)),
                RESULTS(R_INT(account_id), R_DUP(postal), R_DUP(auth)));
}

err_code ds_revenue_insert(db *d, const debt_revenue *r, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO debt_revenue (ente_id, code, name, taxonomy, account_id, "
                   "spontaneous, created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(r->ente_id), P_TEXT(r->code), P_TEXT(r->name), P_TEXT(r->taxonomy),
                          P_INT(r->account_id), P_INT(r->spontaneous), P_INT(now)),
                   id);
}

err_code ds_split_insert(db *d, int64_t ente_id, int64_t revenue_id, int position, const debt_split *s) {
  return db_exec(d,
                 "INSERT INTO debt_revenue_split (ente_id, revenue_id, position, beneficiary_cf, "
                 "beneficiary_name, iban, taxonomy, share_kind, share) VALUES (?,?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(revenue_id), P_INT(position), P_TEXT(s->beneficiary_cf),
                        P_TEXT(s->beneficiary_name), P_TEXT(s->iban), P_TEXT(s->taxonomy),
                        P_TEXT(s->share_kind), P_INT(s->share)),
                 NULL);
}

static const db_result REVENUE_ROW[] = {F_INT(debt_revenue, id),
                                        F_INT(debt_revenue, ente_id),
                                        F_DUP(debt_revenue, code),
                                        F_DUP(debt_revenue, name),
                                        F_DUP(debt_revenue, taxonomy),
                                        F_INT(debt_revenue, account_id),
                                        F_I32(debt_revenue, spontaneous),
                                        F_DUP(debt_revenue, iban),
                                        F_DUP(debt_revenue, postal_account),
                                        F_DUP(debt_revenue, postal_auth),
                                        F_END};

#define REVENUE_SELECT                                                                        \
  "SELECT r.id, r.ente_id, r.code, r.name, r.taxonomy, r.account_id, r.spontaneous, a.iban, " \
  "a.postal_account, a.postal_auth FROM debt_revenue r JOIN debt_account a ON a.id = r.account_id "

static const db_result SPLIT_ROW[] = {F_DUP(debt_split, beneficiary_cf),
                                      F_DUP(debt_split, beneficiary_name),
                                      F_DUP(debt_split, iban),
                                      F_DUP(debt_split, taxonomy),
                                      F_DUP(debt_split, share_kind),
                                      F_INT(debt_split, share),
                                      F_END};

static err_code read_splits(db *d, arena *a, debt_revenue *r) {
  err_code rc;
  r->splits =
      db_list(d, a,
              "SELECT beneficiary_cf, beneficiary_name, iban, taxonomy, share_kind, share "
              "FROM debt_revenue_split WHERE ente_id = ? AND revenue_id = ? "
              "ORDER BY position",
              PARAMS(P_INT(r->ente_id), P_INT(r->id)), SPLIT_ROW, sizeof(debt_split), &r->n_splits, &rc);
  return rc;
}

err_code ds_revenue_list(db *d, arena *a, int64_t ente_id, debt_revenue **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, REVENUE_SELECT "WHERE r.ente_id = ? ORDER BY r.code", PARAMS(P_INT(ente_id)),
                 REVENUE_ROW, sizeof(debt_revenue), n, &rc);
  for (size_t i = 0; rc == ERR_OK && i < *n; i++) rc = read_splits(d, a, &(*out)[i]);
  return rc;
}

err_code ds_revenue_get(db *d, arena *a, int64_t ente_id, int64_t id, const char *code, debt_revenue *out) {
  err_code rc = code ? db_get_into(d, a, REVENUE_SELECT "WHERE r.ente_id = ? AND r.code = ?",
                                   PARAMS(P_INT(ente_id), P_TEXT(code)), REVENUE_ROW, out)
                     : db_get_into(d, a, REVENUE_SELECT "WHERE r.ente_id = ? AND r.id = ?",
                                   PARAMS(P_INT(ente_id), P_INT(id)), REVENUE_ROW, out);
  return rc == ERR_OK ? read_splits(d, a, out) : rc;
}

static const db_result BRACKET_ROW[] = {F_INT(debt_bracket, from_cents), F_INT(debt_bracket, to_cents),
                                        F_I32(debt_bracket, min_installments),
                                        F_I32(debt_bracket, max_installments), F_END};

err_code ds_brackets(db *d, arena *a, int64_t ente_id, debt_bracket **out, size_t *n) {
  err_code rc;
  if (ente_id)
    *out = db_list(d, a,
                   "SELECT from_cents, COALESCE(to_cents, 0), min_installments, max_installments "
                   "FROM debt_bracket WHERE ente_id = ? ORDER BY from_cents",
                   PARAMS(P_INT(ente_id)), BRACKET_ROW, sizeof(debt_bracket), n, &rc);
  else
    *out = db_list(d, a,
                   "SELECT from_cents, COALESCE(to_cents, 0), min_installments, max_installments "
                   "FROM debt_bracket WHERE ente_id IS NULL ORDER BY from_cents",
                   NULL, BRACKET_ROW, sizeof(debt_bracket), n, &rc);
  return rc;
}

err_code ds_brackets_delete(db *d, int64_t ente_id) {
  return db_exec(d, "DELETE FROM debt_bracket WHERE ente_id = ?", PARAMS(P_INT(ente_id)), NULL);
}

err_code ds_bracket_insert(db *d, int64_t ente_id, const debt_bracket *b) {
  return db_exec(d,
                 "INSERT INTO debt_bracket (ente_id, from_cents, to_cents, min_installments, "
                 "max_installments) VALUES (?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(b->from_cents), P_INT_OR_NULL(b->to_cents),
                        P_INT(b->min_installments), P_INT(b->max_installments)),
                 NULL);
}

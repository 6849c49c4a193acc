/* SQL for acts, their lines, options and transfers, the ledger and the
 * events, lookups and exports. Every statement names the Ente. The ledger
 * and the events are only INSERTed and SELECTed. */
#include <string.h>
#include "domain/debt/debt_store.h"

err_code ds_act_number_next(db *d, int64_t ente_id, const char *type, int year, int64_t *n) {
  err_code rc = db_exec(d,
                        "INSERT INTO debt_act_counter (ente_id, act_type, year, next_number) "
                        "VALUES (?,?,?,1) ON CONFLICT (ente_id, act_type, year) DO NOTHING",
                        PARAMS(P_INT(ente_id), P_TEXT(type), P_INT(year)), NULL);
  if (rc != ERR_OK) return rc;
  int64_t after = 0;
  rc = db_get(d, NULL,
              "UPDATE debt_act_counter SET next_number = next_number + 1 "
              "WHERE ente_id = ? AND act_type = ? AND year = ? RETURNING next_number",
              PARAMS(P_INT(ente_id), P_TEXT(type), P_INT(year)), RESULTS(R_INT(&after)));
  if (rc == ERR_OK) *n = after - 1;
  return rc;
}

err_code ds_act_number_seen(db *d, int64_t ente_id, const char *type, int year, int64_t n) {
  return db_exec(d,
                 "INSERT INTO debt_act_counter (ente_id, act_type, year, next_number) "
                 "VALUES (?,?,?,?) ON CONFLICT (ente_id, act_type, year) DO UPDATE SET "
                 "next_number = excluded.next_number "
                 "WHERE debt_act_counter.next_number < excluded.next_number",
                 PARAMS(P_INT(ente_id), P_TEXT(type), P_INT(year), P_INT(n + 1)), NULL);
}

err_code ds_act_exists(db *d, int64_t ente_id, const char *type, int year, const char *number) {
  return db_get(d, NULL,
                "SELECT id FROM debt_act WHERE ente_id = ? AND act_type = ? AND year = ? "
                "AND number = ?",
                PARAMS(P_INT(ente_id), P_TEXT(type), P_INT(year), P_TEXT(number)), NULL);
}

err_code ds_act_insert(db *d, const debt_act *x, int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO debt_act (ente_id, taxpayer_id, revenue_id, act_type, year, "
                   "number, description, issue_date, notification_date, due_date, state, "
                   "charged_cents, paid_cents, relieved_cents, residual_cents, created_at, "
                   "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,'issued',0,0,0,0,?,?) RETURNING id",
                   PARAMS(P_INT(x->ente_id), P_INT(x->taxpayer_id), P_INT(x->revenue_id), P_TEXT(x->act_type),
                          P_INT(x->year), P_TEXT(x->number), P_TEXT(x->description), P_TEXT(x->issue_date),
                          P_TEXT(x->notification_date), P_TEXT(x->due_date), P_INT(now), P_INT(now)),
                   id);
}

err_code ds_line_insert(db *d, int64_t ente_id, int64_t act_id, int position, const debt_line *l) {
  return db_exec(d,
                 "INSERT INTO debt_act_line (ente_id, act_id, position, kind, description, "
                 "amount_cents) VALUES (?,?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(act_id), P_INT(position), P_TEXT(l->kind),
                        P_TEXT(l->description), P_INT(l->amount_cents)),
                 NULL);
}

err_code ds_option_insert(db *d, int64_t ente_id, int64_t act_id, const debt_option *o, int64_t now,
                          int64_t *id) {
  return db_insert(
      d,
      "INSERT INTO debt_option (ente_id, act_id, generation, kind, installment, nav, "
      "iuv, amount_cents, due_date, valid_until, state, paid_cents, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,'open',0,?) RETURNING id",
      PARAMS(P_INT(ente_id), P_INT(act_id), P_INT(o->generation),
             P_TEXT(o->installment ? "installment" : "single"), P_INT(o->installment), P_TEXT(o->nav),
             P_TEXT(o->iuv), P_INT(o->amount_cents), P_TEXT(o->due_date), P_TEXT(o->valid_until), P_INT(now)),
      id);
}

err_code ds_transfer_insert(db *d, int64_t ente_id, int64_t option_id, const debt_transfer *t) {
  return db_exec(d,
                 "INSERT INTO debt_transfer (ente_id, option_id, position, beneficiary_cf, "
                 "beneficiary_name, iban, postal_account, taxonomy, amount_cents) "
                 "VALUES (?,?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(option_id), P_INT(t->position), P_TEXT(t->beneficiary_cf),
                        P_TEXT(t->beneficiary_name), P_TEXT(t->iban), P_TEXT(t->postal_account),
                        P_TEXT(t->taxonomy), P_INT(t->amount_cents)),
                 NULL);
}

static void read_year(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result ACT_ROW[] = {F_INT(debt_act, id),
                                    F_INT(debt_act, ente_id),
                                    F_INT(debt_act, taxpayer_id),
                                    F_INT(debt_act, revenue_id),
                                    F_DUP(debt_act, act_type),
                                    F_FN(debt_act, year, read_year),
                                    F_DUP(debt_act, number),
                                    F_DUP(debt_act, description),
                                    F_DUP(debt_act, issue_date),
                                    F_DUP(debt_act, notification_date),
                                    F_DUP(debt_act, due_date),
                                    F_DUP(debt_act, state),
                                    F_INT(debt_act, charged_cents),
                                    F_INT(debt_act, paid_cents),
                                    F_INT(debt_act, relieved_cents),
                                    F_INT(debt_act, residual_cents),
                                    F_INT(debt_act, created_at),
                                    F_INT(debt_act, updated_at),
                                    F_DUP(debt_act, revenue_code),
                                    F_DUP(debt_act, taxpayer_cf),
                                    F_DUP(debt_act, taxpayer_name),
                                    F_END};

/* The taxpayer's display name in SQL: company name, else "Surname Given". */
#define ACT_SELECT                                                                            \
  "SELECT x.id, x.ente_id, x.taxpayer_id, x.revenue_id, x.act_type, x.year, x.number, "       \
  "x.description, x.issue_date, x.notification_date, x.due_date, x.state, x.charged_cents, "  \
  "x.paid_cents, x.relieved_cents, x.residual_cents, x.created_at, x.updated_at, r.code, "    \
  "t.fiscal_code, COALESCE(t.company_name, t.surname || ' ' || t.given_name, t.surname, '') " \
  "FROM debt_act x JOIN debt_revenue r ON r.id = x.revenue_id "                               \
  "JOIN taxpayer t ON t.id = x.taxpayer_id "

err_code ds_act_get(db *d, arena *a, int64_t ente_id, int64_t id, debt_act *out) {
  return db_get_into(d, a, ACT_SELECT "WHERE x.ente_id = ? AND x.id = ?", PARAMS(P_INT(ente_id), P_INT(id)),
                     ACT_ROW, out);
}

static const db_result LINE_ROW[] = {F_DUP(debt_line, kind), F_DUP(debt_line, description),
                                     F_INT(debt_line, amount_cents), F_END};

err_code ds_act_lines(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_line **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT kind, description, amount_cents FROM debt_act_line "
                 "WHERE ente_id = ? AND act_id = ? ORDER BY position",
                 PARAMS(P_INT(ente_id), P_INT(act_id)), LINE_ROW, sizeof(debt_line), n, &rc);
  return rc;
}

static const db_result OPTION_ROW[] = {F_INT(debt_option, id),
                                       F_I32(debt_option, generation),
                                       F_I32(debt_option, installment),
                                       F_DUP(debt_option, nav),
                                       F_DUP(debt_option, iuv),
                                       F_INT(debt_option, amount_cents),
                                       F_DUP(debt_option, due_date),
                                       F_DUP(debt_option, valid_until),
                                       F_DUP(debt_option, state),
                                       F_INT(debt_option, paid_cents),
                                       F_END};

err_code ds_act_options(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_option **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, generation, installment, nav, iuv, amount_cents, due_date, "
                 "valid_until, state, paid_cents FROM debt_option WHERE ente_id = ? AND act_id = ? "
                 "ORDER BY generation, installment, id",
                 PARAMS(P_INT(ente_id), P_INT(act_id)), OPTION_ROW, sizeof(debt_option), n, &rc);
  return rc;
}

static void read_pos(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(int *)dst = (int)db_col_int(st, col);
}

static const db_result TRANSFER_ROW[] = {
    F_FN(debt_transfer, position, read_pos), F_DUP(debt_transfer, beneficiary_cf),
    F_DUP(debt_transfer, beneficiary_name),  F_DUP(debt_transfer, iban),
    F_DUP(debt_transfer, postal_account),    F_DUP(debt_transfer, taxonomy),
    F_INT(debt_transfer, amount_cents),      F_END};

err_code ds_option_transfers(db *d, arena *a, int64_t ente_id, int64_t option_id, debt_transfer **out,
                             size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT position, beneficiary_cf, beneficiary_name, iban, postal_account, "
                 "taxonomy, amount_cents FROM debt_transfer WHERE ente_id = ? AND option_id = ? "
                 "ORDER BY position",
                 PARAMS(P_INT(ente_id), P_INT(option_id)), TRANSFER_ROW, sizeof(debt_transfer), n, &rc);
  return rc;
}

err_code ds_act_lock(db *d, int64_t ente_id, int64_t act_id) {
  return db_exec_one(d, "UPDATE debt_act SET updated_at = updated_at WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(ente_id), P_INT(act_id)));
}

/* Every ledger operation ends here (debt_refresh), so this is also where
 * the act's taxpayer gets a new ledger version: what a process read of
 * their acts, options and movements is stale from this commit on. */
err_code ds_act_cache(db *d, int64_t ente_id, int64_t act_id, const debt_totals *t,
                      const char *notification_date, int64_t now) {
  err_code rc = db_exec(d,
                        "UPDATE taxpayer SET ledger_version = ledger_version + 1 WHERE ente_id = ? AND id = "
                        "(SELECT taxpayer_id FROM debt_act WHERE ente_id = ? AND id = ?)",
                        PARAMS(P_INT(ente_id), P_INT(ente_id), P_INT(act_id)), NULL);
  if (rc != ERR_OK) return rc;
  return db_exec_one(
      d,
      "UPDATE debt_act SET state = ?, charged_cents = ?, paid_cents = ?, "
      "relieved_cents = ?, residual_cents = ?, "
      "notification_date = COALESCE(?, notification_date), updated_at = ? "
      "WHERE ente_id = ? AND id = ?",
      PARAMS(P_TEXT(t->state), P_INT(t->charged),
             P_INT(t->paid + t->compensated - t->refunded - t->credit_used), P_INT(t->relieved),
             P_INT(t->residual), P_TEXT(notification_date), P_INT(now), P_INT(ente_id), P_INT(act_id)));
}

err_code ds_option_cache(db *d, int64_t ente_id, int64_t option_id, const char *state, int64_t paid) {
  return db_exec_one(d, "UPDATE debt_option SET state = ?, paid_cents = ? WHERE ente_id = ? AND id = ?",
                     PARAMS(P_TEXT(state), P_INT(paid), P_INT(ente_id), P_INT(option_id)));
}

err_code ds_option_find(db *d, int64_t ente_id, const char *iuv, const char *nav, int64_t *option_id,
                        int64_t *act_id) {
  if (iuv)
    return db_get(d, NULL, "SELECT id, act_id FROM debt_option WHERE ente_id = ? AND iuv = ?",
                  PARAMS(P_INT(ente_id), P_TEXT(iuv)), RESULTS(R_INT(option_id), R_INT(act_id)));
  return db_get(d, NULL, "SELECT id, act_id FROM debt_option WHERE ente_id = ? AND nav = ?",
                PARAMS(P_INT(ente_id), P_TEXT(nav)), RESULTS(R_INT(option_id), R_INT(act_id)));
}

err_code ds_option_act(db *d, int64_t ente_id, int64_t option_id, int64_t *act_id) {
  return db_get(d, NULL, "SELECT act_id FROM debt_option WHERE ente_id = ? AND id = ?",
                PARAMS(P_INT(ente_id), P_INT(option_id)), RESULTS(R_INT(act_id)));
}

/* ---- ledger and events: INSERT and SELECT only ---- */

err_code ds_movement_insert(db *d, int64_t ente_id, const debt_movement *m, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO debt_movement (ente_id, act_id, option_id, kind, amount_cents, "
                   "channel, reference, value_date, note, related_act_id, actor_kind, actor_id, at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_INT(m->act_id), P_INT_OR_NULL(m->option_id), P_TEXT(m->kind),
                          P_INT(m->amount_cents), P_TEXT(m->channel), P_TEXT(m->reference),
                          P_TEXT(m->value_date), P_TEXT(m->note), P_INT_OR_NULL(m->related_act_id),
                          P_TEXT(m->actor_kind), P_INT(m->actor_id), P_INT(m->at)),
                   id);
}

static const db_result MOVEMENT_ROW[] = {
    F_INT(debt_movement, id),           F_INT(debt_movement, act_id),
    F_INT(debt_movement, option_id),    F_DUP(debt_movement, kind),
    F_INT(debt_movement, amount_cents), F_DUP(debt_movement, channel),
    F_DUP(debt_movement, reference),    F_DUP(debt_movement, value_date),
    F_DUP(debt_movement, note),         F_INT(debt_movement, related_act_id),
    F_DUP(debt_movement, actor_kind),   F_INT(debt_movement, actor_id),
    F_INT(debt_movement, at),           F_END};

#define MOVEMENT_SELECT                                                                 \
  "SELECT id, act_id, COALESCE(option_id, 0), kind, amount_cents, channel, reference, " \
  "value_date, note, COALESCE(related_act_id, 0), actor_kind, actor_id, at FROM debt_movement "

err_code ds_movements(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_movement **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, MOVEMENT_SELECT "WHERE ente_id = ? AND act_id = ? ORDER BY id",
                 PARAMS(P_INT(ente_id), P_INT(act_id)), MOVEMENT_ROW, sizeof(debt_movement), n, &rc);
  return rc;
}

err_code ds_movement_by_reference(db *d, arena *a, int64_t ente_id, const char *kind, const char *channel,
                                  const char *reference, debt_movement *out) {
  return db_get_into(d, a,
                     MOVEMENT_SELECT
                     "WHERE ente_id = ? AND kind = ? AND channel = ? "
                     "AND reference = ?",
                     PARAMS(P_INT(ente_id), P_TEXT(kind), P_TEXT(channel), P_TEXT(reference)), MOVEMENT_ROW,
                     out);
}

err_code ds_event_insert(db *d, int64_t ente_id, const debt_event *e, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO debt_event (ente_id, act_id, kind, event_date, note, actor_kind, "
                   "actor_id, at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_INT(e->act_id), P_TEXT(e->kind), P_TEXT(e->event_date),
                          P_TEXT(e->note), P_TEXT(e->actor_kind), P_INT(e->actor_id), P_INT(e->at)),
                   id);
}

static const db_result EVENT_ROW[] = {
    F_INT(debt_event, id),         F_INT(debt_event, act_id), F_DUP(debt_event, kind),
    F_DUP(debt_event, event_date), F_DUP(debt_event, note),   F_DUP(debt_event, actor_kind),
    F_INT(debt_event, actor_id),   F_INT(debt_event, at),     F_END};

err_code ds_events(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_event **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT id, act_id, kind, event_date, note, actor_kind, actor_id, at "
                 "FROM debt_event WHERE ente_id = ? AND act_id = ? ORDER BY id",
                 PARAMS(P_INT(ente_id), P_INT(act_id)), EVENT_ROW, sizeof(debt_event), n, &rc);
  return rc;
}

/* ---- lookups ---- */

err_code ds_find(db *d, arena *a, int64_t ente_id, const debt_query *q, debt_act **out, size_t *n) {
  err_code rc;
  /* Each criterion is "? IS NULL OR col = ?" so one statement serves all
   * combinations; the NAV/IUV go through the option's unique index. */
  *out = db_list(d, a,
                 ACT_SELECT
                 "WHERE x.ente_id = ? "
                 "AND (CAST(? AS TEXT) IS NULL OR x.id IN (SELECT act_id FROM debt_option "
                 "  WHERE ente_id = x.ente_id AND nav = ?)) "
                 "AND (CAST(? AS TEXT) IS NULL OR x.id IN (SELECT act_id FROM debt_option "
                 "  WHERE ente_id = x.ente_id AND iuv = ?)) "
                 "AND (CAST(? AS TEXT) IS NULL OR t.fiscal_code = ?) "
                 "AND (CAST(? AS TEXT) IS NULL OR x.number = ?) "
                 "AND (? = 0 OR x.year = ?) AND (? = 0 OR x.revenue_id = ?) "
                 "ORDER BY x.id DESC LIMIT ? OFFSET ?",
                 PARAMS(P_INT(ente_id), P_TEXT(q->nav), P_TEXT(q->nav), P_TEXT(q->iuv), P_TEXT(q->iuv),
                        P_TEXT(q->fiscal_code), P_TEXT(q->fiscal_code), P_TEXT(q->number), P_TEXT(q->number),
                        P_INT(q->year), P_INT(q->year), P_INT(q->revenue_id), P_INT(q->revenue_id),
                        P_INT(q->limit), P_INT(q->offset)),
                 ACT_ROW, sizeof(debt_act), n, &rc);
  return rc;
}

static const db_result POSITION_ROW[] = {F_INT(ds_position_row, act_id),
                                         F_DUP(ds_position_row, act_type),
                                         F_FN(ds_position_row, year, read_year),
                                         F_DUP(ds_position_row, number),
                                         F_DUP(ds_position_row, revenue_code),
                                         F_DUP(ds_position_row, taxpayer_cf),
                                         F_DUP(ds_position_row, taxpayer_name),
                                         F_DUP(ds_position_row, state),
                                         F_INT(ds_position_row, residual),
                                         F_I32(ds_position_row, installment),
                                         F_DUP(ds_position_row, nav),
                                         F_DUP(ds_position_row, iuv),
                                         F_DUP(ds_position_row, due_date),
                                         F_DUP(ds_position_row, option_state),
                                         F_INT(ds_position_row, amount),
                                         F_INT(ds_position_row, paid),
                                         F_END};

typedef struct {
  ds_position_fn fn;
  void *ctx;
} each_ctx;

static err_code position_cb(void *row, void *ctx) {
  each_ctx *c = ctx;
  return c->fn(row, c->ctx);
}

err_code ds_positions_each(db *d, arena *a, int64_t ente_id, int year, ds_position_fn fn, void *ctx) {
  ds_position_row row;
  each_ctx c = {fn, ctx};
  /* the options of the act's newest generation */
  return db_each(d, a,
                 "SELECT x.id, x.act_type, x.year, x.number, r.code, t.fiscal_code, "
                 "COALESCE(t.company_name, t.surname || ' ' || t.given_name, t.surname, ''), "
                 "x.state, x.residual_cents, o.installment, o.nav, o.iuv, o.due_date, o.state, "
                 "o.amount_cents, o.paid_cents "
                 "FROM debt_act x JOIN debt_revenue r ON r.id = x.revenue_id "
                 "JOIN taxpayer t ON t.id = x.taxpayer_id "
                 "JOIN debt_option o ON o.act_id = x.id AND o.generation = "
                 "  (SELECT MAX(generation) FROM debt_option g WHERE g.act_id = x.id) "
                 "WHERE x.ente_id = ? AND (? = 0 OR x.year = ?) "
                 "ORDER BY x.id, o.installment",
                 PARAMS(P_INT(ente_id), P_INT(year), P_INT(year)), POSITION_ROW, &row, position_cb, &c);
}

static const db_result PAYMENT_ROW[] = {F_INT(ds_payment_row, id),
                                        F_INT(ds_payment_row, act_id),
                                        F_DUP(ds_payment_row, kind),
                                        F_DUP(ds_payment_row, channel),
                                        F_DUP(ds_payment_row, reference),
                                        F_DUP(ds_payment_row, value_date),
                                        F_DUP(ds_payment_row, note),
                                        F_DUP(ds_payment_row, act_number),
                                        F_FN(ds_payment_row, act_year, read_year),
                                        F_DUP(ds_payment_row, nav),
                                        F_DUP(ds_payment_row, taxpayer_cf),
                                        F_INT(ds_payment_row, amount),
                                        F_END};

typedef struct {
  ds_payment_fn fn;
  void *ctx;
} pay_ctx;

static err_code payment_cb(void *row, void *ctx) {
  pay_ctx *c = ctx;
  return c->fn(row, c->ctx);
}

err_code ds_payments_each(db *d, arena *a, int64_t ente_id, const char *from, const char *to,
                          ds_payment_fn fn, void *ctx) {
  ds_payment_row row;
  pay_ctx c = {fn, ctx};
  return db_each(d, a,
                 "SELECT m.id, m.act_id, m.kind, m.channel, m.reference, m.value_date, m.note, "
                 "x.number, x.year, o.nav, t.fiscal_code, m.amount_cents "
                 "FROM debt_movement m JOIN debt_act x ON x.id = m.act_id "
                 "JOIN taxpayer t ON t.id = x.taxpayer_id "
                 "LEFT JOIN debt_option o ON o.id = m.option_id "
                 "WHERE m.ente_id = ? AND m.kind IN ('payment', 'refund', 'compensation') "
                 "AND (CAST(? AS TEXT) IS NULL OR m.value_date >= ?) "
                 "AND (CAST(? AS TEXT) IS NULL OR m.value_date <= ?) ORDER BY m.id",
                 PARAMS(P_INT(ente_id), P_TEXT(from), P_TEXT(from), P_TEXT(to), P_TEXT(to)), PAYMENT_ROW,
                 &row, payment_cb, &c);
}

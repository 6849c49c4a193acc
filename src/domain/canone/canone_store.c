/* Every statement of the canone area. */
#include "domain/canone/canone_store.h"

static const db_result ROW[] = {F_I32(canone_row, line), F_DUP(canone_row, rule), F_DUP(canone_row, code),
                                F_DUP(canone_row, value), F_END};

err_code cs_rules(db *d, arena *a, int64_t ente_id, canone_row **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT line, rule, code, value FROM canone_rule WHERE ente_id = ? ORDER BY line, id",
                 PARAMS(P_INT(ente_id)), ROW, sizeof(canone_row), n, &rc);
  return rc;
}

err_code cs_rules_delete(db *d, int64_t ente_id, int64_t *n) {
  return db_exec(d, "DELETE FROM canone_rule WHERE ente_id = ?", PARAMS(P_INT(ente_id)), n);
}

err_code cs_rule_insert(db *d, int64_t ente_id, const canone_row *r) {
  return db_exec(d, "INSERT INTO canone_rule (ente_id, line, rule, code, value) VALUES (?,?,?,?,?)",
                 PARAMS(P_INT(ente_id), P_INT(r->line), P_TEXT(r->rule), P_TEXT(r->code), P_TEXT(r->value)),
                 NULL);
}

/* ---- occupations ---- */

#define OCC_COLS                                                                                     \
  "id, ente_id, case_id, COALESCE(taxpayer_id, 0), COALESCE(act_id, 0), kind, state, place, zone, "  \
  "use_code, permanent, COALESCE(surface_hundredths, 0), start_date, end_date, ente_email, "         \
  "COALESCE(amount_cents, 0), breakdown, COALESCE(notice_sent_at, 0), COALESCE(paid_at, 0), "        \
  "paid_report_due, COALESCE(paid_reported_at, 0), created_at, updated_at, COALESCE(parent_id, 0), " \
  "variation, ente_decision, COALESCE(decided_at, 0), ceased_on, COALESCE(photos_requested_at, 0), " \
  "inspection_due, inspection_on, inspection_report"

static const db_result OCC[] = {F_INT(occupation, id),
                                F_INT(occupation, ente_id),
                                F_INT(occupation, case_id),
                                F_INT(occupation, taxpayer_id),
                                F_INT(occupation, act_id),
                                F_DUP(occupation, kind),
                                F_DUP(occupation, state),
                                F_DUP(occupation, place),
                                F_DUP(occupation, zone),
                                F_DUP(occupation, use_code),
                                F_I32(occupation, permanent),
                                F_INT(occupation, surface_hundredths),
                                F_DUP(occupation, start_date),
                                F_DUP(occupation, end_date),
                                F_DUP(occupation, ente_email),
                                F_INT(occupation, amount_cents),
                                F_DUP(occupation, breakdown),
                                F_INT(occupation, notice_sent_at),
                                F_INT(occupation, paid_at),
                                F_DUP(occupation, paid_report_due),
                                F_INT(occupation, paid_reported_at),
                                F_INT(occupation, created_at),
                                F_INT(occupation, updated_at),
                                F_INT(occupation, parent_id),
                                F_DUP(occupation, variation),
                                F_DUP(occupation, ente_decision),
                                F_INT(occupation, decided_at),
                                F_DUP(occupation, ceased_on),
                                F_INT(occupation, photos_requested_at),
                                F_DUP(occupation, inspection_due),
                                F_DUP(occupation, inspection_on),
                                F_DUP(occupation, inspection_report),
                                F_END};

err_code cs_occ_insert(db *d, occupation *o) {
  return db_insert(
      d,
      "INSERT INTO occupation (ente_id, case_id, taxpayer_id, kind, state, place, zone, use_code, "
      "permanent, surface_hundredths, start_date, end_date, ente_email, created_at, updated_at, "
      "parent_id, variation, ente_decision, inspection_due, ceased_on) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(o->ente_id), P_INT(o->case_id), P_INT_OR_NULL(o->taxpayer_id), P_TEXT(o->kind),
             P_TEXT(o->state), P_TEXT(o->place), P_TEXT(o->zone), P_TEXT(o->use_code), P_INT(o->permanent),
             P_INT_OR_NULL(o->surface_hundredths), P_TEXT(o->start_date), P_TEXT(o->end_date),
             P_TEXT(o->ente_email), P_INT(o->created_at), P_INT(o->updated_at), P_INT_OR_NULL(o->parent_id),
             P_TEXT(o->variation), P_TEXT(o->ente_decision), P_TEXT(o->inspection_due), P_TEXT(o->ceased_on)),
      &o->id);
}

err_code cs_occ_by_case(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation *out) {
  return db_get_into(d, a, "SELECT " OCC_COLS " FROM occupation WHERE ente_id = ? AND case_id = ?",
                     PARAMS(P_INT(ente_id), P_INT(case_id)), OCC, out);
}

err_code cs_occ_get(db *d, arena *a, int64_t ente_id, int64_t id, occupation *out) {
  return db_get_into(d, a, "SELECT " OCC_COLS " FROM occupation WHERE ente_id = ? AND id = ?",
                     PARAMS(P_INT(ente_id), P_INT(id)), OCC, out);
}

/* A taxpayer's occupations in the Ente, newest first (at most 200). */
err_code cs_occ_of_taxpayer(db *d, arena *a, int64_t ente_id, int64_t taxpayer_id, occupation **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " OCC_COLS " FROM occupation WHERE ente_id = ? AND taxpayer_id = ? "
                 "ORDER BY created_at DESC, id DESC LIMIT 200",
                 PARAMS(P_INT(ente_id), P_INT(taxpayer_id)), OCC, sizeof(occupation), n, &rc);
  return rc;
}

err_code cs_occ_lock(db *d, arena *a, int64_t ente_id, int64_t case_id, occupation *out) {
  if (db_backend(d) == DB_PG)
    return db_get_into(d, a,
                       "SELECT " OCC_COLS " FROM occupation WHERE ente_id = ? AND case_id = ? FOR UPDATE",
                       PARAMS(P_INT(ente_id), P_INT(case_id)), OCC, out);
  return cs_occ_by_case(d, a, ente_id, case_id, out);
}

err_code cs_occ_set_data(db *d, const occupation *o) {
  return db_exec_one(
      d,
      "UPDATE occupation SET taxpayer_id = ?, place = ?, zone = ?, use_code = ?, permanent = ?, "
      "surface_hundredths = ?, start_date = ?, end_date = ?, ente_email = ?, state = ?, "
      "updated_at = ? WHERE ente_id = ? AND id = ?",
      PARAMS(P_INT_OR_NULL(o->taxpayer_id), P_TEXT(o->place), P_TEXT(o->zone), P_TEXT(o->use_code),
             P_INT(o->permanent), P_INT_OR_NULL(o->surface_hundredths), P_TEXT(o->start_date),
             P_TEXT(o->end_date), P_TEXT(o->ente_email), P_TEXT(o->state), P_INT(o->updated_at),
             P_INT(o->ente_id), P_INT(o->id)));
}

err_code cs_occ_set_act(db *d, const occupation *o) {
  return db_exec_one(
      d,
      "UPDATE occupation SET act_id = ?, amount_cents = ?, breakdown = ?, state = ?, updated_at = ? "
      "WHERE ente_id = ? AND id = ? AND act_id IS NULL",
      PARAMS(P_INT_OR_NULL(o->act_id), P_INT(o->amount_cents), P_TEXT(o->breakdown), P_TEXT(o->state),
             P_INT(o->updated_at), P_INT(o->ente_id), P_INT(o->id)));
}

err_code cs_occ_set_sent(db *d, int64_t ente_id, int64_t id, int64_t at) {
  return db_exec_one(d,
                     "UPDATE occupation SET notice_sent_at = ?, state = 'notice_sent', updated_at = ? "
                     "WHERE ente_id = ? AND id = ? AND notice_sent_at IS NULL",
                     PARAMS(P_INT(at), P_INT(at), P_INT(ente_id), P_INT(id)));
}

err_code cs_occ_set_paid(db *d, int64_t ente_id, int64_t id, int64_t paid_at, const char *due,
                         int64_t *changed) {
  return db_exec(d,
                 "UPDATE occupation SET paid_at = ?, paid_report_due = ?, state = 'paid', updated_at = ? "
                 "WHERE ente_id = ? AND id = ? AND paid_report_due IS NULL",
                 PARAMS(P_INT(paid_at), P_TEXT(due), P_INT(paid_at), P_INT(ente_id), P_INT(id)), changed);
}

err_code cs_occ_set_reported(db *d, int64_t ente_id, int64_t id, int64_t at, int64_t *changed) {
  return db_exec(d,
                 "UPDATE occupation SET paid_reported_at = ?, updated_at = ? "
                 "WHERE ente_id = ? AND id = ? AND paid_reported_at IS NULL",
                 PARAMS(P_INT(at), P_INT(at), P_INT(ente_id), P_INT(id)), changed);
}

static const db_result PAID[] = {F_INT(cs_paid, id), F_INT(cs_paid, ente_id), F_INT(cs_paid, paid_at), F_END};

err_code cs_occ_paid_unscheduled(db *d, arena *a, cs_paid **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT o.id, o.ente_id, COALESCE((SELECT MAX(m.at) FROM debt_movement m WHERE m.ente_id = "
                 "o.ente_id AND m.act_id = o.act_id AND m.kind = 'payment'), a.updated_at) "
                 "FROM occupation o JOIN debt_act a ON a.id = o.act_id AND a.ente_id = o.ente_id "
                 "WHERE a.state = 'paid' AND o.paid_report_due IS NULL ORDER BY o.id LIMIT 500",
                 NULL, PAID, sizeof(cs_paid), n, &rc);
  return rc;
}

err_code cs_taxpayer_email(db *d, arena *a, int64_t ente_id, int64_t taxpayer_id, char **out) {
  *out = NULL;
  err_code rc =
      db_get(d, a,
             "SELECT value FROM taxpayer_contact WHERE ente_id = ? AND taxpayer_id = ? AND consent = 1 "
             "AND channel IN ('email', 'pec') ORDER BY CASE channel WHEN 'email' THEN 0 ELSE 1 END, "
             "position LIMIT 1",
             PARAMS(P_INT(ente_id), P_INT(taxpayer_id)), RESULTS(R_DUP(out)));
  return rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

err_code cs_occ_set_state(db *d, const occupation *o) {
  return db_exec_one(
      d,
      "UPDATE occupation SET state = ?, ente_decision = ?, decided_at = ?, photos_requested_at = ?, "
      "inspection_on = ?, inspection_report = ?, taxpayer_id = ?, ceased_on = ?, updated_at = ? "
      "WHERE ente_id = ? AND id = ?",
      PARAMS(P_TEXT(o->state), P_TEXT(o->ente_decision), P_INT_OR_NULL(o->decided_at),
             P_INT_OR_NULL(o->photos_requested_at), P_TEXT(o->inspection_on), P_TEXT(o->inspection_report),
             P_INT_OR_NULL(o->taxpayer_id), P_TEXT(o->ceased_on), P_INT(o->updated_at), P_INT(o->ente_id),
             P_INT(o->id)));
}

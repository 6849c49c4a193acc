/* SQL for taxpayers, their addresses and contacts. Every statement names
 * the Ente (ente_id = ?), so no query can reach another Ente's rows. */
#include <string.h>
#include "domain/taxpayer/taxpayer_store.h"

static const char *kind_text(taxpayer_kind k) { return k == TP_COMPANY ? "company" : "person"; }

static taxpayer_kind kind_parse(const char *s) {
  return s && strcmp(s, "company") == 0 ? TP_COMPANY : TP_PERSON;
}

err_code ts_ente_exists(db *d, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  return db_step_int(st, NULL);
}

err_code ts_find_fiscal_code(db *d, int64_t ente_id, const char *fiscal_code, int64_t except_id,
                             int64_t *id_out) {
  db_stmt *st =
      db_prepare(d, "SELECT id FROM taxpayer WHERE ente_id = ? AND fiscal_code = ? AND id <> ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  db_bind_text(st, 2, fiscal_code);
  db_bind_int(st, 3, except_id);
  return db_step_int(st, id_out);
}

err_code ts_insert(db *d, const taxpayer *tp, const char *name_norm, int64_t *id_out) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO taxpayer (ente_id, kind, fiscal_code, vat_number, "
                           "surname, given_name, company_name, name_norm, birth_date, "
                           "birth_place, sex, created_at, updated_at) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, tp->ente_id);
  db_bind_text(st, 2, kind_text(tp->kind));
  db_bind_text(st, 3, tp->fiscal_code);
  db_bind_text(st, 4, tp->vat_number);
  db_bind_text(st, 5, tp->surname);
  db_bind_text(st, 6, tp->given_name);
  db_bind_text(st, 7, tp->company_name);
  db_bind_blob(st, 8, name_norm, strlen(name_norm));
  db_bind_text(st, 9, tp->birth_date);
  db_bind_text(st, 10, tp->birth_place);
  db_bind_text(st, 11, tp->sex);
  db_bind_int(st, 12, tp->created_at);
  db_bind_int(st, 13, tp->updated_at);
  return db_step_insert_id(st, id_out);
}

err_code ts_update(db *d, const taxpayer *tp, const char *name_norm) {
  db_stmt *st = db_prepare(d,
                           "UPDATE taxpayer SET kind = ?, fiscal_code = ?, vat_number = ?, "
                           "surname = ?, given_name = ?, company_name = ?, name_norm = ?, "
                           "birth_date = ?, birth_place = ?, sex = ?, updated_at = ? "
                           "WHERE id = ? AND ente_id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, kind_text(tp->kind));
  db_bind_text(st, 2, tp->fiscal_code);
  db_bind_text(st, 3, tp->vat_number);
  db_bind_text(st, 4, tp->surname);
  db_bind_text(st, 5, tp->given_name);
  db_bind_text(st, 6, tp->company_name);
  db_bind_blob(st, 7, name_norm, strlen(name_norm));
  db_bind_text(st, 8, tp->birth_date);
  db_bind_text(st, 9, tp->birth_place);
  db_bind_text(st, 10, tp->sex);
  db_bind_int(st, 11, tp->updated_at);
  db_bind_int(st, 12, tp->id);
  db_bind_int(st, 13, tp->ente_id);
  return db_step_exec_one(st);
}

err_code ts_insert_children(db *d, const taxpayer *tp) {
  for (size_t i = 0; i < tp->n_addresses; i++) {
    const tp_address *ad = &tp->addresses[i];
    db_stmt *st = db_prepare(d,
                             "INSERT INTO taxpayer_address (taxpayer_id, ente_id, position, "
                             "kind, street, postal_code, city, province, country) "
                             "VALUES (?,?,?,?,?,?,?,?,?)");
    if (!st) return ERR_STORAGE;
    db_bind_int(st, 1, tp->id);
    db_bind_int(st, 2, tp->ente_id);
    db_bind_int(st, 3, (int64_t)i);
    db_bind_text(st, 4, ad->kind);
    db_bind_text(st, 5, ad->street);
    db_bind_text(st, 6, ad->postal_code);
    db_bind_text(st, 7, ad->city);
    db_bind_text(st, 8, ad->province);
    db_bind_text(st, 9, ad->country);
    err_code rc = db_step_exec(st, NULL);
    if (rc != ERR_OK) return rc;
  }
  for (size_t i = 0; i < tp->n_contacts; i++) {
    const tp_contact *c = &tp->contacts[i];
    db_stmt *st = db_prepare(d,
                             "INSERT INTO taxpayer_contact (taxpayer_id, ente_id, position, "
                             "channel, value, consent, consent_at, source) "
                             "VALUES (?,?,?,?,?,?,?,?)");
    if (!st) return ERR_STORAGE;
    db_bind_int(st, 1, tp->id);
    db_bind_int(st, 2, tp->ente_id);
    db_bind_int(st, 3, (int64_t)i);
    db_bind_text(st, 4, c->channel);
    db_bind_text(st, 5, c->value);
    db_bind_int(st, 6, c->consent);
    if (c->consent_at)
      db_bind_int(st, 7, c->consent_at);
    else
      db_bind_null(st, 7);
    db_bind_text(st, 8, c->source);
    err_code rc = db_step_exec(st, NULL);
    if (rc != ERR_OK) return rc;
  }
  return ERR_OK;
}

err_code ts_delete_children(db *d, int64_t ente_id, int64_t taxpayer_id) {
  db_stmt *st = db_prepare(d, "DELETE FROM taxpayer_address WHERE ente_id = ? AND taxpayer_id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  db_bind_int(st, 2, taxpayer_id);
  err_code rc = db_step_exec(st, NULL);
  if (rc != ERR_OK) return rc;
  st = db_prepare(d, "DELETE FROM taxpayer_contact WHERE ente_id = ? AND taxpayer_id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  db_bind_int(st, 2, taxpayer_id);
  return db_step_exec(st, NULL);
}

#define TP_COLS                                                                     \
  "id, ente_id, kind, fiscal_code, vat_number, surname, given_name, company_name, " \
  "birth_date, birth_place, sex, created_at, updated_at"

/* db_row_fn for TP_COLS (children are read apart). */
static void read_tp(db_stmt *st, arena *a, void *item) {
  taxpayer *tp = item;
  tp->id = db_col_int(st, 0);
  tp->ente_id = db_col_int(st, 1);
  tp->kind = kind_parse(db_col_text(st, 2));
  tp->fiscal_code = arena_strdup(a, db_col_text(st, 3));
  tp->vat_number = arena_strdup(a, db_col_text(st, 4));
  tp->surname = arena_strdup(a, db_col_text(st, 5));
  tp->given_name = arena_strdup(a, db_col_text(st, 6));
  tp->company_name = arena_strdup(a, db_col_text(st, 7));
  tp->birth_date = arena_strdup(a, db_col_text(st, 8));
  tp->birth_place = arena_strdup(a, db_col_text(st, 9));
  tp->sex = arena_strdup(a, db_col_text(st, 10));
  tp->created_at = db_col_int(st, 11);
  tp->updated_at = db_col_int(st, 12);
}

/* At most 10 of each are ever stored; reading is capped at 64 all the
 * same so a hand-edited database cannot overflow the arrays. */
enum { CHILD_CAP = 64 };

static err_code read_children(db *d, arena *a, taxpayer *tp) {
  db_stmt *st = db_prepare(d,
                           "SELECT kind, street, postal_code, city, province, country FROM "
                           "taxpayer_address WHERE ente_id = ? AND taxpayer_id = ? ORDER BY "
                           "position");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, tp->ente_id);
  db_bind_int(st, 2, tp->id);
  tp->addresses = ARENA_ARRAY(a, tp_address, CHILD_CAP);
  tp->n_addresses = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    if (tp->n_addresses == CHILD_CAP) continue;
    tp_address *ad = &tp->addresses[tp->n_addresses++];
    ad->kind = arena_strdup(a, db_col_text(st, 0));
    ad->street = arena_strdup(a, db_col_text(st, 1));
    ad->postal_code = arena_strdup(a, db_col_text(st, 2));
    ad->city = arena_strdup(a, db_col_text(st, 3));
    ad->province = arena_strdup(a, db_col_text(st, 4));
    ad->country = arena_strdup(a, db_col_text(st, 5));
  }
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);

  st = db_prepare(d,
                  "SELECT channel, value, consent, consent_at, source FROM taxpayer_contact "
                  "WHERE ente_id = ? AND taxpayer_id = ? ORDER BY position");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, tp->ente_id);
  db_bind_int(st, 2, tp->id);
  tp->contacts = ARENA_ARRAY(a, tp_contact, CHILD_CAP);
  tp->n_contacts = 0;
  while ((rc = db_step(st)) == DBR_ROW) {
    if (tp->n_contacts == CHILD_CAP) continue;
    tp_contact *c = &tp->contacts[tp->n_contacts++];
    c->channel = arena_strdup(a, db_col_text(st, 0));
    c->value = arena_strdup(a, db_col_text(st, 1));
    c->consent = (int)db_col_int(st, 2);
    c->consent_at = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
    c->source = arena_strdup(a, db_col_text(st, 4));
  }
  db_finish(st);
  return rc == DBR_DONE ? ERR_OK : db_rc_err(rc);
}

/* The one taxpayer st selects (TP_COLS), with its addresses and contacts. */
static err_code get_one(db *d, arena *a, db_stmt *st, taxpayer *out) {
  err_code rc = db_step_one(st, a, sizeof *out, read_tp, out);
  if (rc != ERR_OK) return rc;
  return read_children(d, a, out);
}

err_code ts_get(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer *out) {
  db_stmt *st = db_prepare(d, "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? AND id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  db_bind_int(st, 2, id);
  return get_one(d, a, st, out);
}

err_code ts_get_by_fiscal_code(db *d, arena *a, int64_t ente_id, const char *code, taxpayer *out) {
  db_stmt *st =
      db_prepare(d, "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? AND fiscal_code = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  db_bind_text(st, 2, code);
  return get_one(d, a, st, out);
}

/* All rows of st (at most limit) into a fresh array. */
static err_code read_list(db_stmt *st, arena *a, int limit, taxpayer **out, size_t *n) {
  taxpayer *v = ARENA_ARRAY(a, taxpayer, limit > 0 ? (size_t)limit : 1);
  size_t cnt = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW)
    if (cnt < (size_t)limit) read_tp(st, a, &v[cnt++]);
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  *out = v;
  *n = cnt;
  return ERR_OK;
}

err_code ts_search_code(db *d, arena *a, int64_t ente_id, const char *code, int by_vat, int max,
                        taxpayer **out, size_t *n) {
  /* No ORDER BY: with it SQLite may prefer the name index and scan the
   * whole Ente; the caller sorts the (few) matches. */
  db_stmt *st = by_vat ? db_prepare(d, "SELECT " TP_COLS
                                       " FROM taxpayer WHERE ente_id = ? AND "
                                       "vat_number = ? LIMIT ?")
                       : db_prepare(d, "SELECT " TP_COLS
                                       " FROM taxpayer WHERE ente_id = ? AND "
                                       "fiscal_code = ? LIMIT ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  db_bind_text(st, 2, code);
  db_bind_int(st, 3, max);
  return read_list(st, a, max, out, n);
}

err_code ts_search_name(db *d, arena *a, int64_t ente_id, const char *lo, const char *hi, int limit,
                        int offset, taxpayer **out, size_t *n) {
  db_stmt *st;
  if (!lo || !*lo) {
    st = db_prepare(d, "SELECT " TP_COLS
                       " FROM taxpayer WHERE ente_id = ? "
                       "ORDER BY name_norm, id LIMIT ? OFFSET ?");
    if (!st) return ERR_STORAGE;
    db_bind_int(st, 1, ente_id);
    db_bind_int(st, 2, limit);
    db_bind_int(st, 3, offset);
  } else if (hi) {
    st = db_prepare(d, "SELECT " TP_COLS
                       " FROM taxpayer WHERE ente_id = ? AND name_norm >= ? "
                       "AND name_norm < ? ORDER BY name_norm, id LIMIT ? OFFSET ?");
    if (!st) return ERR_STORAGE;
    db_bind_int(st, 1, ente_id);
    db_bind_blob(st, 2, lo, strlen(lo));
    db_bind_blob(st, 3, hi, strlen(hi));
    db_bind_int(st, 4, limit);
    db_bind_int(st, 5, offset);
  } else {
    st = db_prepare(d, "SELECT " TP_COLS
                       " FROM taxpayer WHERE ente_id = ? AND name_norm >= ? "
                       "ORDER BY name_norm, id LIMIT ? OFFSET ?");
    if (!st) return ERR_STORAGE;
    db_bind_int(st, 1, ente_id);
    db_bind_blob(st, 2, lo, strlen(lo));
    db_bind_int(st, 3, limit);
    db_bind_int(st, 4, offset);
  }
  return read_list(st, a, limit, out, n);
}

err_code ts_count_name(db *d, int64_t ente_id, const char *lo, const char *hi, int64_t *total) {
  if (!lo || !*lo)
    return db_get(d, NULL, "SELECT count(*) FROM taxpayer WHERE ente_id = ?", PARAMS(P_INT(ente_id)),
                  RESULTS(R_INT(total)));
  if (hi)
    return db_get(d, NULL,
                  "SELECT count(*) FROM taxpayer WHERE ente_id = ? AND name_norm >= ? "
                  "AND name_norm < ?",
                  PARAMS(P_INT(ente_id), P_BLOB(lo, strlen(lo)), P_BLOB(hi, strlen(hi))),
                  RESULTS(R_INT(total)));
  return db_get(d, NULL, "SELECT count(*) FROM taxpayer WHERE ente_id = ? AND name_norm >= ?",
                PARAMS(P_INT(ente_id), P_BLOB(lo, strlen(lo))), RESULTS(R_INT(total)));
}

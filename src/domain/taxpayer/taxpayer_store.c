/* SQL for taxpayers, their addresses and contacts. Every statement names
 * the Ente (ente_id = ?), so no query can reach another Ente's rows. */
#include <string.h>
#include "domain/taxpayer/taxpayer_store.h"

static const char *kind_text(taxpayer_kind k) { return k == TP_COMPANY ? "company" : "person"; }

static taxpayer_kind kind_parse(const char *s) {
  return s && strcmp(s, "company") == 0 ? TP_COMPANY : TP_PERSON;
}

err_code ts_ente_exists(db *d, int64_t ente_id) {
  return db_get(d, NULL, "SELECT id FROM ente WHERE id = ?", PARAMS(P_INT(ente_id)), NULL);
}

err_code ts_find_fiscal_code(db *d, int64_t ente_id, const char *fiscal_code, int64_t except_id,
                             int64_t *id_out) {
  return db_get(d, NULL, "SELECT id FROM taxpayer WHERE ente_id = ? AND fiscal_code = ? AND id <> ?",
                PARAMS(P_INT(ente_id), P_TEXT(fiscal_code), P_INT(except_id)), RESULTS(R_INT(id_out)));
}

err_code ts_insert(db *d, const taxpayer *tp, const char *name_norm, int64_t *id_out) {
  return db_insert(
      d,
      "INSERT INTO taxpayer (ente_id, kind, fiscal_code, vat_number, "
      "surname, given_name, company_name, name_norm, birth_date, "
      "birth_place, sex, created_at, updated_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_INT(tp->ente_id), P_TEXT(kind_text(tp->kind)), P_TEXT(tp->fiscal_code), P_TEXT(tp->vat_number),
             P_TEXT(tp->surname), P_TEXT(tp->given_name), P_TEXT(tp->company_name),
             P_BLOB(name_norm, strlen(name_norm)), P_TEXT(tp->birth_date), P_TEXT(tp->birth_place),
             P_TEXT(tp->sex), P_INT(tp->created_at), P_INT(tp->updated_at)),
      id_out);
}

err_code ts_update(db *d, const taxpayer *tp, const char *name_norm) {
  return db_exec_one(
      d,
      "UPDATE taxpayer SET kind = ?, fiscal_code = ?, vat_number = ?, "
      "surname = ?, given_name = ?, company_name = ?, name_norm = ?, "
      "birth_date = ?, birth_place = ?, sex = ?, updated_at = ? "
      "WHERE id = ? AND ente_id = ?",
      PARAMS(P_TEXT(kind_text(tp->kind)), P_TEXT(tp->fiscal_code), P_TEXT(tp->vat_number),
             P_TEXT(tp->surname), P_TEXT(tp->given_name), P_TEXT(tp->company_name),
             P_BLOB(name_norm, strlen(name_norm)), P_TEXT(tp->birth_date), P_TEXT(tp->birth_place),
             P_TEXT(tp->sex), P_INT(tp->updated_at), P_INT(tp->id), P_INT(tp->ente_id)));
}

err_code ts_insert_children(db *d, const taxpayer *tp) {
  err_code rc = ERR_OK;
  for (size_t i = 0; i < tp->n_addresses && rc == ERR_OK; i++) {
    const tp_address *ad = &tp->addresses[i];
    rc = db_exec(d,
                 "INSERT INTO taxpayer_address (taxpayer_id, ente_id, position, "
                 "kind, street, postal_code, city, province, country) "
                 "VALUES (?,?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(tp->id), P_INT(tp->ente_id), P_INT(i), P_TEXT(ad->kind), P_TEXT(ad->street),
                        P_TEXT(ad->postal_code), P_TEXT(ad->city), P_TEXT(ad->province), P_TEXT(ad->country)),
                 NULL);
  }
  for (size_t i = 0; i < tp->n_contacts && rc == ERR_OK; i++) {
    const tp_contact *c = &tp->contacts[i];
    rc = db_exec(d,
                 "INSERT INTO taxpayer_contact (taxpayer_id, ente_id, position, "
                 "channel, value, consent, consent_at, source) "
                 "VALUES (?,?,?,?,?,?,?,?)",
                 PARAMS(P_INT(tp->id), P_INT(tp->ente_id), P_INT(i), P_TEXT(c->channel), P_TEXT(c->value),
                        P_INT(c->consent), P_INT_OR_NULL(c->consent_at), P_TEXT(c->source)),
                 NULL);
  }
  return rc;
}

err_code ts_delete_children(db *d, int64_t ente_id, int64_t taxpayer_id) {
  err_code rc = db_exec(d, "DELETE FROM taxpayer_address WHERE ente_id = ? AND taxpayer_id = ?",
                        PARAMS(P_INT(ente_id), P_INT(taxpayer_id)), NULL);
  if (rc != ERR_OK) return rc;
  return db_exec(d, "DELETE FROM taxpayer_contact WHERE ente_id = ? AND taxpayer_id = ?",
                 PARAMS(P_INT(ente_id), P_INT(taxpayer_id)), NULL);
}

#define TP_COLS                                                                     \
  "id, ente_id, kind, fiscal_code, vat_number, surname, given_name, company_name, " \
  "birth_date, birth_place, sex, created_at, updated_at"

static void read_kind(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(taxpayer_kind *)dst = kind_parse(db_col_text(st, col));
}

/* TP_COLS (children are read apart) */
static const db_result TP_ROW[] = {F_INT(taxpayer, id),
                                   F_INT(taxpayer, ente_id),
                                   F_FN(taxpayer, kind, read_kind),
                                   F_DUP(taxpayer, fiscal_code),
                                   F_DUP(taxpayer, vat_number),
                                   F_DUP(taxpayer, surname),
                                   F_DUP(taxpayer, given_name),
                                   F_DUP(taxpayer, company_name),
                                   F_DUP(taxpayer, birth_date),
                                   F_DUP(taxpayer, birth_place),
                                   F_DUP(taxpayer, sex),
                                   F_INT(taxpayer, created_at),
                                   F_INT(taxpayer, updated_at),
                                   F_END};
static const db_result ADDRESS_ROW[] = {F_DUP(tp_address, kind),
                                        F_DUP(tp_address, street),
                                        F_DUP(tp_address, postal_code),
                                        F_DUP(tp_address, city),
                                        F_DUP(tp_address, province),
                                        F_DUP(tp_address, country),
                                        F_END};
static const db_result CONTACT_ROW[] = {F_DUP(tp_contact, channel), F_DUP(tp_contact, value),
                                        F_I32(tp_contact, consent), F_INT(tp_contact, consent_at),
                                        F_DUP(tp_contact, source),  F_END};

/* At most 10 of each are ever stored; reading is capped at 64 all the
 * same, so a hand-edited database cannot make a page unbounded. */
static err_code read_children(db *d, arena *a, taxpayer *tp) {
  err_code rc;
  tp->addresses = db_list(d, a,
                          "SELECT kind, street, postal_code, city, province, country FROM "
                          "taxpayer_address WHERE ente_id = ? AND taxpayer_id = ? ORDER BY position LIMIT 64",
                          PARAMS(P_INT(tp->ente_id), P_INT(tp->id)), ADDRESS_ROW, sizeof(tp_address),
                          &tp->n_addresses, &rc);
  if (rc != ERR_OK) return rc;
  tp->contacts = db_list(d, a,
                         "SELECT channel, value, consent, consent_at, source FROM taxpayer_contact "
                         "WHERE ente_id = ? AND taxpayer_id = ? ORDER BY position LIMIT 64",
                         PARAMS(P_INT(tp->ente_id), P_INT(tp->id)), CONTACT_ROW, sizeof(tp_contact),
                         &tp->n_contacts, &rc);
  return rc;
}

err_code ts_get(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer *out) {
  err_code rc = db_get_into(d, a, "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? AND id = ?",
                            PARAMS(P_INT(ente_id), P_INT(id)), TP_ROW, out);
  return rc == ERR_OK ? read_children(d, a, out) : rc;
}

err_code ts_get_by_fiscal_code(db *d, arena *a, int64_t ente_id, const char *code, taxpayer *out) {
  err_code rc = db_get_into(d, a, "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? AND fiscal_code = ?",
                            PARAMS(P_INT(ente_id), P_TEXT(code)), TP_ROW, out);
  return rc == ERR_OK ? read_children(d, a, out) : rc;
}

err_code ts_search_code(db *d, arena *a, int64_t ente_id, const char *code, int by_vat, int max,
                        taxpayer **out, size_t *n) {
  /* No ORDER BY: with it SQLite may prefer the name index and scan the
   * whole Ente; the caller sorts the (few) matches. */
  err_code rc;
  *out = db_list(d, a,
                 by_vat ? "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? AND vat_number = ? LIMIT ?"
                        : "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? AND fiscal_code = ? LIMIT ?",
                 PARAMS(P_INT(ente_id), P_TEXT(code), P_INT(max)), TP_ROW, sizeof(taxpayer), n, &rc);
  return rc;
}

err_code ts_search_name(db *d, arena *a, int64_t ente_id, const char *lo, const char *hi, int limit,
                        int offset, taxpayer **out, size_t *n) {
  err_code rc;
  if (!lo || !*lo)
    *out = db_list(
        d, a, "SELECT " TP_COLS " FROM taxpayer WHERE ente_id = ? ORDER BY name_norm, id LIMIT ? OFFSET ?",
        PARAMS(P_INT(ente_id), P_INT(limit), P_INT(offset)), TP_ROW, sizeof(taxpayer), n, &rc);
  else if (hi)
    *out = db_list(
        d, a,
        "SELECT " TP_COLS
        " FROM taxpayer WHERE ente_id = ? AND name_norm >= ? "
        "AND name_norm < ? ORDER BY name_norm, id LIMIT ? OFFSET ?",
        PARAMS(P_INT(ente_id), P_BLOB(lo, strlen(lo)), P_BLOB(hi, strlen(hi)), P_INT(limit), P_INT(offset)),
        TP_ROW, sizeof(taxpayer), n, &rc);
  else
    *out = db_list(d, a,
                   "SELECT " TP_COLS
                   " FROM taxpayer WHERE ente_id = ? AND name_norm >= ? "
                   "ORDER BY name_norm, id LIMIT ? OFFSET ?",
                   PARAMS(P_INT(ente_id), P_BLOB(lo, strlen(lo)), P_INT(limit), P_INT(offset)), TP_ROW,
                   sizeof(taxpayer), n, &rc);
  return rc;
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

/* SQL of the cessation photographs and the inspection record. */
#include "domain/canone/photos_store.h"

#define LINK_COLS "id, ente_id, case_id, expires_at, photos FROM occupation_photo_link "

err_code cps_link_insert(db *d, int64_t ente_id, int64_t case_id, const char *token_hash, int64_t expires_at,
                         int64_t now, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO occupation_photo_link (ente_id, case_id, token_hash, expires_at, photos, "
                   "created_at) VALUES (?,?,?,?,0,?) RETURNING id",
                   PARAMS(P_INT(ente_id), P_INT(case_id), P_TEXT(token_hash), P_INT(expires_at), P_INT(now)),
                   id);
}

err_code cps_link_by_hash(db *d, int64_t ente_id, const char *token_hash, int lock, occ_photo_link *out) {
  if (lock && db_backend(d) == DB_PG)
    return db_get(d, NULL, "SELECT " LINK_COLS "WHERE ente_id = ? AND token_hash = ? FOR UPDATE",
                  PARAMS(P_INT(ente_id), P_TEXT(token_hash)),
                  RESULTS(R_INT(&out->id), R_INT(&out->ente_id), R_INT(&out->case_id),
                          R_INT(&out->expires_at), R_INT(&out->photos)));
  return db_get(d, NULL, "SELECT " LINK_COLS "WHERE ente_id = ? AND token_hash = ?",
                PARAMS(P_INT(ente_id), P_TEXT(token_hash)),
                RESULTS(R_INT(&out->id), R_INT(&out->ente_id), R_INT(&out->case_id), R_INT(&out->expires_at),
                        R_INT(&out->photos)));
}

err_code cps_link_of_case(db *d, int64_t ente_id, int64_t case_id, occ_photo_link *out) {
  return db_get(d, NULL, "SELECT " LINK_COLS "WHERE ente_id = ? AND case_id = ? ORDER BY id DESC LIMIT 1",
                PARAMS(P_INT(ente_id), P_INT(case_id)),
                RESULTS(R_INT(&out->id), R_INT(&out->ente_id), R_INT(&out->case_id), R_INT(&out->expires_at),
                        R_INT(&out->photos)));
}

err_code cps_link_add_photos(db *d, int64_t ente_id, int64_t id, int64_t n) {
  return db_exec(d, "UPDATE occupation_photo_link SET photos = photos + ? WHERE ente_id = ? AND id = ?",
                 PARAMS(P_INT(n), P_INT(ente_id), P_INT(id)), NULL);
}

err_code cps_inspection_insert(db *d, int64_t ente_id, int64_t case_id, const char *inspector,
                               const char *outcome, int64_t photos, int64_t now) {
  return db_exec(
      d,
      "INSERT INTO occupation_inspection (ente_id, case_id, inspector, outcome, photos, created_at) "
      "VALUES (?,?,?,?,?,?)",
      PARAMS(P_INT(ente_id), P_INT(case_id), P_TEXT(inspector), P_TEXT(outcome), P_INT(photos), P_INT(now)),
      NULL);
}

err_code cps_inspection_get(db *d, arena *a, int64_t ente_id, int64_t case_id, occ_inspection *out) {
  return db_get(
      d, a, "SELECT inspector, outcome, photos FROM occupation_inspection WHERE ente_id = ? AND case_id = ?",
      PARAMS(P_INT(ente_id), P_INT(case_id)),
      RESULTS(R_DUP(&out->inspector), R_DUP(&out->outcome), R_INT(&out->photos)));
}

/* SQL for Enti, regions and offices, and the users (kept here so all
 * tenancy SQL sits in one file). Values are always bound; reads copy text
 * into the caller's arena. */
#include <string.h>
#include "domain/ente/ente_store.h"

#define ENTE_COLS                                                                                       \
  "e.id, e.slug, e.name, e.fiscal_code, e.population, e.segregation_code, e.mail_istanze, e.mail_pec, " \
  "e.mail_info, e.support_phone, e.patron_day"

static const db_result ENTE_ROW[] = {F_INT(ente, id),           F_DUP(ente, slug),
                                     F_DUP(ente, name),         F_DUP(ente, fiscal_code),
                                     F_INT(ente, population),   F_DUP(ente, segregation_code),
                                     F_DUP(ente, mail_istanze), F_DUP(ente, mail_pec),
                                     F_DUP(ente, mail_info),    F_DUP(ente, support_phone),
                                     F_DUP(ente, patron_day),   F_END};
static const db_result REGION_ROW[] = {F_INT(region, id), F_DUP(region, name), F_END};
static const db_result OFFICE_ROW[] = {F_INT(office, id),
                                       F_INT(office, region_id),
                                       F_DUP(office, region_name),
                                       F_DUP(office, code),
                                       F_DUP(office, name),
                                       F_DUP(office, city),
                                       F_END};
/* a user on its own: the struct is its only member */
typedef struct {
  user u;
} user_row;
static const db_result USER_ROW[] = {USER_FIELDS(user_row, u), F_END};
static const db_result ID_ROW[] = {F_SELF_INT, F_END};

void user_role_col(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  *(role *)dst = role_parse(db_col_text(st, col));
}

err_code es_ente_insert(db *d, const ente *e, int64_t now, int64_t *id_out) {
  return db_insert(d,
                   "INSERT INTO ente (slug, name, fiscal_code, population, "
                   "segregation_code, mail_istanze, mail_pec, mail_info, support_phone, "
                   "patron_day, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                   PARAMS(P_TEXT(e->slug), P_TEXT(e->name), P_TEXT(e->fiscal_code), P_INT(e->population),
                          P_TEXT(e->segregation_code), P_TEXT(e->mail_istanze), P_TEXT(e->mail_pec),
                          P_TEXT(e->mail_info), P_TEXT(e->support_phone), P_TEXT(e->patron_day), P_INT(now)),
                   id_out);
}

/* The id of the one row sql selects by a text key (ERR_NOT_FOUND). */
static err_code id_by_text(db *d, const char *sql, const char *key, int64_t *id_out) {
  return db_get(d, NULL, sql, PARAMS(P_TEXT(key)), RESULTS(R_INT(id_out)));
}

err_code es_ente_find_slug(db *d, const char *slug, int64_t *id_out) {
  return id_by_text(d, "SELECT id FROM ente WHERE slug = ?", slug, id_out);
}

err_code es_ente_find_fiscal_code(db *d, const char *fiscal_code, int64_t *id_out) {
  return id_by_text(d, "SELECT id FROM ente WHERE fiscal_code = ?", fiscal_code, id_out);
}

err_code es_ente_exists(db *d, int64_t id) {
  return db_get(d, NULL, "SELECT id FROM ente WHERE id = ?", PARAMS(P_INT(id)), NULL);
}

err_code es_ente_list(db *d, arena *a, ente **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT " ENTE_COLS " FROM ente e ORDER BY e.name, e.id", NULL, ENTE_ROW, sizeof(ente),
                 n, &rc);
  return rc;
}

err_code es_user_entes(db *d, arena *a, int64_t user_id, ente **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT " ENTE_COLS
                 " FROM ente e JOIN user_ente ue ON ue.ente_id = e.id "
                 "WHERE ue.user_id = ? ORDER BY e.name, e.id",
                 PARAMS(P_INT(user_id)), ENTE_ROW, sizeof(ente), n, &rc);
  return rc;
}

err_code es_ente_get(db *d, arena *a, int64_t id, ente *out) {
  return db_get_into(d, a, "SELECT " ENTE_COLS " FROM ente e WHERE e.id = ?", PARAMS(P_INT(id)), ENTE_ROW,
                     out);
}

err_code es_ente_by_fiscal_code(db *d, arena *a, const char *cf, ente *out) {
  return db_get_into(d, a, "SELECT " ENTE_COLS " FROM ente e WHERE e.fiscal_code = ?", PARAMS(P_TEXT(cf)),
                     ENTE_ROW, out);
}

err_code es_ente_by_slug(db *d, arena *a, const char *slug, ente *out) {
  return db_get_into(d, a, "SELECT " ENTE_COLS " FROM ente e WHERE e.slug = ?", PARAMS(P_TEXT(slug)),
                     ENTE_ROW, out);
}

void es_ente_by_slug_queue(db_batch *b, const char *slug, ente *out, int *found) {
  db_batch_get_into(b, "SELECT " ENTE_COLS " FROM ente e WHERE e.slug = ?", PARAMS(P_TEXT(slug)), ENTE_ROW, out,
                    found);
}

err_code es_region_insert(db *d, const char *name, int64_t now, int64_t *id_out) {
  return db_insert(d, "INSERT INTO region (name, created_at) VALUES (?, ?) RETURNING id",
                   PARAMS(P_TEXT(name), P_INT(now)), id_out);
}

err_code es_region_list(db *d, arena *a, region **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT id, name FROM region ORDER BY name, id", NULL, REGION_ROW, sizeof(region), n,
                 &rc);
  return rc;
}

err_code es_region_by_name(db *d, arena *a, const char *name, region *out) {
  return db_get_into(d, a, "SELECT id, name FROM region WHERE name = ?", PARAMS(P_TEXT(name)), REGION_ROW,
                     out);
}

err_code es_region_exists(db *d, int64_t id) {
  return db_get(d, NULL, "SELECT id FROM region WHERE id = ?", PARAMS(P_INT(id)), NULL);
}

err_code es_office_insert(db *d, const office *o, int64_t now, int64_t *id_out) {
  return db_insert(d,
                   "INSERT INTO office (region_id, code, name, city, created_at) "
                   "VALUES (?, ?, ?, ?, ?) RETURNING id",
                   PARAMS(P_INT(o->region_id), P_TEXT(o->code), P_TEXT(o->name), P_TEXT(o->city), P_INT(now)),
                   id_out);
}

err_code es_office_find_code(db *d, const char *code, int64_t *id_out) {
  return id_by_text(d, "SELECT id FROM office WHERE code = ?", code, id_out);
}

err_code es_office_region(db *d, int64_t id, int64_t *region_id) {
  return db_get(d, NULL, "SELECT region_id FROM office WHERE id = ?", PARAMS(P_INT(id)),
                RESULTS(R_INT(region_id)));
}

err_code es_office_list(db *d, arena *a, office **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT o.id, o.region_id, r.name, o.code, o.name, o.city FROM office o "
                 "JOIN region r ON r.id = o.region_id ORDER BY r.name, o.code",
                 NULL, OFFICE_ROW, sizeof(office), n, &rc);
  return rc;
}

/* ---- users ---- */

err_code es_user_insert(db *d, const user *u, const char *password_hash, int64_t now, int64_t *id_out) {
  return db_insert(
      d,
      "INSERT INTO app_user (username, full_name, email, role, region_id, "
      "office_id, password_hash, active, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
      PARAMS(P_TEXT(u->username), P_TEXT(u->full_name), P_TEXT(u->email), P_TEXT(role_slug(u->role)),
             P_INT_OR_NULL(u->region_id), P_INT_OR_NULL(u->office_id), P_TEXT(password_hash),
             P_INT(u->active ? 1 : 0), P_INT(now)),
      id_out);
}

err_code es_user_add_ente(db *d, int64_t user_id, int64_t ente_id) {
  return db_exec(d, "INSERT INTO user_ente (user_id, ente_id) VALUES (?, ?)",
                 PARAMS(P_INT(user_id), P_INT(ente_id)), NULL);
}

err_code es_user_find_username(db *d, const char *username, int64_t *id_out) {
  return id_by_text(d, "SELECT id FROM app_user WHERE username = ?", username, id_out);
}

err_code es_user_list(db *d, arena *a, user **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT " USER_SQL_COLS " FROM app_user u ORDER BY u.username", NULL, USER_ROW,
                 sizeof(user), n, &rc);
  return rc;
}

err_code es_user_get(db *d, arena *a, int64_t id, user *out) {
  return db_get_into(d, a, "SELECT " USER_SQL_COLS " FROM app_user u WHERE u.id = ?", PARAMS(P_INT(id)),
                     USER_ROW, (user_row *)out);
}

err_code es_user_by_username(db *d, arena *a, const char *username, user *out, char **hash_out) {
  struct {
    user u;
    char *hash;
  } row;
  static const db_result ROW[] = {USER_FIELDS(__typeof__(row), u), F_DUP(__typeof__(row), hash), F_END};
  err_code rc =
      db_get_into(d, a, "SELECT " USER_SQL_COLS ", u.password_hash FROM app_user u WHERE u.username = ?",
                  PARAMS(P_TEXT(username)), ROW, &row);
  if (rc != ERR_OK) return rc;
  *out = row.u;
  if (hash_out) *hash_out = row.hash;
  return ERR_OK;
}

err_code es_user_set_hash(db *d, int64_t id, const char *password_hash) {
  return db_exec_one(d, "UPDATE app_user SET password_hash = ? WHERE id = ?",
                     PARAMS(P_TEXT(password_hash), P_INT(id)));
}

err_code es_user_set_active(db *d, int64_t id, int active) {
  return db_exec_one(d, "UPDATE app_user SET active = ? WHERE id = ?",
                     PARAMS(P_INT(active ? 1 : 0), P_INT(id)));
}

err_code es_user_end_sessions(db *d, int64_t user_id, int64_t *n) {
  return db_exec(d, "DELETE FROM session WHERE user_id = ?", PARAMS(P_INT(user_id)), n);
}

err_code es_user_ente_ids(db *d, arena *a, int64_t user_id, int64_t **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a, "SELECT ente_id FROM user_ente WHERE user_id = ? ORDER BY ente_id",
                 PARAMS(P_INT(user_id)), ID_ROW, sizeof(int64_t), n, &rc);
  return rc;
}

err_code es_user_clear_entes(db *d, int64_t user_id) {
  return db_exec(d, "DELETE FROM user_ente WHERE user_id = ?", PARAMS(P_INT(user_id)), NULL);
}

err_code es_user_has_ente(db *d, int64_t user_id, int64_t ente_id) {
  return db_get(d, NULL, "SELECT 1 FROM user_ente WHERE user_id = ? AND ente_id = ?",
                PARAMS(P_INT(user_id), P_INT(ente_id)), NULL);
}

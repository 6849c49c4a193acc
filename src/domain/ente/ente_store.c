/* SQL for Enti, regions and offices. Values are always bound; reads copy
 * text into the caller's arena. */
#include <string.h>
#include "domain/ente/ente_store.h"

#define ENTE_COLS                                                                       \
  "id, slug, name, fiscal_code, population, segregation_code, mail_istanze, mail_pec, " \
  "mail_info, support_phone, patron_day"

/* db_row_fn for ENTE_COLS. */
static void read_ente(db_stmt *st, arena *a, void *item) {
  ente *e = item;
  e->id = db_col_int(st, 0);
  e->slug = arena_strdup(a, db_col_text(st, 1));
  e->name = arena_strdup(a, db_col_text(st, 2));
  e->fiscal_code = arena_strdup(a, db_col_text(st, 3));
  e->population = db_col_int(st, 4);
  e->segregation_code = arena_strdup(a, db_col_text(st, 5));
  e->mail_istanze = arena_strdup(a, db_col_text(st, 6));
  e->mail_pec = arena_strdup(a, db_col_text(st, 7));
  e->mail_info = arena_strdup(a, db_col_text(st, 8));
  e->support_phone = arena_strdup(a, db_col_text(st, 9));
  e->patron_day = arena_strdup(a, db_col_text(st, 10));
}

err_code es_ente_insert(db *d, const ente *e, int64_t now, int64_t *id_out) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO ente (slug, name, fiscal_code, population, "
                           "segregation_code, mail_istanze, mail_pec, mail_info, support_phone, "
                           "patron_day, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, e->slug);
  db_bind_text(st, 2, e->name);
  db_bind_text(st, 3, e->fiscal_code);
  db_bind_int(st, 4, e->population);
  db_bind_text(st, 5, e->segregation_code);
  db_bind_text(st, 6, e->mail_istanze);
  db_bind_text(st, 7, e->mail_pec);
  db_bind_text(st, 8, e->mail_info);
  db_bind_text(st, 9, e->support_phone);
  db_bind_text(st, 10, e->patron_day);
  db_bind_int(st, 11, now);
  return db_step_insert_id(st, id_out);
}

err_code es_ente_find_slug(db *d, const char *slug, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE slug = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, slug);
  return db_step_int(st, id_out);
}

err_code es_ente_find_fiscal_code(db *d, const char *fiscal_code, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE fiscal_code = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, fiscal_code);
  return db_step_int(st, id_out);
}

err_code es_ente_exists(db *d, int64_t id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_int(st, NULL);
}

err_code es_ente_list(db *d, arena *a, ente **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT " ENTE_COLS " FROM ente ORDER BY name, id");
  if (!st) return ERR_STORAGE;
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, read_ente, n, &rc);
  return rc;
}

err_code es_user_entes(db *d, arena *a, int64_t user_id, ente **out, size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT e.id, e.slug, e.name, e.fiscal_code, e.population, "
                           "e.segregation_code, e.mail_istanze, e.mail_pec, e.mail_info, "
                           "e.support_phone, e.patron_day FROM ente e JOIN user_ente ue ON "
                           "ue.ente_id = e.id WHERE ue.user_id = ? ORDER BY e.name, e.id");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, user_id);
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, read_ente, n, &rc);
  return rc;
}

err_code es_ente_get(db *d, arena *a, int64_t id, ente *out) {
  db_stmt *st = db_prepare(d, "SELECT " ENTE_COLS " FROM ente WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_one(st, a, sizeof *out, read_ente, out);
}

err_code es_ente_by_slug(db *d, arena *a, const char *slug, ente *out) {
  db_stmt *st = db_prepare(d, "SELECT " ENTE_COLS " FROM ente WHERE slug = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, slug);
  return db_step_one(st, a, sizeof *out, read_ente, out);
}

err_code es_region_insert(db *d, const char *name, int64_t now, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "INSERT INTO region (name, created_at) VALUES (?, ?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, now);
  return db_step_insert_id(st, id_out);
}

/* db_row_fn for "id, name". */
static void read_region(db_stmt *st, arena *a, void *item) {
  region *r = item;
  r->id = db_col_int(st, 0);
  r->name = arena_strdup(a, db_col_text(st, 1));
}

err_code es_region_list(db *d, arena *a, region **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT id, name FROM region ORDER BY name, id");
  if (!st) return ERR_STORAGE;
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, read_region, n, &rc);
  return rc;
}

err_code es_region_by_name(db *d, arena *a, const char *name, region *out) {
  db_stmt *st = db_prepare(d, "SELECT id, name FROM region WHERE name = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, name);
  return db_step_one(st, a, sizeof *out, read_region, out);
}

err_code es_region_exists(db *d, int64_t id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM region WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_int(st, NULL);
}

err_code es_office_insert(db *d, const office *o, int64_t now, int64_t *id_out) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO office (region_id, code, name, city, created_at) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, o->region_id);
  db_bind_text(st, 2, o->code);
  db_bind_text(st, 3, o->name);
  db_bind_text(st, 4, o->city);
  db_bind_int(st, 5, now);
  return db_step_insert_id(st, id_out);
}

err_code es_office_find_code(db *d, const char *code, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM office WHERE code = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, code);
  return db_step_int(st, id_out);
}

err_code es_office_region(db *d, int64_t id, int64_t *region_id) {
  db_stmt *st = db_prepare(d, "SELECT region_id FROM office WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_int(st, region_id);
}

/* db_row_fn for the office list's columns. */
static void read_office(db_stmt *st, arena *a, void *item) {
  office *o = item;
  o->id = db_col_int(st, 0);
  o->region_id = db_col_int(st, 1);
  o->region_name = arena_strdup(a, db_col_text(st, 2));
  o->code = arena_strdup(a, db_col_text(st, 3));
  o->name = arena_strdup(a, db_col_text(st, 4));
  o->city = arena_strdup(a, db_col_text(st, 5));
}

err_code es_office_list(db *d, arena *a, office **out, size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT o.id, o.region_id, r.name, o.code, o.name, o.city FROM office o "
                           "JOIN region r ON r.id = o.region_id ORDER BY r.name, o.code");
  if (!st) return ERR_STORAGE;
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, read_office, n, &rc);
  return rc;
}

/* ---- users (kept here so all tenancy SQL sits in one file) ---- */

#define USER_COLS "id, username, full_name, email, role, region_id, office_id, active"

/* db_row_fn for USER_COLS. */
static void read_user(db_stmt *st, arena *a, void *item) {
  user *u = item;
  u->id = db_col_int(st, 0);
  u->username = arena_strdup(a, db_col_text(st, 1));
  u->full_name = arena_strdup(a, db_col_text(st, 2));
  u->email = arena_strdup(a, db_col_text(st, 3));
  u->role = role_parse(db_col_text(st, 4));
  u->region_id = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
  u->office_id = db_col_is_null(st, 6) ? 0 : db_col_int(st, 6);
  u->active = (int)db_col_int(st, 7);
}

err_code es_user_insert(db *d, const user *u, const char *password_hash, int64_t now,
                        int64_t *id_out) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO app_user (username, full_name, email, role, region_id, "
                           "office_id, password_hash, active, created_at) "
                           "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, u->username);
  db_bind_text(st, 2, u->full_name);
  db_bind_text(st, 3, u->email);
  db_bind_text(st, 4, role_slug(u->role));
  if (u->region_id)
    db_bind_int(st, 5, u->region_id);
  else
    db_bind_null(st, 5);
  if (u->office_id)
    db_bind_int(st, 6, u->office_id);
  else
    db_bind_null(st, 6);
  db_bind_text(st, 7, password_hash);
  db_bind_int(st, 8, u->active ? 1 : 0);
  db_bind_int(st, 9, now);
  return db_step_insert_id(st, id_out);
}

err_code es_user_add_ente(db *d, int64_t user_id, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "INSERT INTO user_ente (user_id, ente_id) VALUES (?, ?)");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, ente_id);
  return db_step_exec(st, NULL);
}

err_code es_user_find_username(db *d, const char *username, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM app_user WHERE username = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, username);
  return db_step_int(st, id_out);
}

err_code es_user_list(db *d, arena *a, user **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM app_user ORDER BY username");
  if (!st) return ERR_STORAGE;
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, read_user, n, &rc);
  return rc;
}

err_code es_user_get(db *d, arena *a, int64_t id, user *out) {
  db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM app_user WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_one(st, a, sizeof *out, read_user, out);
}

err_code es_user_by_username(db *d, arena *a, const char *username, user *out, char **hash_out) {
  db_stmt *st =
      db_prepare(d, "SELECT " USER_COLS ", password_hash FROM app_user WHERE username = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, username);
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  memset(out, 0, sizeof *out);
  read_user(st, a, out);
  if (hash_out) *hash_out = arena_strdup(a, db_col_text(st, 8));
  db_finish(st);
  return ERR_OK;
}

err_code es_user_set_hash(db *d, int64_t id, const char *password_hash) {
  db_stmt *st = db_prepare(d, "UPDATE app_user SET password_hash = ? WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, password_hash);
  db_bind_int(st, 2, id);
  return db_step_exec_one(st);
}

err_code es_user_set_active(db *d, int64_t id, int active) {
  db_stmt *st = db_prepare(d, "UPDATE app_user SET active = ? WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, active ? 1 : 0);
  db_bind_int(st, 2, id);
  return db_step_exec_one(st);
}

err_code es_user_end_sessions(db *d, int64_t user_id, int64_t *n) {
  return db_exec(d, "DELETE FROM session WHERE user_id = ?", PARAMS(P_INT(user_id)), n);
}

err_code es_user_ente_ids(db *d, arena *a, int64_t user_id, int64_t **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT ente_id FROM user_ente WHERE user_id = ? ORDER BY ente_id");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, user_id);
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, db_row_int, n, &rc);
  return rc;
}

err_code es_user_clear_entes(db *d, int64_t user_id) {
  db_stmt *st = db_prepare(d, "DELETE FROM user_ente WHERE user_id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, user_id);
  return db_step_exec(st, NULL);
}

err_code es_user_has_ente(db *d, int64_t user_id, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "SELECT 1 FROM user_ente WHERE user_id = ? AND ente_id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, ente_id);
  return db_step_int(st, NULL);
}

/* SQL for Enti, regions and offices. Values are always bound; reads copy
 * text into the caller's arena. */
#include <string.h>
#include "domain/ente/ente_store.h"

/* Doubles an arena array when full (arena memory cannot be realloc'ed). */
static void *grow(arena *a, void *old, size_t elem, size_t n, size_t *cap) {
  if (n < *cap) return old;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = arena_alloc(a, elem * ncap);
  if (old) memcpy(p, old, elem * n);
  *cap = ncap;
  return p;
}

/* Runs a statement expected to produce at most one integer; ERR_NOT_FOUND
 * when it produced none. */
static err_code one_int(db_stmt *st, int64_t *out) {
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    if (out) *out = db_col_int(st, 0);
    db_finish(st);
    return ERR_OK;
  }
  db_finish(st);
  return rc == DBR_DONE ? ERR_NOT_FOUND : db_rc_err(rc);
}

/* INSERT ... RETURNING id: ERR_CONFLICT on a unique/foreign key violation. */
static err_code insert_returning(db_stmt *st, int64_t *id_out) {
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    if (id_out) *id_out = db_col_int(st, 0);
    db_finish(st);
    return ERR_OK;
  }
  db_finish(st);
  if (rc == DBR_CONSTRAINT) return ERR_CONFLICT;
  return rc == DBR_DONE ? ERR_INTERNAL : db_rc_err(rc);
}

static err_code exec_done(db_stmt *st) {
  db_rc rc = db_step(st);
  db_finish(st);
  if (rc == DBR_DONE) return ERR_OK;
  if (rc == DBR_CONSTRAINT) return ERR_CONFLICT;
  return db_rc_err(rc);
}

#define ENTE_COLS                                                                       \
  "id, slug, name, fiscal_code, population, segregation_code, mail_istanze, mail_pec, " \
  "mail_info, support_phone, patron_day"

static void read_ente(db_stmt *st, arena *a, ente *e) {
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
  if (!st) return ERR_INTERNAL;
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
  return insert_returning(st, id_out);
}

err_code es_ente_find_slug(db *d, const char *slug, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE slug = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, slug);
  return one_int(st, id_out);
}

err_code es_ente_find_fiscal_code(db *d, const char *fiscal_code, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE fiscal_code = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, fiscal_code);
  return one_int(st, id_out);
}

err_code es_ente_exists(db *d, int64_t id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, id);
  return one_int(st, NULL);
}

/* Reads every row of st as an ente into a fresh arena array. */
static err_code read_entes(db_stmt *st, arena *a, ente **out, size_t *n) {
  ente *v = NULL;
  size_t cnt = 0, cap = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    v = grow(a, v, sizeof *v, cnt, &cap);
    read_ente(st, a, &v[cnt++]);
  }
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  *out = v;
  *n = cnt;
  return ERR_OK;
}

err_code es_ente_list(db *d, arena *a, ente **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT " ENTE_COLS " FROM ente ORDER BY name, id");
  if (!st) return ERR_INTERNAL;
  return read_entes(st, a, out, n);
}

err_code es_user_entes(db *d, arena *a, int64_t user_id, ente **out, size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT e.id, e.slug, e.name, e.fiscal_code, e.population, "
                           "e.segregation_code, e.mail_istanze, e.mail_pec, e.mail_info, "
                           "e.support_phone, e.patron_day FROM ente e JOIN user_ente ue ON "
                           "ue.ente_id = e.id WHERE ue.user_id = ? ORDER BY e.name, e.id");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, user_id);
  return read_entes(st, a, out, n);
}

/* One ente from st (already bound); ERR_NOT_FOUND when none. */
static err_code read_one_ente(db_stmt *st, arena *a, ente *out) {
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    memset(out, 0, sizeof *out);
    read_ente(st, a, out);
    db_finish(st);
    return ERR_OK;
  }
  db_finish(st);
  return rc == DBR_DONE ? ERR_NOT_FOUND : db_rc_err(rc);
}

err_code es_ente_get(db *d, arena *a, int64_t id, ente *out) {
  db_stmt *st = db_prepare(d, "SELECT " ENTE_COLS " FROM ente WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, id);
  return read_one_ente(st, a, out);
}

err_code es_ente_by_slug(db *d, arena *a, const char *slug, ente *out) {
  db_stmt *st = db_prepare(d, "SELECT " ENTE_COLS " FROM ente WHERE slug = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, slug);
  return read_one_ente(st, a, out);
}

err_code es_region_insert(db *d, const char *name, int64_t now, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "INSERT INTO region (name, created_at) VALUES (?, ?) RETURNING id");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, now);
  return insert_returning(st, id_out);
}

err_code es_region_list(db *d, arena *a, region **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT id, name FROM region ORDER BY name, id");
  if (!st) return ERR_INTERNAL;
  region *v = NULL;
  size_t cnt = 0, cap = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    v = grow(a, v, sizeof *v, cnt, &cap);
    v[cnt].id = db_col_int(st, 0);
    v[cnt].name = arena_strdup(a, db_col_text(st, 1));
    cnt++;
  }
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  *out = v;
  *n = cnt;
  return ERR_OK;
}

err_code es_region_by_name(db *d, arena *a, const char *name, region *out) {
  db_stmt *st = db_prepare(d, "SELECT id, name FROM region WHERE name = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, name);
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    out->id = db_col_int(st, 0);
    out->name = arena_strdup(a, db_col_text(st, 1));
    db_finish(st);
    return ERR_OK;
  }
  db_finish(st);
  return rc == DBR_DONE ? ERR_NOT_FOUND : db_rc_err(rc);
}

err_code es_region_exists(db *d, int64_t id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM region WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, id);
  return one_int(st, NULL);
}

err_code es_office_insert(db *d, const office *o, int64_t now, int64_t *id_out) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO office (region_id, code, name, city, created_at) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING id");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, o->region_id);
  db_bind_text(st, 2, o->code);
  db_bind_text(st, 3, o->name);
  db_bind_text(st, 4, o->city);
  db_bind_int(st, 5, now);
  return insert_returning(st, id_out);
}

err_code es_office_find_code(db *d, const char *code, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM office WHERE code = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, code);
  return one_int(st, id_out);
}

err_code es_office_region(db *d, int64_t id, int64_t *region_id) {
  db_stmt *st = db_prepare(d, "SELECT region_id FROM office WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, id);
  return one_int(st, region_id);
}

err_code es_office_list(db *d, arena *a, office **out, size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT o.id, o.region_id, r.name, o.code, o.name, o.city FROM office o "
                           "JOIN region r ON r.id = o.region_id ORDER BY r.name, o.code");
  if (!st) return ERR_INTERNAL;
  office *v = NULL;
  size_t cnt = 0, cap = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    v = grow(a, v, sizeof *v, cnt, &cap);
    office *o = &v[cnt++];
    o->id = db_col_int(st, 0);
    o->region_id = db_col_int(st, 1);
    o->region_name = arena_strdup(a, db_col_text(st, 2));
    o->code = arena_strdup(a, db_col_text(st, 3));
    o->name = arena_strdup(a, db_col_text(st, 4));
    o->city = arena_strdup(a, db_col_text(st, 5));
  }
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  *out = v;
  *n = cnt;
  return ERR_OK;
}

/* ---- users (kept here so all tenancy SQL sits in one file) ---- */

#define USER_COLS "id, username, full_name, email, role, region_id, office_id, active"

static void read_user(db_stmt *st, arena *a, user *u) {
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
  if (!st) return ERR_INTERNAL;
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
  return insert_returning(st, id_out);
}

err_code es_user_add_ente(db *d, int64_t user_id, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "INSERT INTO user_ente (user_id, ente_id) VALUES (?, ?)");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, ente_id);
  return exec_done(st);
}

err_code es_user_find_username(db *d, const char *username, int64_t *id_out) {
  db_stmt *st = db_prepare(d, "SELECT id FROM app_user WHERE username = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, username);
  return one_int(st, id_out);
}

err_code es_user_list(db *d, arena *a, user **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM app_user ORDER BY username");
  if (!st) return ERR_INTERNAL;
  user *v = NULL;
  size_t cnt = 0, cap = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    v = grow(a, v, sizeof *v, cnt, &cap);
    read_user(st, a, &v[cnt++]);
  }
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  *out = v;
  *n = cnt;
  return ERR_OK;
}

err_code es_user_get(db *d, arena *a, int64_t id, user *out) {
  db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM app_user WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, id);
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    memset(out, 0, sizeof *out);
    read_user(st, a, out);
    db_finish(st);
    return ERR_OK;
  }
  db_finish(st);
  return rc == DBR_DONE ? ERR_NOT_FOUND : db_rc_err(rc);
}

err_code es_user_by_username(db *d, arena *a, const char *username, user *out, char **hash_out) {
  db_stmt *st =
      db_prepare(d, "SELECT " USER_COLS ", password_hash FROM app_user WHERE username = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, username);
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) {
    memset(out, 0, sizeof *out);
    read_user(st, a, out);
    if (hash_out) *hash_out = arena_strdup(a, db_col_text(st, 8));
    db_finish(st);
    return ERR_OK;
  }
  db_finish(st);
  return rc == DBR_DONE ? ERR_NOT_FOUND : db_rc_err(rc);
}

err_code es_user_set_hash(db *d, int64_t id, const char *password_hash) {
  db_stmt *st = db_prepare(d, "UPDATE app_user SET password_hash = ? WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_text(st, 1, password_hash);
  db_bind_int(st, 2, id);
  db_rc rc = db_step(st);
  int64_t n = db_changes(st);
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  return n == 1 ? ERR_OK : ERR_NOT_FOUND;
}

err_code es_user_set_active(db *d, int64_t id, int active) {
  db_stmt *st = db_prepare(d, "UPDATE app_user SET active = ? WHERE id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, active ? 1 : 0);
  db_bind_int(st, 2, id);
  db_rc rc = db_step(st);
  int64_t n = db_changes(st);
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  return n == 1 ? ERR_OK : ERR_NOT_FOUND;
}

err_code es_user_ente_ids(db *d, arena *a, int64_t user_id, int64_t **out, size_t *n) {
  db_stmt *st = db_prepare(d, "SELECT ente_id FROM user_ente WHERE user_id = ? ORDER BY ente_id");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, user_id);
  int64_t *v = NULL;
  size_t cnt = 0, cap = 0;
  db_rc rc;
  while ((rc = db_step(st)) == DBR_ROW) {
    v = grow(a, v, sizeof *v, cnt, &cap);
    v[cnt++] = db_col_int(st, 0);
  }
  db_finish(st);
  if (rc != DBR_DONE) return db_rc_err(rc);
  *out = v;
  *n = cnt;
  return ERR_OK;
}

err_code es_user_has_ente(db *d, int64_t user_id, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "SELECT 1 FROM user_ente WHERE user_id = ? AND ente_id = ?");
  if (!st) return ERR_INTERNAL;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, ente_id);
  return one_int(st, NULL);
}

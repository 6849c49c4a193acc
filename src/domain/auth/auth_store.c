/* SQL for sessions, login failures and API tokens. */
#include <string.h>
#include "domain/auth/auth_store.h"

err_code as_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf,
                           int64_t now, int64_t expires_at, int64_t *id_out) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO session (token_hash, user_id, csrf, created_at, "
                           "expires_at, last_seen_at) VALUES (?,?,?,?,?,?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, token_hash);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, csrf);
  db_bind_int(st, 4, now);
  db_bind_int(st, 5, expires_at);
  db_bind_int(st, 6, now);
  return db_step_insert_id(st, id_out);
}

err_code as_session_prune(db *d, int64_t now) {
  db_stmt *st = db_prepare(d, "DELETE FROM session WHERE expires_at <= ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, now);
  return db_step_exec(st, NULL);
}

err_code as_session_find(db *d, arena *a, const char *token_hash, int64_t now, session *s, user *u,
                         int64_t *last_seen) {
  db_stmt *st = db_prepare(
      d,
      "SELECT s.id, s.user_id, s.csrf, s.expires_at, s.last_seen_at, u.username, u.full_name, "
      "u.email, u.role, u.region_id, u.office_id, u.active FROM session s JOIN app_user u ON "
      "u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, token_hash);
  db_bind_int(st, 2, now);
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  memset(s, 0, sizeof *s);
  memset(u, 0, sizeof *u);
  s->id = db_col_int(st, 0);
  s->user_id = db_col_int(st, 1);
  s->csrf = arena_strdup(a, db_col_text(st, 2));
  s->expires_at = db_col_int(st, 3);
  *last_seen = db_col_int(st, 4);
  u->id = s->user_id;
  u->username = arena_strdup(a, db_col_text(st, 5));
  u->full_name = arena_strdup(a, db_col_text(st, 6));
  u->email = arena_strdup(a, db_col_text(st, 7));
  u->role = role_parse(db_col_text(st, 8));
  u->region_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
  u->office_id = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
  u->active = (int)db_col_int(st, 11);
  db_finish(st);
  return ERR_OK;
}

err_code as_session_touch(db *d, int64_t id, int64_t now) {
  db_stmt *st = db_prepare(d, "UPDATE session SET last_seen_at = ? WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  return db_step_exec(st, NULL);
}

err_code as_session_owner(db *d, const char *token_hash, int64_t *id, int64_t *user_id) {
  db_stmt *st = db_prepare(d, "SELECT id, user_id FROM session WHERE token_hash = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, token_hash);
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  *id = db_col_int(st, 0);
  *user_id = db_col_int(st, 1);
  db_finish(st);
  return ERR_OK;
}

err_code as_session_delete(db *d, int64_t id) {
  db_stmt *st = db_prepare(d, "DELETE FROM session WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_exec(st, NULL);
}

err_code as_user_active(db *d, int64_t user_id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM app_user WHERE id = ? AND active = 1");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, user_id);
  return db_step_int(st, NULL);
}

err_code as_failure_stats(db *d, const char *key, int64_t since, int64_t *count, int64_t *first,
                          int64_t *last) {
  return db_get(d, NULL,
                "SELECT COUNT(*), COALESCE(MIN(failed_at), 0), COALESCE(MAX(failed_at), 0) "
                "FROM login_failure WHERE throttle_key = ? AND failed_at > ?",
                PARAMS(P_TEXT(key), P_INT(since)), RESULTS(R_INT(count), R_INT(first), R_INT(last)));
}

err_code as_failure_insert(db *d, const char *key, int64_t now, int64_t *id_out) {
  db_stmt *st = db_prepare(
      d, "INSERT INTO login_failure (throttle_key, failed_at) VALUES (?, ?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, key);
  db_bind_int(st, 2, now);
  return db_step_insert_id(st, id_out);
}

err_code as_failure_prune(db *d, int64_t before) {
  db_stmt *st = db_prepare(d, "DELETE FROM login_failure WHERE failed_at < ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, before);
  return db_step_exec(st, NULL);
}

err_code as_failure_clear(db *d, const char *key) {
  db_stmt *st = db_prepare(d, "DELETE FROM login_failure WHERE throttle_key = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, key);
  return db_step_exec(st, NULL);
}

err_code as_failure_delete(db *d, int64_t id) {
  return db_exec(d, "DELETE FROM login_failure WHERE id = ?", PARAMS(P_INT(id)), NULL);
}

err_code as_known_find(db *d, const char *account, const char *address, int64_t since) {
  return db_get(d, NULL,
                "SELECT last_success_at FROM login_known WHERE account = ? AND address = ? AND "
                "last_success_at > ?",
                PARAMS(P_TEXT(account), P_TEXT(address), P_INT(since)), RESULTS(R_SKIP));
}

err_code as_known_upsert(db *d, const char *account, const char *address, int64_t now) {
  return db_exec(d,
                 "INSERT INTO login_known (account, address, last_success_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (account, address) DO UPDATE SET last_success_at = "
                 "excluded.last_success_at",
                 PARAMS(P_TEXT(account), P_TEXT(address), P_INT(now)), NULL);
}

err_code as_known_prune(db *d, int64_t before) {
  return db_exec(d, "DELETE FROM login_known WHERE last_success_at < ?", PARAMS(P_INT(before)),
                 NULL);
}

err_code as_secret_get(db *d, arena *a, const char *name, char **value) {
  return db_get(d, a, "SELECT value FROM server_secret WHERE name = ?", PARAMS(P_TEXT(name)),
                RESULTS(R_DUP(value)));
}

err_code as_secret_insert(db *d, const char *name, const char *value, int64_t now) {
  return db_exec(d,
                 "INSERT INTO server_secret (name, value, created_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (name) DO NOTHING",
                 PARAMS(P_TEXT(name), P_TEXT(value), P_INT(now)), NULL);
}

err_code as_token_insert(db *d, const char *name, const char *token_hash, int64_t now,
                         int64_t *id_out) {
  db_stmt *st = db_prepare(
      d, "INSERT INTO api_token (name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, name);
  db_bind_text(st, 2, token_hash);
  db_bind_int(st, 3, now);
  return db_step_insert_id(st, id_out);
}

err_code as_token_add_ente(db *d, int64_t token_id, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "INSERT INTO api_token_ente (token_id, ente_id) VALUES (?, ?)");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, token_id);
  db_bind_int(st, 2, ente_id);
  return db_step_exec(st, NULL);
}

err_code as_ente_exists(db *d, int64_t ente_id) {
  db_stmt *st = db_prepare(d, "SELECT id FROM ente WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, ente_id);
  return db_step_int(st, NULL);
}

/* The Enti of token id, as an arena array. */
static err_code token_entes(db *d, arena *a, int64_t id, int64_t **out, size_t *n) {
  db_stmt *st =
      db_prepare(d, "SELECT ente_id FROM api_token_ente WHERE token_id = ? ORDER BY ente_id");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, db_row_int, n, &rc);
  return rc;
}

/* db_row_fn for "id, name" of api_token (the Enti are read apart). */
static void read_token(db_stmt *st, arena *a, void *item) {
  api_token *t = item;
  t->id = db_col_int(st, 0);
  t->name = arena_strdup(a, db_col_text(st, 1));
}

err_code as_token_find(db *d, arena *a, const char *token_hash, api_token *out) {
  db_stmt *st =
      db_prepare(d, "SELECT id, name FROM api_token WHERE token_hash = ? AND revoked_at IS NULL");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, token_hash);
  err_code rc = db_step_one(st, a, sizeof *out, read_token, out);
  if (rc != ERR_OK) return rc;
  return token_entes(d, a, out->id, &out->ente_ids, &out->n_ente);
}

err_code as_token_revoke(db *d, int64_t id, int64_t now) {
  db_stmt *st =
      db_prepare(d, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  return db_step_exec_one(st);
}

err_code as_token_list(db *d, arena *a, api_token **out, size_t *n) {
  db_stmt *st =
      db_prepare(d, "SELECT id, name FROM api_token WHERE revoked_at IS NULL ORDER BY id");
  if (!st) return ERR_STORAGE;
  size_t cnt;
  err_code rc;
  api_token *v = db_step_rows(st, a, sizeof *v, read_token, &cnt, &rc);
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < cnt; i++) {
    rc = token_entes(d, a, v[i].id, &v[i].ente_ids, &v[i].n_ente);
    if (rc != ERR_OK) return rc;
  }
  *out = v;
  *n = cnt;
  return ERR_OK;
}

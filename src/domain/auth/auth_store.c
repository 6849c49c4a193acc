/* SQL for sessions, login failures and API tokens. */
#include <string.h>
#include "domain/auth/auth_store.h"

err_code as_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t now,
                           int64_t expires_at, int64_t *id_out) {
  return db_insert(
      d,
      "INSERT INTO session (token_hash, user_id, csrf, created_at, "
      "expires_at, last_seen_at) VALUES (?,?,?,?,?,?) RETURNING id",
      PARAMS(P_TEXT(token_hash), P_INT(user_id), P_TEXT(csrf), P_INT(now), P_INT(expires_at), P_INT(now)),
      id_out);
}

err_code as_session_prune(db *d, int64_t now) {
  return db_exec(d, "DELETE FROM session WHERE expires_at <= ?", PARAMS(P_INT(now)), NULL);
}

/* a session with its user (the user's columns as the ente area maps them) */
typedef struct {
  user u;
  session s;
  int64_t last_seen;
} session_row;
static const db_result SESSION_ROW[] = {USER_FIELDS(session_row, u),   F_INT(session_row, s.id),
                                        F_DUP(session_row, s.csrf),    F_INT(session_row, s.expires_at),
                                        F_INT(session_row, last_seen), F_END};

err_code as_session_find(db *d, arena *a, const char *token_hash, int64_t now, session *s, user *u,
                         int64_t *last_seen) {
  session_row row;
  err_code rc = db_get_into(d, a,
                            "SELECT " USER_SQL_COLS
                            ", s.id, s.csrf, s.expires_at, s.last_seen_at "
                            "FROM session s JOIN app_user u ON u.id = s.user_id "
                            "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
                            PARAMS(P_TEXT(token_hash), P_INT(now)), SESSION_ROW, &row);
  if (rc != ERR_OK) return rc;
  row.s.user_id = row.u.id;
  *s = row.s;
  *u = row.u;
  *last_seen = row.last_seen;
  return ERR_OK;
}

err_code as_session_touch(db *d, int64_t id, int64_t now) {
  return db_exec(d, "UPDATE session SET last_seen_at = ? WHERE id = ?", PARAMS(P_INT(now), P_INT(id)), NULL);
}

err_code as_session_owner(db *d, const char *token_hash, int64_t *id, int64_t *user_id) {
  return db_get(d, NULL, "SELECT id, user_id FROM session WHERE token_hash = ?", PARAMS(P_TEXT(token_hash)),
                RESULTS(R_INT(id), R_INT(user_id)));
}

err_code as_session_delete(db *d, int64_t id) {
  return db_exec(d, "DELETE FROM session WHERE id = ?", PARAMS(P_INT(id)), NULL);
}

err_code as_user_active(db *d, int64_t user_id) {
  return db_get(d, NULL, "SELECT id FROM app_user WHERE id = ? AND active = 1", PARAMS(P_INT(user_id)), NULL);
}

err_code as_failure_stats(db *d, const char *key, int64_t since, int64_t *count, int64_t *first,
                          int64_t *last) {
  return db_get(d, NULL,
                "SELECT COUNT(*), COALESCE(MIN(failed_at), 0), COALESCE(MAX(failed_at), 0) "
                "FROM login_failure WHERE throttle_key = ? AND failed_at > ?",
                PARAMS(P_TEXT(key), P_INT(since)), RESULTS(R_INT(count), R_INT(first), R_INT(last)));
}

err_code as_failure_insert(db *d, const char *key, int64_t now, int64_t *id_out) {
  return db_insert(d, "INSERT INTO login_failure (throttle_key, failed_at) VALUES (?, ?) RETURNING id",
                   PARAMS(P_TEXT(key), P_INT(now)), id_out);
}

err_code as_failure_prune(db *d, int64_t before) {
  return db_exec(d, "DELETE FROM login_failure WHERE failed_at < ?", PARAMS(P_INT(before)), NULL);
}

err_code as_failure_clear(db *d, const char *key) {
  return db_exec(d, "DELETE FROM login_failure WHERE throttle_key = ?", PARAMS(P_TEXT(key)), NULL);
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
  return db_exec(d, "DELETE FROM login_known WHERE last_success_at < ?", PARAMS(P_INT(before)), NULL);
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

err_code as_token_insert(db *d, const char *name, const char *token_hash, int64_t now, int64_t *id_out) {
  return db_insert(d, "INSERT INTO api_token (name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
                   PARAMS(P_TEXT(name), P_TEXT(token_hash), P_INT(now)), id_out);
}

err_code as_token_add_ente(db *d, int64_t token_id, int64_t ente_id) {
  return db_exec(d, "INSERT INTO api_token_ente (token_id, ente_id) VALUES (?, ?)",
                 PARAMS(P_INT(token_id), P_INT(ente_id)), NULL);
}

err_code as_ente_exists(db *d, int64_t ente_id) {
  return db_get(d, NULL, "SELECT id FROM ente WHERE id = ?", PARAMS(P_INT(ente_id)), NULL);
}

static const db_result ID_ROW[] = {F_SELF_INT, F_END};
/* "id, name" of api_token (the Enti are read apart) */
static const db_result TOKEN_ROW[] = {F_INT(api_token, id), F_DUP(api_token, name), F_END};

/* The Enti of token t. */
static err_code token_entes(db *d, arena *a, api_token *t) {
  err_code rc;
  t->ente_ids = db_list(d, a, "SELECT ente_id FROM api_token_ente WHERE token_id = ? ORDER BY ente_id",
                        PARAMS(P_INT(t->id)), ID_ROW, sizeof(int64_t), &t->n_ente, &rc);
  return rc;
}

err_code as_token_find(db *d, arena *a, const char *token_hash, api_token *out) {
  err_code rc =
      db_get_into(d, a, "SELECT id, name FROM api_token WHERE token_hash = ? AND revoked_at IS NULL",
                  PARAMS(P_TEXT(token_hash)), TOKEN_ROW, out);
  return rc == ERR_OK ? token_entes(d, a, out) : rc;
}

err_code as_token_revoke(db *d, int64_t id, int64_t now) {
  return db_exec_one(d, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                     PARAMS(P_INT(now), P_INT(id)));
}

err_code as_token_list(db *d, arena *a, api_token **out, size_t *n) {
  size_t cnt;
  err_code rc;
  api_token *v = db_list(d, a, "SELECT id, name FROM api_token WHERE revoked_at IS NULL ORDER BY id", NULL,
                         TOKEN_ROW, sizeof(api_token), &cnt, &rc);
  for (size_t i = 0; rc == ERR_OK && i < cnt; i++) rc = token_entes(d, a, &v[i]);
  if (rc != ERR_OK) return rc;
  *out = v;
  *n = cnt;
  return ERR_OK;
}

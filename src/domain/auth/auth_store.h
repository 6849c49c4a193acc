/* Internal: the SQL behind auth.h (sessions, login failures, API tokens).
 * Tokens arrive here already hashed (hex SHA-256). */
#ifndef SP_AUTH_STORE_H
#define SP_AUTH_STORE_H
#include "domain/auth/auth.h"

err_code as_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf,
                           int64_t now, int64_t expires_at, int64_t *id_out);
err_code as_session_prune(db *d, int64_t now);
/* The live session (expires_at > now) with its active user. *last_seen
 * gets the stored last_seen_at. */
err_code as_session_find(db *d, arena *a, const char *token_hash, int64_t now, session *s, user *u,
                         int64_t *last_seen);
err_code as_session_touch(db *d, int64_t id, int64_t now);
/* Session id and user for a hash regardless of expiry; ERR_NOT_FOUND. */
err_code as_session_owner(db *d, const char *token_hash, int64_t *id, int64_t *user_id);
err_code as_session_delete(db *d, int64_t id);
/* ERR_OK when the user exists and is active, ERR_NOT_FOUND otherwise. */
err_code as_user_active(db *d, int64_t user_id);

/* Failures (and attempts in flight) of key after since: how many, the
 * oldest and the newest time (0 when none). */
err_code as_failure_stats(db *d, const char *key, int64_t since, int64_t *count,
                          int64_t *first, int64_t *last);
err_code as_failure_insert(db *d, const char *key, int64_t now, int64_t *id_out);
err_code as_failure_delete(db *d, int64_t id);
err_code as_failure_prune(db *d, int64_t before);
err_code as_failure_clear(db *d, const char *key);
/* ERR_OK when account signed in from address after since, else ERR_NOT_FOUND. */
err_code as_known_find(db *d, const char *account, const char *address, int64_t since);
err_code as_known_upsert(db *d, const char *account, const char *address, int64_t now);
err_code as_known_prune(db *d, int64_t before);

/* server_secret rows: ERR_NOT_FOUND when absent; insert keeps an existing row. */
err_code as_secret_get(db *d, arena *a, const char *name, char **value);
err_code as_secret_insert(db *d, const char *name, const char *value, int64_t now);

err_code as_token_insert(db *d, const char *name, const char *token_hash, int64_t now,
                         int64_t *id_out);
err_code as_token_add_ente(db *d, int64_t token_id, int64_t ente_id);
err_code as_ente_exists(db *d, int64_t ente_id);
/* Unrevoked token by hash, with its Enti. */
err_code as_token_find(db *d, arena *a, const char *token_hash, api_token *out);
err_code as_token_revoke(db *d, int64_t id, int64_t now);
err_code as_token_list(db *d, arena *a, api_token **out, size_t *n);

#endif

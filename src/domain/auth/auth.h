/* Sessions for signed-in users, login throttling, and API tokens. Secrets
 * (session ids, tokens) are random 32-byte values handed out base64url
 * encoded; only their SHA-256 is stored. */
#ifndef SP_AUTH_H
#define SP_AUTH_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "domain/ente/ente.h"

typedef struct {
  int64_t id;
  int64_t user_id;
  char *csrf;         /* per-session CSRF token for forms */
  int64_t expires_at; /* Unix seconds */
} session;

/* Creates a session valid for ttl seconds; *token_out is the cookie value
 * (allocated in a). Used at sign-in (a new id every time: rotation). */
err_code session_create(db *d, arena *a, int64_t user_id, int64_t ttl, char **token_out,
                        session *out);
/* Finds the live session for a cookie value and its (active) user;
 * ERR_UNAUTHORIZED when missing, expired or the user is disabled. */
err_code session_lookup(db *d, arena *a, const char *token, session *s, user *u);
err_code session_destroy(db *d, const char *token);

/* Login throttling keyed by a string (client address, username):
 * ERR_RATE_LIMITED when max or more failures happened within the last
 * window seconds. */
err_code login_throttle_check(db *d, const char *key, int max, int64_t window);
void login_throttle_fail(db *d, const char *key);
void login_throttle_clear(db *d, const char *key);

/* Housekeeping: deletes expired sessions and login failures older than a
 * day. Run by the job loop. */
err_code auth_prune(db *d, int64_t now);

typedef struct {
  int64_t id;
  char *name;
  int64_t *ente_ids; /* the Enti the token may act on */
  size_t n_ente;
} api_token;

/* Creates a token scoped to the given Enti; *token_out is shown once. */
err_code api_token_create(db *d, arena *a, const char *name, const int64_t *ente_ids,
                          size_t n_ente, const actor *who, char **token_out, int64_t *id_out,
                          problem *pb);
/* ERR_UNAUTHORIZED for an unknown or revoked token. */
err_code api_token_lookup(db *d, arena *a, const char *token, api_token *out);
/* ERR_OK if the token may act on ente_id, ERR_NOT_FOUND otherwise. */
err_code api_token_check_ente(const api_token *t, int64_t ente_id);
/* Revokes a token for good; ERR_NOT_FOUND when unknown or already revoked. */
err_code api_token_revoke(db *d, int64_t id, const actor *who);
/* Tokens not revoked, oldest first, with their Enti (never the secret). */
err_code api_token_list(db *d, arena *a, api_token **out, size_t *n);

#endif

/* Sessions for signed-in users, login throttling, and API tokens. Secrets
 * (session ids, tokens) are random 32-byte values handed out base64url
 * encoded; only their SHA-256 is stored. Sign-in throttling (login.c) and
 * the server key (auth_key.c). */
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

/* ---- the server key ----
 * One key per installation signs anonymous CSRF tokens and device cookies:
 * derived from `configured` (security.secret_key) when not empty, otherwise
 * generated at random on first use and kept in the database (server_secret),
 * so every process sharing the database agrees. Loaded once per process
 * (thread-safe, later calls return at once); never logged. */
err_code auth_key_ensure(db *d, const char *configured);

/* Anonymous forms (the sign-in form): the pre-session cookie holds a random
 * value chosen by the server; the form token is a time stamp and
 * HMAC(key, cookie || stamp), so a pair an attacker makes up is refused.
 * NULL before auth_key_ensure succeeded. */
char *auth_anon_csrf_token(arena *a, const char *cookie);
/* 1 when token was issued for cookie less than max_age seconds ago. */
int auth_anon_csrf_ok(const char *cookie, const char *token, int64_t max_age);

/* ---- sign-in ---- */

/* Lifetime of the device cookie a successful sign-in hands out. */
#define AUTH_DEVICE_TTL (180 * 86400)

typedef struct {
  const char *username, *password; /* as typed */
  const char *address;             /* client address */
  const char *device;              /* device cookie presented, or NULL */
  int max_failures;                /* N: security.login_max_failures */
  int64_t window;                  /* W: security.login_window_seconds */
} login_request;

typedef struct {
  user u;              /* ERR_OK: the user */
  char *device;        /* ERR_OK: device cookie value to (re)set */
  int64_t retry_after; /* ERR_LOGIN_THROTTLED: seconds before another try */
} login_result;

/* Checks a sign-in against the throttles and the password (design at the
 * top of login.c and in docs/architecture.md). ERR_OK, ERR_LOGIN_FAILED
 * (unknown user, wrong password, disabled: one answer), ERR_LOGIN_THROTTLED
 * (decided before the password is looked at; retry_after set), ERR_INVALID
 * (empty or over-long username or address). Needs auth_key_ensure first. */
err_code auth_login(db *d, arena *a, const login_request *in, login_result *out);

/* Housekeeping: deletes expired sessions, login failures older than a day
 * and known sign-in addresses older than 30 days. Run by the job loop. */
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

/* Sessions, login throttling and API tokens. Secrets are 32 random bytes
 * handed out base64url encoded (43 chars); the database only ever sees the
 * hex SHA-256 of a secret, so a leaked table does not open sessions. */
#include "domain/auth/auth.h"
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "core/clock.h"
#include "domain/auth/auth_internal.h"
#include "domain/auth/auth_store.h"

enum {
  SECRET_BYTES = 32,
  TOKEN_CHARS = 43, /* base64url of 32 bytes, no padding */
  HASH_HEX = 2 * crypto_hash_sha256_BYTES + 1,
  TOUCH_EVERY = 60 /* seconds between last_seen_at updates */
};

/* A fresh random secret, base64url encoded into out (allocated in a). */
static char *new_secret(arena *a) {
  unsigned char raw[SECRET_BYTES];
  randombytes_buf(raw, sizeof raw);
  size_t len = sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = arena_alloc(a, len);
  sodium_bin2base64(out, len, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
  return out;
}

static void sha256_hex(const char *s, char out[HASH_HEX]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
  sodium_bin2hex(out, HASH_HEX, h, sizeof h);
}

/* Only strings shaped like our secrets are worth a database query. */
static int secret_shape_ok(const char *t) {
  if (!t || strlen(t) != TOKEN_CHARS) return 0;
  for (const char *p = t; *p; p++) {
    char c = *p;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return 0;
  }
  return 1;
}

static err_code audit(db *d, actor who, int64_t ente_id, const char *action, const char *type,
                      int64_t id, json_t *after) {
  return audit_write_json(d, &who, ente_id, action, type, id, NULL, after);
}

/* ---- sessions ---- */

typedef struct {
  int64_t user_id, now, expires_at;
  const char *hash, *csrf;
  int64_t id;
} session_tx;

static err_code session_create_tx(db *d, void *ctx) {
  session_tx *t = ctx;
  t->id = 0;
  err_code rc = as_user_active(d, t->user_id);
  if (rc == ERR_NOT_FOUND) return ERR_UNAUTHORIZED;
  if (rc != ERR_OK) return rc;
  rc = as_session_insert(d, t->hash, t->user_id, t->csrf, t->now, t->expires_at, &t->id);
  if (rc != ERR_OK) return rc == ERR_CONFLICT ? ERR_INTERNAL : rc;
  /* Housekeeping now and then, in step with sign-ins. */
  if (t->id % 64 == 0 && (rc = as_session_prune(d, t->now)) != ERR_OK) return rc;
  actor who = {"user", t->user_id};
  return audit(d, who, 0, "session.create", "session", t->id,
               json_pack("{s:I, s:I}", "user_id", (json_int_t)t->user_id, "expires_at",
                         (json_int_t)t->expires_at));
}

err_code session_create(db *d, arena *a, int64_t user_id, int64_t ttl, char **token_out,
                        session *out) {
  if (ttl <= 0 || user_id <= 0) return ERR_INVALID;
  if (sodium_init() < 0) return ERR_INTERNAL;
  char *token = new_secret(a);
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  session_tx t = {user_id, clock_now(), 0, hash, new_secret(a), 0};
  t.expires_at = t.now + ttl;
  err_code rc = db_tx(d, session_create_tx, &t);
  if (rc != ERR_OK) return rc;
  if (out) {
    out->id = t.id;
    out->user_id = user_id;
    out->csrf = (char *)t.csrf;
    out->expires_at = t.expires_at;
  }
  *token_out = token;
  return ERR_OK;
}

typedef struct {
  int64_t id, now;
} touch_tx;

static err_code session_touch_tx(db *d, void *ctx) {
  touch_tx *t = ctx;
  return as_session_touch(d, t->id, t->now);
}

err_code session_lookup(db *d, arena *a, const char *token, session *s, user *u) {
  if (!secret_shape_ok(token)) return ERR_UNAUTHORIZED;
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  int64_t now = clock_now(), last_seen = 0;
  err_code rc = as_session_find(d, a, hash, now, s, u, &last_seen);
  if (rc == ERR_NOT_FOUND) return ERR_UNAUTHORIZED;
  if (rc != ERR_OK) return rc;
  /* At most one write a minute per session, whatever the request rate, in
   * its own transaction (which ends a request's read snapshot first; db_tx
   * opens a fresh one after). A failed touch does not deny a valid
   * session. */
  if (now - last_seen >= TOUCH_EVERY) {
    touch_tx t = {s->id, now};
    (void)db_tx(d, session_touch_tx, &t);
  }
  return ERR_OK;
}

typedef struct {
  const char *hash;
} destroy_tx;

static err_code session_destroy_tx(db *d, void *ctx) {
  destroy_tx *t = ctx;
  int64_t id = 0, user_id = 0;
  err_code rc = as_session_owner(d, t->hash, &id, &user_id);
  if (rc == ERR_NOT_FOUND) return ERR_OK; /* already gone: signing out twice is fine */
  if (rc != ERR_OK) return rc;
  if ((rc = as_session_delete(d, id)) != ERR_OK) return rc;
  actor who = {"user", user_id};
  return audit(d, who, 0, "session.destroy", "session", id,
               json_pack("{s:I}", "user_id", (json_int_t)user_id));
}

err_code session_destroy(db *d, const char *token) {
  if (!secret_shape_ok(token)) return ERR_OK;
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  destroy_tx t = {hash};
  return db_tx(d, session_destroy_tx, &t);
}

/* ---- housekeeping ---- */

typedef struct {
  int64_t now;
} prune_tx;

static err_code prune_tx_fn(db *d, void *ctx) {
  prune_tx *t = ctx;
  err_code rc = as_session_prune(d, t->now);
  if (rc == ERR_OK) rc = as_failure_prune(d, t->now - AUTH_FAILURE_KEEP);
  if (rc == ERR_OK) rc = as_known_prune(d, t->now - AUTH_KNOWN_KEEP);
  return rc;
}

/* Housekeeping only (no audit rows): expired sessions can no longer be
 * used, old failures no longer count toward any throttle window and old
 * known addresses no longer count as known. */
err_code auth_prune(db *d, int64_t now) {
  prune_tx t = {now};
  return db_tx(d, prune_tx_fn, &t);
}

/* ---- API tokens ---- */

typedef struct {
  const char *name, *hash;
  const int64_t *ente_ids;
  size_t n_ente;
  actor who;
  problem *pb;
  int64_t id;
} token_tx;

static err_code token_create_tx(db *d, void *ctx) {
  token_tx *t = ctx;
  t->id = 0;
  json_t *entes = json_array();
  for (size_t i = 0; i < t->n_ente; i++) {
    err_code rc = as_ente_exists(d, t->ente_ids[i]);
    if (rc != ERR_OK) {
      json_decref(entes);
      if (rc != ERR_NOT_FOUND) return rc;
      if (t->pb) *t->pb = (problem){ERR_INVALID, "ente_ids", "Uno degli Enti indicati non esiste."};
      return ERR_INVALID;
    }
    json_array_append_new(entes, json_integer(t->ente_ids[i]));
  }
  err_code rc = as_token_insert(d, t->name, t->hash, clock_now(), &t->id);
  for (size_t i = 0; rc == ERR_OK && i < t->n_ente; i++)
    rc = as_token_add_ente(d, t->id, t->ente_ids[i]);
  if (rc != ERR_OK) {
    json_decref(entes);
    return rc == ERR_CONFLICT ? ERR_INTERNAL : rc;
  }
  return audit(d, t->who, t->n_ente == 1 ? t->ente_ids[0] : 0, "api_token.create", "api_token",
               t->id, json_pack("{s:s, s:o}", "name", t->name, "ente_ids", entes));
}

err_code api_token_create(db *d, arena *a, const char *name, const int64_t *ente_ids, size_t n_ente,
                          const actor *who, char **token_out, int64_t *id_out, problem *pb) {
  size_t nlen = name ? strlen(name) : 0;
  if (nlen == 0 || nlen > 100) {
    if (pb)
      *pb = (problem){ERR_INVALID, "name",
                      "Il nome del token è obbligatorio (massimo 100 caratteri)."};
    return ERR_INVALID;
  }
  int64_t *ids = ARENA_ARRAY(a, int64_t, n_ente ? n_ente : 1);
  size_t n_ids = 0;
  for (size_t i = 0; i < n_ente; i++) {
    size_t j = 0;
    while (j < n_ids && ids[j] != ente_ids[i]) j++;
    if (j == n_ids) ids[n_ids++] = ente_ids[i];
  }
  if (n_ids == 0) {
    if (pb) *pb = (problem){ERR_INVALID, "ente_ids", "Indica almeno un Ente per il token."};
    return ERR_INVALID;
  }
  if (sodium_init() < 0) return ERR_INTERNAL;
  char *token = new_secret(a);
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  static const actor sys = {"system", 0};
  token_tx t = {name, hash, ids, n_ids, who ? *who : sys, pb, 0};
  err_code rc = db_tx(d, token_create_tx, &t);
  if (rc != ERR_OK) return rc;
  *token_out = token;
  if (id_out) *id_out = t.id;
  return ERR_OK;
}

err_code api_token_lookup(db *d, arena *a, const char *token, api_token *out) {
  if (!secret_shape_ok(token)) return ERR_UNAUTHORIZED;
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  err_code rc = as_token_find(d, a, hash, out);
  return rc == ERR_NOT_FOUND ? ERR_UNAUTHORIZED : rc;
}

err_code api_token_check_ente(const api_token *t, int64_t ente_id) {
  for (size_t i = 0; t && i < t->n_ente; i++)
    if (t->ente_ids[i] == ente_id) return ERR_OK;
  return ERR_NOT_FOUND;
}

typedef struct {
  int64_t id;
  actor who;
} revoke_tx;

static err_code token_revoke_tx(db *d, void *ctx) {
  revoke_tx *t = ctx;
  err_code rc = as_token_revoke(d, t->id, clock_now());
  if (rc != ERR_OK) return rc;
  return audit(d, t->who, 0, "api_token.revoke", "api_token", t->id,
               json_pack("{s:b}", "revoked", 1));
}

err_code api_token_revoke(db *d, int64_t id, const actor *who) {
  static const actor sys = {"system", 0};
  revoke_tx t = {id, who ? *who : sys};
  return db_tx(d, token_revoke_tx, &t);
}

err_code api_token_list(db *d, arena *a, api_token **out, size_t *n) {
  return as_token_list(d, a, out, n);
}

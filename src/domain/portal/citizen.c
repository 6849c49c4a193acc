/* Citizens' sessions (separate from staff sessions: own table, cookie and
 * CSRF token) and the OpenID Connect sign-ins in progress. Secrets are 32
 * random bytes base64url encoded; the database sees only their SHA-256. */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/validate.h"
#include "domain/portal/portal_store.h"

enum { SECRET_BYTES = 32, TOKEN_CHARS = 43, HASH_HEX = 2 * crypto_hash_sha256_BYTES + 1 };

static char *b64url(arena *a, const unsigned char *raw, size_t n) {
  size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = arena_alloc(a, len);
  sodium_bin2base64(out, len, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

static char *new_secret(arena *a) {
  unsigned char raw[SECRET_BYTES];
  randombytes_buf(raw, sizeof raw);
  char *s = b64url(a, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  return s;
}

static void sha256_hex(const char *s, char out[HASH_HEX]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
  sodium_bin2hex(out, HASH_HEX, h, sizeof h);
}

static int secret_shape_ok(const char *t) {
  if (!t || strlen(t) != TOKEN_CHARS) return 0;
  for (const char *p = t; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
          *p == '_'))
      return 0;
  return 1;
}

/* ---- sessions ---- */

typedef struct {
  citizen *c;
  const char *hash;
  int64_t now;
} create_tx;

static err_code citizen_create_tx(db *d, void *ctx) {
  create_tx *t = ctx;
  err_code rc = ps_citizen_insert(d, t->hash, t->c, t->now, &t->c->id);
  if (rc != ERR_OK) return rc;
  if (t->c->id % 64 == 0 && (rc = ps_prune(d, t->now)) != ERR_OK) return rc;
  actor who = {"citizen", t->c->id};
  /* who signed in, at which level and through what: never the cookie */
  json_t *after = json_pack("{s:s, s:s?, s:s}", "fiscal_code", t->c->fiscal_code, "acr", t->c->acr,
                            "provider", t->c->provider);
  return audit_write_json(d, &who, 0, "citizen.signin", "citizen_session", t->c->id, NULL, after);
}

err_code citizen_session_create(db *d, arena *a, const char *fiscal_code, const char *name, const char *acr,
                                const char *provider, int64_t ttl, char **token_out, citizen *out) {
  if (!fiscal_code || validate_codice_fiscale(fiscal_code)) return ERR_INVALID;
  if ((name && strlen(name) > 200) || (acr && strlen(acr) > 200)) return ERR_INVALID;
  char *token = new_secret(a);
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  int64_t now = clock_now();
  *out = (citizen){0,
                   arena_strdup(a, fiscal_code),
                   name ? arena_strdup(a, name) : NULL,
                   acr ? arena_strdup(a, acr) : NULL,
                   arena_strdup(a, provider),
                   new_secret(a),
                   now + ttl};
  create_tx t = {out, hash, now};
  err_code rc = db_tx(d, citizen_create_tx, &t);
  if (rc == ERR_OK) *token_out = token;
  return rc;
}

err_code citizen_session_lookup(db *d, arena *a, const char *token, citizen *out) {
  if (!secret_shape_ok(token)) return ERR_UNAUTHORIZED;
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  err_code rc = ps_citizen_find(d, a, hash, clock_now(), out);
  return rc == ERR_NOT_FOUND ? ERR_UNAUTHORIZED : rc;
}

void citizen_session_queue(db_batch *b, const char *token, citizen *out, int *found) {
  *found = 0;
  if (!secret_shape_ok(token)) return;
  char *hash = arena_alloc(b->a, HASH_HEX);
  sha256_hex(token, hash);
  ps_citizen_find_queue(b, hash, clock_now(), out, found);
}

typedef struct {
  const char *hash;
  arena *a;
} destroy_tx;

static err_code citizen_destroy_tx(db *d, void *ctx) {
  destroy_tx *t = ctx;
  int64_t id;
  char *cf;
  err_code rc = ps_citizen_delete(d, t->hash, &id, &cf, t->a);
  if (rc != ERR_OK) return rc;
  actor who = {"citizen", id};
  return audit_write_json(d, &who, 0, "citizen.signout", "citizen_session", id, NULL, json_object());
}

err_code citizen_session_destroy(db *d, const char *token) {
  if (!secret_shape_ok(token)) return ERR_NOT_FOUND;
  char hash[HASH_HEX];
  sha256_hex(token, hash);
  arena *a = arena_new();
  destroy_tx t = {hash, a};
  err_code rc = db_tx(d, citizen_destroy_tx, &t);
  arena_free(a);
  return rc;
}

/* ---- OpenID Connect sign-ins in progress ---- */

typedef struct {
  const char *hash;
  const oidc_pending *p;
  int64_t now, expires;
} pending_tx;

static err_code pending_put_tx(db *d, void *ctx) {
  pending_tx *t = ctx;
  if (t->now % 16 == 0) { /* now and then, drop what expired */
    err_code rc = ps_prune(d, t->now);
    if (rc != ERR_OK) return rc;
  }
  return ps_oidc_insert(d, t->hash, t->p, t->now, t->expires);
}

err_code oidc_pending_begin(db *d, arena *a, int64_t ente_id, const char *return_path, int64_t ttl,
                            oidc_pending *out) {
  *out = (oidc_pending){new_secret(a), new_secret(a), new_secret(a), ente_id, arena_strdup(a, return_path)};
  char hash[HASH_HEX];
  sha256_hex(out->state, hash);
  int64_t now = clock_now();
  pending_tx t = {hash, out, now, now + ttl};
  return db_tx(d, pending_put_tx, &t);
}

typedef struct {
  const char *hash;
  arena *a;
  oidc_pending *out;
} take_tx;

static err_code pending_take_tx(db *d, void *ctx) {
  take_tx *t = ctx;
  return ps_oidc_take(d, t->a, t->hash, clock_now(), t->out);
}

err_code oidc_pending_take(db *d, arena *a, const char *state, oidc_pending *out) {
  if (!secret_shape_ok(state)) return ERR_NOT_FOUND;
  char hash[HASH_HEX];
  sha256_hex(state, hash);
  take_tx t = {hash, a, out};
  err_code rc = db_tx(d, pending_take_tx, &t);
  if (rc == ERR_OK) out->state = arena_strdup(a, state);
  return rc;
}

char *oidc_pkce_challenge(arena *a, const char *verifier) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
  return b64url(a, h, sizeof h);
}

typedef struct {
  int64_t now;
} prune_tx;

static err_code prune_tx_fn(db *d, void *ctx) { return ps_prune(d, ((prune_tx *)ctx)->now); }

err_code portal_prune(db *d, int64_t now) {
  prune_tx t = {now};
  return db_tx(d, prune_tx_fn, &t);
}

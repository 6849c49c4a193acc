/* The server key and what it signs: anonymous CSRF tokens and device
 * cookies. The master key is 32 bytes, from security.secret_key (hashed) or
 * generated once and kept in server_secret; each use gets its own subkey
 * (crypto_kdf), so a token of one kind is never valid as another. */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>
#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/auth/auth_internal.h"
#include "domain/auth/auth_store.h"

enum {
  KEY_BYTES = 32,
  SUBKEY_CSRF = 1,
  SUBKEY_DEVICE = 2,
  STAMP_BYTES = 8,
  CSRF_RAW = STAMP_BYTES + crypto_auth_BYTES,
  COOKIE_MAX = 100, /* longer cookie values are not ours */
  CLOCK_SKEW = 60   /* a token stamped this far in the future still passes */
};

static const char KDF_CONTEXT[crypto_kdf_CONTEXTBYTES + 1] = "sp-auth_";
static const char SECRET_NAME[] = "signing_key";

static pthread_mutex_t key_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int key_loaded;
static unsigned char csrf_key[crypto_auth_KEYBYTES];
static unsigned char device_key[crypto_auth_KEYBYTES];

static void derive(const unsigned char master[KEY_BYTES]) {
  crypto_kdf_derive_from_key(csrf_key, sizeof csrf_key, SUBKEY_CSRF, KDF_CONTEXT, master);
  crypto_kdf_derive_from_key(device_key, sizeof device_key, SUBKEY_DEVICE, KDF_CONTEXT, master);
}

typedef struct {
  arena *a;
  const char *fresh; /* hex of a new random key, stored unless one exists */
  char *stored;
} key_tx;

/* Insert-if-absent then read: concurrent first starts agree on one key. */
static err_code key_tx_fn(db *d, void *ctx) {
  key_tx *t = ctx;
  err_code rc = as_secret_insert(d, SECRET_NAME, t->fresh, clock_now());
  if (rc == ERR_OK) rc = as_secret_get(d, t->a, SECRET_NAME, &t->stored);
  if (rc == ERR_NOT_FOUND) {
    err_cause("server_secret: the signing key row is missing after its insert");
    return ERR_INTERNAL;
  }
  return rc;
}

/* 1 when hex is exactly the 64 hex digits of a key. */
static int key_from_hex(const char *hex, unsigned char master[KEY_BYTES]) {
  size_t n = 0;
  return strlen(hex) == 2 * KEY_BYTES &&
         sodium_hex2bin(master, KEY_BYTES, hex, 2 * KEY_BYTES, NULL, &n, NULL) == 0 && n == KEY_BYTES;
}

static err_code load_stored(db *d, unsigned char master[KEY_BYTES]) {
  unsigned char rnd[KEY_BYTES];
  char hex[2 * KEY_BYTES + 1];
  randombytes_buf(rnd, sizeof rnd);
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  sodium_memzero(rnd, sizeof rnd);
  arena *a = arena_new();
  key_tx t = {a, hex, NULL};
  err_code rc = db_tx(d, key_tx_fn, &t);
  if (rc == ERR_OK && !key_from_hex(t.stored, master)) {
    err_cause("server_secret: the stored signing key is not 32 bytes of hex");
    rc = ERR_INTERNAL;
  }
  if (t.stored) sodium_memzero(t.stored, strlen(t.stored));
  sodium_memzero(hex, sizeof hex);
  arena_free(a);
  return rc;
}

err_code auth_key_ensure(db *d, const char *configured) {
  if (atomic_load_explicit(&key_loaded, memory_order_acquire)) return ERR_OK;
  if (sodium_init() < 0) {
    err_cause("libsodium could not be initialised");
    return ERR_INTERNAL;
  }
  pthread_mutex_lock(&key_mu);
  err_code rc = ERR_OK;
  if (!atomic_load_explicit(&key_loaded, memory_order_relaxed)) {
    unsigned char master[KEY_BYTES];
    if (configured && *configured)
      crypto_generichash(master, sizeof master, (const unsigned char *)configured, strlen(configured), NULL,
                         0);
    else
      rc = load_stored(d, master);
    if (rc == ERR_OK) {
      derive(master);
      atomic_store_explicit(&key_loaded, 1, memory_order_release);
    }
    sodium_memzero(master, sizeof master);
  }
  pthread_mutex_unlock(&key_mu);
  return rc;
}

static char *b64(arena *a, const unsigned char *raw, size_t n) {
  size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = arena_alloc(a, len);
  sodium_bin2base64(out, len, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

/* Decodes exactly n bytes of base64url; 0 on success. */
static int unb64(const char *s, unsigned char *raw, size_t n) {
  size_t got = 0;
  if (!s || strlen(s) != sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)
    return -1;
  if (sodium_base642bin(raw, n, s, strlen(s), NULL, &got, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) !=
      0)
    return -1;
  return got == n ? 0 : -1;
}

/* HMAC over cookie || stamp (big-endian seconds). */
static void csrf_mac(const char *cookie, int64_t stamp, unsigned char out[CSRF_RAW]) {
  for (int i = 0; i < STAMP_BYTES; i++)
    out[i] = (unsigned char)((uint64_t)stamp >> (8 * (STAMP_BYTES - 1 - i)));
  crypto_auth_hmacsha512256_state st;
  crypto_auth_hmacsha512256_init(&st, csrf_key, sizeof csrf_key);
  crypto_auth_hmacsha512256_update(&st, (const unsigned char *)cookie, strlen(cookie));
  crypto_auth_hmacsha512256_update(&st, out, STAMP_BYTES);
  crypto_auth_hmacsha512256_final(&st, out + STAMP_BYTES);
}

char *auth_anon_csrf_token(arena *a, const char *cookie) {
  if (!atomic_load_explicit(&key_loaded, memory_order_acquire) || !cookie || !*cookie ||
      strlen(cookie) > COOKIE_MAX)
    return NULL;
  unsigned char raw[CSRF_RAW];
  csrf_mac(cookie, clock_now(), raw);
  return b64(a, raw, sizeof raw);
}

int auth_anon_csrf_ok(const char *cookie, const char *token, int64_t max_age) {
  unsigned char got[CSRF_RAW], want[CSRF_RAW];
  if (!atomic_load_explicit(&key_loaded, memory_order_acquire) || !cookie || !*cookie ||
      strlen(cookie) > COOKIE_MAX || unb64(token, got, sizeof got) != 0)
    return 0;
  uint64_t stamp = 0;
  for (int i = 0; i < STAMP_BYTES; i++) stamp = (stamp << 8) | got[i];
  int64_t now = clock_now();
  if ((int64_t)stamp < now - max_age || (int64_t)stamp > now + CLOCK_SKEW) return 0;
  csrf_mac(cookie, (int64_t)stamp, want);
  return sodium_memcmp(got, want, sizeof got) == 0;
}

/* ---- device cookies: nonce || HMAC(device key, account || 0 || nonce) ---- */

enum { DEVICE_RAW = AUTH_DEVICE_NONCE + crypto_auth_BYTES };

static void device_mac(const char *account, const unsigned char *nonce, unsigned char *out) {
  crypto_auth_hmacsha512256_state st;
  crypto_auth_hmacsha512256_init(&st, device_key, sizeof device_key);
  crypto_auth_hmacsha512256_update(&st, (const unsigned char *)account, strlen(account) + 1);
  crypto_auth_hmacsha512256_update(&st, nonce, AUTH_DEVICE_NONCE);
  crypto_auth_hmacsha512256_final(&st, out);
}

char *auth_device_issue(arena *a, const char *account) {
  if (!atomic_load_explicit(&key_loaded, memory_order_acquire)) return NULL;
  unsigned char raw[DEVICE_RAW];
  randombytes_buf(raw, AUTH_DEVICE_NONCE);
  device_mac(account, raw, raw + AUTH_DEVICE_NONCE);
  return b64(a, raw, sizeof raw);
}

int auth_device_check(const char *cookie, const char *account, char nonce_hex[AUTH_DEVICE_HEX]) {
  unsigned char raw[DEVICE_RAW], want[crypto_auth_BYTES];
  if (!atomic_load_explicit(&key_loaded, memory_order_acquire) || !account ||
      unb64(cookie, raw, sizeof raw) != 0)
    return 0;
  device_mac(account, raw, want);
  if (sodium_memcmp(want, raw + AUTH_DEVICE_NONCE, sizeof want) != 0) return 0;
  sodium_bin2hex(nonce_hex, AUTH_DEVICE_HEX, raw, AUTH_DEVICE_NONCE);
  return 1;
}

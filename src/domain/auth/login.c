/* Sign-in with brute-force protection; the design is in
 * docs/architecture.md ("Sign-in throttling"). In short, with N =
 * max_failures and W = window:
 *  - every attempt is counted before the password is checked, in the same
 *    transaction as the check of the counters, so parallel attempts cannot
 *    overrun a limit; a successful attempt removes its own rows;
 *  - the username is normalised once (user_username_norm), so "VICTIM",
 *    " victim " and "victim" are one account for the counters and the
 *    password check alike;
 *  - per account and client (the device cookie when it is valid for the
 *    account, otherwise the address): N failures in W block that client;
 *  - clients the account does not know (no device cookie for it, no
 *    successful sign-in from the address in the last 30 days) also count per
 *    address (4N in W block the address, whatever the account) and per
 *    account: after N such failures in W, further unknown attempts on the
 *    account are spaced W/N seconds apart. They slow a distributed guesser
 *    down but never block the account: its known devices and addresses keep
 *    their own allowance. */
#include <sodium.h>
#include <string.h>
#include "core/clock.h"
#include "domain/auth/auth.h"
#include "domain/auth/auth_internal.h"
#include "domain/auth/auth_store.h"

enum {
  ACCOUNT_MAX = 64,
  ADDRESS_MAX = 100,
  KEY_MAX = 200,      /* longer throttle keys are stored as their hash */
  ADDRESS_FACTOR = 4, /* failures per address: ADDRESS_FACTOR * N */
  K_CLIENT = 0,
  K_ADDRESS = 1,
  K_ACCOUNT = 2,
  N_KEYS = 3
};

/* A throttle key: the text, or "h:" and its SHA-256 when too long. */
static const char *key_of(arena *a, const char *text) {
  if (strlen(text) <= KEY_MAX) return text;
  unsigned char h[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return arena_printf(a, "h:%s", hex);
}

typedef struct {
  const char *keys[N_KEYS]; /* K_CLIENT always; the others for unknown clients */
  const char *also_clear;   /* cleared on success with keys[K_CLIENT] */
  const char *account, *address;
  int max;
  int64_t window, spacing, now;
  int64_t ids[N_KEYS]; /* the attempt's rows */
  int64_t retry_after;
} attempt_tx;

/* Seconds until the counter of key k lets an attempt through; 0 = now. */
static err_code wait_for(db *d, const attempt_tx *t, int k, int64_t *wait) {
  int64_t count = 0, first = 0, last = 0;
  *wait = 0;
  err_code rc = as_failure_stats(d, t->keys[k], t->now - t->window, &count, &first, &last);
  if (rc != ERR_OK) return rc;
  if (k == K_ACCOUNT) {
    if (count >= t->max && t->now - last < t->spacing) *wait = t->spacing - (t->now - last);
  } else if (count >= (k == K_ADDRESS ? ADDRESS_FACTOR * t->max : t->max)) {
    *wait = first + t->window - t->now;
    if (*wait < 1) *wait = 1;
  }
  return ERR_OK;
}

/* Checks every counter and, when all allow it, records the attempt under
 * each key: one transaction, so concurrent attempts see each other. */
static err_code attempt_tx_fn(db *d, void *ctx) {
  attempt_tx *t = ctx;
  t->retry_after = 0;
  memset(t->ids, 0, sizeof t->ids);
  for (int k = 0; k < N_KEYS; k++) {
    int64_t wait = 0;
    if (!t->keys[k]) continue;
    err_code rc = wait_for(d, t, k, &wait);
    if (rc != ERR_OK) return rc;
    if (wait > t->retry_after) t->retry_after = wait;
  }
  if (t->retry_after > 0) return ERR_LOGIN_THROTTLED;
  for (int k = 0; k < N_KEYS; k++) {
    if (!t->keys[k]) continue;
    err_code rc = as_failure_insert(d, t->keys[k], t->now, &t->ids[k]);
    if (rc != ERR_OK) return rc;
  }
  /* Housekeeping now and then, in step with attempts. */
  if (t->ids[K_CLIENT] % 64 == 0) return as_failure_prune(d, t->now - AUTH_FAILURE_KEEP);
  return ERR_OK;
}

/* The attempt was right: its rows go, the client's counters start afresh
 * and the address becomes known for the account. */
static err_code success_tx_fn(db *d, void *ctx) {
  attempt_tx *t = ctx;
  err_code rc = ERR_OK;
  for (int k = 0; rc == ERR_OK && k < N_KEYS; k++)
    if (t->ids[k]) rc = as_failure_delete(d, t->ids[k]);
  if (rc == ERR_OK) rc = as_failure_clear(d, t->keys[K_CLIENT]);
  if (rc == ERR_OK && t->also_clear) rc = as_failure_clear(d, t->also_clear);
  if (rc == ERR_OK) rc = as_known_upsert(d, t->account, t->address, t->now);
  if (rc == ERR_OK && t->ids[K_CLIENT] % 64 == 0) rc = as_known_prune(d, t->now - AUTH_KNOWN_KEEP);
  return rc;
}

err_code auth_login(db *d, arena *a, const login_request *in, login_result *out) {
  memset(out, 0, sizeof *out);
  char *account = user_username_norm(a, in->username);
  if (!account || !*account || strlen(account) > ACCOUNT_MAX || !in->password || !in->address ||
      strlen(in->address) > ADDRESS_MAX || in->max_failures < 1 || in->window < 1)
    return ERR_INVALID;
  attempt_tx t = {.account = account,
                  .address = in->address,
                  .max = in->max_failures,
                  .window = in->window,
                  .now = clock_now()};
  t.spacing = in->window / in->max_failures;
  if (t.spacing < 1) t.spacing = 1;
  const char *by_address = key_of(a, arena_printf(a, "acip:%s|%s", account, in->address));
  char nonce[AUTH_DEVICE_HEX];
  int by_device = in->device && auth_device_check(in->device, account, nonce);
  if (by_device) {
    t.keys[K_CLIENT] = key_of(a, arena_printf(a, "dev:%s|%s", account, nonce));
    t.also_clear = by_address;
  } else {
    t.keys[K_CLIENT] = by_address;
    err_code rc = as_known_find(d, account, in->address, t.now - AUTH_KNOWN_KEEP);
    if (rc == ERR_NOT_FOUND) { /* unknown client */
      t.keys[K_ADDRESS] = key_of(a, arena_printf(a, "ip:%s", in->address));
      t.keys[K_ACCOUNT] = key_of(a, arena_printf(a, "acct:%s", account));
    } else if (rc != ERR_OK) {
      return rc;
    }
  }
  err_code rc = db_tx(d, attempt_tx_fn, &t);
  if (rc == ERR_LOGIN_THROTTLED) out->retry_after = t.retry_after;
  if (rc != ERR_OK) return rc;
  /* The rows stay as failures unless the password is right. */
  rc = user_authenticate(d, a, account, in->password, &out->u);
  if (rc == ERR_UNAUTHORIZED) return ERR_LOGIN_FAILED;
  if (rc != ERR_OK) return rc;
  if ((rc = db_tx(d, success_tx_fn, &t)) != ERR_OK) return rc;
  out->device = by_device ? arena_strdup(a, in->device) : auth_device_issue(a, account);
  return out->device ? ERR_OK : ERR_INTERNAL;
}

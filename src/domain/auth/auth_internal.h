/* Internal to src/domain/auth: device cookies (auth_key.c), used by the
 * sign-in (login.c), and the retention of sign-in records. */
#ifndef SP_AUTH_INTERNAL_H
#define SP_AUTH_INTERNAL_H
#include "core/arena.h"

enum {
  AUTH_DEVICE_NONCE = 16,
  AUTH_DEVICE_HEX = 2 * AUTH_DEVICE_NONCE + 1,
  AUTH_FAILURE_KEEP = 86400,   /* sign-in failures older than this are pruned */
  AUTH_KNOWN_KEEP = 30 * 86400 /* an address stays known this long after a success */
};

/* A new device cookie value bound to account (normalised username); NULL
 * before auth_key_ensure. */
char *auth_device_issue(arena *a, const char *account);
/* 1 when cookie was issued for account; nonce_hex gets its nonce. */
int auth_device_check(const char *cookie, const char *account, char nonce_hex[AUTH_DEVICE_HEX]);

#endif

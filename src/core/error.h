/* The one error registry. A code knows its HTTP status, its machine slug for
 * the JSON API, its pagoPA fault (later) and its Italian message. Functions
 * return an err_code; one place (http/respond.c) renders it. */
#ifndef SP_ERROR_H
#define SP_ERROR_H

typedef enum {
  ERR_OK = 0,
  ERR_INVALID,        /* 422: a field failed validation */
  ERR_BAD_REQUEST,    /* 400: malformed request */
  ERR_UNAUTHORIZED,   /* 401: not signed in / bad token */
  ERR_FORBIDDEN,      /* 403: signed in but not allowed */
  ERR_CSRF,           /* 403: missing or wrong CSRF token */
  ERR_NOT_FOUND,      /* 404 */
  ERR_METHOD,         /* 405 */
  ERR_CONFLICT,       /* 409: duplicate or concurrent change */
  ERR_TOO_LARGE,      /* 413 */
  ERR_RATE_LIMITED,   /* 429 */
  ERR_INTERNAL,       /* 500 */
  ERR_UNAVAILABLE,    /* 503: database unreachable */
  ERR_BUSY,           /* internal: retryable storage contention */
  ERR__COUNT
} err_code;

int err_http_status(err_code c);
const char *err_slug(err_code c);       /* "invalid", "not_found", ... */
const char *err_message_it(err_code c); /* Italian sentence for users */

/* A field-level validation failure: which field, and why (Italian). */
typedef struct {
  err_code code;
  const char *field;   /* form/API field name, NULL if not field-specific */
  const char *message; /* Italian, for the user */
} problem;

#endif

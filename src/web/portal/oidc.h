/* OpenID Connect client of the portal (oidc.c): authorization code flow
 * with PKCE (S256), state and nonce; the provider's discovery document
 * and JWKS fetched with libcurl and cached for portal.jwks_cache_seconds;
 * the ID token's signature checked with cjose against the JWKS key named
 * by its kid (RS256/RS384/RS512/PS256/ES256 only, never "none" or HMAC),
 * then iss, aud (and azp), exp, iat and nonce. */
#ifndef SP_WEB_PORTAL_OIDC_H
#define SP_WEB_PORTAL_OIDC_H
#include "core/arena.h"
#include "core/error.h"

typedef struct {
  char *fiscal_code; /* validated, without "TINIT-" */
  char *name;        /* given + family name, when given */
  char *acr;         /* SPID level asserted */
} oidc_identity;

/* 1 when [portal] oidc_issuer and oidc_client_id are set. */
int oidc_configured(void);
/* The provider's authorization URL for this sign-in. */
err_code oidc_authorize_url(arena *a, const char *state, const char *nonce, const char *verifier,
                            const char **url);
/* Exchanges the code (with the PKCE verifier) and checks the ID token
 * against nonce. ERR_UNAUTHORIZED with the reason in the log when anything
 * does not hold; ERR_UNAVAILABLE when the provider cannot be reached. */
err_code oidc_finish(arena *a, const char *code, const char *verifier, const char *nonce, oidc_identity *out);
/* The redirect URI registered with the provider: base_url + path. */
const char *oidc_redirect_uri(arena *a);

#endif

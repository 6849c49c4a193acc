#include "web/portal/oidc.h"

#include <cjose/cjose.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/validate.h"
#include "render/link.h"
#include "web/portal/portal_web.h"

enum { MAX_DOC = 1 << 20, CLOCK_SKEW = 120 };

/* The provider's metadata and keys, shared by the server threads. */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char *issuer, *authorize, *token, *userinfo, *jwks_uri;
  json_t *jwks; /* {"keys": [...]} */
  int64_t fetched_at;
} cache;

const char *oidc_redirect_uri(arena *a) {
  return arena_printf(a, "%s/accedi/spid/callback", config_str("server", "base_url"));
}

int oidc_configured(void) {
  return *config_str("portal", "oidc_issuer") && *config_str("portal", "oidc_client_id");
}

static size_t write_sb(char *buf, size_t size, size_t n, void *ud) {
  strbuf *sb = ud;
  sb_appendn(sb, buf, size * n);
  return sb->err ? 0 : size * n;
}

/* GET (form NULL) or POST of a form; the body into out. */
static err_code http_call(const char *url, const char *form, const char *bearer, strbuf *out, long *status) {
  portal_curl_once();
  CURL *c = curl_easy_init();
  if (!c) return ERR_INTERNAL;
  struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
  char auth[2100];
  if (bearer) {
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
    h = curl_slist_append(h, auth);
  }
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  if (form) curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_sb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
  CURLcode cc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
  curl_easy_cleanup(c);
  curl_slist_free_all(h);
  if (cc != CURLE_OK || out->err) {
    log_warn("oidc: %s: %s", url, cc != CURLE_OK ? curl_easy_strerror(cc) : "answer too large");
    return ERR_UNAVAILABLE;
  }
  return ERR_OK;
}

static json_t *get_json(const char *url) {
  strbuf sb;
  sb_init(&sb, MAX_DOC);
  long status = 0;
  json_t *j = NULL;
  if (http_call(url, NULL, NULL, &sb, &status) == ERR_OK && status == 200)
    j = json_loads(sb_str(&sb), 0, NULL);
  else if (status)
    log_warn("oidc: %s answered HTTP %ld", url, status);
  sb_free(&sb);
  return j;
}

static char *dup_str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? strdup(s) : NULL;
}

static void cache_clear(void) {
  free(cache.issuer);
  free(cache.authorize);
  free(cache.token);
  free(cache.userinfo);
  free(cache.jwks_uri);
  if (cache.jwks) json_decref(cache.jwks);
  memset(&cache, 0, sizeof cache);
}

/* Loads discovery and JWKS when missing, stale, or force. Under cache_mu. */
static err_code refresh(int force) {
  int64_t now = clock_now(), ttl = config_int("portal", "jwks_cache_seconds");
  if (!force && cache.jwks && now - cache.fetched_at < ttl) return ERR_OK;
  const char *issuer = config_str("portal", "oidc_issuer");
  char url[1100];
  snprintf(url, sizeof url, "%s/.well-known/openid-configuration", issuer);
  json_t *d = get_json(url);
  if (!d) return ERR_UNAVAILABLE;
  const char *iss = json_string_value(json_object_get(d, "issuer"));
  if (!iss || strcmp(iss, issuer) != 0) {
    log_warn("oidc: discovery issuer %s is not the configured %s", iss ? iss : "(none)", issuer);
    json_decref(d);
    return ERR_UNAVAILABLE;
  }
  const char *ju = json_string_value(json_object_get(d, "jwks_uri"));
  json_t *keys = ju ? get_json(ju) : NULL;
  if (!keys || !json_is_array(json_object_get(keys, "keys"))) {
    json_decref(d);
    if (keys) json_decref(keys);
    return ERR_UNAVAILABLE;
  }
  cache_clear();
  cache.issuer = dup_str(d, "issuer");
  cache.authorize = dup_str(d, "authorization_endpoint");
  cache.token = dup_str(d, "token_endpoint");
  cache.userinfo = dup_str(d, "userinfo_endpoint");
  cache.jwks_uri = dup_str(d, "jwks_uri");
  cache.jwks = keys;
  cache.fetched_at = now;
  json_decref(d);
  return cache.authorize && cache.token ? ERR_OK : ERR_UNAVAILABLE;
}

err_code oidc_authorize_url(arena *a, const char *state, const char *nonce, const char *verifier,
                            const char **url) {
  pthread_mutex_lock(&cache_mu);
  err_code rc = refresh(0);
  const char *ep = rc == ERR_OK ? arena_strdup(a, cache.authorize) : NULL;
  pthread_mutex_unlock(&cache_mu);
  if (rc != ERR_OK) return rc;
  const char *acr = config_str("portal", "oidc_acr_values");
  *url = arena_printf(a,
                      "%s%sresponse_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=%s&nonce=%s"
                      "&code_challenge=%s&code_challenge_method=S256%s%s",
                      ep, strchr(ep, '?') ? "&" : "?", url_encode(a, config_str("portal", "oidc_client_id")),
                      url_encode(a, oidc_redirect_uri(a)), url_encode(a, config_str("portal", "oidc_scope")),
                      url_encode(a, state), url_encode(a, nonce), oidc_pkce_challenge(a, verifier),
                      *acr ? "&acr_values=" : "", *acr ? url_encode(a, acr) : "");
  return ERR_OK;
}

static int alg_allowed(const char *alg) {
  static const char *const ok[] = {"RS256", "RS384", "RS512", "PS256", "PS384",
                                   "PS512", "ES256", "ES384", NULL};
  for (int i = 0; alg && ok[i]; i++)
    if (!strcmp(alg, ok[i])) return 1;
  return 0;
}

/* Verifies jws against the cached keys (the kid's, or each key when the
 * token names none). Under cache_mu. */
static int verify_with_cache(cjose_jws_t *jws, const char *kid) {
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(cache.jwks, "keys"), i, k) {
    const char *kk = json_string_value(json_object_get(k, "kid"));
    const char *use = json_string_value(json_object_get(k, "use"));
    if (kid && (!kk || strcmp(kid, kk) != 0)) continue;
    if (use && strcmp(use, "sig") != 0) continue;
    char *text = json_dumps(k, JSON_COMPACT);
    if (!text) continue;
    cjose_err err;
    cjose_jwk_t *jwk = cjose_jwk_import(text, strlen(text), &err);
    free(text);
    if (!jwk) continue;
    int ok = cjose_jws_verify(jws, jwk, &err);
    cjose_jwk_release(jwk);
    if (ok) return 1;
  }
  return 0;
}

static int aud_ok(json_t *claims, const char *client) {
  json_t *aud = json_object_get(claims, "aud");
  if (json_is_string(aud)) return !strcmp(json_string_value(aud), client);
  if (!json_is_array(aud) || json_array_size(aud) == 0) return 0;
  size_t i;
  json_t *v;
  int found = 0;
  json_array_foreach(aud, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), client)) found = 1;
  if (!found) return 0;
  if (json_array_size(aud) > 1) { /* several audiences: azp must be us */
    const char *azp = json_string_value(json_object_get(claims, "azp"));
    return azp && !strcmp(azp, client);
  }
  return 1;
}

/* "TINIT-RSSMRA80A01H501U" -> validated CF in the arena, or NULL. */
static char *fiscal_from(arena *a, const char *v) {
  if (!v) return NULL;
  if (!strncmp(v, "TINIT-", 6)) v += 6;
  char *cf = arena_strdup(a, v);
  normalize_code(cf);
  return validate_codice_fiscale(cf) ? NULL : cf;
}

#define FAIL(...)                   \
  do {                              \
    log_warn("oidc: " __VA_ARGS__); \
    rc = ERR_UNAUTHORIZED;          \
    goto out;                       \
  } while (0)

err_code oidc_finish(arena *a, const char *code, const char *verifier, const char *nonce,
                     oidc_identity *out) {
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&cache_mu);
  err_code rc = refresh(0);
  char *token_ep = rc == ERR_OK ? arena_strdup(a, cache.token) : NULL;
  char *userinfo = rc == ERR_OK && cache.userinfo ? arena_strdup(a, cache.userinfo) : NULL;
  pthread_mutex_unlock(&cache_mu);
  if (rc != ERR_OK) return rc;
  const char *client = config_str("portal", "oidc_client_id"),
             *secret = config_str("portal", "oidc_client_secret");
  const char *form = arena_printf(
      a, "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s&client_id=%s%s%s",
      url_encode(a, code), url_encode(a, oidc_redirect_uri(a)), url_encode(a, verifier),
      url_encode(a, client), *secret ? "&client_secret=" : "", *secret ? url_encode(a, secret) : "");
  strbuf sb;
  sb_init(&sb, MAX_DOC);
  long status = 0;
  json_t *tok = NULL, *claims = NULL, *ui = NULL;
  cjose_jws_t *jws = NULL;
  rc = http_call(token_ep, form, NULL, &sb, &status);
  if (rc != ERR_OK) goto out;
  if (status != 200) FAIL("token endpoint answered HTTP %ld", status);
  tok = json_loads(sb_str(&sb), 0, NULL);
  const char *idt = tok ? json_string_value(json_object_get(tok, "id_token")) : NULL;
  if (!idt) FAIL("no id_token in the token response");
  cjose_err err;
  jws = cjose_jws_import(idt, strlen(idt), &err);
  if (!jws) FAIL("id_token is not a compact JWS");
  cjose_header_t *hdr = cjose_jws_get_protected(jws);
  const char *alg = cjose_header_get(hdr, CJOSE_HDR_ALG, &err);
  const char *kid = cjose_header_get(hdr, CJOSE_HDR_KID, &err);
  if (!alg_allowed(alg)) FAIL("id_token alg %s refused", alg ? alg : "(none)");
  pthread_mutex_lock(&cache_mu);
  int ok = verify_with_cache(jws, kid);
  if (!ok && refresh(1) == ERR_OK) ok = verify_with_cache(jws, kid); /* keys rotated */
  pthread_mutex_unlock(&cache_mu);
  if (!ok) FAIL("id_token signature does not verify with the provider's keys");
  uint8_t *plain;
  size_t plen;
  if (!cjose_jws_get_plaintext(jws, &plain, &plen, &err)) FAIL("id_token payload unreadable");
  claims = json_loadb((const char *)plain, plen, 0, NULL);
  if (!json_is_object(claims)) FAIL("id_token payload is not a JSON object");
  const char *iss = json_string_value(json_object_get(claims, "iss"));
  if (!iss || strcmp(iss, config_str("portal", "oidc_issuer")) != 0) FAIL("id_token iss mismatch");
  if (!aud_ok(claims, client)) FAIL("id_token aud/azp mismatch");
  int64_t now = clock_now();
  json_t *exp = json_object_get(claims, "exp"), *iat = json_object_get(claims, "iat");
  if (!json_is_integer(exp) || json_integer_value(exp) + CLOCK_SKEW < now) FAIL("id_token expired");
  if (json_is_integer(iat) && json_integer_value(iat) > now + CLOCK_SKEW)
    FAIL("id_token issued in the future");
  const char *tn = json_string_value(json_object_get(claims, "nonce"));
  if (!tn || strcmp(tn, nonce) != 0) FAIL("id_token nonce mismatch");
  const char *claim = config_str("portal", "fiscal_code_claim");
  json_t *src = claims;
  const char *fc = json_string_value(json_object_get(claims, claim));
  const char *access = json_string_value(json_object_get(tok, "access_token"));
  if (!fc && userinfo && access) { /* SPID/CIE OPs often give attributes by userinfo only */
    strbuf ub;
    sb_init(&ub, MAX_DOC);
    long us = 0;
    if (http_call(userinfo, NULL, access, &ub, &us) == ERR_OK && us == 200)
      ui = json_loads(sb_str(&ub), 0, NULL);
    sb_free(&ub);
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *usub = ui ? json_string_value(json_object_get(ui, "sub")) : NULL;
    if (ui && sub && usub && !strcmp(sub, usub)) {
      fc = json_string_value(json_object_get(ui, claim));
      src = ui;
    }
  }
  out->fiscal_code = fiscal_from(a, fc);
  if (!out->fiscal_code) FAIL("no valid fiscal code in claim %s", claim);
  const char *gn = json_string_value(json_object_get(src, "given_name"));
  const char *fn = json_string_value(json_object_get(src, "family_name"));
  const char *nm = json_string_value(json_object_get(src, "name"));
  if (gn && fn)
    out->name = arena_printf(a, "%s %s", gn, fn);
  else if (nm)
    out->name = arena_strdup(a, nm);
  const char *acr = json_string_value(json_object_get(claims, "acr"));
  out->acr = acr ? arena_strdup(a, acr) : NULL;
  if (out->name && strlen(out->name) > 200) out->name = NULL;
  if (out->acr && strlen(out->acr) > 200) out->acr = NULL;
  rc = ERR_OK;
out:
  if (jws) cjose_jws_release(jws);
  if (tok) json_decref(tok);
  if (claims) json_decref(claims);
  if (ui) json_decref(ui);
  sb_free(&sb);
  return rc;
}

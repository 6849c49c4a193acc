/* Citizens' sign-in: SPID/CIE through OpenID Connect (oidc.c), and the
 * demo sign-in that `make demo` turns on ([portal] demo_login; refused in a
 * production configuration by `serve`). A successful sign-in always makes
 * a new citizen session (cookie sp_citizen, its own CSRF token), separate
 * from staff sessions. */
#include <sodium.h>
#include <string.h>

#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "web/portal/oidc.h"
#include "web/portal/portal_web.h"

#define OIDC_COOKIE "sp_oidc"
enum { OIDC_TTL = 600 };

/* Where to go after signing in: a path of this Ente's portal, else its
 * personal area. */
static const char *return_path(request *rq, const char *dopo) {
  const char *base = portal_url(rq, "/");
  if (dopo && strlen(dopo) < 300 && strncmp(dopo, base, strlen(base)) == 0 && !strstr(dopo, "//") &&
      !strpbrk(dopo, "\\\r\n"))
    return dopo;
  return portal_url(rq, "/area-personale");
}

err_code page_portal_signin(request *rq, response *rs) {
  if (rq->citizen) return rs_redirect(rs, return_path(rq, rq_query(rq, "dopo")));
  portal_page p;
  err_code rc = portal_page_for(rq, "Accedi all'area personale", "area-personale", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Accedi", NULL});
  p.lead =
      "Per vedere la tua situazione contabile, i tuoi atti e l'estratto conto accedi con la tua "
      "identità digitale.";
  html h = portal_html(rq, rs, &p);
  const char *dopo = return_path(rq, rq_query(rq, "dopo"));
  if (oidc_configured()) {
    button_link(&h, "Entra con SPID o CIE",
                arena_printf(rq->a, "%s?dopo=%s", portal_url(rq, "/accedi/spid"), url_encode(rq->a, dopo)),
                BTN_PRIMARY);
  } else {
    portal_alert(&h, "info", NULL, "L'accesso con SPID o CIE non è ancora attivo per questo portale.");
  }
  if (config_bool("portal", "demo_login")) {
    html_elem(&h, "h2", "Accesso dimostrativo", HA("class", "h4 mt-5"));
    html_elem(&h, "p", "Solo per la dimostrazione: entri con un codice fiscale, senza identità digitale.");
    form_begin(&h, portal_url(rq, "/accedi/demo"), rq->csrf);
    html_void(&h, "input", HA("type", "hidden"), HA("name", "dopo"), HA("value", dopo));
    form_input(&h, &(form_field){.name = "codice_fiscale",
                                 .label = "Codice fiscale",
                                 .required = 1,
                                 .maxlength = 16,
                                 .autocomplete = "off"});
    form_submit(&h, "Entra (dimostrazione)");
    form_end(&h);
  }
  portal_end(&h, &p);
  return ERR_OK;
}

static err_code start_session(request *rq, response *rs, const char *cf, const char *name, const char *acr,
                              const char *provider, const char *go) {
  const char *old = rq_cookie(rq, CITIZEN_COOKIE_NAME);
  if (old && strlen(old) < 200) (void)citizen_session_destroy(rq->db, old);
  int64_t ttl = config_int("portal", "citizen_session_seconds");
  char *token;
  citizen c;
  err_code rc = citizen_session_create(rq->db, rq->a, cf, name, acr, provider, ttl, &token, &c);
  if (rc != ERR_OK) return rc;
  rs_set_cookie(rq, rs, CITIZEN_COOKIE_NAME, token, ttl, "Lax");
  return rs_redirect(rs, go);
}

err_code page_portal_signin_demo(request *rq, response *rs) {
  if (!config_bool("portal", "demo_login")) return ERR_NOT_FOUND;
  const char *cf_in = rq_form(rq, "codice_fiscale");
  char *cf = cf_in && strlen(cf_in) < 40 ? text_trim_dup(rq->a, cf_in) : NULL;
  if (cf) normalize_code(cf);
  if (!cf || validate_codice_fiscale(cf)) {
    portal_page p;
    err_code rc = portal_page_for(rq, "Accedi all'area personale", "area-personale", &p);
    if (rc != ERR_OK) return rc;
    rs->status = 422;
    html h = portal_html(rq, rs, &p);
    problem pb = {ERR_INVALID, "codice_fiscale",
                  cf ? validate_codice_fiscale(cf) : "Indica il codice fiscale."};
    form_begin_errors(&h, portal_url(rq, "/accedi/demo"), rq->csrf, &pb, 1);
    form_input(&h, &(form_field){.name = "codice_fiscale",
                                 .label = "Codice fiscale",
                                 .value = cf_in,
                                 .required = 1,
                                 .maxlength = 16});
    form_submit(&h, "Entra (dimostrazione)");
    form_end(&h);
    portal_end(&h, &p);
    return ERR_OK;
  }
  return start_session(rq, rs, cf, NULL, "demo", "demo", return_path(rq, rq_form(rq, "dopo")));
}

err_code page_portal_signin_oidc(request *rq, response *rs) {
  if (!oidc_configured()) return ERR_NOT_FOUND;
  oidc_pending pd;
  err_code rc =
      oidc_pending_begin(rq->db, rq->a, rq->ente->id, return_path(rq, rq_query(rq, "dopo")), OIDC_TTL, &pd);
  if (rc != ERR_OK) return rc;
  const char *url;
  if ((rc = oidc_authorize_url(rq->a, pd.state, pd.nonce, pd.verifier, &url)) != ERR_OK) return rc;
  /* the browser that starts the sign-in must be the one that ends it */
  rs_set_cookie(rq, rs, OIDC_COOKIE, pd.state, OIDC_TTL, "Lax");
  return rs_redirect(rs, url);
}

static err_code signin_failed(request *rq, response *rs, const char *why) {
  rs->status = 401;
  rs->content_type = "text/html; charset=utf-8";
  html h = {.sb = &rs->body, .a = rq->a};
  page_info p = {0};
  page_error(&h, 401, why, &p);
  return ERR_OK;
}

err_code page_portal_oidc_callback(request *rq, response *rs) {
  const char *state = rq_query(rq, "state"), *code = rq_query(rq, "code");
  const char *cookie = rq_cookie(rq, OIDC_COOKIE);
  rs_set_cookie(rq, rs, OIDC_COOKIE, "", 0, "Lax");
  if (rq_query(rq, "error"))
    return signin_failed(rq, rs, "L'accesso con SPID o CIE è stato annullato o non è riuscito. Riprova.");
  if (!state || !code || !cookie || strlen(state) > 100 || strlen(code) > 2000 ||
      strlen(state) != strlen(cookie) || sodium_memcmp(state, cookie, strlen(state)) != 0)
    return signin_failed(
        rq, rs, "La richiesta di accesso non è valida o è scaduta: riparti dalla pagina di accesso.");
  oidc_pending pd;
  err_code rc = oidc_pending_take(rq->db, rq->a, state, &pd);
  if (rc == ERR_NOT_FOUND)
    return signin_failed(
        rq, rs, "La richiesta di accesso non è valida o è scaduta: riparti dalla pagina di accesso.");
  if (rc != ERR_OK) return rc;
  oidc_identity id;
  rc = oidc_finish(rq->a, code, pd.verifier, pd.nonce, &id);
  if (rc == ERR_UNAUTHORIZED)
    return signin_failed(rq, rs, "Il gestore dell'identità digitale non ha confermato l'accesso. Riprova.");
  if (rc != ERR_OK) return rc;
  return start_session(rq, rs, id.fiscal_code, id.name, id.acr, "oidc", pd.return_path);
}

err_code page_portal_signout(request *rq, response *rs) {
  const char *c = rq_cookie(rq, CITIZEN_COOKIE_NAME);
  if (c && strlen(c) < 200) {
    err_code rc = citizen_session_destroy(rq->db, c);
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  }
  rs_set_cookie(rq, rs, CITIZEN_COOKIE_NAME, "", 0, "Lax");
  return rs_redirect(rs, portal_url(rq, ""));
}

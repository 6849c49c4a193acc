/* Sign-in for staff (local accounts, argon2id) and sign-out. Failures are
 * throttled per client address and per username; a successful sign-in
 * always gets a brand-new session id (rotation). */
#include <string.h>
#include "core/log.h"
#include "web/web.h"

#define THROTTLE_KEY_MAX 100

/* Only local absolute paths are followed after sign-in (no open redirect). */
static const char *safe_next(const char *next) {
  if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 300)
    return "/ufficio";
  for (const char *p = next; *p; p++)
    if ((unsigned char)*p < 0x21) return "/ufficio";
  return next;
}

static err_code render_form(request *rq, response *rs, const char *username, const char *error,
                            int status) {
  page_info p;
  err_code e = web_page_info(rq, "Accedi", NULL, &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {"Accedi", NULL});
  rs->status = status;
  html h = web_begin(rq, rs, &p);
  html_open(&h, "div", HA("class", "row"));
  html_open(&h, "div", HA("class", "col-12 col-md-6 col-lg-5"));
  if (error)
    html_elem(&h, "div", error, HA("class", "alert alert-danger"), HA("role", "alert"),
              HA("id", "errore-accesso"));
  const char *next = rq_query(rq, "dopo");
  if (!next) next = rq_form(rq, "dopo");
  form_begin(&h, url_login(rq->a), rq->csrf);
  if (next) html_void(&h, "input", HA("type", "hidden"), HA("name", "dopo"), HA("value", safe_next(next)));
  form_field fu = {.name = "username", .label = "Nome utente", .value = username, .required = 1,
                   .autocomplete = "username", .maxlength = 64};
  form_input(&h, &fu);
  form_field fp = {.name = "password", .label = "Password", .type = "password", .required = 1,
                   .autocomplete = "current-password", .maxlength = 200};
  form_input(&h, &fp);
  form_submit(&h, "Accedi");
  form_end(&h);
  html_close(&h, "div");
  html_close(&h, "div");
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_login(request *rq, response *rs) {
  if (rq->user) return rs_redirect(rs, safe_next(rq_query(rq, "dopo")));
  return render_form(rq, rs, "", NULL, 200);
}

err_code page_login_post(request *rq, response *rs) {
  const http_config *cfg = http_cfg();
  const char *username = rq_form(rq, "username");
  const char *password = rq_form(rq, "password");
  if (!username) username = "";
  if (!password) password = "";
  if (!*username || !*password || strlen(username) > 64 || strlen(password) > 200)
    return render_form(rq, rs, username, "Inserisci nome utente e password.", 422);
  const char *kip = arena_printf(rq->a, "ip:%s", rq->client_ip);
  const char *kuser = arena_printf(rq->a, "user:%.*s", THROTTLE_KEY_MAX, username);
  err_code e = login_throttle_check(rq->db, kip, cfg->login_max_failures * 4, cfg->login_window);
  if (e == ERR_OK)
    e = login_throttle_check(rq->db, kuser, cfg->login_max_failures, cfg->login_window);
  if (e == ERR_RATE_LIMITED)
    return render_form(rq, rs, username,
                       "Troppi tentativi di accesso non riusciti: riprova tra qualche minuto.", 429);
  if (e != ERR_OK) return e;
  user u;
  e = user_authenticate(rq->db, rq->a, username, password, &u);
  if (e == ERR_UNAUTHORIZED) {
    login_throttle_fail(rq->db, kip);
    login_throttle_fail(rq->db, kuser);
    log_warn("sign-in failed for a user from %s", rq->client_ip);
    return render_form(rq, rs, username, "Nome utente o password non corretti.", 401);
  }
  if (e != ERR_OK) return e;
  login_throttle_clear(rq->db, kuser);
  const char *old = rq_cookie(rq, SESSION_COOKIE_NAME);
  if (old && strlen(old) < 200) session_destroy(rq->db, old); /* never reuse a prior id */
  char *token;
  session s;
  e = session_create(rq->db, rq->a, u.id, cfg->session_ttl, &token, &s);
  if (e != ERR_OK) return e;
  rs_set_cookie(rq, rs, SESSION_COOKIE_NAME, token, cfg->session_ttl, "Lax");
  return rs_redirect(rs, safe_next(rq_form(rq, "dopo")));
}

err_code page_logout(request *rq, response *rs) {
  const char *cookie = rq_cookie(rq, SESSION_COOKIE_NAME);
  if (cookie) {
    err_code e = session_destroy(rq->db, cookie);
    if (e != ERR_OK) return e;
  }
  rs_set_cookie(rq, rs, SESSION_COOKIE_NAME, "", 0, "Lax");
  return rs_redirect(rs, url_home(rq->a));
}

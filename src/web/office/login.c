/* Sign-in for staff (local accounts, argon2id) and sign-out. Throttling is
 * the domain's (auth_login): per account and client, per address, and a
 * spacing per account for unknown clients; a successful sign-in always gets
 * a brand-new session id (rotation) and a device cookie that keeps this
 * browser's own allowance when the account is under attack. */
#include <string.h>
#include "core/log.h"
#include "web/web.h"

#define DEVICE_COOKIE "sp_device"

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
  const char *device = rq_cookie(rq, DEVICE_COOKIE);
  login_request in = {username, password, rq->client_ip, device && strlen(device) < 200 ? device : NULL,
                      cfg->login_max_failures, cfg->login_window};
  login_result out;
  err_code e = auth_login(rq->db, rq->a, &in, &out);
  if (e == ERR_INVALID)
    return render_form(rq, rs, username, "Inserisci nome utente e password.", 422);
  if (e == ERR_LOGIN_THROTTLED) {
    rs_header(rs, "Retry-After", arena_printf(rq->a, "%lld", (long long)out.retry_after));
    return render_form(rq, rs, username, err_message_it(e), err_http_status(e));
  }
  if (e == ERR_LOGIN_FAILED) {
    log_warn("sign-in failed for a user from %s", rq->client_ip);
    return render_form(rq, rs, username, err_message_it(e), err_http_status(e));
  }
  if (e != ERR_OK) return e;
  const char *old = rq_cookie(rq, SESSION_COOKIE_NAME);
  if (old && strlen(old) < 200) session_destroy(rq->db, old); /* never reuse a prior id */
  char *token;
  session s;
  e = session_create(rq->db, rq->a, out.u.id, cfg->session_ttl, &token, &s);
  if (e != ERR_OK) return e;
  rs_set_cookie(rq, rs, SESSION_COOKIE_NAME, token, cfg->session_ttl, "Lax");
  rs_set_cookie(rq, rs, DEVICE_COOKIE, out.device, AUTH_DEVICE_TTL, "Strict");
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

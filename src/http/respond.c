#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "http/http.h"
#include "render/html.h"
#include "render/layout.h"

void rs_header(response *rs, const char *name, const char *value) {
  if (rs->n_headers < MAX_RESPONSE_HEADERS) {
    rs->headers[rs->n_headers].key = name;
    rs->headers[rs->n_headers].value = value;
    rs->n_headers++;
  }
}

err_code rs_redirect(response *rs, const char *location) {
  rs->status = 303;
  rs_header(rs, "Location", location);
  return ERR_OK;
}

void rs_set_cookie(request *rq, response *rs, const char *name, const char *value, int64_t max_age,
                   const char *same_site) {
  rs_header(rs, "Set-Cookie",
            arena_printf(rq->a, "%s=%s; Path=/; HttpOnly; SameSite=%s; Max-Age=%lld%s", name, value,
                         same_site, (long long)max_age, rq->tls ? "; Secure" : ""));
}

static void error_page(request *rq, response *rs, const char *message) {
  rs->content_type = "text/html; charset=utf-8";
  html h = {.sb = &rs->body, .a = rq->a};
  page_info p = {0};
  p.title = "Errore";
  if (rq->user) {
    p.user_name = rq->user->full_name;
    p.role_label = role_label_it(rq->user->role);
    p.csrf = rq->csrf;
    p.is_admin = rq->user->role == ROLE_ADMIN;
  }
  page_error(&h, rs->status, message, &p);
}

static void json_body(response *rs, json_t *j) {
  rs->content_type = "application/json";
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  sb_append(&rs->body, s ? s : "{\"error\":{\"code\":\"internal\"}}");
  free(s);
  json_decref(j);
}

void rs_invalid_field(request *rq, response *rs, out_kind out, const char *field,
                      const char *message) {
  rs->status = err_http_status(ERR_ENCODING);
  sb_reset(&rs->body);
  if (out == OUT_JSON) {
    json_body(rs, json_pack("{s:{s:s,s:s,s:[{s:s,s:s}]}}", "error", "code", err_slug(ERR_ENCODING),
                            "message", err_message_it(ERR_ENCODING), "fields", "field", field,
                            "message", message));
    return;
  }
  error_page(rq, rs, message);
}

/* The one place that turns an error code into what the client sees. */
void rs_error(request *rq, response *rs, err_code code, out_kind out) {
  rs->status = err_http_status(code);
  sb_reset(&rs->body);
  if (out == OUT_JSON) {
    rs->content_type = "application/json";
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", err_slug(code), "message",
                          err_message_it(code));
    char *s = json_dumps(j, JSON_COMPACT);
    sb_append(&rs->body, s);
    free(s);
    json_decref(j);
    if (code == ERR_UNAUTHORIZED) rs_header(rs, "WWW-Authenticate", "Bearer");
    return;
  }
  error_page(rq, rs, err_message_it(code));
}

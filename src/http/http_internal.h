/* Shared between server.c (libmicrohttpd glue) and dispatch.c (routing and
 * the checks declared on routes). */
#ifndef SP_HTTP_INTERNAL_H
#define SP_HTTP_INTERNAL_H
#include "http/http.h"

/* Runs the route checks and the handler; always leaves a response in rs. */
void http_dispatch(const http_config *cfg, request *rq, response *rs);
/* Fills rs with the static file under cfg->static_dir for url path
 * "/static/..."; 404 for anything outside it or not a regular file. */
void http_static(const http_config *cfg, request *rq, response *rs);
/* Checks the request's decoded text input (query, form, JSON strings) as
 * UTF-8 without control characters; on a fault renders 422 naming the field
 * into rs and returns -1 (input.c). */
int http_check_input(request *rq, response *rs, out_kind out);
/* Random URL-safe token (32 bytes of entropy) allocated in a. */
char *http_random_token(arena *a);

#define SESSION_COOKIE SESSION_COOKIE_NAME
#define PRESESSION_COOKIE "sp_csrf"
#define PRESESSION_TTL 7200 /* seconds: the cookie's life and its tokens' */

#endif

/* HTTP layer: request/response types, the route table every handler is
 * declared in, and the server over libmicrohttpd. Authorization, Ente scope
 * and CSRF are declared per route and enforced by the dispatcher
 * (dispatch.c) before a handler runs; handlers only do their job. */
#ifndef SP_HTTP_H
#define SP_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "domain/auth/auth.h"
#include "domain/ente/ente.h"
#include "domain/portal/portal.h"

typedef struct {
  const char *key, *value;
} kv;

typedef struct {
  kv *items;
  size_t n;
} kv_list;

/* A file part of a multipart/form-data body (multipart.c). */
typedef struct {
  const char *name;         /* the form field */
  const char *filename;     /* base name as sent ("" when no file was chosen) */
  const char *content_type; /* as the browser said: never trust it */
  const char *data;         /* bytes (NUL-terminated copy) */
  size_t size;
} http_upload;

typedef struct {
  http_upload *items;
  size_t n;
} upload_list;

#define MAX_ROUTE_PARAMS 4
#define SESSION_COOKIE_NAME "sp_session"
/* A citizen signed in on the taxpayer portal: not a staff session. */
#define CITIZEN_COOKIE_NAME "sp_citizen"

typedef struct request {
  arena *a;
  const char *method;
  const char *path; /* decoded, without query */
  const char *client_ip;
  kv_list query;     /* decoded query parameters */
  kv_list form;      /* decoded application/x-www-form-urlencoded body, or the
                        text parts of a multipart/form-data one */
  upload_list files; /* the file parts of a multipart/form-data body */
  kv_list cookies;
  const char *body; /* raw body, NUL-terminated */
  size_t body_len;
  const char *content_type;
  const char *authorization;
  const char *params[MAX_ROUTE_PARAMS]; /* {placeholders} of the route, in order */
  size_t n_params;
  void *conn; /* struct MHD_Connection *, for header lookups */
  db *db;     /* from the pool; NULL only for routes without db */
  /* Set by the dispatcher according to the route: */
  user *user; /* signed-in user (AUTH_SESSION) */
  session *session;
  api_token *token; /* API caller (AUTH_TOKEN) */
  citizen *citizen; /* signed-in citizen (portal), when there is no staff session */
  ente *ente;       /* resolved {ente} when the route is Ente-scoped */
  ente *entes;      /* the signed-in user's Enti, once loaded (rq_user_entes) */
  size_t n_entes;
  actor who;        /* for audit rows */
  const char *csrf; /* token to put in forms: session's or pre-session cookie */
  /* a citizen's portal page: session and Ente read together (dispatch.c
   * prefetch); NULL when there is none */
  struct {
    int done;
    citizen *citizen;
    ente *ente;
  } pre;
  int tls;          /* behind TLS: Secure cookies, HSTS */
} request;

#define MAX_RESPONSE_HEADERS 12

typedef struct response {
  int status;
  const char *content_type;
  strbuf body;
  kv headers[MAX_RESPONSE_HEADERS];
  size_t n_headers;
  const char *file_path; /* static file to send instead of body */
  int64_t file_size;
  int cacheable;   /* static assets: long cache, otherwise no-store */
  int allow_media; /* the video call page: camera and microphone for our own origin */
} response;

typedef err_code (*handler_fn)(request *rq, response *rs);

typedef enum {
  AUTH_NONE = 0, /* public: session looked up if present, not required */
  AUTH_SESSION,  /* signed-in user with one of the route's roles */
  AUTH_TOKEN,    /* API token in Authorization: Bearer */
  AUTH_CITIZEN   /* a citizen signed in on the portal (sp_citizen cookie) */
} auth_kind;

typedef enum { OUT_HTML = 0, OUT_JSON = 1 } out_kind;

/* Where an Ente-scoped route finds the Ente (slug or codice fiscale). */
enum {
  ENTE_FROM_PATH = 1,  /* the {ente} placeholder (the first one) */
  ENTE_FROM_QUERY = 2, /* the "ente" query parameter (JSON API) */
  ENTE_PUBLIC = 3      /* the {ente} placeholder of the Ente's public portal
                          (slug or codice fiscale): anyone, no enablement check */
};

/* A route, written with the macros below and designated initialisers:
 *
 *   GET("/ufficio/{ente}/contribuenti/{id:id}", page_taxpayer, STAFF(BACKOFFICE_ALL),
 *       .ente = ENTE_FROM_PATH),
 *   POST("/accedi", page_login_post),
 *
 * Placeholders take one path segment: {name} any non-empty segment,
 * {name:id} a positive integer only. A path matching several patterns
 * goes to the most specific one (segment by segment: literal, then
 * typed, then any), so the order of a table does not matter.
 * Every unsafe method (POST, PUT, PATCH, DELETE) checks the CSRF token of
 * a session or anonymous form unless the route opts out with
 * .no_csrf = 1 (only for callers that authenticate otherwise, e.g. the
 * pagoPA node); API token routes carry no cookies and need none. */
typedef struct {
  const char *method;  /* "GET", "POST", ... */
  const char *pattern; /* "/ufficio/{ente}/contribuenti/{id:id}" */
  handler_fn fn;
  auth_kind auth;
  unsigned roles; /* ROLE_BIT mask for AUTH_SESSION; ignored otherwise */
  int ente;       /* ENTE_FROM_PATH / ENTE_FROM_QUERY: the caller must be enabled on it */
  int no_csrf;    /* explicit opt-out of the CSRF check of an unsafe method */
  out_kind out;   /* how errors are rendered */
  int no_db;      /* no database connection needed */
  size_t max_body; /* bytes of body it takes, for uploads (0: server.max_body_bytes) */
} route;

#define ROUTE_(m, pat, h, ...) \
  { .method = (m), .pattern = (pat), .fn = (h), __VA_ARGS__ }
#define GET(pat, h, ...) ROUTE_("GET", pat, h, __VA_ARGS__)
#define POST(pat, h, ...) ROUTE_("POST", pat, h, __VA_ARGS__)
#define PUT(pat, h, ...) ROUTE_("PUT", pat, h, __VA_ARGS__)
#define PATCH(pat, h, ...) ROUTE_("PATCH", pat, h, __VA_ARGS__)
#define DELETE(pat, h, ...) ROUTE_("DELETE", pat, h, __VA_ARGS__)
/* an upload route: a body of up to n bytes, above server.max_body_bytes */
#define BODY(n) .max_body = (n)
/* signed-in staff with one of these roles */
#define STAFF(mask) .auth = AUTH_SESSION, .roles = (mask)
/* An Ente's public portal page: /enti/{ente}/..., the Ente resolved for
 * anyone; CITIZEN additionally requires a signed-in citizen (a GET without
 * one is sent to the Ente's sign-in page). */
#define PORTAL .ente = ENTE_PUBLIC
#define CITIZEN .auth = AUTH_CITIZEN, PORTAL
/* JSON API: bearer token, scoped to the Ente of ?ente=, JSON errors */
#define API_TOKEN .auth = AUTH_TOKEN, .ente = ENTE_FROM_QUERY, .out = OUT_JSON

/* 1 for methods that change state (CSRF applies). */
int http_unsafe_method(const char *method);
/* 1 when a request with this method on this route must carry the CSRF
 * token (the rule the dispatcher applies and the route test checks). */
int route_needs_csrf(const route *r, const char *method);

typedef struct {
  const route *routes;
  size_t n;
} route_table;

/* Request helpers. */
const char *rq_query(const request *rq, const char *key); /* NULL if absent */
const char *rq_form(const request *rq, const char *key);  /* NULL if absent */
const char *rq_cookie(const request *rq, const char *key);
const char *rq_header(const request *rq, const char *name);
/* The signed-in user's Enti, read once per request (the Ente check of the
 * dispatcher and the page frame's Ente switcher share it). */
err_code rq_user_entes(request *rq, ente **out, size_t *n);
/* Route parameter i parsed as a positive id; 0 when not a valid id. */
int64_t rq_param_id(const request *rq, size_t i);

/* Response helpers. */
void rs_header(response *rs, const char *name, const char *value);
/* 303 See Other to a local path (from link.h). */
err_code rs_redirect(response *rs, const char *location);
void rs_set_cookie(request *rq, response *rs, const char *name, const char *value, int64_t max_age,
                   const char *same_site);
/* Renders an error the one way: an HTML page or a JSON problem body. */
void rs_error(request *rq, response *rs, err_code code, out_kind out);
/* 422 (ERR_ENCODING) for one field: an error page with the message, or a
 * JSON problem whose fields list names it. */
void rs_invalid_field(request *rq, response *rs, out_kind out, const char *field, const char *message);

/* Parses "a=1&b=%20x" into list (values decoded, '+' as space). Bounded:
 * at most max_pairs pairs; returns -1 on malformed encoding. */
int parse_urlencoded(arena *a, const char *s, size_t len, kv_list *out, size_t max_pairs);

/* Parses a multipart/form-data body: text parts into form, file parts
 * into files; at most max_parts parts; -1 when malformed. */
int parse_multipart(arena *a, const char *content_type, const char *body, size_t len, kv_list *form,
                    upload_list *files, size_t max_parts);
/* The file part named name, or NULL. */
const http_upload *rq_file(const request *rq, const char *name);

/* Server. */
typedef struct http_server http_server;
typedef struct {
  const char *listen; /* "HOST:PORT" or "[IPV6]:PORT" */
  int threads;
  int connection_limit;
  int per_ip_connection_limit;
  int64_t rate_limit_per_minute; /* per client address; 0 = none */
  const char *trusted_proxies;   /* comma-separated addresses whose X-Forwarded-For we believe */
  size_t max_body;
  size_t max_header;
  int timeout;      /* idle seconds (reset by every byte) */
  int head_timeout; /* seconds to receive a whole request head */
  int behind_tls;
  /* Other origins forms may be sent to or redirected to after a POST (CSP
   * form-action), space-separated: the pagoPA Checkout endpoint's. */
  const char *form_action_origins;
  int access_log;
  const char *static_dir;
  int64_t session_ttl;
  int login_max_failures;
  int64_t login_window;
  const char *secret_key; /* security.secret_key; "" = generated, kept in the database */
  db_pool *pool;
  const route_table *tables; /* searched in order */
  size_t n_tables;
} http_config;

http_server *http_start(const http_config *cfg, char *err, size_t errlen);
void http_stop(http_server *s);
const http_config *http_cfg(void); /* the running server's configuration */
/* The body a request for method and path may carry: its route's max_body
 * when it declares one (uploads), else cfg->max_body. */
size_t http_body_limit(const http_config *cfg, arena *a, const char *method, const char *path);

#endif

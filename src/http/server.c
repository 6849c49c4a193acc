/* libmicrohttpd glue: one daemon with a thread pool (epoll), bounded
 * heads, query strings, bodies and connections, slow clients timed out
 * (conntrack.c: a deadline for the whole head, room kept for new clients);
 * every response gets the security headers and every request an
 * access-log line. */
#include <arpa/inet.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/log.h"
#include "core/text.h"
#include "http/conntrack.h"
#include "http/http_internal.h"
#include "http/ratelimit.h"

#define MAX_QUERY_PARAMS 64
#define MAX_COOKIES 32
/* Memory of a connection beyond server.max_header_bytes: libmicrohttpd
 * keeps the head, one record per header, query parameter and cookie, and
 * builds the response head in the same pool; with too little room it can
 * neither answer nor refuse (it closes the connection). */
#define POOL_HEADROOM 16384
/* What a response head needs in the pool (the security headers included). */
#define POOL_REPLY_ROOM 4096

struct http_server {
  struct MHD_Daemon *d;
  http_config cfg;
  ratelimit *rl;
  conntrack *ct;
  size_t pool_size; /* libmicrohttpd's memory per connection */
};

static http_config running_cfg;

const http_config *http_cfg(void) { return &running_cfg; }

/* Per-connection-request state kept between libmicrohttpd callbacks;
 * created when the request line arrives (on_uri). */
typedef struct {
  arena *a;
  strbuf body;
  int started; /* the access handler has seen the request */
  int too_large;
  int query_overflow; /* more than MAX_QUERY_PARAMS: the query was not parsed */
  size_t uri_len;     /* of the request target as sent, query included */
  int status;
  const char *method, *path; /* for the access log (path only: queries may hold personal data) */
  const char *client;        /* effective client address, once known */
  size_t bytes;
  struct timespec start;
} req_ctx;

static int64_t monotonic_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static double elapsed_ms(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

typedef struct {
  arena *a;
  kv_list *l;
  size_t cap;
  int nul; /* a name or value held an (encoded) NUL */
} collect_ctx;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                               const char *value, size_t value_size) {
  collect_ctx *c = cls;
  if (!value) value_size = 0;
  if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
    c->nul = 1;
    return MHD_YES;
  }
  /* a cookie that is not text is someone else's or forged: ignored */
  if (kind == MHD_COOKIE_KIND &&
      (text_check(key, key_size, 0) != TEXT_OK || text_check(value, value_size, 0) != TEXT_OK))
    return MHD_YES;
  if (c->l->n >= c->cap) return MHD_NO; /* bounded: extra values are ignored */
  c->l->items[c->l->n].key = arena_strndup(c->a, key, key_size);
  c->l->items[c->l->n].value = arena_strndup(c->a, value ? value : "", value_size);
  c->l->n++;
  return MHD_YES;
}

/* Returns -1 when a name or value held a NUL (never valid in our inputs). */
static int collect_values(struct MHD_Connection *c, enum MHD_ValueKind kind, arena *a, kv_list *out,
                          size_t cap) {
  out->items = ARENA_ARRAY(a, kv, cap);
  out->n = 0;
  collect_ctx cc = {a, out, cap, 0};
  MHD_get_connection_values_n(c, kind, collect, &cc);
  return cc.nul ? -1 : 0;
}

typedef struct {
  strbuf *sb; /* X-Forwarded-For lines joined, when wanted */
  size_t bytes;
} head_ctx;

/* Adds up the head, and joins the X-Forwarded-For lines in order with
 * ", " (RFC 7230 3.2.2: several lines of a list header are one list). */
static enum MHD_Result head_line(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                 const char *value, size_t value_size) {
  head_ctx *h = cls;
  (void)kind;
  h->bytes += key_size + value_size + 4; /* "name: value\r\n" */
  if (h->sb && strcasecmp(key, "X-Forwarded-For") == 0) {
    if (h->sb->len) sb_append(h->sb, ", ");
    sb_appendn(h->sb, value ? value : "", value_size);
  }
  return MHD_YES;
}

/* Size of the request head as received, roughly (request line and header
 * lines). */
static size_t head_bytes(struct MHD_Connection *c, const char *method, size_t uri_len) {
  head_ctx h = {0};
  MHD_get_connection_values_n(c, MHD_HEADER_KIND, head_line, &h);
  return h.bytes + strlen(method) + uri_len + 12;
}

static const char *client_ip(struct MHD_Connection *c, arena *a) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char buf[INET6_ADDRSTRLEN] = "?";
  if (ci && ci->client_addr) {
    if (ci->client_addr->sa_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf, sizeof buf);
    else if (ci->client_addr->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf, sizeof buf);
  }
  return arena_strdup(a, buf);
}

/* 1 if ip is one of the comma-separated addresses in list. */
static int in_list(const char *list, const char *ip) {
  size_t n = strlen(ip);
  for (const char *p = list; p && *p;) {
    while (*p == ' ' || *p == ',') p++;
    const char *e = p;
    while (*e && *e != ',' && *e != ' ') e++;
    if ((size_t)(e - p) == n && n && strncmp(p, ip, n) == 0) return 1;
    p = e;
  }
  return 0;
}

static int is_ip(const char *s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* The client's address: the peer, or, when the peer is a trusted proxy,
 * the right-most X-Forwarded-For entry that is not itself a trusted proxy
 * (entries to its left are whatever the client claimed). Several header
 * lines are one list, in order: a proxy that appends its own line must not
 * let the client's earlier line speak for it. */
static const char *effective_client(struct MHD_Connection *c, const http_config *cfg, arena *a,
                                    const char *peer) {
  if (!cfg->trusted_proxies || !*cfg->trusted_proxies || !in_list(cfg->trusted_proxies, peer)) return peer;
  strbuf xff;
  sb_init(&xff, 2000);
  head_ctx h = {&xff, 0};
  MHD_get_connection_values_n(c, MHD_HEADER_KIND, head_line, &h);
  if (!xff.len || xff.err) {
    sb_free(&xff);
    return peer;
  }
  char *copy = arena_strdup(a, sb_str(&xff));
  sb_free(&xff);
  for (;;) {
    char *comma = strrchr(copy, ',');
    char *item = comma ? comma + 1 : copy;
    while (*item == ' ') item++;
    char *end = item + strlen(item);
    while (end > item && end[-1] == ' ') *--end = 0;
    if (!is_ip(item)) return peer; /* malformed: trust nothing in it */
    if (!in_list(cfg->trusted_proxies, item)) return item;
    if (!comma) return peer;
    *comma = 0;
  }
}

/* The CSP, made once at start (form-action with the configured origins). */
static char csp[1024];

static void make_csp(const http_config *cfg) {
  const char *extra =
      cfg->form_action_origins && *cfg->form_action_origins && !strpbrk(cfg->form_action_origins, ";,\r\n")
          ? cfg->form_action_origins
          : NULL;
  snprintf(csp, sizeof csp,
           "default-src 'self'; script-src 'self'; style-src 'self'; "
           "img-src 'self' data:; font-src 'self' data:; object-src 'none'; "
           "base-uri 'none'; form-action 'self'%s%s; frame-ancestors 'none'",
           extra ? " " : "", extra ? extra : "");
}

static void add_security_headers(struct MHD_Response *r, const http_config *cfg, int cacheable,
                                 int allow_media) {
  MHD_add_response_header(r, "Content-Security-Policy", csp);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "same-origin");
  MHD_add_response_header(r, "Permissions-Policy",
                          allow_media ? "camera=(self), microphone=(self), geolocation=()"
                                      : "camera=(), microphone=(), geolocation=()");
  MHD_add_response_header(r, "Cache-Control", cacheable ? "public, max-age=86400" : "no-store");
  if (cfg->behind_tls)
    MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

static enum MHD_Result send_response(struct MHD_Connection *c, const http_config *cfg, req_ctx *ctx,
                                     response *rs) {
  struct MHD_Response *r = NULL;
  if (rs->file_path) {
    int fd = open(rs->file_path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) r = MHD_create_response_from_fd((uint64_t)rs->file_size, fd);
    if (!r && fd >= 0) close(fd);
    ctx->bytes = (size_t)rs->file_size;
  }
  if (!r) {
    if (rs->body.err) {
      sb_reset(&rs->body);
      rs->status = 500;
      rs->content_type = "text/plain; charset=utf-8";
      sb_append(&rs->body, "Errore interno.");
    }
    size_t len = rs->body.len;
    ctx->bytes = len;
    r = MHD_create_response_from_buffer(len, sb_take(&rs->body), MHD_RESPMEM_MUST_FREE);
  }
  if (!r) return MHD_NO;
  if (rs->content_type) MHD_add_response_header(r, "Content-Type", rs->content_type);
  for (size_t i = 0; i < rs->n_headers; i++)
    MHD_add_response_header(r, rs->headers[i].key, rs->headers[i].value);
  add_security_headers(r, cfg, rs->cacheable, rs->allow_media);
  ctx->status = rs->status;
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
  MHD_destroy_response(r);
  return ret;
}

/* A bare error before a request could be built (413 on Content-Length,
 * 414 and 431 on oversized heads). */
static enum MHD_Result send_early_error(struct MHD_Connection *c, const http_config *cfg, req_ctx *ctx,
                                        err_code code, const char *url) {
  request rq = {0};
  rq.a = ctx->a;
  rq.method = "GET";
  rq.path = url;
  response rs = {0};
  sb_init(&rs.body, 0);
  rs_error(&rq, &rs, code, strncmp(url, "/api/", 5) == 0 ? OUT_JSON : OUT_HTML);
  rs_header(&rs, "Connection", "close");
  enum MHD_Result ret = send_response(c, cfg, ctx, &rs);
  sb_free(&rs.body);
  return ret;
}

static req_ctx *ctx_new(const http_config *cfg) {
  req_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  clock_gettime(CLOCK_MONOTONIC, &ctx->start);
  ctx->a = arena_new();
  sb_init(&ctx->body, cfg->max_body);
  return ctx;
}

/* The request line has arrived, before libmicrohttpd parses the query
 * string into its per-connection pool. Too many parameters would exhaust
 * the pool, and libmicrohttpd 0.9.75 then leaves the connection hanging
 * until the timeout: such a query is cut off here (the string is ours to
 * end: it lies in the connection's read buffer) and answered 414. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  http_server *s = cls;
  (void)c;
  req_ctx *ctx = ctx_new(&s->cfg);
  if (!ctx) return NULL;
  ctx->uri_len = strlen(uri);
  char *q = strchr(uri, '?');
  if (q) {
    size_t pairs = 1;
    for (const char *p = q + 1; *p; p++)
      if (*p == '&' || *p == ';') pairs++;
    if (pairs > MAX_QUERY_PARAMS) {
      q[1] = 0;
      ctx->query_overflow = 1;
    }
  }
  return ctx;
}

/* What libmicrohttpd holds in the connection's pool for this head, roughly:
 * its bytes and one record per header, cookie and query parameter. */
static size_t pool_used(struct MHD_Connection *c, size_t head) {
  int n = MHD_get_connection_values(c, MHD_HEADER_KIND | MHD_COOKIE_KIND | MHD_GET_ARGUMENT_KIND, NULL, NULL);
  return head + (size_t)(n > 0 ? n : 0) * 64;
}

/* The refusal when the pool is (nearly) full: libmicrohttpd would build
 * the response head in what is left of it, fail and just close. A short
 * answer is written to the socket directly (nothing else is writing to it
 * yet; it fits any socket buffer) and the connection closed. */
static enum MHD_Result send_lean_error(struct MHD_Connection *c, req_ctx *ctx, err_code code,
                                       const char *url) {
  int json = strncmp(url, "/api/", 5) == 0;
  int status = err_http_status(code);
  const char *body = json ? arena_printf(ctx->a, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
                                         err_slug(code), err_message_it(code))
                          : err_message_it(code);
  const char *reply = arena_printf(
      ctx->a,
      "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
      "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n%s",
      status, status == 414 ? "URI Too Long" : "Request Header Fields Too Large",
      json ? "application/json" : "text/plain; charset=utf-8", strlen(body), body);
  const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
  if (fi && send(fi->connect_fd, reply, strlen(reply), MSG_NOSIGNAL | MSG_DONTWAIT) > 0) {
    ctx->status = status;
    ctx->bytes = strlen(body);
  }
  return MHD_NO;
}

/* First call for a request: the head is complete. Refuses what must not
 * reach a handler: a head over the limit, a query cut off by on_uri, a
 * declared body over the limit. */
static enum MHD_Result on_head(http_server *s, struct MHD_Connection *c, req_ctx *ctx, const char *url,
                               const char *method) {
  const http_config *cfg = &s->cfg;
  const union MHD_ConnectionInfo *si = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (si && si->socket_context) conntrack_head_done(s->ct, si->socket_context);
  ctx->started = 1;
  ctx->method = arena_strdup(ctx->a, method);
  ctx->path = arena_strndup(ctx->a, url, strnlen(url, 200));
  size_t head = head_bytes(c, method, ctx->uri_len ? ctx->uri_len : strlen(url));
  /* many header lines under the byte limit can fill the pool too */
  int pool_full = pool_used(c, head) + POOL_REPLY_ROOM > s->pool_size;
  err_code refuse = head > cfg->max_header || pool_full ? ERR_HEADERS_TOO_LARGE
                    : ctx->query_overflow               ? ERR_URI_TOO_LONG
                                                        : ERR_OK;
  if (refuse != ERR_OK) {
    ctx->too_large = 1;
    if (pool_full) return send_lean_error(c, ctx, refuse, url);
    return send_early_error(c, cfg, ctx, refuse, url);
  }
  /* an upload route takes more than the server's default: its limit is
   * looked up only for a body that may need it (declared above the
   * default, or streamed without a length) */
  const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
  unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
  if (declared > cfg->max_body || (!cl && http_unsafe_method(method))) {
    ctx->body.max = http_body_limit(cfg, ctx->a, method, ctx->path);
    if (declared > ctx->body.max) {
      ctx->too_large = 1;
      return send_early_error(c, cfg, ctx, ERR_TOO_LARGE, url);
    }
  }
  return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls) {
  http_server *s = cls;
  const http_config *cfg = &s->cfg;
  req_ctx *ctx = *con_cls;
  (void)version;
  if (!ctx) { /* on_uri could not allocate */
    if (!(ctx = ctx_new(cfg))) return MHD_NO;
    *con_cls = ctx;
  }
  if (!ctx->started) return on_head(s, c, ctx, url, method);
  if (*upload_size) {
    if (!ctx->too_large) {
      sb_appendn(&ctx->body, upload_data, *upload_size);
      if (ctx->body.err) ctx->too_large = 1;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (ctx->too_large) return send_early_error(c, cfg, ctx, ERR_TOO_LARGE, url);

  request rq = {0};
  rq.a = ctx->a;
  rq.method = arena_strdup(ctx->a, method);
  rq.path = arena_strdup(ctx->a, url);
  rq.conn = c;
  rq.tls = cfg->behind_tls;
  rq.client_ip = effective_client(c, cfg, ctx->a, client_ip(c, ctx->a));
  ctx->client = rq.client_ip;
  rq.body = sb_str(&ctx->body);
  rq.body_len = ctx->body.len;
  rq.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
  rq.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
  int bad_query = collect_values(c, MHD_GET_ARGUMENT_KIND, ctx->a, &rq.query, MAX_QUERY_PARAMS);
  collect_values(c, MHD_COOKIE_KIND, ctx->a, &rq.cookies, MAX_COOKIES);
  response rs = {0};
  rs.status = 200;
  rs.content_type = "text/html; charset=utf-8";
  sb_init(&rs.body, 16u << 20);
  int retry_after = 0;
  out_kind out = strncmp(url, "/api/", 5) == 0 ? OUT_JSON : OUT_HTML;
  if (strncmp(url, "/static/", 8) != 0 &&
      !ratelimit_allow(s->rl, rq.client_ip, monotonic_ms(), &retry_after)) {
    rs_error(&rq, &rs, ERR_RATE_LIMITED, out);
    rs_header(&rs, "Retry-After", arena_printf(ctx->a, "%d", retry_after));
  } else if (bad_query ||
             (rq.content_type && strncmp(rq.content_type, "application/x-www-form-urlencoded", 33) == 0 &&
              parse_urlencoded(ctx->a, rq.body, rq.body_len, &rq.form, 500) != 0) ||
             (rq.content_type && strncmp(rq.content_type, "multipart/form-data", 19) == 0 &&
              parse_multipart(ctx->a, rq.content_type, rq.body, rq.body_len, &rq.form, &rq.files, 200) !=
                  0)) {
    rs_error(&rq, &rs, ERR_BAD_REQUEST, out);
  } else {
    http_dispatch(cfg, &rq, &rs);
  }
  enum MHD_Result ret = send_response(c, cfg, ctx, &rs);
  sb_free(&rs.body);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  http_server *s = cls;
  req_ctx *ctx = *con_cls;
  /* the connection now waits for its next request head (keep-alive) */
  const union MHD_ConnectionInfo *si = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (si && si->socket_context) conntrack_idle(s->ct, si->socket_context);
  if (!ctx) return;
  if (s->cfg.access_log && ctx->started) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
    int status = ctx->status ? ctx->status : (ci ? (int)ci->http_status : 0);
    log_buffered("access %s %s %s %d %zuB %.2fms%s", ctx->client ? ctx->client : client_ip(c, ctx->a),
                 ctx->method, ctx->path, status, ctx->bytes, elapsed_ms(&ctx->start),
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
  }
  sb_free(&ctx->body);
  arena_free(ctx->a);
  free(ctx);
  *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  http_server *s = cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    *socket_context = fi ? conntrack_open(s->ct, fi->connect_fd) : NULL;
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
    conntrack_close(s->ct, *socket_context);
    *socket_context = NULL;
  }
}

/* "HOST:PORT" (IPv4) or "[ADDR]:PORT" (IPv6) into a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6) {
  const char *colon = strrchr(listen, ':');
  if (!colon) return -1;
  char host[64];
  const char *h = listen;
  size_t hl = (size_t)(colon - listen);
  *v6 = h[0] == '[';
  if (*v6) {
    if (hl < 3 || h[hl - 1] != ']') return -1;
    h++;
    hl -= 2;
  }
  if (hl == 0 || hl >= sizeof host) return -1;
  memcpy(host, h, hl);
  host[hl] = 0;
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 1 || port > 65535) return -1;
  memset(ss, 0, sizeof *ss);
  if (*v6) {
    struct sockaddr_in6 *sa = (struct sockaddr_in6 *)ss;
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons((uint16_t)port);
    return inet_pton(AF_INET6, host, &sa->sin6_addr) == 1 ? 0 : -1;
  }
  struct sockaddr_in *sa = (struct sockaddr_in *)ss;
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

http_server *http_start(const http_config *cfg, char *err, size_t errlen) {
  struct sockaddr_storage sa;
  int v6 = 0;
  if (parse_listen(cfg->listen, &sa, &v6)) {
    snprintf(err, errlen, "indirizzo di ascolto non valido: %s (atteso HOST:PORTA o [IPv6]:PORTA)",
             cfg->listen);
    return NULL;
  }
#ifdef __GLIBC__
  /* Every request frees its arena blocks and response buffer at the end;
   * glibc would hand the freed top of each thread's heap back to the kernel
   * (madvise, with a TLB shootdown across cores) after almost every
   * request: about a tenth of a portal page's CPU (bench/portal). Keep up
   * to 64 MB per heap and take buffers under 4 MB from the heap. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
  http_server *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->cfg = *cfg;
  running_cfg = *cfg;
  make_csp(cfg);
  s->rl = ratelimit_new(cfg->rate_limit_per_minute);
  s->ct = conntrack_new(cfg->connection_limit, (int64_t)cfg->head_timeout * 1000);
  if (!s->ct) {
    snprintf(err, errlen, "impossibile avviare il controllo delle connessioni");
    ratelimit_free(s->rl);
    free(s);
    return NULL;
  }
  s->pool_size = cfg->max_header * 2 + POOL_HEADROOM;
  s->d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0), 0, NULL,
      NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->connection_limit,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connection_limit,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, s->pool_size,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
      MHD_OPTION_END); /* no SO_REUSEPORT: a second server on a busy port must fail */
  if (!s->d) {
    snprintf(err, errlen, "impossibile avviare il server HTTP su %s (porta occupata?)", cfg->listen);
    conntrack_free(s->ct);
    ratelimit_free(s->rl);
    free(s);
    return NULL;
  }
  return s;
}

void http_stop(http_server *s) {
  if (!s) return;
  MHD_stop_daemon(s->d);
  conntrack_free(s->ct);
  ratelimit_free(s->rl);
  free(s);
}

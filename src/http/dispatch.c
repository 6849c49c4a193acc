#include <sodium.h>
#include <string.h>
#include "core/log.h"
#include "core/text.h"
#include "http/http_internal.h"
#include "render/link.h"

char *http_random_token(arena *a) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  size_t n = sodium_base64_encoded_len(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = arena_alloc(a, n);
  sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

/* Placeholder kinds, from least to most specific match. */
enum { SEG_ANY = 1, SEG_ID = 2, SEG_LITERAL = 3 };

static int all_digits(const char *s, size_t n) {
  if (n == 0 || n > 18 || s[0] == '0') return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* Matches path against pattern segment by segment: {x} takes one
 * non-empty segment, {x:id} a positive integer, into rq->params. rank
 * receives each segment's kind (for the most-specific choice); returns the
 * number of segments, 0 when it does not match. */
static int match(const char *pattern, const char *path, request *rq, unsigned char *rank, int max_rank) {
  const char *p = pattern, *s = path;
  size_t np = 0;
  int seg = 0;
  const char *vals[MAX_ROUTE_PARAMS];
  size_t lens[MAX_ROUTE_PARAMS];
  while (*p && *s) {
    if (*p != '/' || *s != '/') return 0;
    p++;
    s++;
    const char *pe = strchr(p, '/'), *se = strchr(s, '/');
    size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
    int kind;
    if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
      if (sl == 0 || np >= MAX_ROUTE_PARAMS) return 0;
      int typed_id = pl > 5 && memcmp(p + pl - 4, ":id}", 4) == 0;
      if (typed_id && !all_digits(s, sl)) return 0;
      kind = typed_id ? SEG_ID : SEG_ANY;
      vals[np] = s;
      lens[np++] = sl;
    } else {
      if (pl != sl || memcmp(p, s, pl) != 0) return 0;
      kind = SEG_LITERAL;
    }
    if (seg < max_rank) rank[seg] = (unsigned char)kind;
    seg++;
    p += pl;
    s += sl;
  }
  if (*p || *s) return 0;
  for (size_t i = 0; i < np; i++) rq->params[i] = arena_strndup(rq->a, vals[i], lens[i]);
  rq->n_params = np;
  return seg > 0 ? seg : 1;
}

#define MAX_RANK 16

/* Finds the route for method+path: among the patterns that match, the
 * most specific (compared segment by segment) with this method;
 * *path_known tells a 405 from a 404. */
static const route *find_route(const http_config *cfg, request *rq, int *path_known) {
  const char *method = strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
  *path_known = 0;
  const route *best = NULL;
  unsigned char best_rank[MAX_RANK] = {0}, rank[MAX_RANK];
  for (size_t t = 0; t < cfg->n_tables; t++) {
    for (size_t i = 0; i < cfg->tables[t].n; i++) {
      const route *r = &cfg->tables[t].routes[i];
      memset(rank, 0, sizeof rank);
      if (!match(r->pattern, rq->path, rq, rank, MAX_RANK)) continue;
      *path_known = 1;
      if (strcmp(r->method, method) != 0) continue;
      if (!best || memcmp(rank, best_rank, MAX_RANK) > 0) {
        best = r;
        memcpy(best_rank, rank, MAX_RANK);
      }
    }
  }
  rq->n_params = 0;
  if (best) match(best->pattern, rq->path, rq, rank, MAX_RANK); /* its parameters */
  return best;
}

size_t http_body_limit(const http_config *cfg, arena *a, const char *method, const char *path) {
  request rq = {.a = a, .method = method, .path = path};
  int known;
  const route *r = find_route(cfg, &rq, &known);
  return r && r->max_body ? r->max_body : cfg->max_body;
}

int http_unsafe_method(const char *m) {
  return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

int route_needs_csrf(const route *r, const char *method) {
  return http_unsafe_method(method) && r->auth != AUTH_TOKEN && !r->no_csrf;
}

static int same_token(const char *a, const char *b) {
  if (!a || !b) return 0;
  size_t n = strlen(a);
  if (n == 0 || n != strlen(b)) return 0;
  return sodium_memcmp(a, b, n) == 0;
}

/* A signed-in citizen's page of an Ente's portal named by its slug (no
 * staff session): the citizen's session and the Ente, which every such
 * page reads first, in one round trip; identify and authorize then use
 * them. Anything else (an Ente named by codice fiscale, no cookie) goes the
 * usual way. */
static err_code prefetch_citizen(request *rq, const route *r) {
  if (r->auth != AUTH_CITIZEN || r->ente != ENTE_PUBLIC || rq->n_params == 0 || rq_cookie(rq, SESSION_COOKIE))
    return ERR_OK;
  const char *cc = rq_cookie(rq, CITIZEN_COOKIE_NAME), *slug = rq->params[0];
  size_t n = strlen(slug);
  if (!cc || strlen(cc) >= 200 || n == 0 || n > 64 || strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != n ||
      strspn(slug, "0123456789") == n)
    return ERR_OK;
  db_batch b;
  db_batch_init(&b, rq->db, rq->a);
  b.snapshot = 0;
  citizen *c = ARENA_NEW(rq->a, citizen);
  ente *e = ARENA_NEW(rq->a, ente);
  int cfound = 0, efound = 0;
  citizen_session_queue(&b, cc, c, &cfound);
  ente_by_slug_queue(&b, slug, e, &efound);
  err_code rc = db_batch_run(&b);
  if (rc != ERR_OK) return rc;
  rq->pre.done = 1;
  rq->pre.citizen = cfound ? c : NULL;
  rq->pre.ente = efound ? e : NULL;
  return ERR_OK;
}

/* Identifies the caller: a session cookie for pages, a bearer token for
 * the API. A storage failure is reported; a bad credential just leaves the
 * caller anonymous (the route decides whether that is acceptable). */
static err_code identify(request *rq, const route *r) {
  if (r->auth == AUTH_TOKEN) {
    const char *h = rq->authorization;
    if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h) > 200) return ERR_UNAUTHORIZED;
    api_token *t = ARENA_NEW(rq->a, api_token);
    err_code e = api_token_lookup(rq->db, rq->a, h + 7, t);
    if (e != ERR_OK) return e;
    rq->token = t;
    rq->who.kind = "api";
    rq->who.id = t->id;
    return ERR_OK;
  }
  const char *cookie = rq_cookie(rq, SESSION_COOKIE);
  if (cookie && strlen(cookie) < 200) {
    session *s = ARENA_NEW(rq->a, session);
    user *u = ARENA_NEW(rq->a, user);
    err_code e = session_lookup(rq->db, rq->a, cookie, s, u);
    if (e == ERR_OK) {
      rq->session = s;
      rq->user = u;
      rq->who.kind = "user";
      rq->who.id = u->id;
      rq->csrf = s->csrf;
    } else if (e != ERR_UNAUTHORIZED) {
      return e;
    }
  }
  /* a citizen on the portal: only where no staff member is signed in */
  const char *cc = rq->user ? NULL : rq_cookie(rq, CITIZEN_COOKIE_NAME);
  if (rq->pre.done) {
    if ((rq->citizen = rq->pre.citizen) != NULL) {
      rq->who.kind = "citizen";
      rq->who.id = rq->citizen->id;
      rq->csrf = rq->citizen->csrf;
    }
  } else if (cc && strlen(cc) < 200) {
    citizen *c = ARENA_NEW(rq->a, citizen);
    err_code e = citizen_session_lookup(rq->db, rq->a, cc, c);
    if (e == ERR_OK) {
      rq->citizen = c;
      rq->who.kind = "citizen";
      rq->who.id = c->id;
      rq->csrf = c->csrf;
    } else if (e != ERR_UNAUTHORIZED) {
      return e;
    }
  }
  return ERR_OK;
}

/* Pages without a session still need a CSRF token (the sign-in form): the
 * pre-session cookie holds a random value the server chose, the form token
 * is signed with the server key over it (auth_anon_csrf_token), so a
 * cookie/token pair made up by an attacker is refused. */
static err_code presession_csrf(const http_config *cfg, request *rq, response *rs) {
  if (rq->csrf || !rq->db) return ERR_OK;
  err_code e = auth_key_ensure(rq->db, cfg->secret_key);
  if (e != ERR_OK) return e;
  const char *c = rq_cookie(rq, PRESESSION_COOKIE);
  if (!c || strlen(c) < 32 || strlen(c) >= 100) {
    c = http_random_token(rq->a);
    rs_set_cookie(rq, rs, PRESESSION_COOKIE, c, PRESESSION_TTL, "Strict");
  }
  rq->csrf = auth_anon_csrf_token(rq->a, c);
  return rq->csrf ? ERR_OK : ERR_INTERNAL;
}

/* The form's _csrf: the (staff or citizen) session's token, or one signed for the pre-session
 * cookie when there is no session. */
static int csrf_ok(request *rq) {
  const char *form = rq_form(rq, "_csrf");
  if (rq->session || rq->citizen) return same_token(form, rq->csrf); /* the session's own token */
  return auth_anon_csrf_ok(rq_cookie(rq, PRESESSION_COOKIE), form, PRESESSION_TTL);
}

/* ERR_OK if the signed-in user is enabled on ente_id, ERR_NOT_FOUND if not. */
static err_code user_may_see(request *rq, int64_t ente_id) {
  ente *list;
  size_t n;
  err_code e = rq_user_entes(rq, &list, &n);
  if (e != ERR_OK) return e;
  for (size_t i = 0; i < n; i++)
    if (list[i].id == ente_id) return ERR_OK;
  return ERR_NOT_FOUND;
}

static err_code authorize(request *rq, const route *r, response *rs) {
  if (r->auth == AUTH_SESSION) {
    if (!rq->user) {
      if (r->out == OUT_HTML && strcmp(rq->method, "GET") == 0) {
        rs_redirect(rs, arena_printf(rq->a, "%s?dopo=%s", url_login(rq->a), url_encode(rq->a, rq->path)));
        return ERR_OK;
      }
      return ERR_UNAUTHORIZED;
    }
    if (!(r->roles & ROLE_BIT(rq->user->role))) return ERR_FORBIDDEN;
  }
  if (r->auth == AUTH_CITIZEN && !rq->citizen) {
    if (r->out == OUT_HTML && strcmp(rq->method, "GET") == 0 && rq->n_params > 0 &&
        strlen(rq->params[0]) <= 64) {
      rs_redirect(rs, arena_printf(rq->a, "/enti/%s/accedi?dopo=%s", url_encode(rq->a, rq->params[0]),
                                   url_encode(rq->a, rq->path)));
      return ERR_OK;
    }
    return ERR_UNAUTHORIZED;
  }
  if (r->ente) {
    const char *slug = r->ente == ENTE_FROM_QUERY ? rq_query(rq, "ente") : rq->params[0];
    if (!slug || !*slug) return r->ente == ENTE_FROM_QUERY ? ERR_ENTE_REQUIRED : ERR_NOT_FOUND;
    if (strlen(slug) > 64) return ERR_NOT_FOUND;
    ente *e = rq->pre.ente ? rq->pre.ente : ARENA_NEW(rq->a, ente);
    /* the API and the public portal name an Ente by slug or codice fiscale;
     * staff page URLs by slug */
    err_code ec = rq->pre.done ? (rq->pre.ente ? ERR_OK : ERR_NOT_FOUND)
                  : r->ente == ENTE_FROM_QUERY || r->ente == ENTE_PUBLIC ? ente_resolve(rq->db, rq->a, slug, e)
                                                                         : ente_by_slug(rq->db, rq->a, slug, e);
    if (ec != ERR_OK) return ec;
    if (r->ente == ENTE_PUBLIC)
      ec = ERR_OK; /* the Ente's public portal: anyone */
    else if (rq->token)
      ec = api_token_check_ente(rq->token, e->id);
    else if (rq->user)
      ec = user_may_see(rq, e->id);
    else
      ec = ERR_NOT_FOUND;
    if (ec != ERR_OK) return ec;
    rq->ente = e;
  }
  return ERR_OK;
}

/* Every 5xx logs its cause once, here: the statement or transaction that
 * failed and the driver's message (recorded with err_cause), never in the
 * response. */
static void log_5xx(const request *rq, const route *r, const response *rs, err_code e) {
  const char *cause = err_cause_peek();
  log_error("%s %s -> %d %s: %s", rq->method, r->pattern, rs->status, err_slug(e),
            cause ? cause : "no cause recorded");
  err_cause_clear();
}

void http_dispatch(const http_config *cfg, request *rq, response *rs) {
  err_cause_clear();
  if (text_check(rq->path, strlen(rq->path), 0) != TEXT_OK) { /* "/ufficio/%FF": names nothing */
    rs_error(rq, rs, ERR_NOT_FOUND, strncmp(rq->path, "/api/", 5) == 0 ? OUT_JSON : OUT_HTML);
    return;
  }
  if (strncmp(rq->path, "/static/", 8) == 0 &&
      (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0)) {
    http_static(cfg, rq, rs);
    return;
  }
  int path_known;
  const route *r = find_route(cfg, rq, &path_known);
  out_kind out = strncmp(rq->path, "/api/", 5) == 0 ? OUT_JSON : OUT_HTML;
  if (!r) {
    rs_error(rq, rs, path_known ? ERR_METHOD : ERR_NOT_FOUND, out);
    return;
  }
  out = r->out;
  db *d = NULL;
  err_code e = ERR_OK;
  if (!r->no_db) {
    d = db_pool_acquire(cfg->pool);
    if (!d) {
      rs_error(rq, rs, ERR_UNAVAILABLE, out);
      return;
    }
    rq->db = d;
    if (!http_unsafe_method(rq->method)) db_snapshot_begin(d); /* reads see one snapshot */
  }
  rq->who.kind = "anonymous";
  if (d) e = prefetch_citizen(rq, r);
  if (d && e == ERR_OK) e = identify(rq, r);
  if (e == ERR_OK && out == OUT_HTML) e = presession_csrf(cfg, rq, rs);
  if (e == ERR_OK) e = authorize(rq, r, rs);
  if (e == ERR_OK && rs->status == 303) goto done; /* redirected to sign-in */
  if (e == ERR_OK && route_needs_csrf(r, rq->method) && !csrf_ok(rq)) e = ERR_CSRF;
  if (e == ERR_OK && http_check_input(rq, rs, out) != 0) goto done; /* 422 naming the field */
  if (e == ERR_OK) e = r->fn(rq, rs);
  if (e != ERR_OK) rs_error(rq, rs, e, out);
  if (rs->status >= 500) log_5xx(rq, r, rs, e);
done:
  if (d) {
    db_snapshot_end(d);
    if (db_in_tx(d)) log_error("bug: %s %s ended inside a transaction", rq->method, r->pattern);
    db_pool_release(cfg->pool, d);
    rq->db = NULL;
  }
}

#include <string.h>
#include <stdlib.h>
#include <microhttpd.h>
#include "http/http.h"

static const char *kv_get(const kv_list *l, const char *key) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i].key, key) == 0) return l->items[i].value;
  return NULL;
}

const char *rq_query(const request *rq, const char *key) { return kv_get(&rq->query, key); }
const char *rq_form(const request *rq, const char *key) { return kv_get(&rq->form, key); }
const char *rq_cookie(const request *rq, const char *key) { return kv_get(&rq->cookies, key); }

const char *rq_header(const request *rq, const char *name) {
  if (!rq->conn) return NULL;
  return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND, name);
}

err_code rq_user_entes(request *rq, ente **out, size_t *n) {
  if (!rq->entes) {
    if (!rq->user) return ERR_UNAUTHORIZED;
    err_code e = user_entes(rq->db, rq->a, rq->user, &rq->entes, &rq->n_entes);
    if (e != ERR_OK) return e;
  }
  *out = rq->entes;
  *n = rq->n_entes;
  return ERR_OK;
}

int64_t rq_param_id(const request *rq, size_t i) {
  if (i >= rq->n_params || !rq->params[i]) return 0;
  const char *s = rq->params[i];
  if (!*s || strlen(s) > 18) return 0;
  int64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (*s - '0');
  }
  return v;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes one urlencoded component into the arena; -1 on a bad escape or an
 * embedded NUL (never valid in our inputs). */
static int decode(arena *a, const char *s, size_t n, const char **out) {
  char *d = arena_alloc(a, n + 1), *o = d;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      *o++ = ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= n) return -1;
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h < 0 || l < 0) return -1;
      char c = (char)(h * 16 + l);
      if (c == 0) return -1;
      *o++ = c;
      i += 2;
    } else {
      *o++ = s[i];
    }
  }
  *o = 0;
  *out = d;
  return 0;
}

int parse_urlencoded(arena *a, const char *s, size_t len, kv_list *out, size_t max_pairs) {
  out->items = NULL;
  out->n = 0;
  if (!s || !len) return 0;
  size_t cap = 1;
  for (size_t i = 0; i < len; i++)
    if (s[i] == '&') cap++;
  if (cap > max_pairs) return -1;
  out->items = ARENA_ARRAY(a, kv, cap);
  size_t start = 0;
  while (start <= len) {
    size_t end = start;
    while (end < len && s[end] != '&') end++;
    if (end > start) {
      const char *eq = memchr(s + start, '=', end - start);
      size_t klen = eq ? (size_t)(eq - (s + start)) : end - start;
      const char *k, *v;
      if (decode(a, s + start, klen, &k)) return -1;
      if (eq) {
        if (decode(a, eq + 1, end - start - klen - 1, &v)) return -1;
      } else {
        v = "";
      }
      out->items[out->n].key = k;
      out->items[out->n].value = v;
      out->n++;
    }
    start = end + 1;
  }
  return 0;
}

/* /api/v1/taxpayers: search, create, read, replace (PUT) and change
 * (PATCH, JSON Merge Patch) taxpayers of an Ente. A body that is not a
 * JSON object is 400; its shape (types, kinds, lists) is checked here and
 * its content by the domain, and every problem of both is answered at once
 * (422). Nothing is written unless all of it is valid. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "api/api.h"
#include "api/taxpayer_json.h"
#include "domain/taxpayer/taxpayer.h"

#define MAX_LIST 100

/* 1 if the request's Content-Type is media (parameters such as charset
 * allowed after it), case-insensitively. */
static int content_type_is(const request *rq, const char *media) {
  const char *ct = rq->content_type;
  size_t n = strlen(media);
  if (!ct || strncasecmp(ct, media, n) != 0) return 0;
  return ct[n] == 0 || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t';
}

/* The request body as a JSON object, or NULL after answering 400 with why:
 * a Content-Type other than JSON (or, with merge, JSON Merge Patch), a body
 * that is not JSON, or JSON that is not an object. */
static json_t *body_object(request *rq, response *rs, int merge) {
  const char *why = NULL;
  err_code code = ERR_BAD_REQUEST;
  json_t *root = NULL;
  if (!content_type_is(rq, "application/json") &&
      !(merge && content_type_is(rq, "application/merge-patch+json"))) {
    why = merge ? "Il corpo deve essere JSON (Content-Type: application/json o "
                  "application/merge-patch+json)."
                : "Il corpo deve essere JSON (Content-Type: application/json).";
  } else {
    json_error_t jerr;
    root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(root)) {
      why = "Il corpo della richiesta deve essere un oggetto JSON valido.";
      code = ERR_JSON_MALFORMED;
      json_decref(root);
      root = NULL;
    }
  }
  if (why) {
    problem p = {code, NULL, why};
    api_problems(rs, code, &p, 1);
  }
  return root;
}

/* Exact fiscal code (fiscal_code=), search (q=: code, partita IVA, name
 * prefix) or, with neither, every taxpayer of the Ente by name; pages with
 * limit/offset and the true total. Parameters are checked before anything
 * is read. */
err_code api_taxpayers_list(request *rq, response *rs) {
  const char *cf = rq_query(rq, "fiscal_code");
  const char *q = rq_query(rq, "q");
  const char *ls = rq_query(rq, "limit"), *os = rq_query(rq, "offset");
  int limit = ls ? atoi(ls) : 20, offset = os ? atoi(os) : 0;
  if (limit < 1 || limit > MAX_LIST || offset < 0 || offset > 1000000) {
    problem p = {ERR_INVALID, "limit", "limit deve essere tra 1 e 100, offset non negativo."};
    return api_problems(rs, ERR_INVALID, &p, 1);
  }
  if ((cf && strlen(cf) > 32) || (q && strlen(q) > 100)) return ERR_BAD_REQUEST;
  taxpayer *list = NULL, one;
  size_t n = 0;
  int64_t total = 0;
  int full = cf != NULL;
  err_code e;
  if (cf) {
    e = taxpayer_by_fiscal_code(rq->db, rq->a, rq->ente->id, arena_strdup(rq->a, cf), &one);
    if (e == ERR_OK) {
      list = &one;
      n = total = 1;
    } else if (e == ERR_NOT_FOUND) {
      e = ERR_OK;
    }
  } else {
    e = taxpayer_search_page(rq->db, rq->a, rq->ente->id, q, limit, offset, &list, &n, &total);
  }
  if (e != ERR_OK) return e;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, tpj_out(rq->ente, &list[i], full));
  return api_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
                                     (json_int_t)total, "limit", limit, "offset", offset));
}

/* The stored taxpayer as the answer (201 with Location for a new one). */
static err_code answer(request *rq, response *rs, int64_t id, int created) {
  taxpayer saved;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &saved);
  if (e != ERR_OK) return e;
  if (created)
    rs_header(rs, "Location", arena_printf(rq->a, "/api/v1/taxpayers/%lld?ente=%s", (long long)id,
                                           rq->ente->slug));
  return api_json(rs, created ? 201 : 200, tpj_out(rq->ente, &saved, 1));
}

/* POST (id 0) and PUT: the whole taxpayer; PUT needs both lists, so an
 * omitted list is an error rather than a silent removal. Shape problems
 * and content problems are answered together. */
static err_code save(request *rq, response *rs, int64_t id) {
  json_t *root = body_object(rq, rs, 0);
  if (!root) return ERR_OK;
  taxpayer tp = {0};
  problems pbs = {0};
  tpj_read(rq->a, root, id != 0, &tp, &pbs);
  json_decref(root);
  tp.ente_id = rq->ente->id;
  tp.id = id;
  err_code e;
  if (pbs.n) { /* shape problems: the content is checked all the same */
    problems content = {0};
    e = taxpayer_validate(rq->db, rq->a, &tp, &content);
    if (e != ERR_OK && !err_is_form_problem(e)) return e;
    problems_merge(rq->a, &pbs, &content);
    e = ERR_INVALID;
  } else {
    e = id ? taxpayer_update(rq->db, rq->a, &tp, &rq->who, &pbs)
           : taxpayer_create(rq->db, rq->a, &tp, &rq->who, &pbs);
  }
  if (err_is_form_problem(e)) return api_problems(rs, e, pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  return answer(rq, rs, tp.id, id == 0);
}

err_code api_taxpayers_create(request *rq, response *rs) { return save(rq, rs, 0); }

err_code api_taxpayer_put(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  return save(rq, rs, id);
}

/* PATCH: the stored taxpayer as a request body, the patch merged into it
 * (RFC 7396), the result read back like a POST body. */
static err_code apply_patch(arena *a, const taxpayer *current, taxpayer *next, problems *pbs,
                            void *ctx) {
  json_t *merged = tpj_merge_patch(tpj_input(current), ctx);
  if (!merged) return ERR_INTERNAL;
  tpj_read(a, merged, 0, next, pbs);
  json_decref(merged);
  return ERR_OK;
}

err_code api_taxpayer_patch(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  json_t *patch = body_object(rq, rs, 1);
  if (!patch) return ERR_OK;
  problems pbs = {0};
  err_code e =
      taxpayer_modify(rq->db, rq->a, rq->ente->id, id, apply_patch, patch, &rq->who, NULL, &pbs);
  json_decref(patch);
  if (err_is_form_problem(e)) return api_problems(rs, e, pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  return answer(rq, rs, id, 0);
}

err_code api_taxpayer_get(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  taxpayer tp;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &tp);
  if (e != ERR_OK) return e;
  return api_json(rs, 200, tpj_out(rq->ente, &tp, 1));
}

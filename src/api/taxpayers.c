/* /api/v1/taxpayers: search, create, read, replace taxpayers of an Ente.
 * Input is checked for shape here (types, unknown kinds) and for content
 * by the domain, which reports every invalid field; nothing is written
 * unless all of it is valid. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "core/date.h"
#include "domain/taxpayer/taxpayer.h"

#define MAX_LIST 100

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *iso_time(int64_t t) {
  char buf[21];
  time_format_iso_utc(t, buf);
  return json_string(buf);
}

static json_t *taxpayer_json(const ente *e, const taxpayer *tp, int full) {
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer(tp->id));
  json_object_set_new(j, "ente", json_string(e->slug));
  json_object_set_new(j, "kind", json_string(tp->kind == TP_COMPANY ? "company" : "person"));
  json_object_set_new(j, "fiscal_code", str_or_null(tp->fiscal_code));
  json_object_set_new(j, "vat_number", str_or_null(tp->vat_number));
  json_object_set_new(j, "surname", str_or_null(tp->surname));
  json_object_set_new(j, "given_name", str_or_null(tp->given_name));
  json_object_set_new(j, "company_name", str_or_null(tp->company_name));
  json_object_set_new(j, "birth_date", str_or_null(tp->birth_date));
  json_object_set_new(j, "birth_place", str_or_null(tp->birth_place));
  json_object_set_new(j, "sex", str_or_null(tp->sex));
  if (full) {
    json_t *as = json_array();
    for (size_t i = 0; i < tp->n_addresses; i++) {
      const tp_address *a = &tp->addresses[i];
      json_array_append_new(
          as, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "kind", str_or_null(a->kind), "street",
                        str_or_null(a->street), "postal_code", str_or_null(a->postal_code), "city",
                        str_or_null(a->city), "province", str_or_null(a->province), "country",
                        str_or_null(a->country)));
    }
    json_object_set_new(j, "addresses", as);
    json_t *cs = json_array();
    for (size_t i = 0; i < tp->n_contacts; i++) {
      const tp_contact *c = &tp->contacts[i];
      json_array_append_new(cs, json_pack("{s:o,s:o,s:b,s:o,s:o}", "channel", str_or_null(c->channel),
                                          "value", str_or_null(c->value), "consent", c->consent,
                                          "consent_at", c->consent_at ? iso_time(c->consent_at) : json_null(),
                                          "source", str_or_null(c->source)));
    }
    json_object_set_new(j, "contacts", cs);
  }
  json_object_set_new(j, "created_at", iso_time(tp->created_at));
  json_object_set_new(j, "updated_at", iso_time(tp->updated_at));
  return j;
}

typedef struct {
  problem items[64];
  size_t n;
} shape_errors;

static void shape_err(shape_errors *se, arena *a, const char *field, const char *msg) {
  if (se->n < 64) se->items[se->n++] = (problem){ERR_INVALID, arena_strdup(a, field), msg};
}

/* Optional string member: absent/null -> NULL; any other type is an error. */
static char *get_str(arena *a, json_t *obj, const char *key, const char *path, shape_errors *se) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_string(v)) {
    shape_err(se, a, path, "Deve essere una stringa.");
    return NULL;
  }
  return arena_strdup(a, json_string_value(v));
}

/* Parses the request body into tp, reporting type errors per field. */
static err_code parse_taxpayer(request *rq, taxpayer *tp, shape_errors *se) {
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    shape_err(se, rq->a, NULL, "Il corpo della richiesta deve essere un oggetto JSON valido.");
    return ERR_BAD_REQUEST;
  }
  arena *a = rq->a;
  const char *kind = get_str(a, root, "kind", "kind", se);
  if (!kind || (strcmp(kind, "person") && strcmp(kind, "company")))
    shape_err(se, a, "kind", "Indicare \"person\" (persona fisica) o \"company\" (impresa).");
  tp->kind = kind && strcmp(kind, "company") == 0 ? TP_COMPANY : TP_PERSON;
  tp->fiscal_code = get_str(a, root, "fiscal_code", "fiscal_code", se);
  if (!tp->fiscal_code) tp->fiscal_code = "";
  tp->vat_number = get_str(a, root, "vat_number", "vat_number", se);
  tp->surname = get_str(a, root, "surname", "surname", se);
  tp->given_name = get_str(a, root, "given_name", "given_name", se);
  tp->company_name = get_str(a, root, "company_name", "company_name", se);
  tp->birth_date = get_str(a, root, "birth_date", "birth_date", se);
  tp->birth_place = get_str(a, root, "birth_place", "birth_place", se);
  tp->sex = get_str(a, root, "sex", "sex", se);

  json_t *as = json_object_get(root, "addresses");
  if (as && !json_is_null(as) && !json_is_array(as)) shape_err(se, a, "addresses", "Deve essere un elenco.");
  size_t na = json_is_array(as) ? json_array_size(as) : 0;
  if (na > 10) {
    shape_err(se, a, "addresses", "Al massimo 10 indirizzi.");
    na = 0;
  }
  tp->addresses = ARENA_ARRAY(a, tp_address, na ? na : 1);
  for (size_t i = 0; i < na; i++) {
    json_t *o = json_array_get(as, i);
    const char *p = arena_printf(a, "addresses[%zu]", i);
    if (!json_is_object(o)) {
      shape_err(se, a, p, "Deve essere un oggetto.");
      continue;
    }
    tp_address *ad = &tp->addresses[tp->n_addresses++];
#define ASTR(f) ad->f = get_str(a, o, #f, arena_printf(a, "%s." #f, p), se)
    ASTR(kind);
    ASTR(street);
    ASTR(postal_code);
    ASTR(city);
    ASTR(province);
    ASTR(country);
#undef ASTR
  }
  json_t *cs = json_object_get(root, "contacts");
  if (cs && !json_is_null(cs) && !json_is_array(cs)) shape_err(se, a, "contacts", "Deve essere un elenco.");
  size_t nc = json_is_array(cs) ? json_array_size(cs) : 0;
  if (nc > 10) {
    shape_err(se, a, "contacts", "Al massimo 10 recapiti.");
    nc = 0;
  }
  tp->contacts = ARENA_ARRAY(a, tp_contact, nc ? nc : 1);
  for (size_t i = 0; i < nc; i++) {
    json_t *o = json_array_get(cs, i);
    const char *p = arena_printf(a, "contacts[%zu]", i);
    if (!json_is_object(o)) {
      shape_err(se, a, p, "Deve essere un oggetto.");
      continue;
    }
    tp_contact *c = &tp->contacts[tp->n_contacts++];
    c->channel = get_str(a, o, "channel", arena_printf(a, "%s.channel", p), se);
    c->value = get_str(a, o, "value", arena_printf(a, "%s.value", p), se);
    c->source = get_str(a, o, "source", arena_printf(a, "%s.source", p), se);
    if (!c->source) c->source = "api";
    json_t *consent = json_object_get(o, "consent");
    if (consent && !json_is_boolean(consent))
      shape_err(se, a, arena_printf(a, "%s.consent", p), "Deve essere true o false.");
    c->consent = json_is_true(consent);
  }
  json_decref(root);
  return se->n ? ERR_INVALID : ERR_OK;
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
  for (size_t i = 0; i < n; i++) json_array_append_new(items, taxpayer_json(rq->ente, &list[i], full));
  return api_json(rs, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
                                     (json_int_t)total, "limit", limit, "offset", offset));
}

static err_code save(request *rq, response *rs, int64_t id) {
  taxpayer tp = {0};
  tp.ente_id = rq->ente->id;
  tp.id = id;
  shape_errors se = {0};
  err_code e = parse_taxpayer(rq, &tp, &se);
  if (e != ERR_OK) return api_problems(rs, ERR_INVALID, se.items, se.n);
  problems pbs = {0};
  e = id ? taxpayer_update(rq->db, rq->a, &tp, &rq->who, &pbs)
         : taxpayer_create(rq->db, rq->a, &tp, &rq->who, &pbs);
  if (e == ERR_INVALID || e == ERR_CONFLICT) return api_problems(rs, e, pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  taxpayer saved;
  e = taxpayer_get(rq->db, rq->a, rq->ente->id, tp.id, &saved);
  if (e != ERR_OK) return e;
  if (!id)
    rs_header(rs, "Location", arena_printf(rq->a, "/api/v1/taxpayers/%lld?ente=%s", (long long)tp.id,
                                           rq->ente->slug));
  return api_json(rs, id ? 200 : 201, taxpayer_json(rq->ente, &saved, 1));
}

err_code api_taxpayers_create(request *rq, response *rs) { return save(rq, rs, 0); }

err_code api_taxpayer_put(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  return save(rq, rs, id);
}

err_code api_taxpayer_get(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  taxpayer tp;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &tp);
  if (e != ERR_OK) return e;
  return api_json(rs, 200, taxpayer_json(rq->ente, &tp, 1));
}

/* /api/v1/positions: create an act with its lines, payment options and
 * transfers; read it by id; find it by NAV, IUV, fiscal code or number;
 * cancel it. Shape errors (types, unknown members' types) are found here,
 * content errors by the domain, every one with its field; nothing is
 * written unless all of it is valid. Amounts are integer cents. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "core/date.h"
#include "domain/debt/debt.h"
#include "domain/taxpayer/taxpayer.h"

enum { MAX_PROBLEMS = 64 };

typedef struct {
  problem items[MAX_PROBLEMS];
  size_t n;
} shape;

static void bad(shape *s, arena *a, const char *field, const char *msg) {
  if (s->n < MAX_PROBLEMS) s->items[s->n++] = (problem){ERR_INVALID, arena_strdup(a, field), msg};
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static char *get_str(arena *a, json_t *o, const char *key, const char *path, shape *s) {
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_string(v)) {
    bad(s, a, path, "Deve essere una stringa.");
    return NULL;
  }
  return arena_strdup(a, json_string_value(v));
}

static int64_t get_int(arena *a, json_t *o, const char *key, const char *path, shape *s) {
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) return 0;
  if (!json_is_integer(v)) {
    bad(s, a, path, "Deve essere un numero intero.");
    return 0;
  }
  return json_integer_value(v);
}

/* A member that must be an array of at most max objects. */
static json_t *get_array(arena *a, json_t *o, const char *key, const char *path, size_t max, shape *s) {
  json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_array(v)) {
    bad(s, a, path, "Deve essere un elenco.");
    return NULL;
  }
  if (json_array_size(v) > max) {
    bad(s, a, path, arena_printf(a, "Al massimo %zu elementi.", max));
    return NULL;
  }
  return v;
}

static void parse_transfers(arena *a, json_t *o, const char *p, debt_option *opt, shape *s) {
  json_t *ts = get_array(a, o, "transfers", arena_printf(a, "%s.transfers", p), DEBT_MAX_TRANSFERS, s);
  size_t n = ts ? json_array_size(ts) : 0;
  opt->transfers = ARENA_ARRAY(a, debt_transfer, n ? n : 1);
  for (size_t k = 0; k < n; k++) {
    json_t *t = json_array_get(ts, k);
    const char *tp = arena_printf(a, "%s.transfers[%zu]", p, k);
    if (!json_is_object(t)) {
      bad(s, a, tp, "Deve essere un oggetto.");
      continue;
    }
    debt_transfer *x = &opt->transfers[opt->n_transfers++];
    memset(x, 0, sizeof *x);
    x->beneficiary_cf =
        get_str(a, t, "beneficiary_fiscal_code", arena_printf(a, "%s.beneficiary_fiscal_code", tp), s);
    x->beneficiary_name = get_str(a, t, "beneficiary_name", arena_printf(a, "%s.beneficiary_name", tp), s);
    x->iban = get_str(a, t, "iban", arena_printf(a, "%s.iban", tp), s);
    x->postal_account = get_str(a, t, "postal_account", arena_printf(a, "%s.postal_account", tp), s);
    x->taxonomy = get_str(a, t, "taxonomy", arena_printf(a, "%s.taxonomy", tp), s);
    x->amount_cents = get_int(a, t, "amount_cents", arena_printf(a, "%s.amount_cents", tp), s);
  }
}

/* The body into x; the revenue code and taxpayer fiscal code into *rev /
 * *cf. ERR_BAD_REQUEST when it is not a JSON object. */
static err_code parse_body(request *rq, debt_act *x, const char **rev, const char **cf, shape *s) {
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return ERR_BAD_REQUEST;
  }
  arena *a = rq->a;
  *cf = get_str(a, root, "taxpayer_fiscal_code", "taxpayer_fiscal_code", s);
  *rev = get_str(a, root, "revenue", "revenue", s);
  x->act_type = get_str(a, root, "act_type", "act_type", s);
  if (!x->act_type) x->act_type = "bonario";
  x->year = (int)get_int(a, root, "year", "year", s);
  x->number = get_str(a, root, "number", "number", s);
  x->description = get_str(a, root, "description", "description", s);
  x->issue_date = get_str(a, root, "issue_date", "issue_date", s);
  x->notification_date = get_str(a, root, "notification_date", "notification_date", s);
  x->due_date = get_str(a, root, "due_date", "due_date", s);
  json_t *ls = get_array(a, root, "lines", "lines", DEBT_MAX_LINES, s);
  size_t nl = ls ? json_array_size(ls) : 0;
  x->lines = ARENA_ARRAY(a, debt_line, nl ? nl : 1);
  for (size_t i = 0; i < nl; i++) {
    json_t *o = json_array_get(ls, i);
    const char *p = arena_printf(a, "lines[%zu]", i);
    if (!json_is_object(o)) {
      bad(s, a, p, "Deve essere un oggetto.");
      continue;
    }
    debt_line *l = &x->lines[x->n_lines++];
    l->kind = get_str(a, o, "kind", arena_printf(a, "%s.kind", p), s);
    l->description = get_str(a, o, "description", arena_printf(a, "%s.description", p), s);
    l->amount_cents = get_int(a, o, "amount_cents", arena_printf(a, "%s.amount_cents", p), s);
  }
  json_t *os = get_array(a, root, "options", "options", DEBT_MAX_OPTIONS, s);
  size_t no = os ? json_array_size(os) : 0;
  x->options = ARENA_ARRAY(a, debt_option, no ? no : 1);
  for (size_t i = 0; i < no; i++) {
    json_t *o = json_array_get(os, i);
    const char *p = arena_printf(a, "options[%zu]", i);
    if (!json_is_object(o)) {
      bad(s, a, p, "Deve essere un oggetto.");
      continue;
    }
    debt_option *opt = &x->options[x->n_options++];
    memset(opt, 0, sizeof *opt);
    opt->installment = (int)get_int(a, o, "installment", arena_printf(a, "%s.installment", p), s);
    opt->amount_cents = get_int(a, o, "amount_cents", arena_printf(a, "%s.amount_cents", p), s);
    opt->due_date = get_str(a, o, "due_date", arena_printf(a, "%s.due_date", p), s);
    opt->valid_until = get_str(a, o, "valid_until", arena_printf(a, "%s.valid_until", p), s);
    parse_transfers(a, o, p, opt, s);
  }
  json_decref(root);
  return ERR_OK;
}

static json_t *transfer_json(const debt_transfer *t) {
  return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:I}", "position", t->position, "beneficiary_fiscal_code",
                   str_or_null(t->beneficiary_cf), "beneficiary_name", str_or_null(t->beneficiary_name),
                   "iban", str_or_null(t->iban), "postal_account", str_or_null(t->postal_account), "taxonomy",
                   str_or_null(t->taxonomy), "amount_cents", (json_int_t)t->amount_cents);
}

static json_t *iso_time(int64_t t) {
  char buf[21];
  time_format_iso_utc(t, buf);
  return json_string(buf);
}

static json_t *position_json(const ente *e, const debt_act *x, int full) {
  json_t *j = json_pack(
      "{s:I, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:I, s:I, s:I}", "id",
      (json_int_t)x->id, "ente", e->slug, "act_type", x->act_type, "year", x->year, "number",
      str_or_null(x->number), "description", str_or_null(x->description), "revenue",
      str_or_null(x->revenue_code), "taxpayer_fiscal_code", str_or_null(x->taxpayer_cf), "taxpayer_name",
      str_or_null(x->taxpayer_name), "issue_date", str_or_null(x->issue_date), "notification_date",
      str_or_null(x->notification_date), "due_date", str_or_null(x->due_date), "state", x->state,
      "charged_cents", (json_int_t)x->charged_cents, "paid_cents", (json_int_t)x->paid_cents,
      "relieved_cents", (json_int_t)x->relieved_cents, "residual_cents", (json_int_t)x->residual_cents);
  if (full) {
    json_t *ls = json_array(), *os = json_array();
    for (size_t i = 0; i < x->n_lines; i++)
      json_array_append_new(ls, json_pack("{s:s, s:o, s:I}", "kind", x->lines[i].kind, "description",
                                          str_or_null(x->lines[i].description), "amount_cents",
                                          (json_int_t)x->lines[i].amount_cents));
    for (size_t i = 0; i < x->n_options; i++) {
      const debt_option *o = &x->options[i];
      json_t *ts = json_array();
      for (size_t k = 0; k < o->n_transfers; k++) json_array_append_new(ts, transfer_json(&o->transfers[k]));
      json_array_append_new(
          os, json_pack("{s:s, s:s, s:i, s:i, s:I, s:s, s:o, s:s, s:I, s:o}", "nav", o->nav, "iuv", o->iuv,
                        "installment", o->installment, "generation", o->generation, "amount_cents",
                        (json_int_t)o->amount_cents, "due_date", o->due_date, "valid_until",
                        str_or_null(o->valid_until), "state", o->state, "paid_cents",
                        (json_int_t)o->paid_cents, "transfers", ts));
    }
    json_object_set_new(j, "lines", ls);
    json_object_set_new(j, "options", os);
  }
  json_object_set_new(j, "created_at", iso_time(x->created_at));
  json_object_set_new(j, "updated_at", iso_time(x->updated_at));
  return j;
}

static err_code respond_position(request *rq, response *rs, int64_t id, int status) {
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  return api_json(rs, status, position_json(rq->ente, &x, 1));
}

err_code api_positions_create(request *rq, response *rs) {
  debt_act x = {0};
  x.ente_id = rq->ente->id;
  const char *rev = NULL, *cf = NULL;
  shape s = {0};
  if (parse_body(rq, &x, &rev, &cf, &s) != ERR_OK) return ERR_BAD_REQUEST;
  if (s.n) return api_problems(rs, ERR_INVALID, s.items, s.n);
  taxpayer tp;
  err_code e = cf ? taxpayer_by_fiscal_code(rq->db, rq->a, rq->ente->id, cf, &tp) : ERR_NOT_FOUND;
  if (e == ERR_NOT_FOUND)
    bad(&s, rq->a, "taxpayer_fiscal_code",
        "Contribuente non registrato in questo Ente (crearlo con /api/v1/taxpayers).");
  else if (e != ERR_OK)
    return e;
  else
    x.taxpayer_id = tp.id;
  debt_revenue r;
  e = rev ? debt_revenue_by_code(rq->db, rq->a, rq->ente->id, rev, &r) : ERR_NOT_FOUND;
  if (e == ERR_NOT_FOUND)
    bad(&s, rq->a, "revenue", "Entrata sconosciuta per questo Ente.");
  else if (e != ERR_OK)
    return e;
  else
    x.revenue_id = r.id;
  if (s.n) return api_problems(rs, ERR_INVALID, s.items, s.n);
  debt_problems pbs = {0};
  e = debt_act_create(rq->db, rq->a, &x, &rq->who, &pbs);
  if (e == ERR_INVALID || e == ERR_ACT_DUPLICATE || e == ERR_TRANSFERS_SUM)
    return api_problems(rs, e, pbs.items, pbs.n);
  if (e != ERR_OK) return e;
  rs_header(rs, "Location",
            arena_printf(rq->a, "/api/v1/positions/%lld?ente=%s", (long long)x.id, rq->ente->slug));
  return respond_position(rq, rs, x.id, 201);
}

err_code api_position_get(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  return respond_position(rq, rs, id, 200);
}

err_code api_positions_list(request *rq, response *rs) {
  debt_query q = {0};
  q.nav = rq_query(rq, "nav");
  q.iuv = rq_query(rq, "iuv");
  q.fiscal_code = rq_query(rq, "fiscal_code");
  q.number = rq_query(rq, "number");
  const char *ys = rq_query(rq, "year");
  const char *keys[] = {q.nav, q.iuv, q.fiscal_code, q.number};
  for (size_t i = 0; i < 4; i++)
    if (keys[i] && strlen(keys[i]) > 40) return ERR_BAD_REQUEST;
  if (ys) {
    q.year = (int)strtol(ys, NULL, 10);
    if (q.year < 1990 || q.year > 2100 || strlen(ys) != 4) {
      problem p = {ERR_INVALID, "year", "Anno di 4 cifre."};
      return api_problems(rs, ERR_INVALID, &p, 1);
    }
  }
  if (!q.nav && !q.iuv && !q.fiscal_code && !q.number) {
    problem p = {ERR_INVALID, "nav", "Indicare nav, iuv, fiscal_code oppure number."};
    return api_problems(rs, ERR_INVALID, &p, 1);
  }
  q.limit = 100;
  debt_act *v;
  size_t n;
  err_code e = debt_find(rq->db, rq->a, rq->ente->id, &q, &v, &n);
  if (e != ERR_OK) return e;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) {
    debt_act full;
    if ((q.nav || q.iuv) && debt_act_get(rq->db, rq->a, rq->ente->id, v[i].id, &full) == ERR_OK) {
      json_array_append_new(items, position_json(rq->ente, &full, 1));
      continue;
    }
    json_array_append_new(items, position_json(rq->ente, &v[i], 0));
  }
  return api_json(rs, 200, json_pack("{s:o}", "items", items));
}

err_code api_position_cancel(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  json_error_t jerr;
  json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root || !json_is_object(root)) {
    json_decref(root);
    return ERR_BAD_REQUEST;
  }
  json_t *rv = json_object_get(root, "reason");
  const char *reason = json_is_string(rv) ? arena_strdup(rq->a, json_string_value(rv)) : NULL;
  json_decref(root);
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (e != ERR_OK) return e;
  e = debt_act_cancel(rq->db, rq->a, rq->ente->id, id, reason, &rq->who);
  if (e == ERR_INVALID) {
    problem p = {ERR_INVALID, "reason", "Indicare il motivo dell'annullamento (al massimo 500 caratteri)."};
    return api_problems(rs, ERR_INVALID, &p, 1);
  }
  if (e != ERR_OK) return e;
  return respond_position(rq, rs, id, 200);
}

err_code api_position_respond(request *rq, response *rs, int64_t id, int status) {
  return respond_position(rq, rs, id, status);
}

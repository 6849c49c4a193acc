/* Operations on a position through the API, the same domain calls as the
 * office page and `sportello act`: POST /api/v1/positions/{id}/relieve,
 * /plan, /payments (from another channel), /refunds, /compensations. The
 * body is a JSON object; every bad member is named in a 422 problem and
 * nothing is written; a state that does not allow the operation is a 409
 * act_state, a payment reference already booked a 409 conflict. Each
 * answers with the position as read back. Amounts are integer cents. */
#include <string.h>
#include "api/api.h"
#include "core/date.h"
#include "domain/debt/debt.h"
#include "domain/pagopa/nav.h"

enum { MAX_PB = 8 };

typedef struct {
  problem items[MAX_PB];
  size_t n;
  json_t *root;
} body;

static void bad(body *b, const char *field, const char *msg) {
  if (b->n < MAX_PB) b->items[b->n++] = (problem){ERR_INVALID, field, msg};
}

/* The body as a JSON object; ERR_BAD_REQUEST when it is not one. */
static err_code load(request *rq, body *b) {
  memset(b, 0, sizeof *b);
  json_error_t jerr;
  b->root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!b->root || !json_is_object(b->root)) {
    json_decref(b->root);
    b->root = NULL;
    return ERR_BAD_REQUEST;
  }
  return ERR_OK;
}

static const char *str(request *rq, body *b, const char *key, size_t max, int required) {
  json_t *v = json_object_get(b->root, key);
  if (!v || json_is_null(v)) {
    if (required) bad(b, key, "Campo obbligatorio.");
    return NULL;
  }
  if (!json_is_string(v)) {
    bad(b, key, "Deve essere una stringa.");
    return NULL;
  }
  const char *s = json_string_value(v);
  if (required && !*s) {
    bad(b, key, "Campo obbligatorio.");
    return NULL;
  }
  if (strlen(s) > max) {
    bad(b, key, arena_printf(rq->a, "Al massimo %zu caratteri.", max));
    return NULL;
  }
  return *s ? arena_strdup(rq->a, s) : NULL;
}

/* An integer member in [min, max]; absent: dflt (required: a problem). */
static int64_t num(body *b, const char *key, int64_t min, int64_t max, int required, int64_t dflt) {
  json_t *v = json_object_get(b->root, key);
  if (!v || json_is_null(v)) {
    if (required) bad(b, key, "Campo obbligatorio.");
    return dflt;
  }
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
    bad(b, key, min > 0 ? "Deve essere un numero intero maggiore di zero." : "Numero non valido.");
    return dflt;
  }
  return json_integer_value(v);
}

static const char *date(request *rq, body *b, const char *key, int required) {
  const char *s = str(rq, b, key, 10, required);
  civil_date d;
  if (s && (strlen(s) != 10 || date_parse_iso(s, &d) != 0)) {
    bad(b, key, "Data nel formato AAAA-MM-GG.");
    return NULL;
  }
  return s;
}

static err_code finish(request *rq, response *rs, body *b, int64_t id, err_code e, const char *field) {
  json_decref(b->root);
  if (e == ERR_OK) return api_position_respond(rq, rs, id, 200);
  if (e == ERR_ACT_STATE || e == ERR_CONFLICT) {
    problem p = {e, field, err_message_it(e)};
    return api_problems(rs, e, &p, 1);
  }
  if (e == ERR_INVALID || e == ERR_INSTALLMENTS || e == ERR_NOTICE_UNKNOWN) {
    problem p = {e == ERR_NOTICE_UNKNOWN ? ERR_INVALID : e, field, err_message_it(e)};
    return api_problems(rs, p.code, &p, 1);
  }
  return e;
}

/* The body, and the position of the Ente (another Ente's: 404). */
static err_code begin(request *rq, body *b, int64_t *id) {
  *id = rq_param_id(rq, 0);
  if (!*id) return ERR_NOT_FOUND;
  debt_act x;
  err_code e = debt_act_get(rq->db, rq->a, rq->ente->id, *id, &x);
  if (e != ERR_OK) return e;
  return load(rq, b);
}

static err_code problems_out(response *rs, body *b) {
  err_code e = api_problems(rs, ERR_INVALID, b->items, b->n);
  json_decref(b->root);
  return e;
}

err_code api_position_relieve(request *rq, response *rs) {
  body b;
  int64_t id;
  err_code e = begin(rq, &b, &id);
  if (e != ERR_OK) return e;
  int64_t amount = num(&b, "amount_cents", 1, INT64_MAX / 2, 0, 0);
  const char *reason = str(rq, &b, "reason", 500, 1);
  if (b.n) return problems_out(rs, &b);
  e = debt_act_relieve(rq->db, rq->a, rq->ente->id, id, amount, reason, &rq->who);
  return finish(rq, rs, &b, id, e, e == ERR_INVALID ? "amount_cents" : NULL);
}

err_code api_position_plan(request *rq, response *rs) {
  body b;
  int64_t id;
  err_code e = begin(rq, &b, &id);
  if (e != ERR_OK) return e;
  int64_t n = num(&b, "installments", 2, 120, 0, 0);
  const char *first = date(rq, &b, "first_due", 1);
  if (b.n) return problems_out(rs, &b);
  debt_problems pbs = {0};
  e = debt_act_plan(rq->db, rq->a, rq->ente->id, id, (int)n, first, &rq->who, &pbs);
  if ((e == ERR_INSTALLMENTS || e == ERR_INVALID) && pbs.n) {
    problem p = {e, "installments", pbs.items[0].message};
    json_decref(b.root);
    return api_problems(rs, e, &p, 1);
  }
  return finish(rq, rs, &b, id, e, NULL);
}

err_code api_position_payment(request *rq, response *rs) {
  body b;
  int64_t id;
  err_code e = begin(rq, &b, &id);
  if (e != ERR_OK) return e;
  const char *channel = str(rq, &b, "channel", 20, 1);
  if (channel && strcmp(channel, "f24") && strcmp(channel, "counter") && strcmp(channel, "bank_transfer"))
    bad(&b, "channel", "Uno tra f24, counter, bank_transfer.");
  int64_t amount = num(&b, "amount_cents", 1, INT64_MAX / 2, 1, 0);
  const char *ref = str(rq, &b, "reference", 64, 1);
  const char *vd = date(rq, &b, "value_date", 0);
  const char *ev = str(rq, &b, "evidence", 1000, 0);
  const char *notice = str(rq, &b, "nav", 40, 0);
  if (b.n) return problems_out(rs, &b);
  int64_t option = 0;
  if (notice) { /* one of this position's notices (NAV, spaces allowed, or IUV) */
    debt_act x;
    if ((e = debt_act_get(rq->db, rq->a, rq->ente->id, id, &x)) != ERR_OK)
      return finish(rq, rs, &b, id, e, NULL);
    char nav[19];
    int is_nav = !nav_parse(notice, nav);
    for (size_t i = 0; i < x.n_options; i++)
      if (is_nav ? !strcmp(x.options[i].nav, nav) : !strcmp(x.options[i].iuv, notice))
        option = x.options[i].id;
    if (!option) {
      bad(&b, "nav", "Non è un avviso di questa posizione.");
      return problems_out(rs, &b);
    }
  }
  debt_payment p = {.act_id = option ? 0 : id,
                    .option_id = option,
                    .amount_cents = amount,
                    .channel = channel,
                    .reference = ref,
                    .value_date = vd,
                    .evidence = ev};
  debt_booking bk;
  e = debt_book_payment(rq->db, rq->a, rq->ente->id, &p, &rq->who, &bk);
  if (e == ERR_OK && bk.duplicate) e = ERR_CONFLICT;
  return finish(rq, rs, &b, id, e, e == ERR_CONFLICT ? "reference" : NULL);
}

err_code api_position_refund(request *rq, response *rs) {
  body b;
  int64_t id;
  err_code e = begin(rq, &b, &id);
  if (e != ERR_OK) return e;
  int64_t amount = num(&b, "amount_cents", 1, INT64_MAX / 2, 1, 0);
  const char *ref = str(rq, &b, "reference", 64, 0);
  const char *note = str(rq, &b, "note", 500, 0);
  if (b.n) return problems_out(rs, &b);
  e = debt_record_refund(rq->db, rq->a, rq->ente->id, id, amount, ref, note, &rq->who);
  if (e == ERR_INVALID) {
    bad(&b, "amount_cents", "Supera il credito da rimborsare.");
    return problems_out(rs, &b);
  }
  return finish(rq, rs, &b, id, e, NULL);
}

err_code api_position_compensation(request *rq, response *rs) {
  body b;
  int64_t id;
  err_code e = begin(rq, &b, &id);
  if (e != ERR_OK) return e;
  int64_t other = num(&b, "debt_position_id", 1, INT64_MAX, 1, 0);
  int64_t amount = num(&b, "amount_cents", 1, INT64_MAX / 2, 1, 0);
  const char *note = str(rq, &b, "note", 500, 0);
  if (b.n) return problems_out(rs, &b);
  e = debt_compensate(rq->db, rq->a, rq->ente->id, id, other, amount, note, &rq->who);
  if (e == ERR_NOT_FOUND || e == ERR_INVALID) {
    bad(&b, e == ERR_NOT_FOUND ? "debt_position_id" : "amount_cents",
        e == ERR_NOT_FOUND ? "Posizione non trovata in questo Ente." : "Importo non valido.");
    return problems_out(rs, &b);
  }
  return finish(rq, rs, &b, id, e, NULL);
}

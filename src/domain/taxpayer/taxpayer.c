/* Registry rules: create/update in one transaction with an audit row,
 * duplicate fiscal codes refused per Ente, searches that stay in one Ente
 * and use an index on both backends. Validation is in taxpayer_check.c. */
#include "domain/taxpayer/taxpayer.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "core/clock.h"
#include "core/validate.h"
#include "core/text.h"
#include "domain/taxpayer/taxpayer_internal.h"
#include "domain/taxpayer/taxpayer_store.h"

enum { SEARCH_DEFAULT = 20, SEARCH_MAX = 100 };

static const char DUPLICATE_MSG[] =
    "Esiste già un contribuente con questo codice fiscale in questo Ente.";

static json_t *tp_json(const taxpayer *tp) {
  json_t *ads = json_array(), *cts = json_array();
  for (size_t i = 0; i < tp->n_addresses; i++) {
    const tp_address *x = &tp->addresses[i];
    json_array_append_new(ads, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "kind", x->kind,
                                         "street", x->street, "postal_code", x->postal_code, "city",
                                         x->city, "province", x->province, "country", x->country));
  }
  for (size_t i = 0; i < tp->n_contacts; i++) {
    const tp_contact *x = &tp->contacts[i];
    json_array_append_new(cts, json_pack("{s:s?, s:s?, s:b, s:I, s:s?}", "channel", x->channel,
                                         "value", x->value, "consent", x->consent, "consent_at",
                                         (json_int_t)x->consent_at, "source", x->source));
  }
  return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o}", "kind",
                   tp->kind == TP_COMPANY ? "company" : "person", "fiscal_code", tp->fiscal_code,
                   "vat_number", tp->vat_number, "surname", tp->surname, "given_name",
                   tp->given_name, "company_name", tp->company_name, "birth_date", tp->birth_date,
                   "birth_place", tp->birth_place, "sex", tp->sex, "addresses", ads, "contacts",
                   cts);
}

static err_code audit(db *d, const actor *who, int64_t ente_id, const char *action, int64_t id,
                      json_t *before, json_t *after) {
  return audit_write_json(d, who, ente_id, action, "taxpayer", id, before, after);
}

/* The caller's problem list, or local when it passed none, emptied. */
static problems *problems_reset(problems *pbs, problems *local) {
  if (!pbs) pbs = local;
  pbs->items = NULL;
  pbs->n = 0;
  return pbs;
}

/* Normalises and validates tp, adding its problems to pbs except on the
 * fields pbs already has a problem for (a value of the wrong type, say,
 * need not also be called missing); returns how many it added. */
static size_t prepare(arena *a, taxpayer *tp, int64_t now, problems *pbs) {
  tp_normalize(a, tp);
  problems found = {0};
  tp_validate(a, tp, now, &found);
  size_t before = pbs->n;
  problems_merge(a, pbs, &found);
  return pbs->n - before;
}

/* Adds a conflict problem when another taxpayer of the Ente has tp's
 * fiscal code (not checked when the code itself has a problem). */
static err_code check_duplicate(db *d, arena *a, const taxpayer *tp, problems *pbs) {
  if (!tp->fiscal_code || problems_has(pbs, "fiscal_code")) return ERR_OK;
  err_code rc = ts_find_fiscal_code(d, tp->ente_id, tp->fiscal_code, tp->id, NULL);
  if (rc == ERR_OK) tp_problem(a, pbs, ERR_TAXPAYER_DUPLICATE, "fiscal_code", DUPLICATE_MSG);
  return rc == ERR_OK || rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

/* Inserts tp (id 0) and its children; a unique violation is the same
 * duplicate answer as the explicit check (a concurrent insert won). */
static err_code insert_one(db *d, arena *a, taxpayer *tp, problems *pbs) {
  int64_t id = 0;
  err_code rc = ts_insert(d, tp, tp_name_norm(a, tp), &id);
  if (rc == ERR_CONFLICT) {
    tp_problem(a, pbs, ERR_TAXPAYER_DUPLICATE, "fiscal_code", DUPLICATE_MSG);
    rc = ERR_TAXPAYER_DUPLICATE;
  }
  if (rc != ERR_OK) return rc;
  tp->id = id;
  return ts_insert_children(d, tp);
}

typedef struct {
  arena *a;
  taxpayer *tp;
  const actor *who;
  problems *pbs;
  size_t n_fields; /* problems found before the transaction */
  int dry;         /* problems already: only the duplicate check */
} one_tx;

static err_code create_tx(db *d, void *ctx) {
  one_tx *t = ctx;
  t->pbs->n = t->n_fields;
  if (!t->dry) t->tp->id = 0;
  err_code rc = ts_ente_exists(d, t->tp->ente_id);
  if (rc != ERR_OK) return rc;
  if ((rc = check_duplicate(d, t->a, t->tp, t->pbs)) != ERR_OK) return rc;
  if ((rc = problems_code(t->pbs)) != ERR_OK || t->dry) return rc;
  if ((rc = insert_one(d, t->a, t->tp, t->pbs)) != ERR_OK) return rc;
  return audit(d, t->who, t->tp->ente_id, "taxpayer.create", t->tp->id, NULL, tp_json(t->tp));
}

/* Create (dry: only check; tp->id, when set, is not its own duplicate),
 * with every problem in pbs. */
static err_code create_run(db *d, arena *a, taxpayer *tp, const actor *who, problems *pbs,
                           int dry) {
  problems local = {0};
  pbs = problems_reset(pbs, &local);
  int64_t now = clock_now();
  if (!dry) tp->id = 0;
  prepare(a, tp, now, pbs);
  tp_stamp_consent(tp, now);
  tp->created_at = tp->updated_at = now;
  one_tx t = {a, tp, who, pbs, pbs->n, dry || pbs->n > 0};
  err_code rc = t.dry ? db_tx_read(d, create_tx, &t) : db_tx(d, create_tx, &t);
  if (rc == ERR_OK && t.dry) rc = problems_code(pbs);
  if (!dry && rc != ERR_OK) tp->id = 0;
  return rc;
}

err_code taxpayer_create(db *d, arena *a, taxpayer *tp, const actor *who, problems *pbs) {
  return create_run(d, a, tp, who, pbs, 0);
}

err_code taxpayer_validate(db *d, arena *a, taxpayer *tp, problems *pbs) {
  return create_run(d, a, tp, NULL, pbs, 1);
}

/* A consenting contact that was already stored with consent keeps its
 * original consent time when the caller did not send one. */
static void keep_consent_times(taxpayer *tp, const taxpayer *old) {
  for (size_t i = 0; i < tp->n_contacts; i++) {
    tp_contact *c = &tp->contacts[i];
    if (c->consent != 1 || c->consent_at != 0) continue;
    for (size_t j = 0; j < old->n_contacts; j++) {
      const tp_contact *o = &old->contacts[j];
      if (o->consent == 1 && o->consent_at && strcmp(o->channel, c->channel) == 0 &&
          strcmp(o->value, c->value) == 0) {
        c->consent_at = o->consent_at;
        break;
      }
    }
  }
}

typedef struct {
  one_tx base;
  int64_t now;
  taxpayer_edit_fn edit; /* taxpayer_modify: computes base.tp from the stored one */
  void *edit_ctx;
  int64_t ente_id, id;
} update_tx;

static err_code update_tx_fn(db *d, void *ctx) {
  update_tx *u = ctx;
  one_tx *t = &u->base;
  taxpayer *tp = t->tp;
  t->pbs->n = t->n_fields;
  taxpayer old;
  err_code rc = ts_get(d, t->a, u->ente_id, u->id, &old);
  if (rc != ERR_OK) return rc;
  if (u->edit) {
    memset(tp, 0, sizeof *tp);
    if ((rc = u->edit(t->a, &old, tp, t->pbs, u->edit_ctx)) != ERR_OK) return rc;
    tp->id = u->id;
    tp->ente_id = u->ente_id;
    prepare(t->a, tp, u->now, t->pbs);
  }
  if ((rc = check_duplicate(d, t->a, tp, t->pbs)) != ERR_OK) return rc;
  if ((rc = problems_code(t->pbs)) != ERR_OK || t->dry) return rc;
  keep_consent_times(tp, &old);
  tp_stamp_consent(tp, u->now);
  tp->created_at = old.created_at;
  tp->updated_at = u->now;
  rc = ts_update(d, tp, tp_name_norm(t->a, tp));
  if (rc == ERR_CONFLICT) {
    tp_problem(t->a, t->pbs, ERR_TAXPAYER_DUPLICATE, "fiscal_code", DUPLICATE_MSG);
    rc = ERR_TAXPAYER_DUPLICATE;
  }
  if (rc != ERR_OK) return rc;
  if ((rc = ts_delete_children(d, tp->ente_id, tp->id)) != ERR_OK) return rc;
  if ((rc = ts_insert_children(d, tp)) != ERR_OK) return rc;
  return audit(d, t->who, tp->ente_id, "taxpayer.update", tp->id, tp_json(&old), tp_json(tp));
}

err_code taxpayer_update(db *d, arena *a, taxpayer *tp, const actor *who, problems *pbs) {
  problems local = {0};
  pbs = problems_reset(pbs, &local);
  int64_t now = clock_now();
  prepare(a, tp, now, pbs);
  update_tx u = {{a, tp, who, pbs, pbs->n, pbs->n > 0}, now, NULL, NULL, tp->ente_id, tp->id};
  err_code rc = u.base.dry ? db_tx_read(d, update_tx_fn, &u) : db_tx(d, update_tx_fn, &u);
  return rc == ERR_OK && u.base.dry ? problems_code(pbs) : rc;
}

err_code taxpayer_modify(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer_edit_fn edit,
                         void *ctx, const actor *who, taxpayer *saved, problems *pbs) {
  problems local = {0};
  pbs = problems_reset(pbs, &local);
  taxpayer *tp = ARENA_NEW(a, taxpayer);
  update_tx u = {{a, tp, who, pbs, pbs->n, pbs->n > 0}, clock_now(), edit, ctx, ente_id, id};
  err_code rc = u.base.dry ? db_tx_read(d, update_tx_fn, &u) : db_tx(d, update_tx_fn, &u);
  if (rc == ERR_OK && u.base.dry) return problems_code(pbs);
  if (rc == ERR_OK && saved) *saved = *tp;
  return rc;
}

err_code taxpayer_get(db *d, arena *a, int64_t ente_id, int64_t id, taxpayer *out) {
  return ts_get(d, a, ente_id, id, out);
}

err_code taxpayer_by_fiscal_code(db *d, arena *a, int64_t ente_id, const char *code,
                                 taxpayer *out) {
  if (!code) return ERR_NOT_FOUND;
  char *c = arena_strdup(a, code);
  normalize_code(c);
  if (!*c) return ERR_NOT_FOUND;
  return ts_get_by_fiscal_code(d, a, ente_id, c, out);
}

typedef struct {
  const char *key;
  const taxpayer *tp;
} keyed;

static int keyed_cmp(const void *x, const void *y) {
  const keyed *a = x, *b = y;
  int c = strcmp(a->key, b->key);
  if (c) return c;
  return (a->tp->id > b->tp->id) - (a->tp->id < b->tp->id);
}

/* Exact code: the fiscal code match and, for 11 digits, the VAT number
 * matches, without repetitions, ordered by name then id, then paged. */
static err_code search_code(db *d, arena *a, int64_t ente_id, const char *code, int limit,
                            int offset, taxpayer **out, size_t *n, int64_t *total) {
  taxpayer *by_cf = NULL, *by_vat = NULL;
  size_t n_cf = 0, n_vat = 0;
  err_code rc = ts_search_code(d, a, ente_id, code, 0, 1, &by_cf, &n_cf);
  if (rc == ERR_OK && strlen(code) == 11)
    rc = ts_search_code(d, a, ente_id, code, 1, SEARCH_MAX * 10, &by_vat, &n_vat);
  if (rc != ERR_OK) return rc;
  keyed *k = ARENA_ARRAY(a, keyed, n_cf + n_vat + 1);
  size_t nk = 0;
  for (size_t i = 0; i < n_cf; i++) k[nk++] = (keyed){tp_name_norm(a, &by_cf[i]), &by_cf[i]};
  for (size_t i = 0; i < n_vat; i++)
    if (!n_cf || by_vat[i].id != by_cf[0].id)
      k[nk++] = (keyed){tp_name_norm(a, &by_vat[i]), &by_vat[i]};
  qsort(k, nk, sizeof *k, keyed_cmp);
  size_t from = (size_t)offset < nk ? (size_t)offset : nk;
  size_t cnt = nk - from < (size_t)limit ? nk - from : (size_t)limit;
  taxpayer *v = ARENA_ARRAY(a, taxpayer, cnt + 1);
  for (size_t i = 0; i < cnt; i++) v[i] = *k[from + i].tp;
  *out = v;
  *n = cnt;
  if (total) *total = (int64_t)nk;
  return ERR_OK;
}

/* q as a code: spaces removed, upper case, a leading "IT" dropped before
 * 11 digits (a partita IVA as written on invoices). */
static char *query_code(arena *a, const char *q) {
  char *code = arena_strdup(a, q ? q : "");
  normalize_code(code);
  if (strlen(code) == 13 && code[0] == 'I' && code[1] == 'T' && text_all_of(code + 2, 11, isdigit))
    code += 2;
  return code;
}

taxpayer_query taxpayer_query_kind(arena *a, const char *q) {
  char *code = query_code(a, q);
  if (!*code) return TQ_ALL;
  if (text_all_of(code, 11, isdigit)) return TQ_NUMBER;
  if (text_all_of(code, 16, isalnum) && !validate_codice_fiscale(code)) return TQ_FISCAL_CODE;
  return TQ_NAME;
}

err_code taxpayer_search_page(db *d, arena *a, int64_t ente_id, const char *q, int limit,
                              int offset, taxpayer **out, size_t *n, int64_t *total) {
  *out = NULL;
  *n = 0;
  if (total) *total = 0;
  if (limit <= 0) limit = SEARCH_DEFAULT;
  if (limit > SEARCH_MAX) limit = SEARCH_MAX;
  if (offset < 0) offset = 0;
  taxpayer_query kind = taxpayer_query_kind(a, q);
  if (kind == TQ_NUMBER || kind == TQ_FISCAL_CODE)
    return search_code(d, a, ente_id, query_code(a, q), limit, offset, out, n, total);
  /* Name prefix as a byte range [P, P') where P' is P with its last byte
   * incremented: an index range scan on both backends, no LIKE. */
  char *lo = tp_name_fold(a, kind == TQ_ALL ? "" : q);
  size_t len = strlen(lo);
  char *hi = arena_strdup(a, lo);
  while (len > 0 && (unsigned char)hi[len - 1] == 0xFF) hi[--len] = 0;
  if (len == 0) {
    hi = NULL;
  } else {
    hi[len - 1] = (char)((unsigned char)hi[len - 1] + 1);
  }
  err_code rc = ts_search_name(d, a, ente_id, lo, hi, limit, offset, out, n);
  if (rc == ERR_OK && total) {
    /* The count is only read when the page does not already tell it. */
    if (offset == 0 && *n < (size_t)limit)
      *total = (int64_t)*n;
    else
      rc = ts_count_name(d, ente_id, lo, hi, total);
  }
  return rc;
}

err_code taxpayer_search(db *d, arena *a, int64_t ente_id, const char *q, int limit, int offset,
                         taxpayer **out, size_t *n) {
  return taxpayer_search_page(d, a, ente_id, q, limit, offset, out, n, NULL);
}

const char *taxpayer_display_name(arena *a, const taxpayer *tp) {
  if (tp->kind == TP_COMPANY) return tp->company_name ? tp->company_name : "";
  if (tp->surname && tp->given_name) return arena_printf(a, "%s %s", tp->surname, tp->given_name);
  return tp->surname ? tp->surname : (tp->given_name ? tp->given_name : "");
}

typedef struct {
  arena *a;
  taxpayer *tps;
  size_t n;
  const char *action;
  const actor *who;
  size_t *bad_index;
  problems *pbs;
} batch_tx;

static err_code batch_tx_fn(db *d, void *ctx) {
  batch_tx *t = ctx;
  t->pbs->n = 0;
  int64_t checked_ente = 0, audit_ente = t->tps[0].ente_id;
  err_code rc;
  for (size_t i = 0; i < t->n; i++) {
    taxpayer *tp = &t->tps[i];
    tp->id = 0;
    *t->bad_index = i;
    if (tp->ente_id != checked_ente) {
      if ((rc = ts_ente_exists(d, tp->ente_id)) != ERR_OK) return rc;
      checked_ente = tp->ente_id;
    }
    if (tp->ente_id != audit_ente) audit_ente = 0;
    /* No separate duplicate query here: the unique constraint fails on
     * exactly this row, which is all the caller needs to know. */
    if ((rc = insert_one(d, t->a, tp, t->pbs)) != ERR_OK) return rc;
  }
  json_t *after = json_pack("{s:I, s:I, s:I}", "count", (json_int_t)t->n, "first_id",
                            (json_int_t)t->tps[0].id, "last_id", (json_int_t)t->tps[t->n - 1].id);
  return audit(d, t->who, audit_ente, t->action, t->tps[0].id, NULL, after);
}

err_code taxpayer_insert_batch(db *d, arena *a, taxpayer *tps, size_t n, const char *action,
                               const actor *who, size_t *bad_index, problems *pbs) {
  problems local = {0};
  size_t bad_local = 0;
  pbs = problems_reset(pbs, &local);
  if (!bad_index) bad_index = &bad_local;
  if (n == 0) return ERR_OK;
  int64_t now = clock_now();
  for (size_t i = 0; i < n; i++) {
    tps[i].id = 0;
    if (prepare(a, &tps[i], now, pbs)) {
      *bad_index = i;
      return ERR_INVALID;
    }
    tp_stamp_consent(&tps[i], now);
    tps[i].created_at = tps[i].updated_at = now;
  }
  batch_tx t = {a, tps, n, action ? action : "taxpayer.import", who, bad_index, pbs};
  err_code rc = db_tx(d, batch_tx_fn, &t);
  if (rc != ERR_OK)
    for (size_t i = 0; i < n; i++) tps[i].id = 0;
  return rc;
}

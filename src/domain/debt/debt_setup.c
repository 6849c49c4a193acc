/* The Ente's pagoPA settings and IUV sequence, accounts, revenue types and
 * the taxonomy check; small helpers of the area. */
#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <string.h>
#include "core/clock.h"
#include "core/date.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"
#include "domain/pagopa/nav.h"

void dp_add(arena *a, debt_problems *pbs, err_code code, const char *field, const char *msg) {
  problem *v = ARENA_ARRAY(a, problem, pbs->n + 1);
  if (pbs->n) memcpy(v, pbs->items, pbs->n * sizeof *v);
  v[pbs->n++] = (problem){code, field ? arena_strdup(a, field) : NULL, msg};
  pbs->items = v;
}

debt_problems *dp_reset(debt_problems *pbs, debt_problems *local) {
  if (!pbs) pbs = local;
  pbs->items = NULL;
  pbs->n = 0;
  return pbs;
}

void debt_today(char out[11]) { date_format_iso(date_today_rome(clock_now()), out); }

int debt_date_ok(const char *s) {
  civil_date c;
  return s && date_parse_iso(s, &c) == 0;
}

const char *debt_cf_check(const char *s) {
  if (!s || !*s) return "Indicare il codice fiscale.";
  return validate_fiscal_code_any(s);
}

/* ---- pagoPA settings and the IUV sequence ---- */

err_code debt_pagopa_get(db *d, arena *a, int64_t ente_id, debt_pagopa *out) {
  return ds_pagopa_get(d, a, ente_id, out);
}

static int alnum_upto(const char *s, size_t min, size_t max) {
  size_t n = s ? strlen(s) : 0;
  if (n < min || n > max) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i])) return 0;
  return 1;
}

typedef struct {
  const debt_pagopa *in;
  const actor *who;
} pagopa_tx;

static err_code pagopa_tx_fn(db *d, void *ctx) {
  pagopa_tx *t = ctx;
  arena *a = arena_new();
  debt_pagopa old;
  err_code rc = ds_pagopa_get(d, a, t->in->ente_id, &old);
  json_t *before =
      rc == ERR_OK ? json_pack("{s:s, s:s?}", "segregation_code", old.segregation_code, "cbill", old.cbill)
                   : NULL;
  if (rc == ERR_OK || rc == ERR_NOT_FOUND) rc = ds_pagopa_upsert(d, t->in, clock_now());
  if (rc == ERR_OK) rc = ds_ente_segregation(d, t->in->ente_id, t->in->segregation_code);
  if (rc == ERR_OK)
    rc = audit_write_json(
        d, t->who, t->in->ente_id, "debt.pagopa", "ente", t->in->ente_id, before,
        json_pack("{s:s, s:s?, s:s?, s:s?}", "segregation_code", t->in->segregation_code, "cbill",
                  t->in->cbill, "broker_id", t->in->broker_id, "station_id", t->in->station_id));
  else
    json_decref(before);
  arena_free(a);
  return rc;
}

err_code debt_pagopa_set(db *d, const debt_pagopa *in, const actor *who, problem *pb) {
  problem local;
  if (!pb) pb = &local;
  *pb = (problem){ERR_OK, NULL, NULL};
  if (!text_all_of(in->segregation_code ? in->segregation_code : "", 2, isdigit))
    *pb = (problem){ERR_INVALID, "segregation_code", "Il codice di segregazione è di 2 cifre (es. 01)."};
  else if (in->cbill && *in->cbill && !alnum_upto(in->cbill, 5, 5))
    *pb = (problem){ERR_INVALID, "cbill", "Il codice CBILL è di 5 lettere o cifre."};
  else if (in->broker_id && *in->broker_id && !text_all_of(in->broker_id, 11, isdigit))
    *pb = (problem){ERR_INVALID, "broker_id",
                    "L'identificativo dell'intermediario è un codice fiscale di 11 cifre."};
  else if (in->station_id && (strlen(in->station_id) > 35 || !*in->station_id))
    *pb = (problem){ERR_INVALID, "station_id", "Identificativo della stazione non valido."};
  if (pb->code != ERR_OK) return ERR_INVALID;
  ente e;
  arena *a = arena_new();
  err_code rc = ente_get(d, a, in->ente_id, &e);
  arena_free(a);
  if (rc != ERR_OK) return rc;
  pagopa_tx t = {in, who};
  return db_tx(d, pagopa_tx_fn, &t);
}

err_code debt_iuv_reserve(db *d, int64_t ente_id, int n, int64_t *first) {
  if (n < 1 || n > 1000) return ERR_INVALID;
  int64_t next = 0;
  err_code rc = ds_iuv_advance(d, ente_id, n, clock_now(), &next);
  if (rc == ERR_NOT_FOUND && (rc = ds_pagopa_adopt(d, ente_id, clock_now())) == ERR_OK)
    rc = ds_iuv_advance(d, ente_id, n, clock_now(), &next);
  if (rc == ERR_NOT_FOUND) return ERR_PAGOPA_SETUP;
  if (rc != ERR_OK) return rc;
  if (next - 1 > (int64_t)NAV_BASE_MAX) {
    err_cause("IUV sequence of Ente %lld exhausted", (long long)ente_id);
    return ERR_INTERNAL;
  }
  *first = next - n;
  return ERR_OK;
}

/* ---- taxonomy ---- */

const char *debt_taxonomy_check(const char *c) {
  static const char msg[] =
      "Il codice di tassonomia pagoPA ha la forma 9/0101100IM/ (versione, 7 cifre, 2 lettere, "
      "barre).";
  if (!c || strlen(c) != 12) return msg;
  if (!isdigit((unsigned char)c[0]) || c[1] != '/' || c[11] != '/') return msg;
  for (int i = 2; i < 9; i++)
    if (!isdigit((unsigned char)c[i])) return msg;
  if (!isupper((unsigned char)c[9]) || !isupper((unsigned char)c[10])) return msg;
  return NULL;
}

int debt_taxonomy_file_has(const char *path, const char *code) {
  json_error_t jerr;
  json_t *doc = json_load_file(path, 0, &jerr);
  if (!doc || !json_is_array(doc)) {
    json_decref(doc);
    return -1;
  }
  int found = 0;
  size_t i;
  json_t *e;
  json_array_foreach(doc, i, e) {
    const char *v = json_string_value(json_object_get(e, "DATI SPECIFICI DI INCASSO"));
    if (v && code && strcmp(v, code) == 0) {
      found = 1;
      break;
    }
  }
  json_decref(doc);
  return found;
}

/* ---- revenue types ---- */

static const char *share_kind_ok(const char *k) {
  if (!k) return NULL;
  if (!strcmp(k, "permille") || !strcmp(k, "permille_on_top") || !strcmp(k, "fixed")) return k;
  return NULL;
}

static void normalize(arena *a, char **s) {
  if (*s) {
    *s = arena_strdup(a, *s);
    normalize_code(*s);
    if (!**s) *s = NULL;
  }
}

/* The postal account (1..12 digits) and its Poste authorisation (printable
 * text, at most DEBT_POSTAL_AUTH_MAX characters, only with an account);
 * blanks trimmed, empty strings made NULL. */
static void check_postal(arena *a, char **postal, char **auth, debt_problems *pbs) {
  *postal = text_trim_dup(a, *postal);
  *auth = text_trim_dup(a, *auth);
  if (*postal) {
    size_t n = strlen(*postal);
    int ok = n >= 1 && n <= 12;
    for (size_t i = 0; ok && i < n; i++) ok = isdigit((unsigned char)(*postal)[i]);
    if (!ok)
      dp_add(a, pbs, ERR_INVALID, "postal_account", "Il numero di conto corrente postale è di 1-12 cifre.");
  }
  if (!*auth) return;
  if (!*postal)
    dp_add(a, pbs, ERR_INVALID, "postal_auth",
           "L'autorizzazione di Poste Italiane va indicata insieme al conto corrente postale.");
  else if (text_check(*auth, strlen(*auth), 0) != TEXT_OK)
    dp_add(a, pbs, ERR_INVALID, "postal_auth",
           "L'autorizzazione di Poste Italiane contiene caratteri non ammessi.");
  else if (text_utf8_len(*auth) > DEBT_POSTAL_AUTH_MAX || strlen(*auth) > 2 * DEBT_POSTAL_AUTH_MAX)
    dp_add(a, pbs, ERR_INVALID, "postal_auth",
           "L'autorizzazione di Poste Italiane è di al massimo 100 caratteri.");
}

static int same(const char *x, const char *y) { return (!x && !y) || (x && y && !strcmp(x, y)); }

/* Inside the caller's transaction: account_id's postal data become postal
 * and auth, with an audit row, unless they already are. */
static err_code postal_update(db *d, const actor *who, int64_t ente_id, int64_t account_id, const char *iban,
                              const char *old_postal, const char *old_auth, const char *postal,
                              const char *auth) {
  if (same(old_postal, postal) && same(old_auth, auth)) return ERR_OK;
  err_code rc = ds_account_postal_set(d, ente_id, account_id, postal, auth);
  if (rc != ERR_OK) return rc;
  return audit_write_json(
      d, who, ente_id, "debt.account.postal", "debt_account", account_id,
      json_pack("{s:s, s:s?, s:s?}", "iban", iban, "postal_account", old_postal, "postal_auth", old_auth),
      json_pack("{s:s, s:s?, s:s?}", "iban", iban, "postal_account", postal, "postal_auth", auth));
}

static void check_revenue(arena *a, debt_revenue *r, debt_problems *pbs) {
  normalize(a, &r->code);
  normalize(a, &r->iban);
  normalize(a, &r->taxonomy);
  r->name = text_trim_dup(a, r->name);
  const char *m;
  int code_ok = r->code && strlen(r->code) <= 20;
  for (const char *p = r->code; code_ok && *p; p++)
    code_ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
  if (!code_ok) dp_add(a, pbs, ERR_INVALID, "code", "Il codice è di 1-20 lettere, cifre, - o _.");
  if (!r->name || text_utf8_len(r->name) > 100)
    dp_add(a, pbs, ERR_INVALID, "name", "Indicare il nome dell'entrata (al massimo 100 caratteri).");
  if ((m = debt_taxonomy_check(r->taxonomy))) dp_add(a, pbs, ERR_INVALID, "taxonomy", m);
  if (!r->iban)
    dp_add(a, pbs, ERR_INVALID, "iban", "Indicare l'IBAN del conto di accredito.");
  else if ((m = validate_iban_it(r->iban)))
    dp_add(a, pbs, ERR_INVALID, "iban", m);
  check_postal(a, &r->postal_account, &r->postal_auth, pbs);
  if (r->n_splits > DEBT_MAX_TRANSFERS - 1)
    dp_add(a, pbs, ERR_INVALID, "splits", "Al massimo 4 beneficiari oltre all'Ente.");
  for (size_t i = 0; i < r->n_splits && i < DEBT_MAX_TRANSFERS - 1; i++) {
    debt_split *s = &r->splits[i];
    normalize(a, &s->iban);
    normalize(a, &s->taxonomy);
    normalize(a, &s->beneficiary_cf);
    const char *f = arena_printf(a, "splits[%zu]", i);
    if (!s->beneficiary_cf || !text_all_of(s->beneficiary_cf, 11, isdigit) ||
        validate_partita_iva(s->beneficiary_cf))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.beneficiary_fiscal_code", f),
             "Il codice fiscale del beneficiario è di 11 cifre con la cifra di controllo.");
    if (!s->beneficiary_name || !*s->beneficiary_name)
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.beneficiary_name", f),
             "Indicare il nome del beneficiario.");
    if (!s->iban || (m = validate_iban_it(s->iban)))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.iban", f),
             s->iban ? m : "Indicare l'IBAN del beneficiario.");
    if ((m = debt_taxonomy_check(s->taxonomy)))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.taxonomy", f), m);
    if (!share_kind_ok(s->share_kind) || s->share <= 0 ||
        (strcmp(s->share_kind, "fixed") && s->share >= 1000))
      dp_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.share", f),
             "La quota è in millesimi (1-999) oppure un importo fisso in centesimi.");
  }
}

typedef struct {
  arena *a;
  debt_revenue *r;
  const actor *who;
  debt_problems *pbs;
} revenue_tx;

static err_code revenue_tx_fn(db *d, void *ctx) {
  revenue_tx *t = ctx;
  debt_revenue *r = t->r;
  int64_t now = clock_now();
  t->pbs->n = 0;
  char *old_postal = NULL, *old_auth = NULL;
  err_code rc = ds_account_find(d, t->a, r->ente_id, r->iban, &r->account_id, &old_postal, &old_auth);
  if (rc == ERR_NOT_FOUND)
    rc = ds_account_insert(d, r->ente_id, r->iban, r->postal_account, r->postal_auth, now, &r->account_id);
  else if (rc == ERR_OK && r->postal_account)
    rc = postal_update(d, t->who, r->ente_id, r->account_id, r->iban, old_postal, old_auth, r->postal_account,
                       r->postal_auth);
  else if (rc == ERR_OK)
    r->postal_account = old_postal, r->postal_auth = old_auth;
  if (rc != ERR_OK) return rc;
  rc = ds_revenue_insert(d, r, now, &r->id);
  if (rc == ERR_CONFLICT) {
    dp_add(t->a, t->pbs, ERR_REVENUE_DUPLICATE, "code", err_message_it(ERR_REVENUE_DUPLICATE));
    return ERR_REVENUE_DUPLICATE;
  }
  for (size_t i = 0; rc == ERR_OK && i < r->n_splits; i++)
    rc = ds_split_insert(d, r->ente_id, r->id, (int)i + 2, &r->splits[i]);
  if (rc != ERR_OK) return rc;
  json_t *splits = json_array();
  for (size_t i = 0; i < r->n_splits; i++)
    json_array_append_new(
        splits, json_pack("{s:s, s:s, s:s, s:s, s:I}", "beneficiary_cf", r->splits[i].beneficiary_cf, "iban",
                          r->splits[i].iban, "taxonomy", r->splits[i].taxonomy, "share_kind",
                          r->splits[i].share_kind, "share", (json_int_t)r->splits[i].share));
  return audit_write_json(
      d, t->who, r->ente_id, "debt.revenue.create", "debt_revenue", r->id, NULL,
      json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:o}", "code", r->code, "name", r->name, "taxonomy",
                r->taxonomy, "iban", r->iban, "postal_account", r->postal_account, "postal_auth",
                r->postal_auth, "spontaneous", r->spontaneous, "splits", splits));
}

err_code debt_revenue_add(db *d, arena *a, debt_revenue *r, const actor *who, debt_problems *pbs) {
  debt_problems local;
  pbs = dp_reset(pbs, &local);
  r->id = 0;
  check_revenue(a, r, pbs);
  if (pbs->n) return ERR_INVALID;
  revenue_tx t = {a, r, who, pbs};
  err_code rc = db_tx(d, revenue_tx_fn, &t);
  if (rc != ERR_OK) r->id = 0;
  return rc;
}

err_code debt_revenue_list(db *d, arena *a, int64_t ente_id, debt_revenue **out, size_t *n) {
  return ds_revenue_list(d, a, ente_id, out, n);
}

err_code debt_revenue_get(db *d, arena *a, int64_t ente_id, int64_t id, debt_revenue *out) {
  return ds_revenue_get(d, a, ente_id, id, NULL, out);
}

err_code debt_revenue_by_code(db *d, arena *a, int64_t ente_id, const char *code, debt_revenue *out) {
  if (!code || strlen(code) > 20) return ERR_NOT_FOUND;
  char *c = arena_strdup(a, code);
  normalize_code(c);
  return ds_revenue_get(d, a, ente_id, 0, c, out);
}

/* ---- postal accounts and the bollettino ---- */

typedef struct {
  arena *a;
  int64_t ente_id;
  const char *iban, *postal, *auth;
  const actor *who;
} postal_tx;

static err_code postal_tx_fn(db *d, void *ctx) {
  postal_tx *t = ctx;
  int64_t id;
  char *old_postal = NULL, *old_auth = NULL;
  err_code rc = ds_account_find(d, t->a, t->ente_id, t->iban, &id, &old_postal, &old_auth);
  if (rc != ERR_OK) return rc;
  return postal_update(d, t->who, t->ente_id, id, t->iban, old_postal, old_auth, t->postal, t->auth);
}

err_code debt_account_postal_set(db *d, arena *a, int64_t ente_id, const char *iban, const char *postal,
                                 const char *auth, const actor *who, debt_problems *pbs) {
  debt_problems local;
  pbs = dp_reset(pbs, &local);
  char *p = (char *)postal, *au = (char *)auth, *ib = (char *)iban;
  normalize(a, &ib);
  check_postal(a, &p, &au, pbs);
  if (!ib) dp_add(a, pbs, ERR_INVALID, "iban", "Indicare l'IBAN del conto di accredito.");
  if (pbs->n) return ERR_INVALID;
  postal_tx t = {a, ente_id, ib, p, au, who};
  return db_tx(d, postal_tx_fn, &t);
}

/* Accounts whose missing authorisation was already logged (a few per
 * installation: past the table, logged every time). */
static pthread_mutex_t warned_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t warned[64];
static size_t n_warned;

static int first_warning(int64_t account_id) {
  int first = 1;
  pthread_mutex_lock(&warned_mu);
  for (size_t i = 0; i < n_warned && first; i++) first = warned[i] != account_id;
  if (first && n_warned < sizeof warned / sizeof warned[0]) warned[n_warned++] = account_id;
  pthread_mutex_unlock(&warned_mu);
  return first;
}

err_code debt_act_postal(db *d, arena *a, int64_t ente_id, int64_t act_id, debt_postal *out) {
  int64_t account_id = 0;
  *out = (debt_postal){NULL, NULL};
  char *postal = NULL, *auth = NULL;
  err_code rc = ds_act_postal(d, a, ente_id, act_id, &account_id, &postal, &auth);
  if (rc != ERR_OK) return rc;
  if (postal && *postal && auth && *auth) {
    *out = (debt_postal){postal, auth};
  } else if (postal && *postal && first_warning(account_id)) {
    log_warn(
        "debt: account %lld of Ente %lld has postal account %s but no Poste authorisation: "
        "notices are drawn without the bollettino postale (set it with `sportello revenue postal`)",
        (long long)account_id, (long long)ente_id, postal);
  }
  return ERR_OK;
}

/* The cases area's vocabulary (states, outcomes, channels, labels and
 * subject tags), the state machine, due dates, the per-Ente catalogue of
 * categories over built-in defaults, and routing (rules, offices serving
 * an Ente, least-loaded fallback). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "domain/cases/cases_internal.h"
#include "domain/cases/cases_store.h"

static const struct {
  const char *slug, *label;
} STATES[CASE__STATES] = {
    [CASE_NEW] = {"new", "Da prendere in carico"},
    [CASE_ASSIGNED] = {"assigned", "Assegnata"},
    [CASE_IN_PROGRESS] = {"in_progress", "In lavorazione"},
    [CASE_WAITING] = {"waiting", "In attesa del richiedente"},
    [CASE_CLOSED] = {"closed", "Chiusa"},
};

const char *case_state_slug(case_state s) { return s < CASE__STATES ? STATES[s].slug : "new"; }
const char *case_state_label(case_state s) { return s < CASE__STATES ? STATES[s].label : ""; }

case_state case_state_parse(const char *slug) {
  for (int i = 0; slug && i < CASE__STATES; i++)
    if (strcmp(slug, STATES[i].slug) == 0) return (case_state)i;
  return CASE__STATES;
}

/* from -> to. Forwarding to another office is "to new" from any open
 * state; a closed case never moves again. */
int case_transition_ok(case_state from, case_state to) {
  static const unsigned char ok[CASE__STATES][CASE__STATES] = {
      /*                 new assigned in_progress waiting closed */
      [CASE_NEW] = {1, 1, 1, 0, 1},
      [CASE_ASSIGNED] = {1, 1, 1, 0, 1},
      [CASE_IN_PROGRESS] = {1, 1, 1, 1, 1},
      [CASE_WAITING] = {1, 1, 1, 0, 1},
      [CASE_CLOSED] = {0, 0, 0, 0, 0},
  };
  if (from >= CASE__STATES || to >= CASE__STATES) return 0;
  return ok[from][to];
}

const char *const CASE_OUTCOMES[] = {"accepted", "rejected", "archived", "forwarded", NULL};
static const char *const OUTCOME_LABELS[] = {"Accolta", "Respinta", "Archiviata",
                                             "Inoltrata ad altro ente"};

const char *case_outcome_label(const char *slug) {
  for (int i = 0; slug && CASE_OUTCOMES[i]; i++)
    if (strcmp(slug, CASE_OUTCOMES[i]) == 0) return OUTCOME_LABELS[i];
  return NULL;
}

const char *const CASE_CHANNELS[] = {"email", "pec",  "web", "counter",
                                     "phone", "ente", "intermediary", NULL};
static const char *const CHANNEL_LABELS[] = {"E-mail",   "PEC",           "Modulo web",
                                             "Sportello", "Telefono",     "Personale dell'Ente",
                                             "Canale intermediari"};

const char *case_channel_label(const char *slug) {
  for (int i = 0; slug && CASE_CHANNELS[i]; i++)
    if (strcmp(slug, CASE_CHANNELS[i]) == 0) return CHANNEL_LABELS[i];
  return slug ? slug : "";
}

const char *case_label(arena *a, int year, int64_t number) {
  return arena_printf(a, "%d-%06lld", year, (long long)number);
}

const char *case_subject_tag(arena *a, int year, int64_t number) {
  return arena_printf(a, CASE_TAG_PREFIX "%d-%06lld]", year, (long long)number);
}

/* "YYYY-N..." or "YYYY/N...": *end gets the first character after. */
static int parse_at(const char *s, int *year, int64_t *number, const char **end) {
  int y = 0, i = 0;
  for (; i < 4; i++) {
    if (!isdigit((unsigned char)s[i])) return -1;
    y = y * 10 + (s[i] - '0');
  }
  if (s[i] != '-' && s[i] != '/') return -1;
  i++;
  int64_t n = 0;
  int digits = 0;
  for (; isdigit((unsigned char)s[i]) && digits < 12; i++, digits++) n = n * 10 + (s[i] - '0');
  if (!digits || n <= 0 || y < 2000 || y > 2200) return -1;
  *year = y;
  *number = n;
  *end = s + i;
  return 0;
}

int case_parse_label(const char *s, int *year, int64_t *number) {
  const char *end;
  if (!s || parse_at(s, year, number, &end) != 0 || *end) return -1;
  return 0;
}

int case_find_tag(const char *subject, int *year, int64_t *number) {
  for (const char *p = subject ? strstr(subject, CASE_TAG_PREFIX) : NULL; p;
       p = strstr(p + 1, CASE_TAG_PREFIX)) {
    const char *end;
    if (parse_at(p + strlen(CASE_TAG_PREFIX), year, number, &end) == 0 && *end == ']') return 0;
  }
  return -1;
}

int case_subject_urgent(const char *subject) {
  if (!subject) return 0;
  for (const char *p = subject; *p; p++)
    if (strncasecmp(p, "urgente", 7) == 0) return 1;
  return 0;
}

void case_due_date(const work_calendar *cal, int64_t received_at, int working_days, char out[11]) {
  civil_date day = date_today_rome(received_at);
  date_format_iso(cal_add_working_days(cal, day, working_days), out);
}

/* ---- the catalogue ---- */

static const struct {
  const char *code, *name;
  int days;
  const char *keyword; /* for case_guess_category, lower case */
} DEFAULTS[] = {
    {"osp_nuova", "Occupazione suolo pubblico - nuova dichiarazione", 3, "occupazion"},
    {"osp_variazione", "Occupazione suolo pubblico - variazione", 3, "variazion"},
    {"osp_cessazione", "Occupazione suolo pubblico - cessazione", 5, "cessazion"},
    {"rateizzazione", "Rateizzazione", 10, "rateizz"},
    {"rimborso", "Rimborso o compensazione", 30, "rimbors"},
    {"sgravio", "Sgravio", 10, "sgravi"},
    {"annullamento", "Annullamento di un atto", 10, "annullament"},
    {"ravvedimento", "Ravvedimento operoso", 5, "ravvediment"},
    {"assistenza_intermediari", "Assistenza agli intermediari", 5, NULL},
    {"informazioni", "Richiesta di informazioni", 5, "informazion"},
    {"altro", "Altro", 10, NULL},
};
enum { N_DEFAULTS = sizeof DEFAULTS / sizeof DEFAULTS[0] };

const char *case_guess_category(const char *subject, const char *fallback) {
  if (subject) {
    /* variation and cessation before the generic "occupazione" */
    static const int order[] = {2, 1, 0, 3, 4, 5, 6, 7, 9};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
      const char *kw = DEFAULTS[order[k]].keyword;
      size_t n = strlen(kw);
      for (const char *p = subject; *p; p++)
        if (strncasecmp(p, kw, n) == 0) return DEFAULTS[order[k]].code;
    }
  }
  return fallback ? fallback : "altro";
}

err_code cases_categories(db *d, arena *a, int64_t ente_id, case_category **out, size_t *n) {
  case_category *own;
  size_t n_own;
  err_code rc = cst_categories(d, a, ente_id, &own, &n_own);
  if (rc != ERR_OK) return rc;
  case_category *all = ARENA_ARRAY(a, case_category, N_DEFAULTS + n_own + 1);
  size_t k = 0;
  for (size_t i = 0; i < N_DEFAULTS; i++) {
    all[k] = (case_category){(char *)DEFAULTS[i].code, (char *)DEFAULTS[i].name, DEFAULTS[i].days,
                             1, 1};
    for (size_t j = 0; j < n_own; j++)
      if (strcmp(own[j].code, DEFAULTS[i].code) == 0) {
        all[k] = own[j];
        all[k].builtin = 1;
      }
    k++;
  }
  for (size_t j = 0; j < n_own; j++) {
    int builtin = 0;
    for (size_t i = 0; i < N_DEFAULTS; i++) builtin |= strcmp(own[j].code, DEFAULTS[i].code) == 0;
    if (!builtin) all[k++] = own[j];
  }
  *out = all;
  *n = k;
  return ERR_OK;
}

err_code cases_category(db *d, arena *a, int64_t ente_id, const char *code, case_category *out) {
  if (!code) return ERR_NOT_FOUND;
  err_code rc = cst_category_get(d, a, ente_id, code, out);
  if (rc == ERR_NOT_FOUND) {
    for (size_t i = 0; i < N_DEFAULTS; i++)
      if (strcmp(code, DEFAULTS[i].code) == 0) {
        *out = (case_category){(char *)DEFAULTS[i].code, (char *)DEFAULTS[i].name,
                               DEFAULTS[i].days, 1, 1};
        return ERR_OK;
      }
    return ERR_NOT_FOUND;
  }
  if (rc == ERR_OK && !out->active) return ERR_NOT_FOUND;
  return rc;
}

static int code_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 2 || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_')) return 0;
  return 1;
}

typedef struct {
  const actor *who;
  int64_t ente_id;
  const case_category *c;
} cat_tx;

static err_code category_tx(db *d, void *ctx) {
  cat_tx *t = ctx;
  err_code rc = cst_category_upsert(d, t->ente_id, t->c, clock_now());
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "case.category", "case_category", 0, NULL,
                          json_pack("{s:s, s:s, s:i, s:b}", "code", t->c->code, "name", t->c->name,
                                    "working_days", t->c->working_days, "active", t->c->active));
}

err_code cases_category_set(db *d, const actor *who, int64_t ente_id, const case_category *in,
                            problem *pb) {
  arena *a = arena_new();
  case_category c = *in;
  int long_name = 0;
  c.name = ci_text(a, in->name, 200, &long_name);
  err_code rc = ERR_OK;
  if (!code_ok(c.code))
    rc = ci_bad(pb, "code", "Il codice della categoria deve avere da 2 a 40 caratteri tra lettere "
                            "minuscole, cifre e trattini bassi.");
  else if (!c.name || long_name)
    rc = ci_bad(pb, "name", "Indica il nome della categoria (massimo 200 caratteri).");
  else if (c.working_days < 1 || c.working_days > 365)
    rc = ci_bad(pb, "working_days", "I giorni lavorativi devono essere tra 1 e 365.");
  if (rc == ERR_OK) {
    cat_tx t = {who, ente_id, &c};
    rc = db_tx(d, category_tx, &t);
  }
  arena_free(a);
  return rc;
}

/* ---- routing ---- */

typedef struct {
  const actor *who;
  int64_t office_id, ente_id;
  int on;
} serve_tx;

static err_code serve_tx_fn(db *d, void *ctx) {
  serve_tx *t = ctx;
  err_code rc = cst_office_exists(d, t->office_id);
  if (rc != ERR_OK) return rc;
  rc = t->on ? cst_serve_on(d, t->office_id, t->ente_id, clock_now())
             : cst_serve_off(d, t->office_id, t->ente_id);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, t->on ? "case.office_on" : "case.office_off",
                          "office", t->office_id, NULL,
                          json_pack("{s:I}", "office_id", (json_int_t)t->office_id));
}

err_code cases_office_serve(db *d, const actor *who, int64_t office_id, int64_t ente_id, int on) {
  serve_tx t = {who, office_id, ente_id, on};
  return db_tx(d, serve_tx_fn, &t);
}

err_code cases_serving_offices(db *d, arena *a, int64_t ente_id, office **out, size_t *n) {
  return cst_serving(d, a, ente_id, out, n);
}

err_code cases_rules(db *d, arena *a, int64_t ente_id, case_rule **out, size_t *n) {
  return cst_rules(d, a, ente_id, out, n);
}

typedef struct {
  const actor *who;
  case_rule *r;
  problem *pb;
} rule_tx;

static err_code rule_tx_fn(db *d, void *ctx) {
  rule_tx *t = ctx;
  case_rule *r = t->r;
  err_code rc = cst_office_exists(d, r->office_id);
  if (rc == ERR_NOT_FOUND) return ci_bad(t->pb, "office_id", "L'ufficio indicato non esiste.");
  if (rc != ERR_OK) return rc;
  rc = cst_office_serves(d, r->office_id, r->ente_id);
  if (rc == ERR_NOT_FOUND)
    return ci_bad(t->pb, "office_id", "L'ufficio indicato non serve questo Ente.");
  if (rc != ERR_OK) return rc;
  if ((rc = cst_rule_insert(d, r, clock_now(), &r->id)) != ERR_OK) return rc;
  return audit_write_json(d, t->who, r->ente_id, "case.rule_add", "case_rule", r->id, NULL,
                          json_pack("{s:s?, s:I, s:i}", "category", r->category_code, "office_id",
                                    (json_int_t)r->office_id, "position", r->position));
}

err_code cases_rule_add(db *d, const actor *who, case_rule *r, problem *pb) {
  arena *a = arena_new();
  err_code rc = ERR_OK;
  if (r->category_code && *r->category_code) {
    case_category c;
    rc = cases_category(d, a, r->ente_id, r->category_code, &c);
    if (rc == ERR_NOT_FOUND) rc = ci_bad(pb, "category", "La categoria indicata non esiste.");
  } else {
    r->category_code = NULL;
  }
  if (rc == ERR_OK) {
    rule_tx t = {who, r, pb};
    rc = db_tx(d, rule_tx_fn, &t);
  }
  arena_free(a);
  return rc;
}

typedef struct {
  const actor *who;
  int64_t ente_id, id;
} rule_del_tx;

static err_code rule_del_fn(db *d, void *ctx) {
  rule_del_tx *t = ctx;
  err_code rc = cst_rule_delete(d, t->ente_id, t->id);
  if (rc != ERR_OK) return rc;
  return audit_write_json(d, t->who, t->ente_id, "case.rule_delete", "case_rule", t->id, NULL,
                          json_pack("{s:I, s:b}", "rule_id", (json_int_t)t->id, "deleted", 1));
}

err_code cases_rule_delete(db *d, const actor *who, int64_t ente_id, int64_t rule_id) {
  rule_del_tx t = {who, ente_id, rule_id};
  return db_tx(d, rule_del_fn, &t);
}

err_code cases_route(db *d, int64_t ente_id, const char *category_code, int64_t *office_id) {
  *office_id = 0;
  err_code rc = cst_rule_match(d, ente_id, category_code ? category_code : "", office_id);
  if (rc != ERR_NOT_FOUND) return rc;
  rc = cst_least_loaded(d, ente_id, office_id);
  if (rc == ERR_NOT_FOUND) {
    *office_id = 0;
    return ERR_OK;
  }
  return rc;
}

/* Rules for Enti, regions and offices: normalisation, validation (Italian
 * problems), one transaction per change with its audit row. Users live in
 * user.c. */
#include "domain/ente/ente.h"
#include <ctype.h>
#include <stdlib.h>
#include <jansson.h>
#include <string.h>
#include "core/clock.h"
#include "core/validate.h"
#include "core/text.h"
#include "domain/ente/ente_internal.h"
#include "domain/ente/ente_store.h"

static const struct {
  const char *slug, *label;
} roles[ROLE__COUNT] = {
    [ROLE_NONE] = {"none", "Nessun ruolo"},
    [ROLE_ADMIN] = {"admin", "Amministratore"},
    [ROLE_SUPERVISOR_CENTRAL] = {"supervisor_central", "Supervisore centrale"},
    [ROLE_SUPERVISOR_REGIONAL] = {"supervisor_regional", "Supervisore regionale"},
    [ROLE_OFFICE_MANAGER] = {"office_manager", "Responsabile di ufficio"},
    [ROLE_OPERATOR] = {"operator", "Operatore di sportello"},
    [ROLE_ENTE_STAFF] = {"ente_staff", "Personale dell'Ente"},
    [ROLE_INTERMEDIARY] = {"intermediary", "Intermediario abilitato"},
};

const char *role_slug(role r) { return (r > 0 && r < ROLE__COUNT) ? roles[r].slug : "none"; }

const char *role_label_it(role r) {
  return (r > 0 && r < ROLE__COUNT) ? roles[r].label : roles[ROLE_NONE].label;
}

role role_parse(const char *slug) {
  if (!slug) return ROLE_NONE;
  for (int r = 1; r < ROLE__COUNT; r++)
    if (strcmp(slug, roles[r].slug) == 0) return (role)r;
  return ROLE_NONE;
}

/* ---- helpers shared with user.c (ente_internal.h) ---- */

void ei_problem(arena *a, problems *pbs, err_code code, const char *field, const char *msg) {
  problems_add(a, pbs, code, field, msg);
}

err_code ei_must_be_new(err_code found, err_code dup, arena *a, problems *pbs, const char *field,
                        const char *msg) {
  if (found == ERR_OK) problems_add(a, pbs, dup, field, msg);
  return found == ERR_OK || found == ERR_NOT_FOUND ? ERR_OK : found;
}

err_code ei_must_exist(err_code found, arena *a, problems *pbs, const char *field, const char *msg) {
  if (found == ERR_NOT_FOUND) problems_add(a, pbs, ERR_INVALID, field, msg);
  return found == ERR_NOT_FOUND ? ERR_OK : found;
}

const actor *ei_actor(const actor *who) {
  static const actor sys = {"system", 0};
  return who ? who : &sys;
}

err_code ei_audit(db *d, const actor *who, int64_t ente_id, const char *action, const char *object_type,
                  int64_t object_id, json_t *before, json_t *after) {
  return audit_write_json(d, ei_actor(who), ente_id, action, object_type, object_id, before, after);
}

/* ---- Enti ---- */

static int slug_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 2 || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-')) return 0;
  return 1;
}

/* "MM-DD" naming a day that exists in a leap year (29 February allowed). */
static int patron_ok(const char *s) {
  if (!s || strlen(s) != 5 || s[2] != '-') return 0;
  if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
      !isdigit((unsigned char)s[4]))
    return 0;
  int m = (s[0] - '0') * 10 + (s[1] - '0'), day = (s[3] - '0') * 10 + (s[4] - '0');
  return date_valid(2024, m, day);
}

static int phone_ok(const char *s) {
  if (strlen(s) > 30) return 0;
  int digits = 0;
  for (size_t i = 0; s[i]; i++) {
    if (isdigit((unsigned char)s[i]))
      digits++;
    else if (!(s[i] == ' ' || (s[i] == '+' && i == 0) || s[i] == '.' || s[i] == '-'))
      return 0;
  }
  return digits >= 5;
}

/* Text field: required or not, at most max characters. */
static void text_problem(arena *a, problems *pbs, const char *v, int required, size_t max, const char *field,
                         const char *missing, const char *too_long) {
  if (!v) {
    if (required) ei_problem(a, pbs, ERR_INVALID, field, missing);
  } else if (text_utf8_len(v) > max) {
    ei_problem(a, pbs, ERR_INVALID, field, too_long);
  }
}

static void mail_problem(arena *a, problems *pbs, const char *v, const char *field) {
  const char *why = v ? validate_email(v) : NULL;
  if (why) ei_problem(a, pbs, ERR_INVALID, field, why);
}

/* The caller's list, or local when it passed none, emptied. */
static problems *list_or(problems *pbs, problems *local) {
  if (!pbs) pbs = local;
  problems_clear(pbs);
  return pbs;
}

/* Copies in into e (arena a) normalised, and adds every problem of its
 * fields to pbs. */
static void ente_check(arena *a, const ente *in, ente *e, problems *pbs) {
  memset(e, 0, sizeof *e);
  e->slug = text_trim_dup(a, in->slug);
  e->name = text_trim_dup(a, in->name);
  e->fiscal_code = text_trim_dup(a, in->fiscal_code);
  if (e->fiscal_code) normalize_code(e->fiscal_code);
  e->population = in->population;
  e->segregation_code = text_trim_dup(a, in->segregation_code);
  e->mail_istanze = text_trim_dup(a, in->mail_istanze);
  e->mail_pec = text_trim_dup(a, in->mail_pec);
  e->mail_info = text_trim_dup(a, in->mail_info);
  e->support_phone = text_trim_dup(a, in->support_phone);
  e->patron_day = text_trim_dup(a, in->patron_day);

  if (!slug_ok(e->slug))
    ei_problem(a, pbs, ERR_INVALID, "slug",
               "L'identificativo breve (slug) deve avere da 2 a 40 caratteri tra lettere "
               "minuscole, cifre e trattini.");
  else if (strspn(e->slug, "0123456789") == strlen(e->slug))
    ei_problem(a, pbs, ERR_INVALID, "slug",
               "L'identificativo breve (slug) non può essere composto solo da cifre: si "
               "confonderebbe con un codice fiscale.");
  text_problem(a, pbs, e->name, 1, 200, "name", "Il nome dell'Ente è obbligatorio.",
               "Il nome dell'Ente è troppo lungo (massimo 200 caratteri).");
  if (!e->fiscal_code) {
    ei_problem(a, pbs, ERR_INVALID, "fiscal_code", "Il codice fiscale dell'Ente è obbligatorio.");
  } else {
    const char *why = validate_cf_numeric(e->fiscal_code);
    if (why) ei_problem(a, pbs, ERR_INVALID, "fiscal_code", why);
  }
  if (e->population < 0)
    ei_problem(a, pbs, ERR_INVALID, "population", "La popolazione non può essere negativa.");
  if (e->segregation_code && !text_all_of(e->segregation_code, 2, isdigit))
    ei_problem(a, pbs, ERR_INVALID, "segregation_code", "Il codice di segregazione deve essere di 2 cifre.");
  mail_problem(a, pbs, e->mail_istanze, "mail_istanze");
  mail_problem(a, pbs, e->mail_pec, "mail_pec");
  mail_problem(a, pbs, e->mail_info, "mail_info");
  if (e->support_phone && !phone_ok(e->support_phone))
    ei_problem(a, pbs, ERR_INVALID, "support_phone",
               "Il numero di assistenza deve contenere almeno 5 cifre (ammessi spazi, punti, "
               "trattini e il prefisso +; massimo 30 caratteri).");
  if (e->patron_day && !patron_ok(e->patron_day))
    ei_problem(a, pbs, ERR_INVALID, "patron_day",
               "Il giorno del santo patrono deve essere una data nel formato MM-GG (es. "
               "06-24).");
}

static json_t *ente_json(const ente *e) {
  return json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "slug", e->slug, "name",
                   e->name, "fiscal_code", e->fiscal_code, "population", (json_int_t)e->population,
                   "segregation_code", e->segregation_code, "mail_istanze", e->mail_istanze, "mail_pec",
                   e->mail_pec, "mail_info", e->mail_info, "support_phone", e->support_phone, "patron_day",
                   e->patron_day);
}

typedef struct {
  arena *a;
  const ente *e;
  const actor *who;
  problems *pbs;
  size_t n_fields; /* problems found before the transaction */
  int dry;         /* check only */
  int64_t id;
} ente_tx;

/* Duplicates of the fields that are valid, added to the field problems;
 * then, when there are none and this is no dry run, insert and audit. */
static err_code ente_create_tx(db *d, void *ctx) {
  ente_tx *t = ctx;
  t->id = 0;
  t->pbs->n = t->n_fields;
  err_code rc = ERR_OK;
  if (!problems_has(t->pbs, "slug"))
    rc = ei_must_be_new(es_ente_find_slug(d, t->e->slug, NULL), ERR_ENTE_DUPLICATE, t->a, t->pbs, "slug",
                        "Esiste già un Ente con questo identificativo (slug).");
  if (rc == ERR_OK && !problems_has(t->pbs, "fiscal_code"))
    rc = ei_must_be_new(es_ente_find_fiscal_code(d, t->e->fiscal_code, NULL), ERR_ENTE_DUPLICATE, t->a,
                        t->pbs, "fiscal_code", "Esiste già un Ente con questo codice fiscale.");
  if (rc == ERR_OK) rc = problems_code(t->pbs);
  if (rc != ERR_OK || t->dry) return rc;
  rc = es_ente_insert(d, t->e, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_problem(t->a, t->pbs, rc = ERR_ENTE_DUPLICATE, "slug",
               "Esiste già un Ente con questo identificativo o codice fiscale.");
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, t->id, "ente.create", "ente", t->id, NULL, ente_json(t->e));
}

static err_code ente_run(db *d, arena *a, const ente *in, const actor *who, int64_t *id_out, problems *pbs,
                         int dry) {
  problems local = {0};
  pbs = list_or(pbs, &local);
  ente e;
  ente_check(a, in, &e, pbs);
  /* with problems already, only the database checks, without writing */
  ente_tx t = {a, &e, who, pbs, pbs->n, dry || pbs->n > 0, 0};
  err_code rc = t.dry ? db_tx_read(d, ente_create_tx, &t) : db_tx(d, ente_create_tx, &t);
  if (rc == ERR_OK && t.dry) return problems_code(pbs);
  if (rc == ERR_OK && id_out) *id_out = t.id;
  return rc;
}

err_code ente_create(db *d, arena *a, const ente *in, const actor *who, int64_t *id_out, problems *pbs) {
  return ente_run(d, a, in, who, id_out, pbs, 0);
}

err_code ente_validate(db *d, arena *a, const ente *in, problems *pbs) {
  return ente_run(d, a, in, NULL, NULL, pbs, 1);
}

err_code ente_list(db *d, arena *a, ente **out, size_t *n) { return es_ente_list(d, a, out, n); }

err_code ente_get(db *d, arena *a, int64_t id, ente *out) { return es_ente_get(d, a, id, out); }

err_code ente_by_slug(db *d, arena *a, const char *slug, ente *out) {
  if (!slug) return ERR_NOT_FOUND;
  return es_ente_by_slug(d, a, slug, out);
}

void ente_by_slug_queue(db_batch *b, const char *slug, ente *out, int *found) {
  es_ente_by_slug_queue(b, slug, out, found);
}

err_code ente_by_fiscal_code(db *d, arena *a, const char *cf, ente *out) {
  if (!cf) return ERR_NOT_FOUND;
  return es_ente_by_fiscal_code(d, a, cf, out);
}

/* Eleven digits are a codice fiscale (slugs cannot be only digits; an
 * older one that is still works, as a slug); anything else is a slug. */
err_code ente_resolve(db *d, arena *a, const char *name, ente *out) {
  char *v = text_trim_dup(a, name);
  if (!v || strlen(v) > 64) return ERR_NOT_FOUND;
  char *code = arena_strdup(a, v);
  normalize_code(code);
  if (text_all_of(code, 11, isdigit)) {
    int64_t id = 0;
    err_code rc = es_ente_find_fiscal_code(d, code, &id);
    if (rc == ERR_OK) return es_ente_get(d, a, id, out);
    if (rc != ERR_NOT_FOUND) return rc;
  }
  return es_ente_by_slug(d, a, v, out);
}

/* ---- regions ---- */

typedef struct {
  arena *a;
  const char *name;
  const actor *who;
  problems *pbs;
  int64_t id;
} region_tx;

static err_code region_create_tx(db *d, void *ctx) {
  region_tx *t = ctx;
  t->id = 0;
  err_code rc = es_region_insert(d, t->name, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_problem(t->a, t->pbs, ERR_CONFLICT, "name", "Esiste già una regione con questo nome.");
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, "region.create", "region", t->id, NULL, json_pack("{s:s}", "name", t->name));
}

err_code region_create(db *d, arena *a, const char *name, const actor *who, int64_t *id_out, problems *pbs) {
  problems local = {0};
  pbs = list_or(pbs, &local);
  size_t before = pbs->n;
  char *n = text_trim_dup(a, name);
  text_problem(a, pbs, n, 1, 100, "name", "Il nome della regione è obbligatorio.",
               "Il nome della regione è troppo lungo (massimo 100 caratteri).");
  if (pbs->n > before) return ERR_INVALID;
  region_tx t = {a, n, who, pbs, 0};
  err_code rc = db_tx(d, region_create_tx, &t);
  if (rc == ERR_OK && id_out) *id_out = t.id;
  return rc;
}

err_code region_list(db *d, arena *a, region **out, size_t *n) { return es_region_list(d, a, out, n); }

err_code region_by_name(db *d, arena *a, const char *name, region *out) {
  if (!name) return ERR_NOT_FOUND;
  return es_region_by_name(d, a, name, out);
}

/* ---- offices ---- */

static int office_code_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 2 || n > 32) return 0;
  for (size_t i = 0; i < n; i++)
    if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.')) return 0;
  return 1;
}

typedef struct {
  arena *a;
  const office *o;
  const actor *who;
  problems *pbs;
  size_t n_fields;
  int dry;
  int64_t id;
} office_tx;

static err_code office_create_tx(db *d, void *ctx) {
  office_tx *t = ctx;
  t->id = 0;
  t->pbs->n = t->n_fields;
  err_code rc = ERR_OK;
  if (!problems_has(t->pbs, "region_id"))
    rc = ei_must_exist(es_region_exists(d, t->o->region_id), t->a, t->pbs, "region_id",
                       "La regione indicata non esiste.");
  if (rc == ERR_OK && !problems_has(t->pbs, "code"))
    rc = ei_must_be_new(es_office_find_code(d, t->o->code, NULL), ERR_OFFICE_DUPLICATE, t->a, t->pbs, "code",
                        "Esiste già un ufficio con questo codice.");
  if (rc == ERR_OK) rc = problems_code(t->pbs);
  if (rc != ERR_OK || t->dry) return rc;
  rc = es_office_insert(d, t->o, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_problem(t->a, t->pbs, rc = ERR_OFFICE_DUPLICATE, "code", "Esiste già un ufficio con questo codice.");
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, "office.create", "office", t->id, NULL,
                  json_pack("{s:I, s:s, s:s, s:s?}", "region_id", (json_int_t)t->o->region_id, "code",
                            t->o->code, "name", t->o->name, "city", t->o->city));
}

/* Every problem of a normalised office's fields. */
static void office_check(arena *a, const office *o, problems *pbs) {
  if (o->region_id <= 0) ei_problem(a, pbs, ERR_INVALID, "region_id", "Indica la regione dell'ufficio.");
  if (!office_code_ok(o->code))
    ei_problem(a, pbs, ERR_INVALID, "code",
               "Il codice dell'ufficio deve avere da 2 a 32 caratteri tra lettere, cifre, "
               "punti, trattini e trattini bassi.");
  text_problem(a, pbs, o->name, 1, 200, "name", "Il nome dell'ufficio è obbligatorio.",
               "Il nome dell'ufficio è troppo lungo (massimo 200 caratteri).");
  text_problem(a, pbs, o->city, 0, 100, "city", NULL,
               "Il nome della città è troppo lungo (massimo 100 caratteri).");
}

static err_code office_run(db *d, arena *a, const office *in, const actor *who, int64_t *id_out,
                           problems *pbs, int dry) {
  problems local = {0};
  pbs = list_or(pbs, &local);
  office o = {0};
  o.region_id = in->region_id;
  o.code = text_trim_dup(a, in->code);
  o.name = text_trim_dup(a, in->name);
  o.city = text_trim_dup(a, in->city);
  office_check(a, &o, pbs);
  /* with problems already, only the database checks, without writing */
  office_tx t = {a, &o, who, pbs, pbs->n, dry || pbs->n > 0, 0};
  err_code rc = t.dry ? db_tx_read(d, office_create_tx, &t) : db_tx(d, office_create_tx, &t);
  if (rc == ERR_OK && t.dry) return problems_code(pbs);
  if (rc == ERR_OK && id_out) *id_out = t.id;
  return rc;
}

err_code office_create(db *d, arena *a, const office *in, const actor *who, int64_t *id_out, problems *pbs) {
  return office_run(d, a, in, who, id_out, pbs, 0);
}

err_code office_validate(db *d, arena *a, const office *in, problems *pbs) {
  return office_run(d, a, in, NULL, NULL, pbs, 1);
}

err_code office_list(db *d, arena *a, office **out, size_t *n) { return es_office_list(d, a, out, n); }

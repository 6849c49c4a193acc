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

int ei_set(problem *pb, err_code code, const char *field, const char *msg) {
  if (pb) {
    pb->code = code;
    pb->field = field;
    pb->message = msg;
  }
  return 1;
}

err_code ei_must_be_new(err_code found, problem *pb, const char *field, const char *msg) {
  if (found == ERR_OK) {
    ei_set(pb, ERR_CONFLICT, field, msg);
    return ERR_CONFLICT;
  }
  return found == ERR_NOT_FOUND ? ERR_OK : found;
}

err_code ei_must_exist(err_code found, problem *pb, const char *field, const char *msg) {
  if (found != ERR_NOT_FOUND) return found;
  ei_set(pb, ERR_INVALID, field, msg);
  return ERR_INVALID;
}

const actor *ei_actor(const actor *who) {
  static const actor sys = {"system", 0};
  return who ? who : &sys;
}

err_code ei_audit(db *d, const actor *who, int64_t ente_id, const char *action,
                  const char *object_type, int64_t object_id, json_t *before, json_t *after) {
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
  if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
      !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
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
static int text_problem(const char *v, int required, size_t max, const char *field,
                        const char *missing, const char *too_long, problem *pb) {
  if (!v) return required ? ei_set(pb, ERR_INVALID, field, missing) : 0;
  if (text_utf8_len(v) > max) return ei_set(pb, ERR_INVALID, field, too_long);
  return 0;
}

static int mail_problem(const char *v, const char *field, problem *pb) {
  if (!v) return 0;
  const char *why = validate_email(v);
  return why ? ei_set(pb, ERR_INVALID, field, why) : 0;
}

/* Copies in into e (arena a) normalised, and returns 1 with pb set at the
 * first problem. */
static int ente_check(arena *a, const ente *in, ente *e, problem *pb) {
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
    return ei_set(pb, ERR_INVALID, "slug",
                  "L'identificativo breve (slug) deve avere da 2 a 40 caratteri tra lettere "
                  "minuscole, cifre e trattini.");
  if (text_problem(e->name, 1, 200, "name", "Il nome dell'Ente è obbligatorio.",
                   "Il nome dell'Ente è troppo lungo (massimo 200 caratteri).", pb))
    return 1;
  if (!e->fiscal_code)
    return ei_set(pb, ERR_INVALID, "fiscal_code", "Il codice fiscale dell'Ente è obbligatorio.");
  const char *why = validate_partita_iva(e->fiscal_code);
  if (why) return ei_set(pb, ERR_INVALID, "fiscal_code", why);
  if (e->population < 0)
    return ei_set(pb, ERR_INVALID, "population", "La popolazione non può essere negativa.");
  if (e->segregation_code && !text_all_of(e->segregation_code, 2, isdigit))
    return ei_set(pb, ERR_INVALID, "segregation_code",
                  "Il codice di segregazione deve essere di 2 cifre.");
  if (mail_problem(e->mail_istanze, "mail_istanze", pb) ||
      mail_problem(e->mail_pec, "mail_pec", pb) || mail_problem(e->mail_info, "mail_info", pb))
    return 1;
  if (e->support_phone && !phone_ok(e->support_phone))
    return ei_set(pb, ERR_INVALID, "support_phone",
                  "Il numero di assistenza deve contenere almeno 5 cifre (ammessi spazi, punti, "
                  "trattini e il prefisso +; massimo 30 caratteri).");
  if (e->patron_day && !patron_ok(e->patron_day))
    return ei_set(pb, ERR_INVALID, "patron_day",
                  "Il giorno del santo patrono deve essere una data nel formato MM-GG (es. "
                  "06-24).");
  return 0;
}

static json_t *ente_json(const ente *e) {
  return json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "slug", e->slug,
                   "name", e->name, "fiscal_code", e->fiscal_code, "population",
                   (json_int_t)e->population, "segregation_code", e->segregation_code,
                   "mail_istanze", e->mail_istanze, "mail_pec", e->mail_pec, "mail_info",
                   e->mail_info, "support_phone", e->support_phone, "patron_day", e->patron_day);
}

typedef struct {
  const ente *e;
  const actor *who;
  problem *pb;
  int64_t id;
} ente_tx;

static err_code ente_create_tx(db *d, void *ctx) {
  ente_tx *t = ctx;
  t->id = 0;
  err_code rc = ei_must_be_new(es_ente_find_slug(d, t->e->slug, NULL), t->pb, "slug",
                               "Esiste già un Ente con questo identificativo (slug).");
  if (rc != ERR_OK) return rc;
  rc = ei_must_be_new(es_ente_find_fiscal_code(d, t->e->fiscal_code, NULL), t->pb, "fiscal_code",
                      "Esiste già un Ente con questo codice fiscale.");
  if (rc != ERR_OK) return rc;
  rc = es_ente_insert(d, t->e, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_set(t->pb, ERR_CONFLICT, "slug",
           "Esiste già un Ente con questo identificativo o codice fiscale.");
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, t->id, "ente.create", "ente", t->id, NULL, ente_json(t->e));
}

err_code ente_create(db *d, const ente *in, const actor *who, int64_t *id_out, problem *pb) {
  arena *a = arena_new();
  ente e;
  err_code rc = ERR_INVALID;
  if (!ente_check(a, in, &e, pb)) {
    ente_tx t = {&e, who, pb, 0};
    rc = db_tx(d, ente_create_tx, &t);
    if (rc == ERR_OK && id_out) *id_out = t.id;
  }
  arena_free(a);
  return rc;
}

err_code ente_list(db *d, arena *a, ente **out, size_t *n) { return es_ente_list(d, a, out, n); }

err_code ente_get(db *d, arena *a, int64_t id, ente *out) { return es_ente_get(d, a, id, out); }

err_code ente_by_slug(db *d, arena *a, const char *slug, ente *out) {
  if (!slug) return ERR_NOT_FOUND;
  return es_ente_by_slug(d, a, slug, out);
}

/* ---- regions ---- */

typedef struct {
  const char *name;
  const actor *who;
  problem *pb;
  int64_t id;
} region_tx;

static err_code region_create_tx(db *d, void *ctx) {
  region_tx *t = ctx;
  t->id = 0;
  err_code rc = es_region_insert(d, t->name, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_set(t->pb, ERR_CONFLICT, "name", "Esiste già una regione con questo nome.");
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, "region.create", "region", t->id, NULL,
                  json_pack("{s:s}", "name", t->name));
}

err_code region_create(db *d, const char *name, const actor *who, int64_t *id_out, problem *pb) {
  arena *a = arena_new();
  char *n = text_trim_dup(a, name);
  err_code rc = ERR_INVALID;
  if (!text_problem(n, 1, 100, "name", "Il nome della regione è obbligatorio.",
                    "Il nome della regione è troppo lungo (massimo 100 caratteri).", pb)) {
    region_tx t = {n, who, pb, 0};
    rc = db_tx(d, region_create_tx, &t);
    if (rc == ERR_OK && id_out) *id_out = t.id;
  }
  arena_free(a);
  return rc;
}

err_code region_list(db *d, arena *a, region **out, size_t *n) {
  return es_region_list(d, a, out, n);
}

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
  const office *o;
  const actor *who;
  problem *pb;
  int64_t id;
} office_tx;

static err_code office_create_tx(db *d, void *ctx) {
  office_tx *t = ctx;
  t->id = 0;
  err_code rc = ei_must_exist(es_region_exists(d, t->o->region_id), t->pb, "region_id",
                              "La regione indicata non esiste.");
  if (rc != ERR_OK) return rc;
  rc = ei_must_be_new(es_office_find_code(d, t->o->code, NULL), t->pb, "code",
                      "Esiste già un ufficio con questo codice.");
  if (rc != ERR_OK) return rc;
  rc = es_office_insert(d, t->o, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_set(t->pb, ERR_CONFLICT, "code", "Esiste già un ufficio con questo codice.");
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, "office.create", "office", t->id, NULL,
                  json_pack("{s:I, s:s, s:s, s:s?}", "region_id", (json_int_t)t->o->region_id,
                            "code", t->o->code, "name", t->o->name, "city", t->o->city));
}

/* 1 with *pb at the first problem of a normalised office. */
static int office_check(const office *o, problem *pb) {
  if (!office_code_ok(o->code))
    return ei_set(pb, ERR_INVALID, "code",
                  "Il codice dell'ufficio deve avere da 2 a 32 caratteri tra lettere, cifre, "
                  "punti, trattini e trattini bassi.");
  return text_problem(o->name, 1, 200, "name", "Il nome dell'ufficio è obbligatorio.",
                      "Il nome dell'ufficio è troppo lungo (massimo 200 caratteri).", pb) ||
         text_problem(o->city, 0, 100, "city", NULL,
                      "Il nome della città è troppo lungo (massimo 100 caratteri).", pb);
}

err_code office_create(db *d, const office *in, const actor *who, int64_t *id_out, problem *pb) {
  arena *a = arena_new();
  office o = {0};
  o.region_id = in->region_id;
  o.code = text_trim_dup(a, in->code);
  o.name = text_trim_dup(a, in->name);
  o.city = text_trim_dup(a, in->city);
  err_code rc = ERR_INVALID;
  if (!office_check(&o, pb)) {
    office_tx t = {&o, who, pb, 0};
    rc = db_tx(d, office_create_tx, &t);
    if (rc == ERR_OK && id_out) *id_out = t.id;
  }
  arena_free(a);
  return rc;
}

err_code office_list(db *d, arena *a, office **out, size_t *n) {
  return es_office_list(d, a, out, n);
}

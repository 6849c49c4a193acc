/* Back-office users: validation, argon2id passwords (libsodium), sign-in
 * with constant work for unknown users, and which Enti a user may see. */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "core/clock.h"
#include "core/validate.h"
#include "domain/ente/ente.h"
#include "core/text.h"
#include "domain/ente/ente_internal.h"
#include "domain/ente/ente_store.h"

enum { PASSWORD_MIN = 10, PASSWORD_MAX_BYTES = 1024, MAX_USER_ENTES = 1000 };

/* Work factors: interactive (the libsodium recommendation for sign-in), or
 * the minimum when SPORTELLO_PWHASH_FAST=1 so test suites stay quick. */
static int pwhash_fast(void) {
  const char *f = getenv("SPORTELLO_PWHASH_FAST");
  return f && strcmp(f, "1") == 0;
}

static int pw_hash(const char *password, char out[crypto_pwhash_STRBYTES]) {
  if (sodium_init() < 0) return -1;
  int fast = pwhash_fast();
  unsigned long long ops =
      fast ? crypto_pwhash_argon2id_OPSLIMIT_MIN : crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
  size_t mem = fast ? crypto_pwhash_argon2id_MEMLIMIT_MIN : crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
  return crypto_pwhash_argon2id_str(out, password, strlen(password), ops, mem);
}

/* A hash of a random password made with the current work factors: unknown
 * users are verified against it so they cost as much as real ones. */
static const char *dummy_hash(void) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  static char hashes[2][crypto_pwhash_STRBYTES];
  int fast = pwhash_fast();
  pthread_mutex_lock(&mu);
  if (!hashes[fast][0]) {
    unsigned char rnd[16];
    char pw[33];
    if (sodium_init() >= 0) {
      randombytes_buf(rnd, sizeof rnd);
      sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
      if (pw_hash(pw, hashes[fast]) != 0) hashes[fast][0] = 0;
    }
  }
  pthread_mutex_unlock(&mu);
  return hashes[fast];
}

static int username_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 3 || n > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-')) return 0;
  }
  return 1;
}

/* Lower-cased trimmed copy: usernames are case-insensitive to people. */
static char *username_norm(arena *a, const char *s) {
  char *u = text_trim_dup(a, s);
  for (char *p = u; p && *p; p++) *p = (char)tolower((unsigned char)*p);
  return u;
}

static void password_problem(arena *a, problems *pbs, const char *pw) {
  if (!pw || text_utf8_len(pw) < PASSWORD_MIN)
    ei_problem(a, pbs, ERR_INVALID, "password", "La password deve avere almeno 10 caratteri.");
  else if (strlen(pw) > PASSWORD_MAX_BYTES)
    ei_problem(a, pbs, ERR_INVALID, "password", "La password è troppo lunga.");
}

static json_t *user_json(const user *u, const int64_t *ente_ids, size_t n_ente) {
  json_t *entes = json_array();
  for (size_t i = 0; i < n_ente; i++) json_array_append_new(entes, json_integer(ente_ids[i]));
  return json_pack("{s:s, s:s, s:s?, s:s, s:I, s:I, s:b, s:o}", "username", u->username, "full_name",
                   u->full_name, "email", u->email, "role", role_slug(u->role), "region_id",
                   (json_int_t)u->region_id, "office_id", (json_int_t)u->office_id, "active", u->active,
                   "ente_ids", entes);
}

typedef struct {
  arena *a;
  const user *u;
  const char *hash;
  const int64_t *ente_ids;
  size_t n_ente;
  const actor *who;
  problems *pbs;
  size_t n_fields; /* problems found before the transaction */
  int dry;         /* check only */
  int64_t id;
} user_tx;

/* References (region, office, Enti) must exist and the username be new;
 * every problem is added; then, when there is none, insert and audit. */
static err_code user_create_tx(db *d, void *ctx) {
  user_tx *t = ctx;
  t->id = 0;
  t->pbs->n = t->n_fields;
  err_code rc = ERR_OK;
  if (t->u->region_id && !problems_has(t->pbs, "region_id"))
    rc = ei_must_exist(es_region_exists(d, t->u->region_id), t->a, t->pbs, "region_id",
                       "La regione indicata non esiste.");
  if (rc == ERR_OK && t->u->office_id)
    rc = ei_must_exist(es_office_region(d, t->u->office_id, NULL), t->a, t->pbs, "office_id",
                       "L'ufficio indicato non esiste.");
  for (size_t i = 0; rc == ERR_OK && i < t->n_ente && !problems_has(t->pbs, "ente_ids"); i++)
    rc = ei_must_exist(es_ente_exists(d, t->ente_ids[i]), t->a, t->pbs, "ente_ids",
                       "Uno degli Enti indicati non esiste.");
  if (rc == ERR_OK && !problems_has(t->pbs, "username"))
    rc = ei_must_be_new(es_user_find_username(d, t->u->username, NULL), ERR_USER_DUPLICATE, t->a, t->pbs,
                        "username", "Esiste già un utente con questo nome utente.");
  if (rc == ERR_OK) rc = problems_code(t->pbs);
  if (rc != ERR_OK || t->dry) return rc;
  rc = es_user_insert(d, t->u, t->hash, clock_now(), &t->id);
  if (rc == ERR_CONFLICT)
    ei_problem(t->a, t->pbs, rc = ERR_USER_DUPLICATE, "username",
               "Esiste già un utente con questo nome utente.");
  if (rc != ERR_OK) return rc;
  for (size_t i = 0; i < t->n_ente; i++)
    if ((rc = es_user_add_ente(d, t->id, t->ente_ids[i])) != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, "user.create", "user", t->id, NULL, user_json(t->u, t->ente_ids, t->n_ente));
}

/* Enti without repetitions, in the given order (arena copy, never NULL). */
static int64_t *unique_ids(arena *a, const int64_t *ente_ids, size_t n_ente, size_t *n_out) {
  int64_t *ids = ARENA_ARRAY(a, int64_t, n_ente ? n_ente : 1);
  size_t n_ids = 0;
  for (size_t i = 0; i < n_ente; i++) {
    size_t j = 0;
    while (j < n_ids && ids[j] != ente_ids[i]) j++;
    if (j == n_ids) ids[n_ids++] = ente_ids[i];
  }
  *n_out = n_ids;
  return ids;
}

/* Every problem of the fields that need no database. */
static void user_check(arena *a, const user *u, const char *password, size_t n_ente, problems *pbs) {
  if (!username_ok(u->username))
    ei_problem(a, pbs, ERR_INVALID, "username",
               "Il nome utente deve avere da 3 a 64 caratteri tra lettere minuscole, cifre, "
               "punti, trattini e trattini bassi.");
  if (!u->full_name)
    ei_problem(a, pbs, ERR_INVALID, "full_name", "Il nome e cognome è obbligatorio.");
  else if (text_utf8_len(u->full_name) > 200)
    ei_problem(a, pbs, ERR_INVALID, "full_name", "Il nome e cognome è troppo lungo (massimo 200 caratteri).");
  const char *why = u->email ? validate_email(u->email) : NULL;
  if (why) ei_problem(a, pbs, ERR_INVALID, "email", why);
  if (u->role <= ROLE_NONE || u->role >= ROLE__COUNT)
    ei_problem(a, pbs, ERR_INVALID, "role", "Il ruolo indicato non esiste.");
  if (u->role == ROLE_SUPERVISOR_REGIONAL && !u->region_id)
    ei_problem(a, pbs, ERR_INVALID, "region_id", "Per un supervisore regionale bisogna indicare la regione.");
  if (u->role == ROLE_ENTE_STAFF && n_ente == 0)
    ei_problem(a, pbs, ERR_INVALID, "ente_ids",
               "Il personale dell'Ente deve essere abilitato su almeno un Ente.");
  if (n_ente > MAX_USER_ENTES) ei_problem(a, pbs, ERR_INVALID, "ente_ids", "Troppi Enti indicati.");
  if (password) password_problem(a, pbs, password);
}

static err_code user_run(db *d, arena *a, const user *in, const char *password, const int64_t *ente_ids,
                         size_t n_ente, const actor *who, int64_t *id_out, problems *pbs, int dry) {
  problems local = {0};
  if (!pbs) pbs = &local;
  problems_clear(pbs);
  user u = *in;
  u.id = 0;
  u.username = username_norm(a, in->username);
  u.full_name = text_trim_dup(a, in->full_name);
  u.email = text_trim_dup(a, in->email);
  u.active = 1;
  size_t n_ids = 0;
  int64_t *ids = unique_ids(a, ente_ids, n_ente, &n_ids);
  user_check(a, &u, password, n_ids, pbs);
  user_tx t = {a, &u, NULL, ids, n_ids, who, pbs, pbs->n, dry, 0};
  /* hashing is slow: only for a user that has no problem so far; the
   * others get the database checks without writing */
  if (dry || pbs->n) {
    t.dry = 1;
    err_code rc = db_tx_read(d, user_create_tx, &t);
    return rc == ERR_OK ? problems_code(pbs) : rc;
  }
  char hash[crypto_pwhash_STRBYTES] = {0};
  err_code rc = ERR_INTERNAL;
  if (!password || pw_hash(password, hash) == 0) {
    t.hash = password ? hash : NULL;
    rc = db_tx(d, user_create_tx, &t);
    if (rc == ERR_OK && id_out) *id_out = t.id;
  }
  sodium_memzero(hash, sizeof hash);
  return rc;
}

err_code user_create(db *d, arena *a, const user *in, const char *password, const int64_t *ente_ids,
                     size_t n_ente, const actor *who, int64_t *id_out, problems *pbs) {
  return user_run(d, a, in, password, ente_ids, n_ente, who, id_out, pbs, 0);
}

err_code user_validate(db *d, arena *a, const user *in, const char *password, const int64_t *ente_ids,
                       size_t n_ente, problems *pbs) {
  return user_run(d, a, in, password, ente_ids, n_ente, NULL, NULL, pbs, 1);
}

err_code user_list(db *d, arena *a, user **out, size_t *n) { return es_user_list(d, a, out, n); }

err_code user_get(db *d, arena *a, int64_t id, user *out) { return es_user_get(d, a, id, out); }

err_code user_by_username(db *d, arena *a, const char *username, user *out) {
  char *u = username_norm(a, username);
  if (!u) return ERR_NOT_FOUND;
  return es_user_by_username(d, a, u, out, NULL);
}

typedef struct {
  int64_t user_id;
  const char *hash;
  const actor *who;
} passwd_tx;

static err_code passwd_tx_fn(db *d, void *ctx) {
  passwd_tx *t = ctx;
  err_code rc = es_user_set_hash(d, t->user_id, t->hash);
  if (rc != ERR_OK) return rc;
  /* Never the hash: only the fact that it changed. */
  return ei_audit(d, t->who, 0, "user.passwd", "user", t->user_id, NULL,
                  json_pack("{s:b}", "password_changed", 1));
}

err_code user_password_check(arena *a, const char *password, problems *pbs) {
  problems local = {0};
  if (!pbs) pbs = &local;
  problems_clear(pbs);
  password_problem(a, pbs, password);
  return pbs->n ? ERR_INVALID : ERR_OK;
}

err_code user_set_password(db *d, arena *a, int64_t user_id, const char *password, const actor *who,
                           problems *pbs) {
  if (user_password_check(a, password, pbs) != ERR_OK) return ERR_INVALID;
  char hash[crypto_pwhash_STRBYTES];
  if (pw_hash(password, hash) != 0) return ERR_INTERNAL;
  passwd_tx t = {user_id, hash, who};
  err_code rc = db_tx(d, passwd_tx_fn, &t);
  sodium_memzero(hash, sizeof hash);
  return rc;
}

typedef struct {
  int64_t user_id;
  int active;
  const actor *who;
} active_tx;

static err_code active_tx_fn(db *d, void *ctx) {
  active_tx *t = ctx;
  err_code rc = es_user_set_active(d, t->user_id, t->active);
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, t->active ? "user.enable" : "user.disable", "user", t->user_id,
                  json_pack("{s:b}", "active", !t->active), json_pack("{s:b}", "active", t->active));
}

err_code user_set_active(db *d, int64_t user_id, int active, const actor *who) {
  active_tx t = {user_id, active ? 1 : 0, who};
  return db_tx(d, active_tx_fn, &t);
}

static json_t *ids_json(const int64_t *ids, size_t n) {
  json_t *v = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(v, json_integer(ids[i]));
  return v;
}

typedef struct {
  arena *a;
  int64_t user_id;
  const int64_t *ids;
  size_t n;
  const actor *who;
  problems *pbs;
  size_t n_before;
} entes_tx;

/* The user must exist and every Ente too; Ente staff keep at least one.
 * Then the rows are replaced and the change audited with both sets. */
static err_code entes_tx_fn(db *d, void *ctx) {
  entes_tx *t = ctx;
  t->pbs->n = t->n_before;
  user u;
  err_code rc = es_user_get(d, t->a, t->user_id, &u);
  if (rc != ERR_OK) return rc;
  if (u.role == ROLE_ENTE_STAFF && t->n == 0)
    ei_problem(t->a, t->pbs, ERR_INVALID, "ente_ids",
               "Il personale dell'Ente deve essere abilitato su almeno un Ente.");
  for (size_t i = 0; rc == ERR_OK && i < t->n && !problems_has(t->pbs, "ente_ids"); i++)
    rc = ei_must_exist(es_ente_exists(d, t->ids[i]), t->a, t->pbs, "ente_ids",
                       "Uno degli Enti indicati non esiste.");
  if (rc == ERR_OK) rc = problems_code(t->pbs);
  int64_t *before = NULL;
  size_t n_before = 0;
  if (rc == ERR_OK) rc = es_user_ente_ids(d, t->a, t->user_id, &before, &n_before);
  if (rc == ERR_OK) rc = es_user_clear_entes(d, t->user_id);
  for (size_t i = 0; rc == ERR_OK && i < t->n; i++) rc = es_user_add_ente(d, t->user_id, t->ids[i]);
  if (rc != ERR_OK) return rc;
  return ei_audit(d, t->who, 0, "user.entes", "user", t->user_id,
                  json_pack("{s:o}", "ente_ids", ids_json(before, n_before)),
                  json_pack("{s:o}", "ente_ids", ids_json(t->ids, t->n)));
}

err_code user_set_entes(db *d, arena *a, int64_t user_id, const int64_t *ente_ids, size_t n_ente,
                        const actor *who, problems *pbs) {
  problems local = {0};
  if (!pbs) pbs = &local;
  problems_clear(pbs);
  if (n_ente > MAX_USER_ENTES) {
    ei_problem(a, pbs, ERR_INVALID, "ente_ids", "Troppi Enti indicati.");
    return ERR_INVALID;
  }
  entes_tx t = {a, user_id, NULL, 0, who, pbs, pbs->n};
  t.ids = unique_ids(a, ente_ids, n_ente, &t.n);
  return db_tx(d, entes_tx_fn, &t);
}

err_code user_authenticate(db *d, arena *a, const char *username, const char *password, user *out) {
  char *name = username_norm(a, username);
  user u = {0};
  char *hash = NULL;
  err_code rc = ERR_NOT_FOUND;
  if (name && strlen(name) <= 64) rc = es_user_by_username(d, a, name, &u, &hash);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  int found = rc == ERR_OK && hash;
  /* Same work whether or not the user exists or has a password. */
  const char *h = found ? hash : dummy_hash();
  size_t plen = password ? strlen(password) : 0;
  if (sodium_init() < 0) return ERR_INTERNAL;
  int ok = h[0] && password && plen <= PASSWORD_MAX_BYTES && crypto_pwhash_str_verify(h, password, plen) == 0;
  if (!found || !ok || !u.active) return ERR_UNAUTHORIZED;
  *out = u;
  return ERR_OK;
}

err_code user_entes(db *d, arena *a, const user *u, ente **out, size_t *n) {
  if (u->role == ROLE_ADMIN) return es_ente_list(d, a, out, n);
  return es_user_entes(d, a, u->id, out, n);
}

err_code user_check_ente(db *d, const user *u, int64_t ente_id) {
  if (u->role == ROLE_ADMIN) return es_ente_exists(d, ente_id);
  return es_user_has_ente(d, u->id, ente_id);
}

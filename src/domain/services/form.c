/* Forms defined as data: the strict parser of a service document and the
 * validator of submissions against it. Pure functions over an arena (no
 * database), fuzzed by tests/fuzz/fuzz_service_form.c. */
#include <ctype.h>
#include <jansson.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/services/services.h"

static const char *const TYPE_SLUGS[SF__TYPES] = {
    "text", "number", "money", "date", "choice", "yesno", "codice_fiscale", "email", "address",
    "file"};

const char *svc_field_type_slug(svc_field_type t) {
  return t >= 0 && t < SF__TYPES ? TYPE_SLUGS[t] : "?";
}

svc_field_type svc_field_type_parse(const char *s) {
  for (int i = 0; s && i < SF__TYPES; i++)
    if (strcmp(s, TYPE_SLUGS[i]) == 0) return (svc_field_type)i;
  return SF__TYPES;
}

/* ---- the document parser ---- */

typedef struct {
  arena *a;
  problems *pbs;
  size_t n_problems;
} pctx;

__attribute__((format(printf, 3, 4))) static void bad(pctx *c, const char *path, const char *fmt,
                                                     ...) {
  if (c->n_problems >= 50) return; /* enough to fix a document */
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(c->a, fmt, ap);
  va_end(ap);
  problems_add(c->a, c->pbs, ERR_INVALID, "definition",
               path && *path ? arena_printf(c->a, "%s: %s", path, msg) : msg);
  c->n_problems++;
}

static const char *join(pctx *c, const char *path, const char *key) {
  return *path ? arena_printf(c->a, "%s.%s", path, key) : key;
}

/* Refuses keys of o not in allowed (NULL-terminated). */
static void only_keys(pctx *c, const char *path, json_t *o, const char *const *allowed) {
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    int ok = 0;
    for (size_t i = 0; allowed[i] && !ok; i++) ok = strcmp(k, allowed[i]) == 0;
    if (!ok) bad(c, join(c, path, k), "chiave sconosciuta");
  }
}

/* A string member: NULL when absent (required: a problem), or not a
 * string, or empty, or longer than max characters, or not plain text. */
static char *str_member(pctx *c, const char *path, json_t *o, const char *key, int required,
                        size_t max, int multiline) {
  json_t *v = json_object_get(o, key);
  const char *p = join(c, path, key);
  if (!v || json_is_null(v)) {
    if (required) bad(c, p, "obbligatorio");
    return NULL;
  }
  if (!json_is_string(v)) {
    bad(c, p, "deve essere un testo");
    return NULL;
  }
  const char *s = json_string_value(v);
  size_t len = json_string_length(v);
  if (strlen(s) != len || text_check(s, len, multiline) != TEXT_OK) {
    bad(c, p, "contiene caratteri non ammessi");
    return NULL;
  }
  char *t = text_trim_dup(c->a, s);
  if (!t) {
    if (required) bad(c, p, "non può essere vuoto");
    return NULL;
  }
  if (text_utf8_len(t) > max) {
    bad(c, p, "troppo lungo (massimo %zu caratteri)", max);
    return NULL;
  }
  return t;
}

/* A boolean member (default when absent). */
static int bool_member(pctx *c, const char *path, json_t *o, const char *key, int dflt) {
  json_t *v = json_object_get(o, key);
  if (!v) return dflt;
  if (!json_is_boolean(v)) {
    bad(c, join(c, path, key), "deve essere true o false");
    return dflt;
  }
  return json_is_true(v);
}

/* An integer member within lo..hi: 1 when present and good. */
static int int_member(pctx *c, const char *path, json_t *o, const char *key, int64_t lo,
                      int64_t hi, int64_t *out) {
  json_t *v = json_object_get(o, key);
  if (!v) return 0;
  if (!json_is_integer(v)) {
    bad(c, join(c, path, key), "deve essere un numero intero");
    return 0;
  }
  int64_t x = (int64_t)json_integer_value(v);
  if (x < lo || x > hi) {
    bad(c, join(c, path, key), "deve essere tra %lld e %lld", (long long)lo, (long long)hi);
    return 0;
  }
  *out = x;
  return 1;
}

static int name_ok(const char *s, size_t max) {
  size_t n = strlen(s);
  if (n < 1 || n > max || !islower((unsigned char)s[0])) return 0;
  for (size_t i = 0; i < n; i++)
    if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_') return 0;
  return 1;
}

static int code_ok(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n > 40) return 0;
  for (size_t i = 0; i < n; i++)
    if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_' &&
        s[i] != '-')
      return 0;
  return 1;
}

static const char *const FIELD_KEYS[] = {
    "name",       "type",       "label",   "help",     "required", "visible_if", "min", "max",
    "min_length", "max_length", "pattern", "multiline", "options", "types",     "max_bytes", NULL};

static void parse_options(pctx *c, const char *path, json_t *o, svc_field *f) {
  json_t *opts = json_object_get(o, "options");
  const char *p = join(c, path, "options");
  if (f->type != SF_CHOICE) {
    if (opts) bad(c, p, "ammesso solo per i campi di tipo choice");
    return;
  }
  if (!json_is_array(opts) || json_array_size(opts) == 0 ||
      json_array_size(opts) > SVC_MAX_OPTIONS) {
    bad(c, p, "serve un elenco di 1..%d opzioni", SVC_MAX_OPTIONS);
    return;
  }
  f->n_options = json_array_size(opts);
  f->options = ARENA_ARRAY(c->a, svc_option, f->n_options);
  static const char *const KEYS[] = {"value", "label", NULL};
  for (size_t i = 0; i < f->n_options; i++) {
    json_t *op = json_array_get(opts, i);
    const char *pi = arena_printf(c->a, "%s[%zu]", p, i);
    if (!json_is_object(op)) {
      bad(c, pi, "deve essere un oggetto con value e label");
      continue;
    }
    only_keys(c, pi, op, KEYS);
    f->options[i].value = str_member(c, pi, op, "value", 1, 100, 0);
    f->options[i].label = str_member(c, pi, op, "label", 1, SVC_MAX_LABEL, 0);
    for (size_t j = 0; j < i && f->options[i].value; j++)
      if (f->options[j].value && strcmp(f->options[j].value, f->options[i].value) == 0)
        bad(c, join(c, pi, "value"), "valore ripetuto");
  }
}

static void parse_types(pctx *c, const char *path, json_t *o, svc_field *f) {
  json_t *ts = json_object_get(o, "types");
  const char *p = join(c, path, "types");
  if (f->type != SF_FILE) {
    if (ts) bad(c, p, "ammesso solo per i campi di tipo file");
    if (json_object_get(o, "max_bytes")) bad(c, join(c, path, "max_bytes"), "ammesso solo per i campi di tipo file");
    return;
  }
  if (!json_is_array(ts) || json_array_size(ts) == 0 || json_array_size(ts) > SVC_MAX_TYPES) {
    bad(c, p, "serve un elenco di 1..%d tipi MIME (es. \"application/pdf\")", SVC_MAX_TYPES);
  } else {
    f->n_types = json_array_size(ts);
    f->types = ARENA_ARRAY(c->a, char *, f->n_types);
    for (size_t i = 0; i < f->n_types; i++) {
      json_t *t = json_array_get(ts, i);
      const char *s = json_is_string(t) ? json_string_value(t) : NULL;
      const char *slash = s ? strchr(s, '/') : NULL;
      int ok = s && slash && slash != s && slash[1] && strlen(s) <= 100;
      for (const char *q = s; ok && *q; q++)
        ok = isalnum((unsigned char)*q) || strchr("/.+-", *q);
      if (!ok) bad(c, arena_printf(c->a, "%s[%zu]", p, i), "tipo MIME non valido");
      else f->types[i] = arena_strdup(c->a, s);
    }
  }
  f->max_bytes = 5 << 20;
  int_member(c, path, o, "max_bytes", 1, SVC_MAX_FILE_BYTES, &f->max_bytes);
}

static void parse_limits(pctx *c, const char *path, json_t *o, svc_field *f) {
  json_t *mn = json_object_get(o, "min"), *mx = json_object_get(o, "max");
  int text_like = f->type == SF_TEXT || f->type == SF_ADDRESS;
  if (f->type == SF_NUMBER) {
    f->has_min = int_member(c, path, o, "min", -1000000000000LL, 1000000000000LL, &f->min);
    f->has_max = int_member(c, path, o, "max", -1000000000000LL, 1000000000000LL, &f->max);
  } else if (f->type == SF_MONEY) {
    const char *keys[2] = {"min", "max"};
    json_t *vals[2] = {mn, mx};
    for (int i = 0; i < 2; i++) {
      if (!vals[i]) continue;
      int64_t cents;
      if (!json_is_string(vals[i]) || money_parse(json_string_value(vals[i]), &cents) != 0) {
        bad(c, join(c, path, keys[i]), "deve essere un importo in euro come testo (es. \"10,00\")");
        continue;
      }
      if (i == 0) f->has_min = 1, f->min = cents;
      else f->has_max = 1, f->max = cents;
    }
  } else if (f->type == SF_DATE) {
    civil_date dd;
    if (mn && (!json_is_string(mn) || date_parse_iso(json_string_value(mn), &dd) != 0))
      bad(c, join(c, path, "min"), "deve essere una data AAAA-MM-GG");
    else if (mn) f->min_date = arena_strdup(c->a, json_string_value(mn));
    if (mx && (!json_is_string(mx) || date_parse_iso(json_string_value(mx), &dd) != 0))
      bad(c, join(c, path, "max"), "deve essere una data AAAA-MM-GG");
    else if (mx) f->max_date = arena_strdup(c->a, json_string_value(mx));
    if (f->min_date && f->max_date && strcmp(f->min_date, f->max_date) > 0)
      bad(c, path, "min è dopo max");
  } else {
    if (mn) bad(c, join(c, path, "min"), "ammesso solo per number, money e date");
    if (mx) bad(c, join(c, path, "max"), "ammesso solo per number, money e date");
  }
  if (f->has_min && f->has_max && f->min > f->max) bad(c, path, "min è maggiore di max");
  int64_t v;
  if (text_like) {
    if (int_member(c, path, o, "min_length", 0, SVC_MAX_TEXT, &v)) f->min_length = (int)v;
    if (int_member(c, path, o, "max_length", 1, SVC_MAX_TEXT, &v)) f->max_length = (int)v;
    if (f->min_length && f->max_length && f->min_length > f->max_length)
      bad(c, path, "min_length è maggiore di max_length");
  } else {
    if (json_object_get(o, "min_length"))
      bad(c, join(c, path, "min_length"), "ammesso solo per text e address");
    if (json_object_get(o, "max_length"))
      bad(c, join(c, path, "max_length"), "ammesso solo per text e address");
  }
  if (!f->max_length) f->max_length = f->type == SF_TEXT && f->multiline ? SVC_MAX_TEXT : 300;
  json_t *pt = json_object_get(o, "pattern");
  if (pt && f->type != SF_TEXT) {
    bad(c, join(c, path, "pattern"), "ammesso solo per i campi di tipo text");
  } else if (pt) {
    f->pattern = str_member(c, path, o, "pattern", 1, SVC_MAX_PATTERN, 0);
    regex_t re;
    /* bounded cost: counted repetitions {n,m} (n, m up to 99) of single
     * characters or classes, never of groups, so nothing multiplies */
    int braces = 0, digits = 0, in_brace = 0;
    for (const char *q = f->pattern; q && *q; q++) {
      braces += *q == '{';
      in_brace = *q == '{' ? 1 : *q == '}' ? 0 : in_brace;
      digits = isdigit((unsigned char)*q) ? digits + 1 : 0;
      if (braces > 10 || (in_brace && digits > 2) ||
          (*q == '{' && q > f->pattern && (q[-1] == ')' || q[-1] == '}'))) {
        bad(c, join(c, path, "pattern"),
            "ripetizioni {n,m} solo di un carattere o di una classe, con n e m fino a 99");
        f->pattern = NULL;
        break;
      }
    }
    for (const char *q = f->pattern; q && *q; q++)
      if (q[0] == '\\' && isdigit((unsigned char)q[1])) {
        bad(c, join(c, path, "pattern"), "i riferimenti all'indietro (\\1...) non sono ammessi");
        f->pattern = NULL;
        break;
      }
    if (f->pattern) {
      const char *anchored = arena_printf(c->a, "^(%s)$", f->pattern);
      if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) != 0) {
        bad(c, join(c, path, "pattern"), "espressione regolare non valida");
        f->pattern = NULL;
      } else {
        regfree(&re);
      }
    }
  }
}

static void parse_visible_if(pctx *c, const char *path, json_t *o, svc_field *f,
                             svc_section *secs, size_t n_secs, size_t upto_sec,
                             size_t upto_field) {
  json_t *vi = json_object_get(o, "visible_if");
  if (!vi) return;
  const char *p = join(c, path, "visible_if");
  static const char *const KEYS[] = {"field", "equals", NULL};
  if (!json_is_object(vi)) {
    bad(c, p, "deve essere un oggetto {\"field\": ..., \"equals\": ...}");
    return;
  }
  only_keys(c, p, vi, KEYS);
  char *fname = str_member(c, p, vi, "field", 1, 40, 0);
  char *eq = str_member(c, p, vi, "equals", 1, 100, 0);
  if (!fname || !eq) return;
  /* an earlier field: no cycles, and the form reads top to bottom */
  const svc_field *ref = NULL;
  for (size_t s = 0; s <= upto_sec && s < n_secs && !ref; s++) {
    size_t lim = s == upto_sec ? upto_field : secs[s].n_fields;
    for (size_t i = 0; i < lim && !ref; i++)
      if (secs[s].fields[i].name && strcmp(secs[s].fields[i].name, fname) == 0)
        ref = &secs[s].fields[i];
  }
  if (!ref) {
    bad(c, join(c, p, "field"), "\"%s\" non è un campo precedente del modulo", fname);
    return;
  }
  if (ref->type != SF_CHOICE && ref->type != SF_YESNO) {
    bad(c, join(c, p, "field"), "\"%s\" deve essere di tipo choice o yesno", fname);
    return;
  }
  int ok = 0;
  for (size_t i = 0; i < ref->n_options && !ok; i++)
    ok = ref->options[i].value && strcmp(ref->options[i].value, eq) == 0;
  if (!ok) {
    bad(c, join(c, p, "equals"), "\"%s\" non è un valore di \"%s\"", eq, fname);
    return;
  }
  f->visible_field = fname;
  f->visible_equals = eq;
}

static svc_option YESNO[2] = {{"si", "Sì"}, {"no", "No"}};

static void parse_field(pctx *c, const char *path, json_t *o, svc_field *f, svc_section *secs,
                        size_t n_secs, size_t sec, size_t idx) {
  if (!json_is_object(o)) {
    bad(c, path, "deve essere un oggetto");
    return;
  }
  only_keys(c, path, o, FIELD_KEYS);
  f->name = str_member(c, path, o, "name", 1, 40, 0);
  if (f->name && !name_ok(f->name, 40)) {
    bad(c, join(c, path, "name"), "usa lettere minuscole, cifre e _ (inizia con una lettera)");
    f->name = NULL;
  }
  char *type = str_member(c, path, o, "type", 1, 20, 0);
  f->type = svc_field_type_parse(type);
  if (type && f->type == SF__TYPES)
    bad(c, join(c, path, "type"),
        "tipo sconosciuto \"%s\" (ammessi: text, number, money, date, choice, yesno, "
        "codice_fiscale, email, address, file)",
        type);
  if (f->type == SF__TYPES) return;
  f->label = str_member(c, path, o, "label", 1, SVC_MAX_LABEL, 0);
  f->help = str_member(c, path, o, "help", 0, SVC_MAX_HELP, 0);
  f->required = bool_member(c, path, o, "required", 0);
  f->multiline = bool_member(c, path, o, "multiline", 0);
  if (f->multiline && f->type != SF_TEXT)
    bad(c, join(c, path, "multiline"), "ammesso solo per i campi di tipo text");
  parse_options(c, path, o, f);
  if (f->type == SF_YESNO) {
    f->options = YESNO;
    f->n_options = 2;
  }
  parse_types(c, path, o, f);
  parse_limits(c, path, o, f);
  parse_visible_if(c, path, o, f, secs, n_secs, sec, idx);
}

static const char *const DOC_KEYS[] = {
    "code",      "name",       "description", "category", "office", "working_days", "protocolled",
    "stamp_duty", "appointment", "payment",    "sections", NULL};

static void parse_payment(pctx *c, json_t *root, svc_def *d) {
  d->payment = "none";
  d->amount_cents = -1;
  json_t *p = json_object_get(root, "payment");
  if (!p) return;
  if (!json_is_object(p)) {
    bad(c, "payment", "deve essere un oggetto {\"mode\": ...}");
    return;
  }
  static const char *const KEYS[] = {"mode", "revenue", "amount", "amount_field", NULL};
  only_keys(c, "payment", p, KEYS);
  char *mode = str_member(c, "payment", p, "mode", 1, 20, 0);
  if (!mode) return;
  if (strcmp(mode, "none") != 0 && strcmp(mode, "advance") != 0 && strcmp(mode, "deferred") != 0) {
    bad(c, "payment.mode", "ammessi: none, advance (anticipato), deferred (posticipato)");
    return;
  }
  d->payment = mode;
  if (strcmp(mode, "none") == 0) return;
  d->revenue = str_member(c, "payment", p, "revenue", 1, 40, 0);
  char *amount = str_member(c, "payment", p, "amount", 0, 30, 0);
  d->amount_field = str_member(c, "payment", p, "amount_field", 0, 40, 0);
  if (amount && (money_parse(amount, &d->amount_cents) != 0 || d->amount_cents <= 0)) {
    bad(c, "payment.amount", "deve essere un importo positivo in euro (es. \"25,00\")");
    d->amount_cents = -1;
  }
  if (amount && d->amount_field)
    bad(c, "payment", "indica amount oppure amount_field, non entrambi");
  else if (!amount && !d->amount_field && strcmp(mode, "advance") == 0)
    bad(c, "payment", "un pagamento anticipato richiede amount o amount_field");
}

static void parse_sections(pctx *c, json_t *root, svc_def *d) {
  json_t *ss = json_object_get(root, "sections");
  if (!json_is_array(ss) || json_array_size(ss) == 0 || json_array_size(ss) > SVC_MAX_SECTIONS) {
    bad(c, "sections", "serve un elenco di 1..%d sezioni", SVC_MAX_SECTIONS);
    return;
  }
  d->n_sections = json_array_size(ss);
  d->sections = ARENA_ARRAY(c->a, svc_section, d->n_sections);
  size_t total = 0;
  static const char *const KEYS[] = {"title", "help", "fields", NULL};
  for (size_t s = 0; s < d->n_sections; s++) {
    json_t *so = json_array_get(ss, s);
    const char *sp = arena_printf(c->a, "sections[%zu]", s);
    svc_section *sec = &d->sections[s];
    if (!json_is_object(so)) {
      bad(c, sp, "deve essere un oggetto con title e fields");
      continue;
    }
    only_keys(c, sp, so, KEYS);
    sec->title = str_member(c, sp, so, "title", 1, SVC_MAX_LABEL, 0);
    sec->help = str_member(c, sp, so, "help", 0, SVC_MAX_HELP, 0);
    json_t *fs = json_object_get(so, "fields");
    if (!json_is_array(fs) || json_array_size(fs) == 0) {
      bad(c, join(c, sp, "fields"), "serve un elenco di almeno un campo");
      continue;
    }
    if (total + json_array_size(fs) > SVC_MAX_FIELDS) {
      bad(c, join(c, sp, "fields"), "troppi campi (massimo %d nel modulo)", SVC_MAX_FIELDS);
      continue;
    }
    total += json_array_size(fs);
    sec->n_fields = json_array_size(fs);
    sec->fields = ARENA_ARRAY(c->a, svc_field, sec->n_fields);
    for (size_t i = 0; i < sec->n_fields; i++) {
      const char *fp = arena_printf(c->a, "%s.fields[%zu]", sp, i);
      svc_field *f = &sec->fields[i];
      parse_field(c, fp, json_array_get(fs, i), f, d->sections, d->n_sections, s, i);
      if (!f->name) continue;
      for (size_t s2 = 0; s2 <= s; s2++)
        for (size_t j = 0; j < (s2 == s ? i : d->sections[s2].n_fields); j++)
          if (d->sections[s2].fields[j].name && strcmp(d->sections[s2].fields[j].name, f->name) == 0)
            bad(c, join(c, fp, "name"), "nome \"%s\" già usato da un altro campo", f->name);
    }
  }
}

err_code svc_def_parse(arena *a, const char *json, size_t len, svc_def *out, problems *pbs) {
  memset(out, 0, sizeof *out);
  pctx c = {a, pbs, 0};
  if (!json || len == 0) {
    bad(&c, NULL, "il documento è vuoto");
    return ERR_INVALID;
  }
  if (len > SVC_MAX_DOC_BYTES) {
    bad(&c, NULL, "documento troppo grande (massimo %d KB)", SVC_MAX_DOC_BYTES / 1024);
    return ERR_INVALID;
  }
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    bad(&c, NULL, "JSON non valido alla riga %d, colonna %d: %s", je.line, je.column, je.text);
    return ERR_INVALID;
  }
  if (!json_is_object(root)) {
    bad(&c, NULL, "il documento deve essere un oggetto JSON");
    json_decref(root);
    return ERR_INVALID;
  }
  only_keys(&c, "", root, DOC_KEYS);
  out->code = str_member(&c, "", root, "code", 1, 40, 0);
  if (out->code && !code_ok(out->code)) {
    bad(&c, "code", "2..40 tra lettere minuscole, cifre, _ e -");
    out->code = NULL;
  }
  out->name = str_member(&c, "", root, "name", 1, SVC_MAX_LABEL, 0);
  out->description = str_member(&c, "", root, "description", 0, SVC_MAX_DESCRIPTION, 1);
  out->category = str_member(&c, "", root, "category", 1, 40, 0);
  out->office = str_member(&c, "", root, "office", 0, 40, 0);
  int64_t wd = 0;
  int_member(&c, "", root, "working_days", 1, 365, &wd);
  out->working_days = (int)wd;
  out->protocolled = bool_member(&c, "", root, "protocolled", 1);
  out->stamp_duty = bool_member(&c, "", root, "stamp_duty", 0);
  out->appointment = bool_member(&c, "", root, "appointment", 0);
  parse_payment(&c, root, out);
  parse_sections(&c, root, out);
  if (out->amount_field) {
    const svc_field *f = svc_def_field(out, out->amount_field);
    if (!f || f->type != SF_MONEY)
      bad(&c, "payment.amount_field", "\"%s\" deve essere un campo di tipo money del modulo",
          out->amount_field);
  }
  json_decref(root);
  return c.n_problems ? ERR_INVALID : ERR_OK;
}

char *svc_def_canonical(arena *a, const char *json, size_t len) {
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
  if (!root) return NULL;
  char *s = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  if (!s) return NULL;
  char *r = arena_strdup(a, s);
  free(s);
  return r;
}

char *svc_doc_pretty(arena *a, const char *json) {
  json_t *root = json ? json_loads(json, JSON_REJECT_DUPLICATES, NULL) : NULL;
  if (!root) return arena_strdup(a, json ? json : "");
  char *s = json_dumps(root, JSON_INDENT(2));
  json_decref(root);
  char *r = arena_strdup(a, s ? s : json);
  free(s);
  return r;
}

const svc_field *svc_def_field(const svc_def *d, const char *name) {
  for (size_t s = 0; name && s < d->n_sections; s++)
    for (size_t i = 0; i < d->sections[s].n_fields; i++)
      if (d->sections[s].fields[i].name && strcmp(d->sections[s].fields[i].name, name) == 0)
        return &d->sections[s].fields[i];
  return NULL;
}

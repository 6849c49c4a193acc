/* Submissions checked against a service's form: every visible field, one
 * Italian message per field in trouble, values normalised. Never trusts
 * what the browser said a file is: the type is the sniffed one. */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "core/validate.h"
#include "domain/services/services.h"

int svc_field_visible(const svc_def *d, const svc_field *f, svc_get_fn get, void *ctx) {
  for (int depth = 0; f && f->visible_field && depth < SVC_MAX_FIELDS; depth++) {
    const svc_field *ref = svc_def_field(d, f->visible_field);
    if (!ref) return 0;
    const char *v = get(ctx, ref->name);
    if (!v || strcmp(v, f->visible_equals) != 0) return 0;
    f = ref; /* the field it depends on must be visible too */
  }
  return 1;
}

static void add(arena *a, problems *pbs, const svc_field *f, const char *msg) {
  problems_add(a, pbs, ERR_INVALID, f->name, msg);
}

static int parse_int(const char *s, int64_t *out) {
  const char *p = s;
  int neg = 0;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  if (!isdigit((unsigned char)*p)) return -1;
  int64_t v = 0;
  for (; *p; p++) {
    if (*p == '.' && isdigit((unsigned char)p[1])) continue; /* 1.000 */
    if (!isdigit((unsigned char)*p)) return -1;
    if (v > (INT64_MAX - 9) / 10) return -1;
    v = v * 10 + (*p - '0');
  }
  *out = neg ? -v : v;
  return 0;
}

static int type_allowed(const svc_field *f, const char *mime) {
  for (size_t i = 0; i < f->n_types; i++)
    if (f->types[i] && strcmp(f->types[i], mime) == 0) return 1;
  return 0;
}

static const char *types_list(arena *a, const svc_field *f) {
  const char *s = "";
  for (size_t i = 0; i < f->n_types; i++)
    if (f->types[i]) s = arena_printf(a, "%s%s%s", s, *s ? ", " : "", f->types[i]);
  return s;
}

/* One typed value: the normalised text, or NULL with a problem. */
static const char *check_value(arena *a, const svc_field *f, const char *v, problems *pbs) {
  size_t len = strlen(v);
  if (text_check(v, len, f->multiline) != TEXT_OK) {
    add(a, pbs, f, "Il testo contiene caratteri non ammessi.");
    return NULL;
  }
  size_t chars = text_utf8_len(v);
  switch (f->type) {
  case SF_TEXT:
  case SF_ADDRESS:
    if (f->max_length && chars > (size_t)f->max_length) {
      add(a, pbs, f, arena_printf(a, "Al massimo %d caratteri.", f->max_length));
      return NULL;
    }
    if (f->min_length && chars < (size_t)f->min_length) {
      add(a, pbs, f, arena_printf(a, "Almeno %d caratteri.", f->min_length));
      return NULL;
    }
    if (f->pattern) {
      regex_t re;
      int ok = 0;
      if (regcomp(&re, arena_printf(a, "^(%s)$", f->pattern), REG_EXTENDED | REG_NOSUB) == 0) {
        ok = regexec(&re, v, 0, NULL, 0) == 0;
        regfree(&re);
      }
      if (!ok) {
        add(a, pbs, f, "Il valore non è nel formato richiesto.");
        return NULL;
      }
    }
    return v;
  case SF_NUMBER: {
    int64_t n;
    if (chars > 20 || parse_int(v, &n) != 0) {
      add(a, pbs, f, "Scrivi un numero intero (es. 12).");
      return NULL;
    }
    if ((f->has_min && n < f->min) || (f->has_max && n > f->max)) {
      if (f->has_min && f->has_max)
        add(a, pbs, f, arena_printf(a, "Scrivi un numero tra %lld e %lld.", (long long)f->min,
                                    (long long)f->max));
      else if (f->has_min)
        add(a, pbs, f, arena_printf(a, "Il numero minimo è %lld.", (long long)f->min));
      else
        add(a, pbs, f, arena_printf(a, "Il numero massimo è %lld.", (long long)f->max));
      return NULL;
    }
    return arena_printf(a, "%lld", (long long)n);
  }
  case SF_MONEY: {
    int64_t c;
    char buf[32];
    if (chars > 24 || money_parse(v, &c) != 0) {
      add(a, pbs, f, "Scrivi un importo in euro (es. 1.234,56).");
      return NULL;
    }
    if (f->has_min && c < f->min) {
      money_format_it(f->min, buf);
      add(a, pbs, f, arena_printf(a, "L'importo minimo è %s euro.", buf));
      return NULL;
    }
    if (f->has_max && c > f->max) {
      money_format_it(f->max, buf);
      add(a, pbs, f, arena_printf(a, "L'importo massimo è %s euro.", buf));
      return NULL;
    }
    money_format_it(c, buf);
    return arena_strdup(a, buf);
  }
  case SF_DATE: {
    civil_date d;
    if (date_parse_iso(v, &d) != 0 && date_parse_it(v, &d) != 0) {
      add(a, pbs, f, "Scrivi una data valida (GG/MM/AAAA).");
      return NULL;
    }
    char iso[11], it[11];
    date_format_iso(d, iso);
    if (f->min_date && strcmp(iso, f->min_date) < 0) {
      civil_date m;
      date_parse_iso(f->min_date, &m);
      date_format_it(m, it);
      add(a, pbs, f, arena_printf(a, "La data non può essere prima del %s.", it));
      return NULL;
    }
    if (f->max_date && strcmp(iso, f->max_date) > 0) {
      civil_date m;
      date_parse_iso(f->max_date, &m);
      date_format_it(m, it);
      add(a, pbs, f, arena_printf(a, "La data non può essere dopo il %s.", it));
      return NULL;
    }
    return arena_strdup(a, iso);
  }
  case SF_CHOICE:
  case SF_YESNO:
    for (size_t i = 0; i < f->n_options; i++)
      if (f->options[i].value && strcmp(f->options[i].value, v) == 0) return f->options[i].value;
    add(a, pbs, f, "Scegli una delle opzioni proposte.");
    return NULL;
  case SF_CF: {
    if (len > 16) {
      add(a, pbs, f, "Il codice fiscale ha 16 caratteri (11 cifre per le società).");
      return NULL;
    }
    char *cf = arena_strdup(a, v);
    normalize_code(cf);
    const char *why = validate_fiscal_code_any(cf);
    if (why) {
      add(a, pbs, f, why);
      return NULL;
    }
    return cf;
  }
  case SF_EMAIL: {
    const char *why = len > 254 ? "Indirizzo e-mail troppo lungo." : validate_email(v);
    if (why) {
      add(a, pbs, f, why);
      return NULL;
    }
    return v;
  }
  case SF_FILE:
  case SF__TYPES:
    break;
  }
  return v;
}

err_code svc_validate(arena *a, const svc_def *d, svc_get_fn get, void *ctx,
                      const svc_upload *up, size_t n_up, svc_values *out, problems *pbs) {
  size_t total = 0;
  for (size_t s = 0; s < d->n_sections; s++) total += d->sections[s].n_fields;
  out->names = ARENA_ARRAY(a, const char *, total + 1);
  out->values = ARENA_ARRAY(a, const char *, total + 1);
  out->n = 0;
  size_t before = pbs ? pbs->n : 0;
  int bad_any = 0;
  for (size_t s = 0; s < d->n_sections; s++) {
    for (size_t i = 0; i < d->sections[s].n_fields; i++) {
      const svc_field *f = &d->sections[s].fields[i];
      if (!f->name || !svc_field_visible(d, f, get, ctx)) continue;
      const char *val = NULL;
      if (f->type == SF_FILE) {
        const svc_upload *u = NULL;
        for (size_t k = 0; k < n_up && !u; k++)
          if (up[k].field && strcmp(up[k].field, f->name) == 0 && up[k].size > 0) u = &up[k];
        if (u) {
          if (u->size > f->max_bytes) {
            add(a, pbs, f, arena_printf(a, "Il file supera la dimensione massima (%lld KB).",
                                        (long long)(f->max_bytes / 1024)));
            bad_any = 1;
          } else if (!u->mime || !type_allowed(f, u->mime)) {
            add(a, pbs, f, arena_printf(a, "Tipo di file non ammesso (%s): ammessi %s.",
                                        u->mime ? u->mime : "sconosciuto", types_list(a, f)));
            bad_any = 1;
          } else {
            val = u->name && *u->name ? u->name : "allegato";
          }
        } else {
          val = get(ctx, f->name);
          if (val && !*val) val = NULL;
        }
        if (!val && f->required && !problems_has(pbs, f->name)) {
          add(a, pbs, f, "Allega il file richiesto.");
          bad_any = 1;
        }
      } else {
        const char *raw = get(ctx, f->name);
        char *t = raw ? text_trim_dup(a, raw) : NULL;
        if (!t) {
          if (f->required) {
            add(a, pbs, f,
                f->type == SF_CHOICE || f->type == SF_YESNO ? "Scegli una risposta."
                                                            : "Campo obbligatorio.");
            bad_any = 1;
          }
          continue;
        }
        val = check_value(a, f, t, pbs);
        if (!val) bad_any = 1;
      }
      if (val) {
        out->names[out->n] = f->name;
        out->values[out->n] = val;
        out->n++;
      }
    }
  }
  (void)before;
  return bad_any ? ERR_INVALID : ERR_OK;
}

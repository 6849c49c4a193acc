/* See taxpayer_json.h. */
#include "api/taxpayer_json.h"
#include <string.h>
#include "core/date.h"

enum { MAX_LIST = 10 };

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *iso_time(int64_t t) {
  char buf[21];
  time_format_iso_utc(t, buf);
  return json_string(buf);
}

json_t *tpj_out(const ente *e, const taxpayer *tp, int full) {
  json_t *j = json_object();
  json_object_set_new(j, "id", json_integer(tp->id));
  json_object_set_new(j, "ente", json_string(e->slug));
  json_object_set_new(j, "kind", json_string(tp->kind == TP_COMPANY ? "company" : "person"));
  json_object_set_new(j, "fiscal_code", str_or_null(tp->fiscal_code));
  json_object_set_new(j, "vat_number", str_or_null(tp->vat_number));
  json_object_set_new(j, "surname", str_or_null(tp->surname));
  json_object_set_new(j, "given_name", str_or_null(tp->given_name));
  json_object_set_new(j, "company_name", str_or_null(tp->company_name));
  json_object_set_new(j, "birth_date", str_or_null(tp->birth_date));
  json_object_set_new(j, "birth_place", str_or_null(tp->birth_place));
  json_object_set_new(j, "sex", str_or_null(tp->sex));
  if (full) {
    json_t *as = json_array();
    for (size_t i = 0; i < tp->n_addresses; i++) {
      const tp_address *a = &tp->addresses[i];
      json_array_append_new(as, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "kind", str_or_null(a->kind), "street",
                                          str_or_null(a->street), "postal_code", str_or_null(a->postal_code),
                                          "city", str_or_null(a->city), "province", str_or_null(a->province),
                                          "country", str_or_null(a->country)));
    }
    json_object_set_new(j, "addresses", as);
    json_t *cs = json_array();
    for (size_t i = 0; i < tp->n_contacts; i++) {
      const tp_contact *c = &tp->contacts[i];
      json_array_append_new(cs, json_pack("{s:o,s:o,s:b,s:o,s:o}", "channel", str_or_null(c->channel),
                                          "value", str_or_null(c->value), "consent", c->consent, "consent_at",
                                          c->consent_at ? iso_time(c->consent_at) : json_null(), "source",
                                          str_or_null(c->source)));
    }
    json_object_set_new(j, "contacts", cs);
  }
  json_object_set_new(j, "created_at", iso_time(tp->created_at));
  json_object_set_new(j, "updated_at", iso_time(tp->updated_at));
  return j;
}

json_t *tpj_input(const taxpayer *tp) {
  json_t *as = json_array(), *cs = json_array();
  for (size_t i = 0; i < tp->n_addresses; i++) {
    const tp_address *a = &tp->addresses[i];
    json_array_append_new(
        as, json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "kind", a->kind, "street", a->street, "postal_code",
                      a->postal_code, "city", a->city, "province", a->province, "country", a->country));
  }
  for (size_t i = 0; i < tp->n_contacts; i++) {
    const tp_contact *c = &tp->contacts[i];
    json_array_append_new(cs, json_pack("{s:s?,s:s?,s:b,s:s?}", "channel", c->channel, "value", c->value,
                                        "consent", c->consent, "source", c->source));
  }
  return json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:o,s:o}", "kind",
                   tp->kind == TP_COMPANY ? "company" : "person", "fiscal_code", tp->fiscal_code,
                   "vat_number", tp->vat_number, "surname", tp->surname, "given_name", tp->given_name,
                   "company_name", tp->company_name, "birth_date", tp->birth_date, "birth_place",
                   tp->birth_place, "sex", tp->sex, "addresses", as, "contacts", cs);
}

/* Optional string member: absent/null -> NULL; any other type is a problem. */
static char *get_str(arena *a, json_t *obj, const char *key, const char *path, problems *pbs) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_string(v)) {
    problems_add(a, pbs, ERR_INVALID, path, "Deve essere una stringa.");
    return NULL;
  }
  return arena_strdup(a, json_string_value(v));
}

/* The array member key: its size (0 when absent or null), or 0 with a
 * problem when it is not an array, is too long or is required and missing. */
static size_t get_list(arena *a, json_t *obj, const char *key, int required, const char *missing,
                       const char *too_long, problems *pbs) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) {
    if (required) problems_add(a, pbs, ERR_INVALID, key, missing);
    return 0;
  }
  if (!json_is_array(v)) {
    problems_add(a, pbs, ERR_INVALID, key, "Deve essere un elenco.");
    return 0;
  }
  if (json_array_size(v) > MAX_LIST) {
    problems_add(a, pbs, ERR_INVALID, key, too_long);
    return 0;
  }
  return json_array_size(v);
}

static void read_addresses(arena *a, json_t *obj, int required, taxpayer *tp, problems *pbs) {
  size_t n = get_list(a, obj, "addresses", required,
                      "Con PUT l'elenco degli indirizzi è obbligatorio (vuoto per non averne): "
                      "per cambiare solo alcuni campi usa PATCH.",
                      "Al massimo 10 indirizzi.", pbs);
  json_t *list = json_object_get(obj, "addresses");
  tp->addresses = ARENA_ARRAY(a, tp_address, n ? n : 1);
  tp->n_addresses = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_array_get(list, i);
    const char *p = arena_printf(a, "addresses[%zu]", i);
    if (!json_is_object(o)) {
      problems_add(a, pbs, ERR_INVALID, p, "Deve essere un oggetto.");
      continue;
    }
    tp_address *ad = &tp->addresses[tp->n_addresses++];
    memset(ad, 0, sizeof *ad);
#define ASTR(f) ad->f = get_str(a, o, #f, arena_printf(a, "%s." #f, p), pbs)
    ASTR(kind);
    ASTR(street);
    ASTR(postal_code);
    ASTR(city);
    ASTR(province);
    ASTR(country);
#undef ASTR
  }
}

static void read_contacts(arena *a, json_t *obj, int required, taxpayer *tp, problems *pbs) {
  size_t n = get_list(a, obj, "contacts", required,
                      "Con PUT l'elenco dei recapiti è obbligatorio (vuoto per non averne): per "
                      "cambiare solo alcuni campi usa PATCH.",
                      "Al massimo 10 recapiti.", pbs);
  json_t *list = json_object_get(obj, "contacts");
  tp->contacts = ARENA_ARRAY(a, tp_contact, n ? n : 1);
  tp->n_contacts = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_array_get(list, i);
    const char *p = arena_printf(a, "contacts[%zu]", i);
    if (!json_is_object(o)) {
      problems_add(a, pbs, ERR_INVALID, p, "Deve essere un oggetto.");
      continue;
    }
    tp_contact *c = &tp->contacts[tp->n_contacts++];
    memset(c, 0, sizeof *c);
    c->channel = get_str(a, o, "channel", arena_printf(a, "%s.channel", p), pbs);
    c->value = get_str(a, o, "value", arena_printf(a, "%s.value", p), pbs);
    c->source = get_str(a, o, "source", arena_printf(a, "%s.source", p), pbs);
    if (!c->source) c->source = "api";
    json_t *consent = json_object_get(o, "consent");
    if (consent && !json_is_boolean(consent))
      problems_add(a, pbs, ERR_INVALID, arena_printf(a, "%s.consent", p), "Deve essere true o false.");
    c->consent = json_is_true(consent);
  }
}

void tpj_read(arena *a, json_t *obj, int lists_required, taxpayer *tp, problems *pbs) {
  const char *kind = get_str(a, obj, "kind", "kind", pbs);
  if (!kind || (strcmp(kind, "person") && strcmp(kind, "company")))
    problems_add(a, pbs, ERR_INVALID, "kind",
                 "Indicare \"person\" (persona fisica) o \"company\" (impresa).");
  tp->kind = kind && strcmp(kind, "company") == 0 ? TP_COMPANY : TP_PERSON;
  tp->fiscal_code = get_str(a, obj, "fiscal_code", "fiscal_code", pbs);
  tp->vat_number = get_str(a, obj, "vat_number", "vat_number", pbs);
  tp->surname = get_str(a, obj, "surname", "surname", pbs);
  tp->given_name = get_str(a, obj, "given_name", "given_name", pbs);
  tp->company_name = get_str(a, obj, "company_name", "company_name", pbs);
  tp->birth_date = get_str(a, obj, "birth_date", "birth_date", pbs);
  tp->birth_place = get_str(a, obj, "birth_place", "birth_place", pbs);
  tp->sex = get_str(a, obj, "sex", "sex", pbs);
  read_addresses(a, obj, lists_required, tp, pbs);
  read_contacts(a, obj, lists_required, tp, pbs);
}

json_t *tpj_merge_patch(json_t *target, json_t *patch) {
  if (!json_is_object(patch)) {
    json_decref(target);
    return json_deep_copy(patch);
  }
  if (!json_is_object(target)) {
    json_decref(target);
    target = json_object();
  }
  const char *key;
  json_t *value;
  json_object_foreach(patch, key, value) {
    if (json_is_null(value)) {
      json_object_del(target, key);
    } else {
      json_t *cur = json_object_get(target, key);
      json_object_set_new(target, key, tpj_merge_patch(json_incref(cur), value));
    }
  }
  return target;
}

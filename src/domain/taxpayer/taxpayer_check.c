/* Taxpayer normalisation and validation: every problem is collected (not
 * just the first), each naming the form/API field it is about. */
#include <ctype.h>
#include <string.h>
#include "core/date.h"
#include "core/validate.h"
#include "core/text.h"
#include "domain/taxpayer/taxpayer_internal.h"

enum {
  MAX_ADDRESSES = 10,
  MAX_CONTACTS = 10,
  MAX_NAME = 100,
  MAX_COMPANY = 200,
  MAX_PLACE = 100,
  MAX_STREET = 200,
  MAX_CITY = 100,
  MAX_FOREIGN_POSTAL = 16,
  MAX_FOREIGN_PROVINCE = 50,
  MAX_VALUE = 254
};

static const char *const address_kinds[] = {"residenza", "domicilio", "sede_legale", NULL};
static const char *const channels[] = {"email", "pec", "mobile", NULL};
static const char *const sources[] = {"sportello", "web", "email",  "pec",
                                      "telefono",  "api", "import", NULL};

static int in_list(const char *v, const char *const *list) {
  for (; v && *list; list++)
    if (strcmp(v, *list) == 0) return 1;
  return 0;
}

static char *clean_upper(arena *a, const char *s) {
  char *c = text_trim_dup(a, s);
  for (char *p = c; p && *p; p++) *p = (char)toupper((unsigned char)*p);
  return c;
}

static char *clean_code(arena *a, const char *s) {
  char *c = text_trim_dup(a, s);
  if (c) normalize_code(c);
  return c && *c ? c : NULL;
}

void tp_problem(arena *a, problems *pbs, err_code code, const char *field, const char *msg) {
  problems_add(a, pbs, code, field, msg);
}

void tp_normalize(arena *a, taxpayer *tp) {
  tp->fiscal_code = clean_code(a, tp->fiscal_code);
  tp->vat_number = clean_code(a, tp->vat_number);
  if (tp->kind == TP_COMPANY) {
    tp->surname = tp->given_name = tp->birth_date = tp->birth_place = tp->sex = NULL;
    tp->company_name = text_trim_dup(a, tp->company_name);
  } else {
    tp->company_name = NULL;
    tp->surname = text_trim_dup(a, tp->surname);
    tp->given_name = text_trim_dup(a, tp->given_name);
    tp->birth_date = text_trim_dup(a, tp->birth_date);
    tp->birth_place = text_trim_dup(a, tp->birth_place);
    tp->sex = clean_upper(a, tp->sex);
  }
  for (size_t i = 0; i < tp->n_addresses; i++) {
    tp_address *ad = &tp->addresses[i];
    ad->kind = text_trim_dup(a, ad->kind);
    ad->street = text_trim_dup(a, ad->street);
    ad->postal_code = text_trim_dup(a, ad->postal_code);
    ad->city = text_trim_dup(a, ad->city);
    ad->province = clean_upper(a, ad->province);
    ad->country = clean_upper(a, ad->country);
    if (!ad->country) ad->country = arena_strdup(a, "IT");
  }
  for (size_t i = 0; i < tp->n_contacts; i++) {
    tp_contact *c = &tp->contacts[i];
    c->channel = text_trim_dup(a, c->channel);
    c->value = text_trim_dup(a, c->value);
    c->source = text_trim_dup(a, c->source);
    char e164[16];
    if (c->channel && strcmp(c->channel, "mobile") == 0 && c->value &&
        mobile_normalize(c->value, e164) == 0)
      c->value = arena_strdup(a, e164);
  }
}

void tp_stamp_consent(taxpayer *tp, int64_t now) {
  for (size_t i = 0; i < tp->n_contacts; i++) {
    tp_contact *c = &tp->contacts[i];
    if (c->consent != 1)
      c->consent_at = 0;
    else if (c->consent_at == 0)
      c->consent_at = now;
  }
}

/* Required/optional text with a maximum length in characters. */
static void check_text(arena *a, problems *pbs, const char *field, const char *v, int required,
                       size_t max, const char *missing, const char *too_long) {
  if (!v) {
    if (required) tp_problem(a, pbs, ERR_INVALID, field, missing);
  } else if (text_utf8_len(v) > max) {
    tp_problem(a, pbs, ERR_INVALID, field, too_long);
  }
}

/* Birth date and sex of a person against what the CF encodes. */
static void check_birth(arena *a, const taxpayer *tp, int64_t now, int cf_ok, problems *pbs) {
  civil_date today = date_today_rome(now), born = {0, 0, 0}, cf_born = {0, 0, 0};
  char cf_sex = 0, belfiore[5];
  int decoded = cf_ok && cf_decode(tp->fiscal_code, today.y, &cf_born, &cf_sex, belfiore) == 0;
  if (tp->birth_date) {
    if (date_parse_iso(tp->birth_date, &born) != 0)
      tp_problem(a, pbs, ERR_INVALID, "birth_date",
                 "La data di nascita non è valida: usa il formato AAAA-MM-GG.");
    else if (date_cmp(born, today) > 0)
      tp_problem(a, pbs, ERR_INVALID, "birth_date", "La data di nascita non può essere futura.");
    else if (decoded &&
             (born.y % 100 != cf_born.y % 100 || born.m != cf_born.m || born.d != cf_born.d))
      tp_problem(a, pbs, ERR_INVALID, "birth_date",
                 "La data di nascita non corrisponde a quella contenuta nel codice fiscale.");
  }
  if (tp->sex) {
    if (strcmp(tp->sex, "M") != 0 && strcmp(tp->sex, "F") != 0)
      tp_problem(a, pbs, ERR_INVALID, "sex", "Il sesso deve essere M o F.");
    else if (decoded && tp->sex[0] != cf_sex)
      tp_problem(a, pbs, ERR_INVALID, "sex",
                 "Il sesso non corrisponde a quello contenuto nel codice fiscale.");
  }
}

static void check_person(arena *a, const taxpayer *tp, int64_t now, problems *pbs) {
  int cf_ok = 0;
  if (!tp->fiscal_code) {
    tp_problem(a, pbs, ERR_INVALID, "fiscal_code", "Il codice fiscale è obbligatorio.");
  } else if (strlen(tp->fiscal_code) != 16) {
    tp_problem(a, pbs, ERR_INVALID, "fiscal_code",
               "Il codice fiscale di una persona fisica deve avere 16 caratteri.");
  } else {
    const char *why = validate_codice_fiscale(tp->fiscal_code);
    if (why) tp_problem(a, pbs, ERR_INVALID, "fiscal_code", why);
    cf_ok = why == NULL;
  }
  check_text(a, pbs, "surname", tp->surname, 1, MAX_NAME, "Il cognome è obbligatorio.",
             "Il cognome è troppo lungo (massimo 100 caratteri).");
  check_text(a, pbs, "given_name", tp->given_name, 1, MAX_NAME, "Il nome è obbligatorio.",
             "Il nome è troppo lungo (massimo 100 caratteri).");
  check_text(a, pbs, "birth_place", tp->birth_place, 0, MAX_PLACE, NULL,
             "Il luogo di nascita è troppo lungo (massimo 100 caratteri).");
  check_birth(a, tp, now, cf_ok, pbs);
}

static void check_company(arena *a, const taxpayer *tp, problems *pbs) {
  check_text(a, pbs, "company_name", tp->company_name, 1, MAX_COMPANY,
             "La denominazione è obbligatoria.",
             "La denominazione è troppo lunga (massimo 200 caratteri).");
  /* 11 digits (the numeric codice fiscale, with the partita IVA's check
   * digit) or, for a sole trader, the owner's 16 characters; the message
   * speaks of the codice fiscale either way */
  size_t n = tp->fiscal_code ? strlen(tp->fiscal_code) : 0;
  const char *why = NULL;
  if (!tp->fiscal_code)
    why = "Il codice fiscale è obbligatorio.";
  else if (n == 11)
    why = validate_cf_numeric(tp->fiscal_code);
  else if (n == 16)
    why = validate_codice_fiscale(tp->fiscal_code);
  else
    why = "Il codice fiscale di una società o di un ente deve avere 11 cifre (o 16 caratteri "
          "per una ditta individuale).";
  if (why) tp_problem(a, pbs, ERR_INVALID, "fiscal_code", why);
}

static void check_address(arena *a, const tp_address *ad, size_t i, const taxpayer *tp,
                          problems *pbs) {
#define F(name) arena_printf(a, "addresses[%zu]." name, i)
  if (!in_list(ad->kind, address_kinds)) {
    tp_problem(a, pbs, ERR_INVALID, F("kind"),
               "Il tipo di indirizzo deve essere residenza, domicilio o sede legale.");
  } else {
    for (size_t j = 0; j < i; j++)
      if (tp->addresses[j].kind && strcmp(tp->addresses[j].kind, ad->kind) == 0) {
        tp_problem(a, pbs, ERR_INVALID, F("kind"), "C'è già un indirizzo di questo tipo.");
        break;
      }
  }
  check_text(a, pbs, F("street"), ad->street, 1, MAX_STREET,
             "L'indirizzo (via e numero civico) è obbligatorio.",
             "L'indirizzo è troppo lungo (massimo 200 caratteri).");
  check_text(a, pbs, F("city"), ad->city, 1, MAX_CITY, "Il comune è obbligatorio.",
             "Il nome del comune è troppo lungo (massimo 100 caratteri).");
  int italy = ad->country && strcmp(ad->country, "IT") == 0;
  if (!text_all_of(ad->country, 2, isupper))
    tp_problem(a, pbs, ERR_INVALID, F("country"),
               "Lo Stato deve essere un codice di 2 lettere (es. IT).");
  if (italy) {
    if (ad->postal_code && !text_all_of(ad->postal_code, 5, isdigit))
      tp_problem(a, pbs, ERR_INVALID, F("postal_code"), "Il CAP deve essere di 5 cifre.");
    if (ad->province && !text_all_of(ad->province, 2, isupper))
      tp_problem(a, pbs, ERR_INVALID, F("province"),
                 "La provincia deve essere la sigla di 2 lettere (es. RM).");
  } else {
    check_text(a, pbs, F("postal_code"), ad->postal_code, 0, MAX_FOREIGN_POSTAL, NULL,
               "Il codice postale è troppo lungo (massimo 16 caratteri).");
    check_text(a, pbs, F("province"), ad->province, 0, MAX_FOREIGN_PROVINCE, NULL,
               "La provincia è troppo lunga (massimo 50 caratteri).");
  }
#undef F
}

static void check_contact(arena *a, const tp_contact *c, size_t i, const taxpayer *tp, int64_t now,
                          problems *pbs) {
#define F(name) arena_printf(a, "contacts[%zu]." name, i)
  int channel_ok = in_list(c->channel, channels);
  if (!channel_ok)
    tp_problem(a, pbs, ERR_INVALID, F("channel"), "Il canale deve essere e-mail, PEC o cellulare.");
  if (!c->value) {
    tp_problem(a, pbs, ERR_INVALID, F("value"), "Il recapito è obbligatorio.");
  } else if (text_utf8_len(c->value) > MAX_VALUE) {
    tp_problem(a, pbs, ERR_INVALID, F("value"), "Il recapito è troppo lungo.");
  } else if (channel_ok) {
    const char *why =
        strcmp(c->channel, "mobile") == 0 ? validate_mobile(c->value) : validate_email(c->value);
    if (why) {
      tp_problem(a, pbs, ERR_INVALID, F("value"), why);
    } else {
      for (size_t j = 0; j < i; j++) {
        const tp_contact *o = &tp->contacts[j];
        if (o->channel && o->value && strcmp(o->channel, c->channel) == 0 &&
            strcmp(o->value, c->value) == 0) {
          tp_problem(a, pbs, ERR_INVALID, F("value"), "Questo recapito è già presente.");
          break;
        }
      }
    }
  }
  if (c->consent != 0 && c->consent != 1)
    tp_problem(a, pbs, ERR_INVALID, F("consent"), "Il consenso deve essere 0 (no) o 1 (sì).");
  if (c->consent_at < 0 || c->consent_at > now + 300)
    tp_problem(a, pbs, ERR_INVALID, F("consent_at"), "La data del consenso non può essere futura.");
  if (!in_list(c->source, sources))
    tp_problem(a, pbs, ERR_INVALID, F("source"),
               "La fonte deve essere una tra: sportello, web, email, pec, telefono, api, "
               "import.");
#undef F
}

size_t tp_validate(arena *a, const taxpayer *tp, int64_t now, problems *pbs) {
  size_t before = pbs->n;
  if (tp->kind == TP_PERSON)
    check_person(a, tp, now, pbs);
  else if (tp->kind == TP_COMPANY)
    check_company(a, tp, pbs);
  else
    tp_problem(a, pbs, ERR_INVALID, "kind",
               "Il tipo di contribuente deve essere persona fisica o società.");
  if (tp->vat_number) {
    const char *why = validate_partita_iva(tp->vat_number);
    if (why) tp_problem(a, pbs, ERR_INVALID, "vat_number", why);
  }
  if (tp->n_addresses > MAX_ADDRESSES)
    tp_problem(a, pbs, ERR_INVALID, "addresses", "Si possono indicare al massimo 10 indirizzi.");
  else
    for (size_t i = 0; i < tp->n_addresses; i++) check_address(a, &tp->addresses[i], i, tp, pbs);
  if (tp->n_contacts > MAX_CONTACTS)
    tp_problem(a, pbs, ERR_INVALID, "contacts", "Si possono indicare al massimo 10 recapiti.");
  else
    for (size_t i = 0; i < tp->n_contacts; i++) check_contact(a, &tp->contacts[i], i, tp, now, pbs);
  return pbs->n - before;
}

/* Latin-1 letters U+00C0..U+00FF (UTF-8 C3 80..C3 BF) folded to ASCII;
 * '*' keeps the original character. */
static const char fold_c3[] = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUY*SAAAAAAACEEEEIIIIDNOOOOO*OUUUUY*Y";

char *tp_name_fold(arena *a, const char *s) {
  size_t n = s ? strlen(s) : 0;
  char *out = arena_alloc(a, n + 1), *o = out;
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isspace(c)) {
      space = o != out;
      continue;
    }
    if (c == '\'') continue;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x99) { /* U+2019 typographic apostrophe */
      i += 2;
      continue;
    }
    if (space) *o++ = ' ';
    space = 0;
    if (c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
        (unsigned char)s[i + 1] <= 0xBF && fold_c3[(unsigned char)s[i + 1] - 0x80] != '*') {
      *o++ = fold_c3[(unsigned char)s[i + 1] - 0x80];
      i++;
      continue;
    }
    *o++ = (char)toupper(c);
  }
  *o = 0;
  return out;
}

char *tp_name_norm(arena *a, const taxpayer *tp) {
  if (tp->kind == TP_COMPANY) return tp_name_fold(a, tp->company_name);
  return tp_name_fold(a, arena_printf(a, "%s %s", tp->surname ? tp->surname : "",
                                      tp->given_name ? tp->given_name : ""));
}

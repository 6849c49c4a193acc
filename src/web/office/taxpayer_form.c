/* Create and edit a taxpayer. The form shows one address and one contact
 * per channel; on edit, further addresses and contacts already stored are
 * carried over untouched. Invalid input re-shows the form (422) with the
 * typed values and each error next to its field; nothing is written. */
#include <stdio.h>
#include <string.h>
#include "web/web.h"

static const char *channels[] = {"email", "pec", "mobile"};
static const char *channel_labels[] = {"E-mail", "PEC", "Cellulare"};

static const form_option kinds[] = {{"person", "Persona fisica"}, {"company", "Impresa"}};
static const form_option sexes[] = {{"", "Non indicato"}, {"M", "Maschile"}, {"F", "Femminile"}};
static const form_option addr_kinds[] = {
    {"residenza", "Residenza"}, {"domicilio", "Domicilio"}, {"sede_legale", "Sede legale"}};
static const form_option sources[] = {{"sportello", "Sportello"}, {"telefono", "Telefono"},
                                      {"email", "E-mail"},        {"pec", "PEC"},
                                      {"web", "Sito web"}};

/* Form field name for a domain problem field ("addresses[0].city" ->
 * "address_city", "contacts[2].value" -> the channel of contact 2). */
static const char *form_name(arena *a, const char *field, const taxpayer *tp) {
  if (!field) return NULL;
  if (strncmp(field, "addresses[0].", 13) == 0) return arena_printf(a, "address_%s", field + 13);
  if (strncmp(field, "contacts[", 9) == 0) {
    unsigned i;
    if (sscanf(field + 9, "%u]", &i) == 1 && i < tp->n_contacts && tp->contacts[i].channel)
      return tp->contacts[i].channel;
  }
  return field;
}

static const char *err_for(const problems *pbs, const char *name) {
  for (size_t i = 0; pbs && i < pbs->n; i++)
    if (pbs->items[i].field && strcmp(pbs->items[i].field, name) == 0) return pbs->items[i].message;
  return NULL;
}

static const char *nz(const char *s) { return s ? s : ""; }

static tp_contact *find_contact(const taxpayer *tp, const char *channel) {
  for (size_t i = 0; i < tp->n_contacts; i++)
    if (tp->contacts[i].channel && strcmp(tp->contacts[i].channel, channel) == 0)
      return &tp->contacts[i];
  return NULL;
}

static void render(request *rq, response *rs, const taxpayer *tp, const problems *pbs, int is_new) {
  page_info p;
  const char *title = is_new ? "Nuovo contribuente"
                             : arena_printf(rq->a, "Modifica %s", taxpayer_display_name(rq->a, tp));
  if (web_page_info(rq, title, "contribuenti", &p) != ERR_OK) return;
  html h = web_begin(rq, rs, &p);
  if (pbs) form_error_summary(&h, pbs->items, pbs->n);
  const char *action = is_new ? url_taxpayer_new(rq->a, rq->ente->slug)
                              : url_taxpayer_edit(rq->a, rq->ente->slug, tp->id);
  form_begin(&h, action, rq->csrf);
  form_field fk = {.name = "kind", .label = "Tipo di contribuente",
                   .value = tp->kind == TP_COMPANY ? "company" : "person", .error = err_for(pbs, "kind")};
  form_radio_group(&h, &fk, kinds, 2);

  html_elem(&h, "h2", "Identificativi", HA("class", "h5"));
  form_field ff = {.name = "fiscal_code", .label = "Codice fiscale", .value = tp->fiscal_code,
                   .required = 1, .maxlength = 16, .error = err_for(pbs, "fiscal_code"),
                   .hint = "16 caratteri per le persone; per le imprese 11 cifre (o i 16 "
                           "caratteri del titolare, per una ditta individuale)."};
  form_input(&h, &ff);
  form_field fv = {.name = "vat_number", .label = "Partita IVA", .value = tp->vat_number,
                   .maxlength = 11, .error = err_for(pbs, "vat_number")};
  form_input(&h, &fv);

  html_elem(&h, "h2", "Persona fisica", HA("class", "h5"));
  form_field fs = {.name = "surname", .label = "Cognome", .value = tp->surname, .maxlength = 100,
                   .error = err_for(pbs, "surname"), .autocomplete = "family-name"};
  form_input(&h, &fs);
  form_field fg = {.name = "given_name", .label = "Nome", .value = tp->given_name, .maxlength = 100,
                   .error = err_for(pbs, "given_name"), .autocomplete = "given-name"};
  form_input(&h, &fg);
  form_field fb = {.name = "birth_date", .label = "Data di nascita", .value = tp->birth_date,
                   .type = "date", .error = err_for(pbs, "birth_date")};
  form_input(&h, &fb);
  form_field fp = {.name = "birth_place", .label = "Luogo di nascita", .value = tp->birth_place,
                   .maxlength = 100, .error = err_for(pbs, "birth_place")};
  form_input(&h, &fp);
  form_field fx = {.name = "sex", .label = "Sesso", .value = nz(tp->sex), .error = err_for(pbs, "sex")};
  form_select(&h, &fx, sexes, 3);

  html_elem(&h, "h2", "Impresa", HA("class", "h5"));
  form_field fc = {.name = "company_name", .label = "Ragione sociale", .value = tp->company_name,
                   .maxlength = 200, .error = err_for(pbs, "company_name"),
                   .autocomplete = "organization"};
  form_input(&h, &fc);

  html_elem(&h, "h2", "Indirizzo", HA("class", "h5"));
  tp_address none = {0};
  const tp_address *ad = tp->n_addresses ? &tp->addresses[0] : &none;
  form_field fak = {.name = "address_kind", .label = "Tipo di indirizzo",
                    .value = ad->kind ? ad->kind : "residenza", .error = err_for(pbs, "address_kind")};
  form_select(&h, &fak, addr_kinds, 3);
  form_field fas = {.name = "address_street", .label = "Via e numero civico", .value = ad->street,
                    .maxlength = 200, .error = err_for(pbs, "address_street")};
  form_input(&h, &fas);
  form_field fapc = {.name = "address_postal_code", .label = "CAP", .value = ad->postal_code,
                     .maxlength = 5, .error = err_for(pbs, "address_postal_code")};
  form_input(&h, &fapc);
  form_field fac = {.name = "address_city", .label = "Comune", .value = ad->city, .maxlength = 100,
                    .error = err_for(pbs, "address_city")};
  form_input(&h, &fac);
  form_field fapr = {.name = "address_province", .label = "Provincia (sigla)",
                     .value = ad->province, .maxlength = 2, .error = err_for(pbs, "address_province")};
  form_input(&h, &fapr);

  html_elem(&h, "h2", "Recapiti e consensi", HA("class", "h5"));
  for (size_t i = 0; i < 3; i++) {
    tp_contact *c = find_contact(tp, channels[i]);
    form_field fct = {.name = channels[i], .label = channel_labels[i], .value = c ? c->value : NULL,
                      .type = i == 2 ? "tel" : "email", .maxlength = 254,
                      .error = err_for(pbs, channels[i])};
    form_input(&h, &fct);
    form_checkbox(&h, arena_printf(rq->a, "%s_consent", channels[i]),
                  arena_printf(rq->a, "Consenso alle comunicazioni via %s", channel_labels[i]),
                  c && c->consent);
  }
  form_field fso = {.name = "contact_source", .label = "Fonte dei recapiti", .value = "sportello"};
  form_select(&h, &fso, sources, 5);
  form_submit(&h, is_new ? "Registra contribuente" : "Salva modifiche");
  form_end(&h);
  page_end(&h, &p);
}

static const char *field(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  return v && *v ? v : NULL;
}

/* Reads the posted form into tp; keeps prior extra addresses/contacts. */
static void read_form(request *rq, taxpayer *tp, const taxpayer *prev) {
  const char *kind = field(rq, "kind");
  tp->kind = kind && strcmp(kind, "company") == 0 ? TP_COMPANY : TP_PERSON;
  tp->fiscal_code = arena_strdup(rq->a, nz(field(rq, "fiscal_code")));
  tp->vat_number = field(rq, "vat_number") ? arena_strdup(rq->a, field(rq, "vat_number")) : NULL;
#define TAKE(f) tp->f = field(rq, #f) ? arena_strdup(rq->a, field(rq, #f)) : NULL
  TAKE(surname);
  TAKE(given_name);
  TAKE(birth_date);
  TAKE(birth_place);
  TAKE(sex);
  TAKE(company_name);
#undef TAKE
  size_t extra_a = prev && prev->n_addresses > 1 ? prev->n_addresses - 1 : 0;
  tp->addresses = ARENA_ARRAY(rq->a, tp_address, 1 + extra_a);
  tp->n_addresses = 0;
  if (field(rq, "address_street") || field(rq, "address_city") || field(rq, "address_postal_code")) {
    tp_address *ad = &tp->addresses[tp->n_addresses++];
    ad->kind = arena_strdup(rq->a, nz(field(rq, "address_kind")));
    ad->street = arena_strdup(rq->a, nz(field(rq, "address_street")));
    ad->postal_code = arena_strdup(rq->a, nz(field(rq, "address_postal_code")));
    ad->city = arena_strdup(rq->a, nz(field(rq, "address_city")));
    ad->province = field(rq, "address_province") ? arena_strdup(rq->a, field(rq, "address_province")) : NULL;
    ad->country = "IT";
  }
  for (size_t i = 0; i < extra_a; i++) tp->addresses[tp->n_addresses++] = prev->addresses[i + 1];

  size_t prev_n = prev ? prev->n_contacts : 0;
  tp->contacts = ARENA_ARRAY(rq->a, tp_contact, 3 + prev_n);
  tp->n_contacts = 0;
  const char *source = field(rq, "contact_source");
  for (size_t i = 0; i < 3; i++) {
    const char *v = field(rq, channels[i]);
    if (!v) continue;
    tp_contact *c = &tp->contacts[tp->n_contacts++];
    c->channel = (char *)channels[i];
    c->value = arena_strdup(rq->a, v);
    c->consent = rq_form(rq, arena_printf(rq->a, "%s_consent", channels[i])) != NULL;
    c->source = arena_strdup(rq->a, source ? source : "sportello");
    tp_contact *old = prev ? find_contact(prev, channels[i]) : NULL;
    if (old && old->value && strcmp(old->value, v) == 0) {
      c->source = old->source; /* unchanged contact keeps where it came from */
      if (old->consent && c->consent) c->consent_at = old->consent_at;
    }
  }
  /* contacts beyond the first of each channel are not on the form: keep them */
  int seen[3] = {0, 0, 0};
  for (size_t i = 0; i < prev_n; i++) {
    for (size_t k = 0; k < 3; k++) {
      if (!prev->contacts[i].channel || strcmp(prev->contacts[i].channel, channels[k]) != 0) continue;
      if (seen[k]++) tp->contacts[tp->n_contacts++] = prev->contacts[i];
    }
  }
}

/* Turns domain field names into form field names for display. */
static void map_problems(arena *a, problems *pbs, const taxpayer *tp) {
  for (size_t i = 0; i < pbs->n; i++) pbs->items[i].field = form_name(a, pbs->items[i].field, tp);
}

err_code page_taxpayer_new(request *rq, response *rs) {
  taxpayer tp = {0};
  tp.kind = TP_PERSON;
  render(rq, rs, &tp, NULL, 1);
  return ERR_OK;
}

err_code page_taxpayer_create(request *rq, response *rs) {
  taxpayer tp = {0};
  tp.ente_id = rq->ente->id;
  read_form(rq, &tp, NULL);
  problems pbs = {0};
  err_code e = taxpayer_create(rq->db, rq->a, &tp, &rq->who, &pbs);
  if (e == ERR_INVALID || e == ERR_CONFLICT) {
    map_problems(rq->a, &pbs, &tp);
    rs->status = e == ERR_CONFLICT ? 409 : 422;
    render(rq, rs, &tp, &pbs, 1);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=1", url_taxpayer(rq->a, rq->ente->slug, tp.id)));
}

err_code page_taxpayer_edit(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  taxpayer tp;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &tp);
  if (e != ERR_OK) return e;
  render(rq, rs, &tp, NULL, 0);
  return ERR_OK;
}

err_code page_taxpayer_update(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  taxpayer prev;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &prev);
  if (e != ERR_OK) return e;
  taxpayer tp = {0};
  tp.id = id;
  tp.ente_id = rq->ente->id;
  read_form(rq, &tp, &prev);
  problems pbs = {0};
  e = taxpayer_update(rq->db, rq->a, &tp, &rq->who, &pbs);
  if (e == ERR_INVALID || e == ERR_CONFLICT) {
    map_problems(rq->a, &pbs, &tp);
    rs->status = e == ERR_CONFLICT ? 409 : 422;
    render(rq, rs, &tp, &pbs, 0);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=1", url_taxpayer(rq->a, rq->ente->slug, id)));
}

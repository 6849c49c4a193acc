/* Create and edit a taxpayer: identifiers, the fields of a person or of a
 * company (the other kind's are hidden, and toggled by sportello.js when
 * the kind changes; without JavaScript "Aggiorna il modulo" re-renders),
 * every address and contact as a row with "Elimina", and one empty row of
 * each; "Aggiungi un indirizzo / recapito" re-renders with one more empty
 * row, saving nothing. Invalid input re-shows the form (422) with the typed
 * values, a summary of every error and each message next to its field;
 * nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "web/web.h"

enum { MAX_ROWS = 10 }; /* the domain's limit for addresses and contacts */

/* The form as posted or loaded: the taxpayer, and how many empty rows to
 * show after the filled ones. */
typedef struct {
  taxpayer tp;
  int add_addresses, add_contacts; /* extra empty rows (at least one is shown) */
} tp_form;

static const char *nz(const char *s) { return s ? s : ""; }

static const char *kind_code(const taxpayer *tp) {
  return tp->kind == TP_COMPANY ? "company" : "person";
}

/* Form name of a domain problem field: "addresses[2].city" ->
 * "address_2_city", "contacts[1].value" -> "contact_1_value", a contact's
 * source -> the one "contact_source" select; list-wide problems have no
 * field of their own. Rows are rendered in the taxpayer's order, so the
 * index carries over. */
static const char *form_name(arena *a, const char *field) {
  if (!field) return NULL;
  unsigned i;
  char rest[32];
  if (sscanf(field, "addresses[%u].%31s", &i, rest) == 2)
    return arena_printf(a, "address_%u_%s", i, rest);
  if (sscanf(field, "contacts[%u].%31s", &i, rest) == 2)
    return strcmp(rest, "source") == 0 ? "contact_source" : arena_printf(a, "contact_%u_%s", i, rest);
  if (strcmp(field, "addresses") == 0 || strcmp(field, "contacts") == 0) return NULL;
  return field;
}

static void map_problems(arena *a, problems *pbs) {
  for (size_t i = 0; i < pbs->n; i++) pbs->items[i].field = form_name(a, pbs->items[i].field);
}

static void input(html *h, const char *name, const char *label, const char *value, int maxlength,
                  const char *type, const char *autocomplete) {
  form_field f = {.name = name, .label = label, .value = value, .maxlength = maxlength, .type = type,
                  .autocomplete = autocomplete};
  form_input(h, &f);
}

static void col_begin(html *h, const char *cls) { html_open(h, "div", HA("class", cls)); }
static void col_end(html *h) { html_close(h, "div"); }

/* A fieldset shown only for one kind: hidden and disabled (so not posted)
 * for the other. sportello.js toggles both when the kind changes. */
static void kind_section_begin(html *h, const taxpayer *tp, const char *kind, const char *legend) {
  int off = strcmp(kind_code(tp), kind) != 0;
  html_open(h, "fieldset", HA("class", "sp-kind mb-3"), HA("data-kind", kind), HBOOL("hidden", off),
            HBOOL("disabled", off));
  html_elem(h, "legend", legend, HA("class", "h5"));
}

static void person_fields(html *h, const taxpayer *tp) {
  kind_section_begin(h, tp, "person", "Persona fisica");
  html_open(h, "div", HA("class", "row"));
  col_begin(h, "col-md-6");
  input(h, "surname", "Cognome", tp->surname, 100, NULL, "family-name");
  col_end(h);
  col_begin(h, "col-md-6");
  input(h, "given_name", "Nome", tp->given_name, 100, NULL, "given-name");
  col_end(h);
  col_begin(h, "col-md-4");
  input(h, "birth_date", "Data di nascita", tp->birth_date, 0, "date", NULL);
  col_end(h);
  col_begin(h, "col-md-5");
  input(h, "birth_place", "Luogo di nascita", tp->birth_place, 100, NULL, NULL);
  col_end(h);
  col_begin(h, "col-md-3");
  form_option sexes[3] = {{"", "Non indicato"}, LABELS_SEX.items[0], LABELS_SEX.items[1]};
  form_field fx = {.name = "sex", .label = "Sesso", .value = nz(tp->sex)};
  form_select(h, &fx, sexes, 3);
  col_end(h);
  html_close(h, "div");
  html_close(h, "fieldset");
}

static void company_fields(html *h, const taxpayer *tp) {
  kind_section_begin(h, tp, "company", "Impresa");
  input(h, "company_name", "Ragione sociale", tp->company_name, 200, NULL, "organization");
  html_close(h, "fieldset");
}

static void address_row(html *h, int i, const tp_address *ad) {
  arena *a = h->a;
  html_open(h, "fieldset", HA("class", "sp-row"));
  html_elem(h, "legend", ad ? arena_printf(a, "Indirizzo %d", i + 1) : "Nuovo indirizzo",
            HA("class", "h6"));
  html_open(h, "div", HA("class", "row"));
  col_begin(h, "col-md-4");
  form_field fk = {.name = arena_printf(a, "address_%d_kind", i), .label = "Tipo di indirizzo",
                   .value = ad && ad->kind ? ad->kind : "residenza"};
  form_select(h, &fk, LABELS_ADDRESS_KIND.items, LABELS_ADDRESS_KIND.n);
  col_end(h);
  col_begin(h, "col-md-8");
  input(h, arena_printf(a, "address_%d_street", i), "Via e numero civico", ad ? ad->street : NULL,
        200, NULL, NULL);
  col_end(h);
  col_begin(h, "col-md-3");
  input(h, arena_printf(a, "address_%d_postal_code", i), "CAP", ad ? ad->postal_code : NULL, 5,
        NULL, NULL);
  col_end(h);
  col_begin(h, "col-md-6");
  input(h, arena_printf(a, "address_%d_city", i), "Comune", ad ? ad->city : NULL, 100, NULL, NULL);
  col_end(h);
  col_begin(h, "col-md-3");
  input(h, arena_printf(a, "address_%d_province", i), "Provincia (sigla)",
        ad ? ad->province : NULL, 2, NULL, NULL);
  col_end(h);
  html_close(h, "div");
  if (ad) form_checkbox(h, arena_printf(a, "address_%d_remove", i), "Elimina questo indirizzo", 0);
  html_close(h, "fieldset");
}

static void contact_row(html *h, int i, const tp_contact *c) {
  arena *a = h->a;
  html_open(h, "fieldset", HA("class", "sp-row"));
  html_elem(h, "legend", c ? arena_printf(a, "Recapito %d", i + 1) : "Nuovo recapito",
            HA("class", "h6"));
  html_open(h, "div", HA("class", "row"));
  col_begin(h, "col-md-4");
  form_field fc = {.name = arena_printf(a, "contact_%d_channel", i), .label = "Canale",
                   .value = c && c->channel ? c->channel : "email"};
  form_select(h, &fc, LABELS_CHANNEL.items, LABELS_CHANNEL.n);
  col_end(h);
  col_begin(h, "col-md-8");
  input(h, arena_printf(a, "contact_%d_value", i), "Indirizzo e-mail, PEC o numero di cellulare",
        c ? c->value : NULL, 254, NULL, NULL);
  col_end(h);
  html_close(h, "div");
  form_checkbox(h, arena_printf(a, "contact_%d_consent", i),
                "Consenso alle comunicazioni su questo recapito", c && c->consent);
  if (c) form_checkbox(h, arena_printf(a, "contact_%d_remove", i), "Elimina questo recapito", 0);
  html_close(h, "fieldset");
}

/* Rows: the filled ones, then empty ones (at least one), at most MAX_ROWS. */
static int rows_to_show(size_t filled, int extra) {
  int n = (int)filled + (extra > 1 ? extra : 1);
  return n > MAX_ROWS ? MAX_ROWS : n;
}

static void render(request *rq, response *rs, const tp_form *f, const problems *pbs, int is_new) {
  const taxpayer *tp = &f->tp;
  page_info p;
  const char *name = is_new ? NULL : taxpayer_display_name(rq->a, tp);
  const char *title = is_new ? "Nuovo contribuente" : arena_printf(rq->a, "Modifica %s", name);
  if (web_page_info(rq, title, "contribuenti", &p) != ERR_OK) return;
  const char *list = url_taxpayers(rq->a, rq->ente->slug, NULL, 0);
  const char *back = is_new ? list : url_taxpayer(rq->a, rq->ente->slug, tp->id);
  if (is_new)
    WEB_OFFICE_TRAIL(rq, &p, {"Contribuenti", list}, {"Nuovo contribuente", NULL});
  else
    WEB_OFFICE_TRAIL(rq, &p, {"Contribuenti", list}, {name, back}, {"Modifica", NULL});
  html h = web_begin(rq, rs, &p);
  const char *action = is_new ? url_taxpayer_new(rq->a, rq->ente->slug)
                              : url_taxpayer_edit(rq->a, rq->ente->slug, tp->id);
  form_begin_errors(&h, action, rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  form_default_submit(&h);
  form_field fk = {.name = "kind", .label = "Tipo di contribuente", .value = kind_code(tp)};
  form_radio_group(&h, &fk, LABELS_TAXPAYER_KIND.items, LABELS_TAXPAYER_KIND.n);
  html_open(&h, "p", HA("class", "sp-nojs"));
  form_submit_secondary(&h, "Aggiorna il modulo per il tipo scelto", "refresh");
  html_close(&h, "p");

  html_elem(&h, "h2", "Identificativi", HA("class", "h5"));
  html_open(&h, "div", HA("class", "row"));
  col_begin(&h, "col-md-6");
  form_field ff = {.name = "fiscal_code", .label = "Codice fiscale", .value = tp->fiscal_code,
                   .required = 1, .maxlength = 16,
                   .hint = "16 caratteri per le persone; per le imprese 11 cifre (o i 16 "
                           "caratteri del titolare, per una ditta individuale)."};
  form_input(&h, &ff);
  col_end(&h);
  col_begin(&h, "col-md-6");
  input(&h, "vat_number", "Partita IVA", tp->vat_number, 11, NULL, NULL);
  col_end(&h);
  html_close(&h, "div");
  person_fields(&h, tp);
  company_fields(&h, tp);

  html_elem(&h, "h2", "Indirizzi", HA("class", "h5"));
  int na = rows_to_show(tp->n_addresses, f->add_addresses);
  html_void(&h, "input", HA("type", "hidden"), HA("name", "address_rows"),
            HA("value", arena_printf(rq->a, "%d", na)));
  for (int i = 0; i < na; i++)
    address_row(&h, i, (size_t)i < tp->n_addresses ? &tp->addresses[i] : NULL);
  if (na < MAX_ROWS) form_submit_secondary(&h, "Aggiungi un indirizzo", "add_address");

  html_elem(&h, "h2", "Recapiti e consensi", HA("class", "h5"));
  int nc = rows_to_show(tp->n_contacts, f->add_contacts);
  html_void(&h, "input", HA("type", "hidden"), HA("name", "contact_rows"),
            HA("value", arena_printf(rq->a, "%d", nc)));
  for (int i = 0; i < nc; i++)
    contact_row(&h, i, (size_t)i < tp->n_contacts ? &tp->contacts[i] : NULL);
  if (nc < MAX_ROWS) form_submit_secondary(&h, "Aggiungi un recapito", "add_contact");
  form_field fso = {.name = "contact_source", .label = "Fonte dei recapiti nuovi o cambiati",
                    .value = "sportello"};
  form_select(&h, &fso, LABELS_SOURCE.items, 5); /* the first five: not api, import */
  form_actions(&h, is_new ? "Registra contribuente" : "Salva modifiche", back);
  form_end(&h);
  page_end(&h, &p);
}

static const char *field(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  return v && *v ? v : NULL;
}

static char *dup_field(request *rq, const char *name) {
  const char *v = field(rq, name);
  return v ? arena_strdup(rq->a, v) : NULL;
}

static int posted_rows(request *rq, const char *name) {
  const char *v = field(rq, name);
  int n = v ? atoi(v) : 0;
  return n < 0 ? 0 : n > MAX_ROWS ? MAX_ROWS : n;
}

/* The contact prev had with this channel and value, if any. */
static const tp_contact *same_contact(const taxpayer *prev, const char *channel, const char *value) {
  for (size_t i = 0; prev && i < prev->n_contacts; i++) {
    const tp_contact *c = &prev->contacts[i];
    if (c->channel && c->value && strcmp(c->channel, channel) == 0 && strcmp(c->value, value) == 0)
      return c;
  }
  return NULL;
}

static void read_addresses(request *rq, taxpayer *tp) {
  int rows = posted_rows(rq, "address_rows");
  tp->addresses = ARENA_ARRAY(rq->a, tp_address, rows ? (size_t)rows : 1);
  tp->n_addresses = 0;
  for (int i = 0; i < rows; i++) {
#define A(f) dup_field(rq, arena_printf(rq->a, "address_%d_" f, i))
    if (A("remove")) continue;
    char *street = A("street"), *cap = A("postal_code"), *city = A("city"), *prov = A("province");
    if (!street && !cap && !city && !prov) continue; /* an empty row */
    tp_address *ad = &tp->addresses[tp->n_addresses++];
    ad->kind = arena_strdup(rq->a, nz(A("kind")));
#undef A
    ad->street = arena_strdup(rq->a, nz(street));
    ad->postal_code = arena_strdup(rq->a, nz(cap));
    ad->city = arena_strdup(rq->a, nz(city));
    ad->province = prov;
    ad->country = "IT";
  }
}

/* An unchanged contact keeps where it came from and when consent was
 * given; a new or changed one takes the source chosen on the form. */
static void read_contacts(request *rq, taxpayer *tp, const taxpayer *prev) {
  int rows = posted_rows(rq, "contact_rows");
  const char *source = field(rq, "contact_source");
  tp->contacts = ARENA_ARRAY(rq->a, tp_contact, rows ? (size_t)rows : 1);
  tp->n_contacts = 0;
  for (int i = 0; i < rows; i++) {
#define C(f) dup_field(rq, arena_printf(rq->a, "contact_%d_" f, i))
    char *value = C("value");
    if (C("remove") || !value) continue;
    tp_contact *c = &tp->contacts[tp->n_contacts++];
    c->channel = arena_strdup(rq->a, nz(C("channel")));
    c->value = value;
    c->consent = C("consent") != NULL;
#undef C
    c->source = arena_strdup(rq->a, source ? source : "sportello");
    const tp_contact *old = same_contact(prev, c->channel, c->value);
    if (old) {
      c->source = old->source;
      if (old->consent && c->consent) c->consent_at = old->consent_at;
    }
  }
}

static void read_form(request *rq, tp_form *f, const taxpayer *prev) {
  taxpayer *tp = &f->tp;
  const char *kind = field(rq, "kind");
  tp->kind = kind && strcmp(kind, "company") == 0 ? TP_COMPANY : TP_PERSON;
  tp->fiscal_code = arena_strdup(rq->a, nz(field(rq, "fiscal_code")));
  tp->vat_number = dup_field(rq, "vat_number");
  if (tp->kind == TP_PERSON) {
    tp->surname = dup_field(rq, "surname");
    tp->given_name = dup_field(rq, "given_name");
    tp->birth_date = dup_field(rq, "birth_date");
    tp->birth_place = dup_field(rq, "birth_place");
    tp->sex = dup_field(rq, "sex");
  } else {
    tp->company_name = dup_field(rq, "company_name");
  }
  read_addresses(rq, tp);
  read_contacts(rq, tp, prev);
  /* the empty rows the form had, and one more if asked */
  int ea = posted_rows(rq, "address_rows") - (int)tp->n_addresses;
  int ec = posted_rows(rq, "contact_rows") - (int)tp->n_contacts;
  f->add_addresses = (ea > 1 ? ea : 1) + (field(rq, "add_address") ? 1 : 0);
  f->add_contacts = (ec > 1 ? ec : 1) + (field(rq, "add_contact") ? 1 : 0);
}

/* A secondary button (one more row, another kind) re-shows the form. */
static int is_rerender(request *rq) {
  return field(rq, "add_address") || field(rq, "add_contact") || field(rq, "refresh");
}

/* Saves (create when prev is NULL) or re-shows the form. */
static err_code save(request *rq, response *rs, const taxpayer *prev) {
  tp_form f = {0};
  f.tp.id = prev ? prev->id : 0;
  f.tp.ente_id = rq->ente->id;
  read_form(rq, &f, prev);
  if (is_rerender(rq)) {
    if (prev) f.tp.created_at = prev->created_at;
    render(rq, rs, &f, NULL, prev == NULL);
    return ERR_OK;
  }
  problems pbs = {0};
  err_code e = prev ? taxpayer_update(rq->db, rq->a, &f.tp, &rq->who, &pbs)
                    : taxpayer_create(rq->db, rq->a, &f.tp, &rq->who, &pbs);
  if (err_is_form_problem(e)) {
    map_problems(rq->a, &pbs);
    rs->status = err_http_status(e);
    f.add_addresses = f.add_contacts = 1;
    render(rq, rs, &f, &pbs, prev == NULL);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=1",
                                      url_taxpayer(rq->a, rq->ente->slug, f.tp.id)));
}

err_code page_taxpayer_new(request *rq, response *rs) {
  tp_form f = {0};
  f.tp.kind = TP_PERSON;
  render(rq, rs, &f, NULL, 1);
  return ERR_OK;
}

err_code page_taxpayer_create(request *rq, response *rs) { return save(rq, rs, NULL); }

err_code page_taxpayer_edit(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  tp_form f = {0};
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &f.tp);
  if (e != ERR_OK) return e;
  render(rq, rs, &f, NULL, 0);
  return ERR_OK;
}

err_code page_taxpayer_update(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  taxpayer prev;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &prev);
  if (e != ERR_OK) return e;
  return save(rq, rs, &prev);
}

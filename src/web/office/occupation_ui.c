/* The occupation fields both office forms share (see occupation_ui.h). */
#include <string.h>

#include "web/office/cases_ui.h"
#include "web/office/occupation_ui.h"

occ_tp_values occ_ui_read_taxpayer(request *rq) {
  return (occ_tp_values){cu_form(rq, "taxpayer.kind"),         cu_form(rq, "taxpayer.fiscal_code"),
                         cu_form(rq, "taxpayer.surname"),      cu_form(rq, "taxpayer.given_name"),
                         cu_form(rq, "taxpayer.company_name"), cu_form(rq, "taxpayer.email")};
}

occ_data_values occ_ui_read_data(request *rq) {
  return (occ_data_values){cu_form(rq, "place"),      cu_form(rq, "zone"),  cu_form(rq, "use"),
                           cu_form(rq, "kind"),       cu_form(rq, "surface_m2"), cu_form(rq, "start"),
                           cu_form(rq, "end")};
}

occ_data_values occ_ui_data_of(arena *a, const occupation *o) {
  return (occ_data_values){o->place,
                           o->zone,
                           o->use_code,
                           o->permanent ? "permanent" : "temporary",
                           o->surface_hundredths ? canone_format_scaled(a, o->surface_hundredths, 2) : NULL,
                           o->start_date,
                           o->end_date};
}

void occ_ui_field(html *h, const char *name, const char *label, const char *value, const char *type, int required,
                  int maxlength, const char *hint) {
  form_field f = {.name = name,
                  .label = label,
                  .value = value,
                  .type = type,
                  .required = required,
                  .maxlength = maxlength,
                  .hint = hint};
  form_input(h, &f);
}

void occ_ui_taxpayer_fields(html *h, const occ_tp_values *v, int required, const char *email_label,
                            const char *email_hint) {
  static const form_option kinds[] = {{"person", "Persona fisica"}, {"company", "Impresa o ente"}};
  form_field fk = {.name = "taxpayer.kind", .label = "Tipo", .value = v->kind ? v->kind : "person"};
  form_radio_group(h, &fk, kinds, 2);
  occ_ui_field(h, "taxpayer.fiscal_code", "Codice fiscale", v->fiscal_code, NULL, required, 16, NULL);
  occ_ui_field(h, "taxpayer.surname", "Cognome (persona)", v->surname, NULL, 0, 100, NULL);
  occ_ui_field(h, "taxpayer.given_name", "Nome (persona)", v->given_name, NULL, 0, 100, NULL);
  occ_ui_field(h, "taxpayer.company_name", "Ragione sociale (impresa)", v->company_name, NULL, 0, 200, NULL);
  occ_ui_field(h, "taxpayer.email", email_label, v->email, "email", 0, 254, email_hint);
}

void occ_ui_data_fields(html *h, const occ_data_values *v, int required, const char *start_label,
                        const char *end_label) {
  occ_ui_field(h, "place", "Luogo (via e civico)", v->place, NULL, required, 300, NULL);
  occ_ui_field(h, "zone", "Zona (codice delle regole del canone)", v->zone, NULL, required, 40, NULL);
  occ_ui_field(h, "use", "Utilizzo (dehors, ponteggio, passo_carrabile...)", v->use, NULL, required, 40, NULL);
  static const form_option kinds[] = {{"temporary", "Temporanea"}, {"permanent", "Permanente"}};
  form_field fo = {.name = "kind", .label = "Durata", .value = v->kind ? v->kind : "temporary"};
  form_radio_group(h, &fo, kinds, 2);
  occ_ui_field(h, "surface_m2", "Superficie in m²", v->surface, NULL, required, 12, "Ad esempio 12,50.");
  occ_ui_field(h, "start", start_label, v->start, "date", required, 10, NULL);
  occ_ui_field(h, "end", end_label, v->end, "date", 0, 10, NULL);
}

taxpayer occ_ui_taxpayer(arena *a, const occ_tp_values *v, const char *source) {
  taxpayer tp = {0};
  tp.kind = v->kind && strcmp(v->kind, "company") == 0 ? TP_COMPANY : TP_PERSON;
  tp.fiscal_code = (char *)v->fiscal_code;
  tp.surname = (char *)v->surname;
  tp.given_name = (char *)v->given_name;
  tp.company_name = (char *)v->company_name;
  if (v->email) {
    tp_contact *c = arena_alloc(a, sizeof *c);
    *c = (tp_contact){"email", (char *)v->email, 1, 0, (char *)source};
    tp.contacts = c;
    tp.n_contacts = 1;
  }
  return tp;
}

occupation_input occ_ui_input(int64_t ente_id, const occ_data_values *v) {
  return (occupation_input){.ente_id = ente_id,
                            .place = v->place,
                            .zone = v->zone,
                            .use = v->use,
                            .kind = v->kind,
                            .surface_m2 = v->surface,
                            .start = v->start,
                            .end = v->end};
}

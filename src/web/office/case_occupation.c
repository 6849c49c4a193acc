/* The occupation of public land on the case page: the declared data, the
 * fee with its breakdown, the notice and its state, and the operator's
 * action that computes the fee and issues the notice (POST; running it
 * again issues nothing more). */
#include <jansson.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/money.h"
#include "domain/canone/canone.h"
#include "web/office/cases_ui.h"
#include "web/office/occupation_auth.h"

static const char *today_iso(arena *a) {
  char b[11];
  date_format_iso(date_today_rome(clock_now()), b);
  return arena_strdup(a, b);
}

void case_occupation_breakdown(html *h, const char *breakdown) {
  if (!breakdown) return;
  json_error_t je;
  json_t *arr = json_loads(breakdown, 0, &je);
  static const char *const cols[] = {"Voce", "Valore"};
  table_begin(h, "Calcolo del canone", 1, cols, 2);
  for (size_t i = 0; arr && i < json_array_size(arr); i++) {
    json_t *l = json_array_get(arr, i);
    table_row_begin(h);
    table_cell(h, json_string_value(json_object_get(l, "label")));
    table_cell(h, json_string_value(json_object_get(l, "value")));
    table_row_end(h);
  }
  table_end(h);
  json_decref(arr);
}

void case_occupation_section(request *rq, html *h, const case_rec *c) {
  occupation o;
  arena *a = rq->a;
  int may_work = c->state != CASE_CLOSED && WEB_USER_HAS_ROLE(rq, ROLES_CASE_WORK);
  err_code e = occupation_get_by_case(rq->db, rq->a, rq->ente->id, c->id, &o);
  if (e != ERR_OK) {
    if (e != ERR_NOT_FOUND || strcmp(c->category_code, "osp_nuova") != 0 || !may_work) return;
    html_elem(h, "h2", "Occupazione di suolo pubblico", HA("class", "h4 mt-5"), HA("id", "occupazione"));
    html_elem(h, "p", "La dichiarazione non ha ancora i dati strutturati dell'occupazione.");
    html_elem(h, "a", "Completa i dati dell'occupazione",
              HA("href", url_case_action(a, rq->ente->slug, c->id, "occupazione")),
              HA("class", "btn btn-primary"));
    return;
  }
  html_elem(h, "h2", "Occupazione di suolo pubblico", HA("class", "h4 mt-5"), HA("id", "occupazione"));
  dl_begin(h);
  cu_row(h, "Stato", code_label(&LABELS_OCCUPATION_STATE, o.state));
  cu_row(h, "Luogo", o.place);
  cu_row(h, "Tipo", o.permanent ? "Permanente" : "Temporanea");
  cu_row(h, "Zona", o.zone);
  cu_row(h, "Utilizzo", o.use_code);
  if (o.surface_hundredths)
    cu_row(h, "Superficie", arena_printf(a, "%s m²", canone_format_scaled(a, o.surface_hundredths, 2)));
  cu_row(h, "Dal", cu_date_it(a, o.start_date));
  if (o.end_date) cu_row(h, "Al", cu_date_it(a, o.end_date));
  cu_row(h, "Ufficio dell'Ente", o.ente_email);
  if (o.paid_report_due) cu_row(h, "Pagamento comunicato all'Ente il", cu_date_it(a, o.paid_report_due));
  if (o.variation)
    cu_row(h, "Variazione",
           strcmp(o.variation, "holder") == 0    ? "Intestazione"
           : strcmp(o.variation, "surface") == 0 ? "Superficie"
                                                 : "Natura dell'occupazione");
  if (o.ceased_on) cu_row(h, "Cessazione dal", cu_date_it(a, o.ceased_on));
  if (o.inspection_due) cu_row(h, "Sopralluogo entro", cu_date_it(a, o.inspection_due));
  if (o.inspection_on) cu_row(h, "Sopralluogo eseguito il", cu_date_it(a, o.inspection_on));
  cu_row(h, "Verbale del sopralluogo", o.inspection_report);
  dl_end(h);
  if (o.inspection_due && !o.inspection_on && strcmp(o.inspection_due, today_iso(a)) < 0)
    html_elem(h, "p", "Sopralluogo in ritardo: il termine di 20 giorni è scaduto.",
              HA("class", "alert alert-danger"));
  case_occupation_breakdown(h, o.breakdown);
  case_occupation_auth_section(rq, h, c, &o);
  int ente_staff = WEB_USER_HAS_ROLE(rq, ROLE_BIT(ROLE_ENTE_STAFF) | ROLE_BIT(ROLE_ADMIN));
  if (o.ente_decision && strcmp(o.ente_decision, "pending") == 0 && ente_staff) {
    html_elem(h, "h3", "Decisione dell'Ente sulla variazione", HA("class", "h5"));
    form_begin(h, url_case_action(a, rq->ente->slug, c->id, "variazione-decisione"), rq->csrf);
    static const form_option dec[] = {{"approva", "Approva"}, {"rifiuta", "Rifiuta"}};
    form_field fd = {.name = "decisione", .label = "Decisione", .value = "approva"};
    form_radio_group(h, &fd, dec, 2);
    cu_textarea(h, "nota", "Nota (facoltativa)", NULL, 3, 0, NULL);
    form_submit(h, "Invia la decisione");
    form_end(h);
  }
  if (may_work) occupation_change_links(rq, h, c, &o);
  occupation_inspection_section(rq, h, c, &o, may_work);
  if (strcmp(o.kind, "cessation") == 0 && !o.inspection_on && may_work) {
    if (!o.photos_requested_at) {
      form_begin(h, url_case_action(a, rq->ente->slug, c->id, "chiedi-foto"), rq->csrf);
      form_submit(h, "Chiedi le fotografie al contribuente");
      form_end(h);
    }
  }
  if (!o.act_id && may_work && strcmp(o.kind, "new") == 0) {
    html_open(h, "p");
    html_elem(h, "a", "Modifica i dati dell'occupazione",
              HA("href", url_case_action(a, rq->ente->slug, c->id, "occupazione")));
    html_close(h, "p");
    form_begin(h, url_case_action(a, rq->ente->slug, c->id, "elabora-occupazione"), rq->csrf);
    form_submit(h, "Calcola il canone ed emetti l'avviso");
    form_end(h);
  }
}

err_code page_case_occupation_process(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  case_actor ca = cu_actor(rq);
  occupation o;
  problems pbs = {0};
  int again = 0;
  err_code e = occupation_process(rq->db, rq->a, &ca.who, rq->ente->id, id, &o, &again, &pbs);
  if (e == ERR_OK)
    return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=avviso", url_case(rq->a, rq->ente->slug, id)));
  if (e == ERR_INVALID) return case_page_render(rq, rs, id, pbs.n ? &pbs.items[0] : NULL, 422);
  if (e == ERR_CASE_STATE || e == ERR_CANONE_RULES) {
    problem p = {e, NULL, err_message_it(e)};
    return case_page_render(rq, rs, id, &p, 409);
  }
  return e;
}

static err_code back(request *rq, response *rs, int64_t id, err_code e, const problems *pbs,
                     const char *what) {
  if (e == ERR_OK)
    return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=%s", url_case(rq->a, rq->ente->slug, id), what));
  if (e == ERR_INVALID) return case_page_render(rq, rs, id, pbs->n ? &pbs->items[0] : NULL, 422);
  if (e == ERR_CASE_STATE || e == ERR_CANONE_RULES) {
    problem p = {e, NULL, err_message_it(e)};
    return case_page_render(rq, rs, id, &p, 409);
  }
  return e;
}

err_code page_case_variation_decide(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  const char *dec = cu_form(rq, "decisione");
  problems pbs = {0};
  if (!dec || (strcmp(dec, "approva") && strcmp(dec, "rifiuta"))) {
    problems_add(rq->a, &pbs, ERR_INVALID, "decisione", "Scegli se approvare o rifiutare la variazione.");
    return back(rq, rs, id, ERR_INVALID, &pbs, "decisione");
  }
  occupation o;
  err_code e = occupation_variation_decide(rq->db, rq->a, &rq->who, rq->ente->id, id,
                                           strcmp(dec, "approva") == 0, cu_form(rq, "nota"), &o, &pbs);
  return back(rq, rs, id, e, &pbs, "decisione");
}

err_code page_case_ask_photos(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_actor ca = cu_actor(rq);
  problems pbs = {0};
  err_code e = occupation_ask_photos(rq->db, rq->a, &ca, rq->ente->id, id, &pbs);
  if (e == ERR_FORBIDDEN) {
    problem p = {e, NULL, "Prendi in carico la pratica (nel tuo ufficio) prima di chiedere le fotografie."};
    return case_page_render(rq, rs, id, &p, 403);
  }
  return back(rq, rs, id, e, &pbs, "inviato");
}

err_code page_case_inspection(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  problems pbs = {0};
  occupation o;
  err_code e = occupation_inspection(rq->db, rq->a, &rq->who, rq->ente->id, id, cu_form(rq, "giorno"),
                                     cu_form(rq, "verbale"), &o, &pbs);
  return back(rq, rs, id, e, &pbs, "sopralluogo");
}

/* Variations and cessations opened by an operator from the case of a
 * processed declaration: /ufficio/{ente}/pratiche/{id}/variazione-occupazione
 * (a change of holder with the new holder's data, or of nature or surface
 * with the new data) and .../cessazione-occupazione (the date). Each opens
 * its own case (osp_variazione, osp_cessazione) through the same domain
 * functions the CLI and the API use; every problem is shown next to its
 * field with what was typed kept, and nothing is written on error. */
#include <string.h>

#include "domain/canone/canone.h"
#include "web/office/cases_ui.h"
#include "web/office/occupation_ui.h"

typedef struct {
  const char *what, *channel, *note, *ceased_on, *holder_from;
  occ_tp_values tp;
  occ_data_values d;
} chg_values;

static const form_option CHANNELS[] = {{"counter", "Sportello"}, {"email", "E-mail"},
                                       {"pec", "PEC"},           {"phone", "Telefono"},
                                       {"web", "Modulo web"},    {"ente", "Dall'Ente"}};

static chg_values read_values(request *rq) {
  return (chg_values){cu_form(rq, "what"),        cu_form(rq, "channel"),     cu_form(rq, "note"),
                      cu_form(rq, "ceased_on"),   cu_form(rq, "holder_from"), occ_ui_read_taxpayer(rq),
                      occ_ui_read_data(rq)};
}

/* The processed declaration of case id, or a problem page. */
static err_code parent(request *rq, response *rs, int64_t id, case_rec *c, occupation *o) {
  err_code e = cases_get(rq->db, rq->a, rq->ente->id, id, c);
  if (e != ERR_OK) return e;
  e = occupation_get_by_case(rq->db, rq->a, rq->ente->id, id, o);
  if (e == ERR_NOT_FOUND || (e == ERR_OK && (strcmp(o->kind, "new") != 0 || !o->act_id || o->ceased_on))) {
    problem p = {ERR_CASE_STATE, NULL,
                 "Variazioni e cessazioni si aprono da una dichiarazione di occupazione con avviso emesso "
                 "e non cessata."};
    case_page_render(rq, rs, id, &p, 409);
    return ERR_CASE_STATE;
  }
  return e;
}

static void render(request *rq, response *rs, int64_t id, const case_rec *pc, int cessation,
                   const chg_values *v, const problems *pbs, int status) {
  page_info p;
  arena *a = rq->a;
  const char *title = cessation ? "Cessazione dell'occupazione" : "Variazione dell'occupazione";
  if (web_page_info(rq, title, "pratiche", &p) != ERR_OK) return;
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  html_elem(
      &h, "p",
      arena_printf(a,
                   cessation ? "Apre una pratica di cessazione (5 giorni lavorativi) della dichiarazione "
                               "%s: si chiedono le fotografie e si fa il sopralluogo entro 20 giorni."
                             : "Apre una pratica di variazione (3 giorni lavorativi) della dichiarazione "
                               "%s. Il cambio di intestazione aggiorna subito l'anagrafica; la variazione "
                               "di natura o superficie attende l'approvazione dell'Ente.",
                   pc->label),
      HA("class", "lead"));
  const char *action = cessation ? url_case_action(a, rq->ente->slug, id, "cessazione-occupazione")
                                 : url_case_action(a, rq->ente->slug, id, "variazione-occupazione");
  form_begin_errors(&h, action, rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  form_field fc = {.name = "channel", .label = "Richiesta arrivata da", .value = v->channel};
  form_select(&h, &fc, CHANNELS, sizeof CHANNELS / sizeof *CHANNELS);
  if (cessation) {
    occ_ui_field(&h, "ceased_on", "Data di cessazione", v->ceased_on, "date", 1, 10,
          "Dal giorno dopo non sono dovuti altri importi.");
  } else {
    static const form_option whats[] = {{"holder", "Intestazione (nuovo titolare)"},
                                        {"surface", "Superficie"},
                                        {"nature", "Natura dell'occupazione"}};
    form_field fw = {.name = "what", .label = "Variazione di", .value = v->what ? v->what : "surface"};
    form_radio_group(&h, &fw, whats, 3);
    html_elem(&h, "h2", "Nuovo titolare (solo per l'intestazione)", HA("class", "h5 mt-4"));
    occ_ui_taxpayer_fields(&h, &v->tp, 0, "E-mail del nuovo titolare",
                           "Con il suo consenso: riceve gli avvisi per e-mail.");
    occ_ui_field(&h, "holder_from", "Subentro dal", v->holder_from, "date", 0, 10,
                 "Il nuovo titolare paga la parte del periodo dopo questa data (oggi se vuota), se non già pagata.");
    html_elem(&h, "h2", "Nuovi dati (solo per natura o superficie)", HA("class", "h5 mt-4"));
    occ_ui_data_fields(&h, &v->d, 0, "Dal", "Al (occupazione temporanea)");
  }
  cu_textarea(&h, "note", "Nota (facoltativa)", v->note, 3, 0, form_error_for(&h, "note"));
  form_actions(&h, cessation ? "Apri la cessazione" : "Apri la variazione", url_case(a, rq->ente->slug, id));
  form_end(&h);
  page_end(&h, &p);
}

static err_code get(request *rq, response *rs, int cessation) {
  int64_t id = rq_param_id(rq, 1);
  case_rec c;
  occupation o;
  err_code e = parent(rq, rs, id, &c, &o);
  if (e != ERR_OK) return e == ERR_CASE_STATE ? ERR_OK : e;
  chg_values v = {0};
  v.channel = "counter";
  v.d = occ_ui_data_of(rq->a, &o);
  render(rq, rs, id, &c, cessation, &v, NULL, 0);
  return ERR_OK;
}

static err_code post(request *rq, response *rs, int cessation) {
  int64_t id = rq_param_id(rq, 1);
  case_rec pc;
  occupation po;
  err_code e = parent(rq, rs, id, &pc, &po);
  if (e != ERR_OK) return e == ERR_CASE_STATE ? ERR_OK : e;
  chg_values v = read_values(rq);
  occupation_input in = occ_ui_input(rq->ente->id, &v.d);
  taxpayer tp = occ_ui_taxpayer(rq->a, &v.tp, "sportello");
  if (v.what && strcmp(v.what, "holder") == 0) in.start = v.holder_from;
  occupation_change_input ci = {.what = cessation ? "cessation" : v.what,
                                .channel = v.channel,
                                .note = v.note,
                                .ceased_on = v.ceased_on,
                                .in = &in,
                                .tp = &tp};
  case_rec c;
  occupation o;
  problems pbs = {0};
  e = occupation_change_open(rq->db, rq->a, &rq->who, rq->ente->id, id, &ci, &c, &o, &pbs);
  if ((e == ERR_INVALID || e == ERR_CONFLICT) && pbs.n) {
    /* a problem about no field of this form goes to the summary only */
    for (size_t i = 0; i < pbs.n; i++) {
      const char *f = pbs.items[i].field;
      if (f && (strcmp(f, "parent_case") == 0 || strcmp(f, "variation") == 0))
        pbs.items[i].field = NULL;
      else if (f && strcmp(f, "start") == 0 && v.what && strcmp(v.what, "holder") == 0)
        pbs.items[i].field = "holder_from";
    }
    render(rq, rs, id, &pc, cessation, &v, &pbs, 422);
    return ERR_OK;
  }
  if (e == ERR_CASE_STATE) {
    problem p = {e, NULL, "L'occupazione non si può più variare o cessare."};
    return case_page_render(rq, rs, id, &p, 409);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=aperta", url_case(rq->a, rq->ente->slug, c.id)));
}

err_code page_occupation_variation(request *rq, response *rs) { return get(rq, rs, 0); }
err_code page_occupation_variation_post(request *rq, response *rs) { return post(rq, rs, 0); }
err_code page_occupation_cessation(request *rq, response *rs) { return get(rq, rs, 1); }
err_code page_occupation_cessation_post(request *rq, response *rs) { return post(rq, rs, 1); }

void occupation_change_links(request *rq, html *h, const case_rec *c, const occupation *o) {
  if (strcmp(o->kind, "new") != 0 || !o->act_id || o->ceased_on || !WEB_USER_HAS_ROLE(rq, ROLES_CASE_WORK))
    return;
  (void)c;
  html_open(h, "p", HA("class", "d-flex flex-wrap gap-2"));
  html_elem(h, "a", "Apri una variazione",
            HA("href", url_case_action(rq->a, rq->ente->slug, c->id, "variazione-occupazione")),
            HA("class", "btn btn-outline-primary"));
  html_elem(h, "a", "Apri una cessazione",
            HA("href", url_case_action(rq->a, rq->ente->slug, c->id, "cessazione-occupazione")),
            HA("class", "btn btn-outline-primary"));
  html_close(h, "p");
}

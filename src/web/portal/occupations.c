/* The citizen's occupations of public land (canone unico) in the personal
 * area: the list, one occupation with its fee, notice and changes, and the
 * two requests a holder makes online (seed 000): a variation of nature or
 * surface, which the Ente approves before any notice, and a cessation,
 * which gets its inspection. Each request opens its case, protocolled,
 * and the office works it as any other. Only the citizen's own
 * occupations: another's id is 404. */
#include <string.h>

#include "domain/canone/canone.h"
#include "web/office/cases_ui.h"
#include "web/portal/portal_web.h"

static const char *occ_url(request *rq, int64_t id, const char *suffix) {
  return portal_url(rq, arena_printf(rq->a, "/area-personale/occupazioni/%lld%s", (long long)id, suffix));
}

/* The citizen's taxpayer id in this Ente, 0 when the registry has none. */
static err_code own_taxpayer(request *rq, int64_t *id) {
  taxpayer tp;
  err_code rc = taxpayer_by_fiscal_code(rq->db, rq->a, rq->ente->id, rq->citizen->fiscal_code, &tp);
  *id = rc == ERR_OK ? tp.id : 0;
  return rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

static const char *kind_label(const occupation *o) {
  if (!strcmp(o->kind, "new")) return "Dichiarazione";
  if (!strcmp(o->kind, "cessation")) return "Cessazione";
  return o->variation && !strcmp(o->variation, "holder")    ? "Variazione dell'intestazione"
         : o->variation && !strcmp(o->variation, "surface") ? "Variazione della superficie"
                                                            : "Variazione della natura";
}

static const char *surface_text(arena *a, const occupation *o) {
  return o->surface_hundredths ? arena_printf(a, "%s m²", canone_format_scaled(a, o->surface_hundredths, 2)) : "";
}

static const char *period_text(arena *a, const occupation *o) {
  if (!o->start_date) return "";
  if (o->permanent) return arena_printf(a, "permanente dal %s", cu_date_it(a, o->start_date));
  return arena_printf(a, "dal %s al %s", cu_date_it(a, o->start_date), cu_date_it(a, o->end_date));
}

err_code page_portal_occupations(request *rq, response *rs) {
  int64_t tp;
  err_code rc = own_taxpayer(rq, &tp);
  if (rc != ERR_OK) return rc;
  occupation *xs = NULL;
  size_t n = 0;
  if (tp && (rc = occupation_of_taxpayer(rq->db, rq->a, rq->ente->id, tp, &xs, &n)) != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, "Occupazioni di suolo pubblico", "area-personale", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")},
               {"Occupazioni di suolo pubblico", NULL});
  p.lead = "Le tue occupazioni di suolo pubblico (canone unico): da qui chiedi una variazione o comunichi "
           "la cessazione.";
  html h = portal_html(rq, rs, &p);
  static const char *const cols[] = {"Occupazione", "Luogo", "Superficie", "Periodo", "Canone", "Stato"};
  size_t shown = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(xs[i].kind, "new")) continue;
    if (!shown++) table_begin(&h, "Occupazioni di suolo pubblico", 0, cols, 6);
    table_row_begin(&h);
    table_cell_link(&h, xs[i].ceased_on ? "Dichiarazione (cessata)" : "Dichiarazione", occ_url(rq, xs[i].id, ""), 1);
    table_cell(&h, xs[i].place);
    table_cell(&h, surface_text(rq->a, &xs[i]));
    table_cell(&h, period_text(rq->a, &xs[i]));
    table_cell(&h, xs[i].act_id ? portal_eur(rq->a, xs[i].amount_cents) : "da calcolare");
    table_cell(&h, code_label(&LABELS_OCCUPATION_STATE, xs[i].state));
    table_row_end(&h);
  }
  if (shown) table_end(&h);
  else html_elem(&h, "p", "Non risultano occupazioni di suolo pubblico a tuo nome presso l'Ente.");
  portal_end(&h, &p);
  return ERR_OK;
}

/* The forms of a declaration that may change; pbs go to the form named
 * by `which` ("variazione" or "cessazione"), whose values are the posted
 * ones; the other shows the current data. */
static err_code change_forms(request *rq, html *h, const occupation *o, const char *which, const problems *pbs) {
  canone_rules r;
  err_code rc = canone_rules_get(rq->db, rq->a, rq->ente->id, &r);
  if (rc != ERR_OK) return rc;
  int posted = which && !strcmp(which, "variazione");
  const problem *errs = posted && pbs ? pbs->items : NULL;
  size_t nerr = posted && pbs ? pbs->n : 0;
#define VAL(name, current) (posted ? rq_form(rq, name) : (current))
  html_elem(h, "h2", "Chiedi una variazione", HA("class", "h4 mt-5"), HA("id", "variazione"));
  html_elem(h, "p",
            "Cambia la superficie o la natura dell'occupazione (zona, utilizzo, durata). L'Ente valuta la "
            "richiesta; se la approva ricevi l'avviso per la differenza del canone.");
  form_begin_errors(h, occ_url(rq, o->id, "/variazione"), rq->csrf, errs, nerr);
  form_option *zones = ARENA_ARRAY(rq->a, form_option, r.n_zones);
  for (size_t i = 0; i < r.n_zones; i++) zones[i] = (form_option){r.zones[i].code, r.zones[i].code};
  form_select(h, &(form_field){.name = "zone", .label = "Zona", .value = VAL("zone", o->zone), .required = 1},
              zones, r.n_zones);
  form_option *uses = ARENA_ARRAY(rq->a, form_option, r.n_uses);
  for (size_t i = 0; i < r.n_uses; i++) uses[i] = (form_option){r.uses[i].code, r.uses[i].code};
  form_select(h, &(form_field){.name = "use", .label = "Utilizzo", .value = VAL("use", o->use_code), .required = 1},
              uses, r.n_uses);
  static const form_option kinds[] = {{"permanent", "Permanente"}, {"temporary", "Temporanea"}};
  form_radio_group(h,
                   &(form_field){.name = "kind",
                                 .label = "Durata",
                                 .value = VAL("kind", o->permanent ? "permanent" : "temporary"),
                                 .required = 1},
                   kinds, 2);
  form_input(h, &(form_field){.name = "surface_m2",
                              .label = "Superficie in m²",
                              .value = VAL("surface_m2", canone_format_scaled(rq->a, o->surface_hundredths, 2)),
                              .required = 1,
                              .hint = "Per esempio 12,50.",
                              .maxlength = 12});
  form_input(h, &(form_field){.name = "start",
                              .label = "Dal",
                              .type = "date",
                              .value = VAL("start", o->start_date),
                              .required = 1});
  form_input(h, &(form_field){.name = "end",
                              .label = "Al (solo per le occupazioni temporanee)",
                              .type = "date",
                              .value = VAL("end", o->end_date)});
  cu_textarea(h, "note", "Note per l'ufficio (facoltative)", posted ? rq_form(rq, "note") : NULL, 3, 0, NULL);
  form_submit(h, "Invia la richiesta di variazione");
  form_end(h);
#undef VAL
  posted = which && !strcmp(which, "cessazione");
  html_elem(h, "h2", "Comunica la cessazione", HA("class", "h4 mt-5"), HA("id", "cessazione"));
  html_elem(h, "p",
            "Dalla data di cessazione non è più dovuto il canone. L'ufficio ti chiederà le fotografie del "
            "ripristino dei luoghi ed eseguirà un sopralluogo entro 20 giorni.");
  form_begin_errors(h, occ_url(rq, o->id, "/cessazione"), rq->csrf, posted && pbs ? pbs->items : NULL,
                    posted && pbs ? pbs->n : 0);
  form_input(h, &(form_field){.name = "ceased_on",
                              .label = "Data di cessazione",
                              .type = "date",
                              .value = posted ? rq_form(rq, "ceased_on") : NULL,
                              .required = 1});
  cu_textarea(h, "cessation_note", "Note per l'ufficio (facoltative)", posted ? rq_form(rq, "cessation_note") : NULL,
              3, 0, NULL);
  form_submit(h, "Comunica la cessazione");
  form_end(h);
  return ERR_OK;
}

static const saved_notice notices[] = {
    {"variazione", "Richiesta di variazione registrata: la trovi tra le richieste qui sotto."},
    {"cessazione", "Cessazione comunicata: la trovi tra le richieste qui sotto."}};

static err_code render_occ(request *rq, response *rs, const char *which, const problems *pbs) {
  int64_t tp, id = rq_param_id(rq, 1);
  err_code rc = own_taxpayer(rq, &tp);
  if (rc != ERR_OK) return rc;
  occupation *xs = NULL;
  size_t n = 0;
  if (tp && (rc = occupation_of_taxpayer(rq->db, rq->a, rq->ente->id, tp, &xs, &n)) != ERR_OK) return rc;
  const occupation *o = NULL;
  for (size_t i = 0; i < n; i++)
    if (xs[i].id == id && !strcmp(xs[i].kind, "new")) o = &xs[i];
  if (!o) return ERR_NOT_FOUND;
  portal_page p;
  if ((rc = portal_page_for(rq, arena_printf(rq->a, "Occupazione: %s", o->place), "area-personale", &p)) != ERR_OK)
    return rc;
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")},
               {"Occupazioni di suolo pubblico", portal_url(rq, "/area-personale/occupazioni")}, {o->place, NULL});
  p.notice = saved_notice_for(notices, sizeof notices / sizeof *notices, rq_query(rq, "inviata"));
  if (pbs && pbs->n) rs->status = 422;
  html h = portal_html(rq, rs, &p);
  dl_begin(&h);
  cu_row(&h, "Stato", code_label(&LABELS_OCCUPATION_STATE, o->state));
  cu_row(&h, "Luogo", o->place);
  cu_row(&h, "Zona", o->zone);
  cu_row(&h, "Utilizzo", o->use_code);
  cu_row(&h, "Superficie", surface_text(rq->a, o));
  cu_row(&h, "Periodo", period_text(rq->a, o));
  if (o->ceased_on) cu_row(&h, "Cessata dal", cu_date_it(rq->a, o->ceased_on));
  if (o->act_id) cu_row(&h, "Canone", portal_eur(rq->a, o->amount_cents));
  dl_end(&h);
  if (o->act_id) {
    html_open(&h, "p");
    button_link(&h, "Vedi l'avviso e paga",
                portal_url(rq, arena_printf(rq->a, "/area-personale/atti/%lld", (long long)o->act_id)), BTN_PRIMARY);
    html_close(&h, "p");
  }
  case_occupation_breakdown(&h, o->breakdown);
  int open = 0, shown = 0;
  static const char *const cols[] = {"Richiesta", "Pratica", "Dal", "Stato"};
  for (size_t i = 0; i < n; i++) {
    if (xs[i].parent_id != o->id) continue;
    open |= occupation_change_pending(&xs[i]);
    case_rec c;
    if ((rc = cases_get(rq->db, rq->a, rq->ente->id, xs[i].case_id, &c)) != ERR_OK) return rc;
    if (!shown++) {
      html_elem(&h, "h2", "Richieste", HA("class", "h4 mt-4"));
      table_begin(&h, "Richieste su questa occupazione", 0, cols, 4);
    }
    table_row_begin(&h);
    table_cell(&h, kind_label(&xs[i]));
    table_cell(&h, c.label);
    table_cell(&h, xs[i].ceased_on ? cu_date_it(rq->a, xs[i].ceased_on) : cu_date_it(rq->a, xs[i].start_date));
    table_cell(&h, code_label(&LABELS_OCCUPATION_STATE, xs[i].state));
    table_row_end(&h);
  }
  if (shown) table_end(&h);
  if (!o->act_id)
    html_elem(&h, "p", "L'ufficio sta calcolando il canone: potrai chiedere variazioni dopo l'avviso.");
  else if (o->ceased_on)
    html_elem(&h, "p", "L'occupazione è cessata.");
  else if (open)
    html_elem(&h, "p", "C'è una richiesta in corso: potrai inviarne un'altra quando sarà conclusa.");
  else if ((rc = change_forms(rq, &h, o, which, pbs)) != ERR_OK)
    return rc;
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_occupation(request *rq, response *rs) { return render_occ(rq, rs, NULL, NULL); }

static occupation_citizen_req citizen_req(request *rq, int64_t taxpayer_id, const char *note_field) {
  return (occupation_citizen_req){rq->ente->id,      taxpayer_id, rq_param_id(rq, 1), rq->citizen->fiscal_code,
                                  rq->citizen->name, rq_form(rq, note_field)};
}

/* The result of a request: 422 with the problems on the posted form, a
 * redirect when recorded. */
static err_code after_post(request *rq, response *rs, err_code rc, const char *which, const problems *pbs) {
  if (rc == ERR_INVALID || rc == ERR_CASE_STATE) return render_occ(rq, rs, which, pbs);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, arena_printf(rq->a, "%s?inviata=%s", occ_url(rq, rq_param_id(rq, 1), ""), which));
}

err_code page_portal_occupation_variation(request *rq, response *rs) {
  int64_t tp;
  err_code rc = own_taxpayer(rq, &tp);
  if (rc != ERR_OK) return rc;
  if (!tp) return ERR_NOT_FOUND;
  problems pbs = {0};
  occupation_input in = {.ente_id = rq->ente->id,
                         .zone = rq_form(rq, "zone"),
                         .use = rq_form(rq, "use"),
                         .kind = rq_form(rq, "kind"),
                         .surface_m2 = rq_form(rq, "surface_m2"),
                         .start = rq_form(rq, "start"),
                         .end = rq_form(rq, "end"),
                         .note = rq_form(rq, "note")};
  occupation_citizen_req r = citizen_req(rq, tp, "note");
  case_rec c;
  occupation o;
  rc = occupation_citizen_variation(rq->db, rq->a, &rq->who, &r, &in, &c, &o, &pbs);
  return after_post(rq, rs, rc, "variazione", &pbs);
}

err_code page_portal_occupation_cessation(request *rq, response *rs) {
  int64_t tp;
  err_code rc = own_taxpayer(rq, &tp);
  if (rc != ERR_OK) return rc;
  if (!tp) return ERR_NOT_FOUND;
  problems pbs = {0};
  occupation_citizen_req r = citizen_req(rq, tp, "cessation_note");
  case_rec c;
  occupation o;
  rc = occupation_citizen_cessation(rq->db, rq->a, &rq->who, &r, rq_form(rq, "ceased_on"), &c, &o, &pbs);
  for (size_t i = 0; i < pbs.n; i++)
    if (pbs.items[i].field && !strcmp(pbs.items[i].field, "note")) pbs.items[i].field = "cessation_note";
  return after_post(rq, rs, rc, "cessazione", &pbs);
}

/* The inspection (sopralluogo) of a cessation: on the case, the state of
 * the photo link and, once recorded, the inspector and the outcome; the
 * page /ufficio/{ente}/pratiche/{id}/sopralluogo-verbale records it (day,
 * inspector, outcome, report and the operator's photos, sniffed with
 * libmagic), every problem next to its field, nothing written on error. */
#include <string.h>

#include "core/clock.h"
#include "web/occupation_photos_ui.h"
#include "web/office/cases_ui.h"

void occupation_inspection_section(request *rq, html *h, const case_rec *c, const occupation *o,
                                   int may_work) {
  if (strcmp(o->kind, "cessation") != 0) return;
  arena *a = rq->a;
  occ_photo_link l;
  if (occupation_photo_link_of_case(rq->db, rq->ente->id, c->id, &l) == ERR_OK) {
    html_elem(h, "p",
              arena_printf(a,
                           "Collegamento per le fotografie %s: %lld fotografie caricate dal contribuente "
                           "(sono tra gli allegati della pratica).",
                           l.expires_at > clock_now()
                               ? arena_printf(a, "valido fino al %s", cu_time(a, l.expires_at))
                               : "scaduto",
                           (long long)l.photos));
  }
  occ_inspection ins;
  if (o->inspection_on) {
    if (occupation_inspection_get(rq->db, a, rq->ente->id, c->id, &ins) == ERR_OK) {
      dl_begin(h);
      cu_row(h, "Sopralluogo eseguito da", ins.inspector);
      cu_row(h, "Esito del sopralluogo",
             strcmp(ins.outcome, "restored") == 0 ? "Luoghi ripristinati" : "Luoghi non ripristinati");
      cu_row(h, "Fotografie del sopralluogo", arena_printf(a, "%lld", (long long)ins.photos));
      dl_end(h);
    }
    return;
  }
  if (!may_work) return;
  html_open(h, "p");
  html_elem(h, "a", "Registra il sopralluogo",
            HA("href", url_case_action(a, rq->ente->slug, c->id, "sopralluogo-verbale")),
            HA("class", "btn btn-primary"));
  html_close(h, "p");
}

typedef struct {
  const char *day, *inspector, *outcome, *report;
} insp_values;

static void render(request *rq, response *rs, const case_rec *c, const occupation *o, const insp_values *v,
                   const problems *pbs, int status) {
  page_info p;
  arena *a = rq->a;
  if (web_page_info(rq, "Sopralluogo della cessazione", "pratiche", &p) != ERR_OK) return;
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  html_elem(
      &h, "p",
      arena_printf(a, "Pratica %s, occupazione in %s cessata dal %s: sopralluogo entro il %s.", c->label,
                   o->place ? o->place : "", cu_date_it(a, o->ceased_on), cu_date_it(a, o->inspection_due)),
      HA("class", "lead"));
  form_begin_multipart_errors(&h, url_case_action(a, rq->ente->slug, c->id, "sopralluogo-verbale"), rq->csrf,
                              pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  form_field fd = {
      .name = "day", .label = "Giorno del sopralluogo", .type = "date", .value = v->day, .required = 1};
  form_input(&h, &fd);
  form_field fi = {
      .name = "inspector", .label = "Eseguito da", .value = v->inspector, .required = 1, .maxlength = 200};
  form_input(&h, &fi);
  static const form_option outcomes[] = {{"restored", "Luoghi ripristinati"},
                                         {"not_restored", "Luoghi non ripristinati"}};
  form_field fo = {.name = "outcome", .label = "Esito", .value = v->outcome ? v->outcome : "restored"};
  form_radio_group(&h, &fo, outcomes, 2);
  cu_textarea(&h, "report", "Verbale", v->report, 5, 1, form_error_for(&h, "report"));
  occ_photo_input(&h, "foto", "Fotografie del sopralluogo (facoltative)",
                  "JPEG o PNG, al massimo 4 MB ciascuna e 10 in tutto.");
  form_actions(&h, "Registra e invia l'esito all'Ente", url_case(a, rq->ente->slug, c->id));
  form_end(&h);
  page_end(&h, &p);
}

static err_code load(request *rq, response *rs, int64_t id, case_rec *c, occupation *o) {
  err_code e = cases_get(rq->db, rq->a, rq->ente->id, id, c);
  if (e != ERR_OK) return e;
  e = occupation_get_by_case(rq->db, rq->a, rq->ente->id, id, o);
  if (e == ERR_NOT_FOUND || (e == ERR_OK && (strcmp(o->kind, "cessation") != 0 || o->inspection_on))) {
    problem p = {ERR_CASE_STATE, NULL, "Il sopralluogo si registra una volta, su una pratica di cessazione."};
    case_page_render(rq, rs, id, &p, 409);
    return ERR_CASE_STATE;
  }
  return e;
}

err_code page_case_inspection_form(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_rec c;
  occupation o;
  err_code e = load(rq, rs, id, &c, &o);
  if (e != ERR_OK) return e == ERR_CASE_STATE ? ERR_OK : e;
  insp_values v = {0};
  v.inspector = rq->user->full_name;
  render(rq, rs, &c, &o, &v, NULL, 0);
  return ERR_OK;
}

err_code page_case_inspection_record(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_rec c;
  occupation o;
  err_code e = load(rq, rs, id, &c, &o);
  if (e != ERR_OK) return e == ERR_CASE_STATE ? ERR_OK : e;
  insp_values v = {cu_form(rq, "day"), cu_form(rq, "inspector"), cu_form(rq, "outcome"),
                   cu_form(rq, "report")};
  problems pbs = {0};
  occ_photo *ph;
  size_t n;
  occ_photos_of_request(rq, "foto", &ph, &n, &pbs);
  occ_inspection_input in = {v.day, v.inspector, v.outcome, v.report, ph, n};
  if (!pbs.n) e = occupation_inspection_record(rq->db, rq->a, &rq->who, rq->ente->id, id, &in, &o, &pbs);
  if (pbs.n) {
    render(rq, rs, &c, &o, &v, &pbs, 422);
    return ERR_OK;
  }
  if (e == ERR_CASE_STATE) {
    problem p = {e, NULL, "Il sopralluogo è già registrato."};
    return case_page_render(rq, rs, id, &p, 409);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=sopralluogo", url_case(rq->a, rq->ente->slug, id)));
}

/* The occupation form, twice: Ente staff send a new declaration from their
 * back-office pages (/ufficio/{ente}/occupazioni/nuova: a case like the
 * API opens), and an operator completes the structured data of a
 * declaration that came by mail (/ufficio/{ente}/pratiche/{id}/occupazione).
 * Every problem is shown next to its field with what was typed kept. */
#include <string.h>

#include "domain/canone/canone.h"
#include "web/office/cases_ui.h"
#include "web/office/occupation_ui.h"

typedef struct {
  occ_tp_values tp;
  occ_data_values d;
  const char *ente_email, *subject;
} occ_values;

static occ_values read_values(request *rq) {
  return (occ_values){occ_ui_read_taxpayer(rq), occ_ui_read_data(rq), cu_form(rq, "ente_email"),
                      cu_form(rq, "subject")};
}

static void render(request *rq, response *rs, int64_t case_id, const occ_values *v, const problems *pbs,
                   int status) {
  page_info p;
  const char *title = case_id ? "Dati dell'occupazione" : "Nuova occupazione di suolo pubblico";
  if (web_page_info(rq, title, "pratiche", &p) != ERR_OK) return;
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            case_id
                ? "Completa i dati strutturati della dichiarazione arrivata per posta: servono per "
                  "calcolare il canone ed emettere l'avviso."
                : "La dichiarazione approvata viene protocollata e lavorata dal concessionario entro 3 "
                  "giorni lavorativi: calcolo del canone, avviso pagoPA al contribuente e copia all'Ente.",
            HA("class", "lead"));
  const char *action = case_id ? url_case_action(rq->a, rq->ente->slug, case_id, "occupazione")
                               : arena_printf(rq->a, "/ufficio/%s/occupazioni/nuova", rq->ente->slug);
  form_begin_errors(&h, action, rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  html_elem(&h, "h2", "Contribuente", HA("class", "h5 mt-4"));
  occ_ui_taxpayer_fields(&h, &v->tp, 1, "E-mail del contribuente",
                         "Con il consenso del contribuente: riceve l'avviso per e-mail.");
  html_elem(&h, "h2", "Occupazione", HA("class", "h5 mt-4"));
  occ_ui_data_fields(&h, &v->d, 1, "Inizio", "Fine (occupazione temporanea)");
  occ_ui_field(&h, "ente_email", "E-mail dell'ufficio dell'Ente", v->ente_email, "email", 1, 254,
        "Riceve la copia dell'avviso, la situazione dei pagamenti e l'avviso di pagamento avvenuto.");
  if (!case_id)
    occ_ui_field(&h, "subject", "Oggetto (facoltativo)", v->subject, NULL, 0, 300,
          "Scrivi URGENTE nell'oggetto per le richieste urgenti.");
  form_submit(&h, case_id ? "Salva i dati" : "Invia la dichiarazione");
  form_end(&h);
  page_end(&h, &p);
}

static void to_input(request *rq, const occ_values *v, occupation_input *in, taxpayer *tp) {
  *in = occ_ui_input(rq->ente->id, &v->d);
  in->ente_email = v->ente_email;
  in->subject = v->subject;
  *tp = occ_ui_taxpayer(rq->a, &v->tp, "web");
}

err_code page_occupation_new(request *rq, response *rs) {
  occ_values v = {0};
  v.ente_email = rq->user->email;
  render(rq, rs, 0, &v, NULL, 0);
  return ERR_OK;
}

err_code page_occupation_new_post(request *rq, response *rs) {
  occ_values v = read_values(rq);
  occupation_input in;
  taxpayer tp;
  to_input(rq, &v, &in, &tp);
  in.ente_office = arena_printf(rq->a, "%s (%s)", rq->user->full_name, rq->ente->name);
  case_rec c;
  occupation o;
  problems pbs = {0};
  err_code e = occupation_declare(rq->db, rq->a, &rq->who, &in, &tp, &c, &o, &pbs);
  if ((e == ERR_INVALID || e == ERR_CONFLICT) && pbs.n) {
    render(rq, rs, 0, &v, &pbs, 422);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=aperta", url_case(rq->a, rq->ente->slug, c.id)));
}

err_code page_case_occupation(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  case_rec c;
  err_code e = cases_get(rq->db, rq->a, rq->ente->id, id, &c);
  if (e != ERR_OK) return e;
  occ_values v = {0};
  v.ente_email = c.requester_email;
  occupation o;
  if (occupation_get_by_case(rq->db, rq->a, rq->ente->id, id, &o) == ERR_OK) {
    v.d = occ_ui_data_of(rq->a, &o);
    v.ente_email = o.ente_email;
    taxpayer tp;
    if (o.taxpayer_id && taxpayer_get(rq->db, rq->a, rq->ente->id, o.taxpayer_id, &tp) == ERR_OK)
      v.tp = (occ_tp_values){tp.kind == TP_COMPANY ? "company" : "person", tp.fiscal_code, tp.surname,
                             tp.given_name, tp.company_name, NULL};
  } else {
    v.tp.fiscal_code = c.requester_fiscal_code;
  }
  render(rq, rs, id, &v, NULL, 0);
  return ERR_OK;
}

err_code page_case_occupation_post(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  occ_values v = read_values(rq);
  occupation_input in;
  taxpayer tp;
  to_input(rq, &v, &in, &tp);
  occupation o;
  problems pbs = {0};
  err_code e = occupation_complete(rq->db, rq->a, &rq->who, rq->ente->id, id, &in, &tp, &o, &pbs);
  if ((e == ERR_INVALID || e == ERR_CONFLICT) && pbs.n) {
    render(rq, rs, id, &v, &pbs, 422);
    return ERR_OK;
  }
  if (e == ERR_CASE_STATE) {
    problem p = {e, NULL,
                 "L'avviso è già stato emesso (o la pratica è chiusa): i dati non si modificano più."};
    return case_page_render(rq, rs, id, &p, 409);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=occupazione", url_case(rq->a, rq->ente->slug, id)));
}

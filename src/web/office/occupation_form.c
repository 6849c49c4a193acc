/* The occupation form, twice: Ente staff send a new declaration from their
 * back-office pages (/ufficio/{ente}/occupazioni/nuova: a case like the
 * API opens), and an operator completes the structured data of a
 * declaration that came by mail (/ufficio/{ente}/pratiche/{id}/occupazione).
 * Every problem is shown next to its field with what was typed kept. */
#include <string.h>

#include "domain/canone/canone.h"
#include "web/office/cases_ui.h"

typedef struct {
  const char *tp_kind, *fiscal_code, *surname, *given_name, *company_name, *email;
  const char *place, *zone, *use, *kind, *surface, *start, *end, *ente_email, *subject;
} occ_values;

static occ_values read_values(request *rq) {
  occ_values v = {cu_form(rq, "taxpayer.kind"),
                  cu_form(rq, "taxpayer.fiscal_code"),
                  cu_form(rq, "taxpayer.surname"),
                  cu_form(rq, "taxpayer.given_name"),
                  cu_form(rq, "taxpayer.company_name"),
                  cu_form(rq, "taxpayer.email"),
                  cu_form(rq, "place"),
                  cu_form(rq, "zone"),
                  cu_form(rq, "use"),
                  cu_form(rq, "kind"),
                  cu_form(rq, "surface_m2"),
                  cu_form(rq, "start"),
                  cu_form(rq, "end"),
                  cu_form(rq, "ente_email"),
                  cu_form(rq, "subject")};
  return v;
}

static void field(html *h, const char *name, const char *label, const char *value, const char *type,
                  int required, int maxlength, const char *hint) {
  form_field f = {.name = name,
                  .label = label,
                  .value = value,
                  .type = type,
                  .required = required,
                  .maxlength = maxlength,
                  .hint = hint};
  form_input(h, &f);
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
  static const form_option kinds[] = {{"person", "Persona fisica"}, {"company", "Impresa o ente"}};
  form_field fk = {.name = "taxpayer.kind", .label = "Tipo", .value = v->tp_kind ? v->tp_kind : "person"};
  form_radio_group(&h, &fk, kinds, 2);
  field(&h, "taxpayer.fiscal_code", "Codice fiscale", v->fiscal_code, NULL, 1, 16, NULL);
  field(&h, "taxpayer.surname", "Cognome (persona)", v->surname, NULL, 0, 100, NULL);
  field(&h, "taxpayer.given_name", "Nome (persona)", v->given_name, NULL, 0, 100, NULL);
  field(&h, "taxpayer.company_name", "Ragione sociale (impresa)", v->company_name, NULL, 0, 200, NULL);
  field(&h, "taxpayer.email", "E-mail del contribuente", v->email, "email", 0, 254,
        "Con il consenso del contribuente: riceve l'avviso per e-mail.");
  html_elem(&h, "h2", "Occupazione", HA("class", "h5 mt-4"));
  field(&h, "place", "Luogo (via e civico)", v->place, NULL, 1, 300, NULL);
  field(&h, "zone", "Zona (codice delle regole del canone)", v->zone, NULL, 1, 40, NULL);
  field(&h, "use", "Utilizzo (dehors, ponteggio, passo_carrabile...)", v->use, NULL, 1, 40, NULL);
  static const form_option okinds[] = {{"temporary", "Temporanea"}, {"permanent", "Permanente"}};
  form_field fo = {.name = "kind", .label = "Durata", .value = v->kind ? v->kind : "temporary"};
  form_radio_group(&h, &fo, okinds, 2);
  field(&h, "surface_m2", "Superficie in m²", v->surface, NULL, 1, 12, "Ad esempio 12,50.");
  field(&h, "start", "Inizio", v->start, "date", 1, 10, NULL);
  field(&h, "end", "Fine (occupazione temporanea)", v->end, "date", 0, 10, NULL);
  field(&h, "ente_email", "E-mail dell'ufficio dell'Ente", v->ente_email, "email", 1, 254,
        "Riceve la copia dell'avviso, la situazione dei pagamenti e l'avviso di pagamento avvenuto.");
  if (!case_id)
    field(&h, "subject", "Oggetto (facoltativo)", v->subject, NULL, 0, 300,
          "Scrivi URGENTE nell'oggetto per le richieste urgenti.");
  form_submit(&h, case_id ? "Salva i dati" : "Invia la dichiarazione");
  form_end(&h);
  page_end(&h, &p);
}

static void to_input(request *rq, const occ_values *v, occupation_input *in, taxpayer *tp) {
  memset(in, 0, sizeof *in);
  in->ente_id = rq->ente->id;
  in->place = v->place;
  in->zone = v->zone;
  in->use = v->use;
  in->kind = v->kind;
  in->surface_m2 = v->surface;
  in->start = v->start;
  in->end = v->end;
  in->ente_email = v->ente_email;
  in->subject = v->subject;
  memset(tp, 0, sizeof *tp);
  tp->kind = v->tp_kind && strcmp(v->tp_kind, "company") == 0 ? TP_COMPANY : TP_PERSON;
  tp->fiscal_code = (char *)v->fiscal_code;
  tp->surname = (char *)v->surname;
  tp->given_name = (char *)v->given_name;
  tp->company_name = (char *)v->company_name;
  if (v->email) {
    tp_contact *c = arena_alloc(rq->a, sizeof *c);
    *c = (tp_contact){"email", (char *)v->email, 1, 0, "web"};
    tp->contacts = c;
    tp->n_contacts = 1;
  }
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
    v.place = o.place;
    v.zone = o.zone;
    v.use = o.use_code;
    v.kind = o.permanent ? "permanent" : "temporary";
    v.surface = o.surface_hundredths ? canone_format_scaled(rq->a, o.surface_hundredths, 2) : NULL;
    v.start = o.start_date;
    v.end = o.end_date;
    v.ente_email = o.ente_email;
    taxpayer tp;
    if (o.taxpayer_id && taxpayer_get(rq->db, rq->a, rq->ente->id, o.taxpayer_id, &tp) == ERR_OK) {
      v.tp_kind = tp.kind == TP_COMPANY ? "company" : "person";
      v.fiscal_code = tp.fiscal_code;
      v.surname = tp.surname;
      v.given_name = tp.given_name;
      v.company_name = tp.company_name;
    }
  } else {
    v.fiscal_code = c.requester_fiscal_code;
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

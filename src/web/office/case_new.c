/* Register a request taken at the counter or by phone: it gets a protocol
 * number, an office and a deadline like a mail, and the requester an
 * acknowledgement when an address is given. The form is shared with the
 * Ente staff's request (case_ente_request.c). */
#include <string.h>

#include "web/office/cases_ui.h"

static const char *err_for(const problem *pb, const char *field) {
  return pb && pb->field && strcmp(pb->field, field) == 0 ? pb->message : NULL;
}

void case_form_render(request *rq, response *rs, int from_ente, const case_form_values *v,
                      const problem *pb, int status) {
  page_info p;
  if (web_page_info(rq, from_ente ? "Richiesta al concessionario" : "Nuova richiesta allo sportello",
                    "pratiche", &p) != ERR_OK)
    return;
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (pb) form_error_summary(&h, pb, 1);
  html_elem(&h, "p",
            from_ente ? "La richiesta viene protocollata e assegnata a un ufficio del concessionario; "
                   "riceverai per e-mail il numero di protocollo e l'esito."
                 : "La richiesta viene protocollata e assegnata a un ufficio con la scadenza della "
                   "sua categoria, come una richiesta arrivata per posta elettronica.",
            HA("class", "lead"));
  form_begin(&h, from_ente ? url_case_ente_request(rq->a, rq->ente->slug) : url_case_new(rq->a, rq->ente->slug),
             rq->csrf);
  if (!from_ente) {
    static const form_option channels[] = {{"counter", "Sportello"}, {"phone", "Telefono"}};
    form_field fch = {.name = "channel", .label = "Canale", .value = v->channel ? v->channel : "counter",
                      .error = err_for(pb, "channel")};
    form_radio_group(&h, &fch, channels, 2);
  }
  size_t n;
  form_option *cats = cu_category_options(rq, NULL, &n);
  form_field fc = {.name = "category", .label = "Categoria", .value = v->category ? v->category : "informazioni",
                   .required = 1, .error = err_for(pb, "category")};
  form_select(&h, &fc, cats, n);
  form_field fs = {.name = "subject", .label = "Oggetto", .value = v->subject, .required = 1,
                   .maxlength = 300, .error = err_for(pb, "subject"),
                   .hint = "Scrivi URGENTE nell'oggetto per le richieste urgenti."};
  form_input(&h, &fs);
  cu_textarea(&h, "description", "Testo della richiesta", v->description, 6, 0,
              err_for(pb, "description"));
  html_elem(&h, "h2", from_ente ? "Riferimenti" : "Richiedente", HA("class", "h5 mt-4"));
  if (!from_ente) {
    form_field fn = {.name = "requester_name", .label = "Nome e cognome o ragione sociale",
                     .value = v->name, .required = 1, .maxlength = 200,
                     .error = err_for(pb, "requester_name"), .autocomplete = "off"};
    form_input(&h, &fn);
  }
  form_field ff = {.name = "requester_fiscal_code",
                   .label = from_ente ? "Codice fiscale del contribuente interessato (facoltativo)"
                                 : "Codice fiscale",
                   .value = v->fiscal_code, .maxlength = 16,
                   .error = err_for(pb, from_ente ? "act_taxpayer_cf" : "requester_fiscal_code")};
  form_input(&h, &ff);
  form_field fe = {.name = "requester_email", .label = "E-mail", .value = v->email, .type = "email",
                   .maxlength = 254, .error = err_for(pb, "requester_email"),
                   .hint = from_ente ? "Se vuota, l'e-mail del tuo utente." : "Per la ricevuta e l'esito."};
  form_input(&h, &fe);
  if (!from_ente) {
    form_field fp = {.name = "requester_pec", .label = "PEC", .value = v->pec, .type = "email",
                     .maxlength = 254, .error = err_for(pb, "requester_pec")};
    form_input(&h, &fp);
  }
  form_field ft = {.name = "requester_phone", .label = "Telefono", .value = v->phone, .type = "tel",
                   .maxlength = 30, .error = err_for(pb, "requester_phone")};
  form_input(&h, &ft);
  form_submit(&h, from_ente ? "Invia la richiesta" : "Registra la richiesta");
  form_end(&h);
  page_end(&h, &p);
}

static case_form_values read_values(request *rq) {
  return (case_form_values){cu_form(rq, "channel"),        cu_form(rq, "category"),
                            cu_form(rq, "subject"),        cu_form(rq, "description"),
                            cu_form(rq, "requester_name"), cu_form(rq, "requester_fiscal_code"),
                            cu_form(rq, "requester_email"), cu_form(rq, "requester_pec"),
                            cu_form(rq, "requester_phone")};
}

err_code page_case_new(request *rq, response *rs) {
  case_form_values v = {0};
  case_form_render(rq, rs, 0, &v, NULL, 0);
  return ERR_OK;
}

err_code page_case_create(request *rq, response *rs) {
  case_form_values v = read_values(rq);
  const char *ch = v.channel && strcmp(v.channel, "phone") == 0 ? "phone" : "counter";
  case_input in = {.ente_id = rq->ente->id, .channel = ch, .category_code = v.category,
                   .subject = v.subject, .description = v.description, .requester_name = v.name,
                   .requester_email = v.email, .requester_pec = v.pec,
                   .requester_fiscal_code = v.fiscal_code, .requester_phone = v.phone, .ack = 1};
  if (!in.category_code) in.category_code = "";
  case_rec c;
  problem pb = {0};
  err_code e = cases_open(rq->db, rq->a, &rq->who, &in, &c, &pb);
  if (e == ERR_INVALID) {
    case_form_render(rq, rs, 0, &v, &pb, 422);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=aperta", url_case(rq->a, rq->ente->slug, c.id)));
}

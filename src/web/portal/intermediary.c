/* The assistance channel for intermediaries (seed 002): a signed-in form,
 * open only within cases.intermediary_open..intermediary_close Europe/Rome
 * (outside those hours a clear message and nothing saved). The
 * intermediary gives the number of the communication or act and the
 * taxpayer's fiscal code; their last contact details are filled in and
 * editable; reason and details complete it. The answer is the protocol
 * number, also sent by e-mail; the office's managers are told. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "domain/protocol/protocol.h"
#include "web/office/cases_ui.h"

typedef struct {
  const char *act_number, *act_cf, *act_details, *reason, *description, *contact, *email, *phone,
      *office;
} im_values;

static int open_now(void) {
  return cases_within_hours(clock_now(), config_str("cases", "intermediary_open"),
                            config_str("cases", "intermediary_close"));
}

static const char *hours_message(request *rq) {
  return arena_printf(rq->a,
                      "Il canale di assistenza per gli intermediari è aperto tutti i giorni dalle "
                      "%s alle %s (ora italiana). In questo momento è chiuso: nessun dato è stato "
                      "salvato. Riprova nell'orario di apertura.",
                      config_str("cases", "intermediary_open"),
                      config_str("cases", "intermediary_close"));
}

static const char *err_for(const problem *pb, const char *field) {
  return pb && pb->field && strcmp(pb->field, field) == 0 ? pb->message : NULL;
}

static html begin(request *rq, response *rs, page_info *p, const char *title, int status) {
  web_page_info(rq, title, NULL, p);
  p->ente_slug = NULL; /* no office navigation or Ente switcher for intermediaries */
  p->n_entes = 0;
  if (status) rs->status = status;
  return web_begin(rq, rs, p);
}

static void render_form(request *rq, response *rs, const im_values *v, const problem *pb,
                        int status) {
  page_info p;
  html h = begin(rq, rs, &p, "Richiesta di assistenza", status);
  if (pb) form_error_summary(&h, pb, 1);
  html_open(&h, "p", HA("class", "lead"));
  html_textf(&h, "%s: richiesta di assistenza su una comunicazione di irregolarità o un avviso.",
             rq->ente->name);
  html_close(&h, "p");
  form_begin(&h, url_intermediary(rq->a, rq->ente->slug), rq->csrf);
  html_elem(&h, "h2", "Comunicazione o atto", HA("class", "h5"));
  form_field fa = {.name = "act_number", .label = "Numero della comunicazione o dell'atto",
                   .value = v->act_number, .required = 1, .maxlength = 60,
                   .error = err_for(pb, "act_number")};
  form_input(&h, &fa);
  form_field fc = {.name = "act_taxpayer_cf", .label = "Codice fiscale del contribuente",
                   .value = v->act_cf, .required = 1, .maxlength = 16,
                   .error = err_for(pb, "act_taxpayer_cf")};
  form_input(&h, &fc);
  cu_textarea(&h, "act_details", "Dati della comunicazione (modello di dichiarazione, anno d'imposta)",
              v->act_details, 2, 0, err_for(pb, "act_details"));
  html_elem(&h, "h2", "Richiesta", HA("class", "h5 mt-4"));
  form_field fr = {.name = "reason", .label = "Motivazione della richiesta", .value = v->reason,
                   .required = 1, .maxlength = 1000, .error = err_for(pb, "reason")};
  form_input(&h, &fr);
  cu_textarea(&h, "description", "Informazioni utili alla lavorazione", v->description, 5, 0,
              err_for(pb, "description"));
  html_elem(&h, "h2", "Dati per il contatto", HA("class", "h5 mt-4"));
  form_field fn = {.name = "contact", .label = "Nominativo di riferimento", .value = v->contact,
                   .required = 1, .maxlength = 200, .error = err_for(pb, "requester_contact"),
                   .autocomplete = "name"};
  form_input(&h, &fn);
  form_field fe = {.name = "email", .label = "E-mail", .value = v->email, .type = "email",
                   .required = 1, .maxlength = 254, .error = err_for(pb, "requester_email"),
                   .autocomplete = "email"};
  form_input(&h, &fe);
  form_field fp = {.name = "phone", .label = "Telefono", .value = v->phone, .type = "tel",
                   .maxlength = 30, .error = err_for(pb, "requester_phone"), .autocomplete = "tel"};
  form_input(&h, &fp);
  office *offices;
  size_t n = 0;
  if (cases_serving_offices(rq->db, rq->a, rq->ente->id, &offices, &n) == ERR_OK && n) {
    form_option *o = ARENA_ARRAY(rq->a, form_option, n);
    for (size_t i = 0; i < n; i++)
      o[i] = (form_option){arena_printf(rq->a, "%lld", (long long)offices[i].id), offices[i].name};
    form_field fo = {.name = "office", .label = "Ufficio locale concordato", .value = v->office,
                     .hint = "L'ufficio a cui la pratica passa se non può essere conclusa dal "
                             "canale di assistenza."};
    form_select(&h, &fo, o, n);
  }
  form_submit(&h, "Invia la richiesta");
  form_end(&h);
  page_end(&h, &p);
}

static void render_closed(request *rq, response *rs, int status) {
  page_info p;
  html h = begin(rq, rs, &p, "Richiesta di assistenza", status);
  html_elem(&h, "div", hours_message(rq), HA("class", "alert alert-warning"), HA("role", "alert"));
  page_end(&h, &p);
}

err_code page_intermediary_home(request *rq, response *rs) {
  ente *list;
  size_t n;
  err_code e = rq_user_entes(rq, &list, &n);
  if (e != ERR_OK) return e;
  if (n == 0) return ERR_NOT_FOUND;
  return rs_redirect(rs, url_intermediary(rq->a, list[0].slug));
}

err_code page_intermediary(request *rq, response *rs) {
  if (!open_now()) {
    render_closed(rq, rs, 0);
    return ERR_OK;
  }
  im_values v = {0};
  case_rec last;
  if (cases_last_contact(rq->db, rq->a, rq->ente->id, rq->user->id, &last) == ERR_OK) {
    v.contact = last.requester_contact;
    v.email = last.requester_email;
    v.phone = last.requester_phone;
    if (last.agreed_office_id) v.office = arena_printf(rq->a, "%lld", (long long)last.agreed_office_id);
  } else {
    v.contact = rq->user->full_name;
    v.email = rq->user->email;
  }
  if (!v.office && rq->user->office_id)
    v.office = arena_printf(rq->a, "%lld", (long long)rq->user->office_id);
  render_form(rq, rs, &v, NULL, 0);
  return ERR_OK;
}

err_code page_intermediary_post(request *rq, response *rs) {
  if (!open_now()) {
    render_closed(rq, rs, 409);
    return ERR_OK;
  }
  im_values v = {cu_form(rq, "act_number"), cu_form(rq, "act_taxpayer_cf"),
                 cu_form(rq, "act_details"), cu_form(rq, "reason"),
                 cu_form(rq, "description"), cu_form(rq, "contact"),
                 cu_form(rq, "email"),       cu_form(rq, "phone"),
                 cu_form(rq, "office")};
  problem pb = {0};
  if (!v.act_number) pb = (problem){ERR_INVALID, "act_number", "Indica il numero della comunicazione o dell'atto."};
  else if (!v.act_cf) pb = (problem){ERR_INVALID, "act_taxpayer_cf", "Indica il codice fiscale del contribuente."};
  else if (!v.reason) pb = (problem){ERR_INVALID, "reason", "Indica la motivazione della richiesta."};
  else if (!v.contact) pb = (problem){ERR_INVALID, "requester_contact", "Indica il nominativo di riferimento."};
  else if (!v.email) pb = (problem){ERR_INVALID, "requester_email", "Indica l'indirizzo e-mail per il contatto."};
  if (pb.code) {
    render_form(rq, rs, &v, &pb, 422);
    return ERR_OK;
  }
  long long agreed = 0;
  if (v.office) sscanf(v.office, "%lld", &agreed);
  case_input in = {.ente_id = rq->ente->id, .channel = "intermediary",
                   .category_code = "assistenza_intermediari",
                   .subject = arena_printf(rq->a, "Assistenza sulla comunicazione %.60s", v.act_number),
                   .description = v.description, .requester_kind = "intermediary",
                   .requester_name = rq->user->full_name, .requester_email = v.email,
                   .requester_phone = v.phone, .requester_contact = v.contact,
                   .requester_user_id = rq->user->id, .agreed_office_id = agreed > 0 ? agreed : 0,
                   .act_number = v.act_number, .act_taxpayer_cf = v.act_cf,
                   .act_details = v.act_details, .reason = v.reason, .ack = 1};
  case_rec c;
  err_code e = cases_open(rq->db, rq->a, &rq->who, &in, &c, &pb);
  if (e == ERR_INVALID) {
    render_form(rq, rs, &v, &pb, 422);
    return ERR_OK;
  }
  if (e != ERR_OK) return e;
  page_info p;
  html h = begin(rq, rs, &p, "Richiesta registrata", 0);
  html_open(&h, "div", HA("class", "alert alert-success"), HA("role", "status"));
  html_textf(&h, "La richiesta è stata registrata con il numero di protocollo %s (pratica %s).",
             protocol_label(rq->a, c.protocol_number, c.protocol_year), c.label);
  html_close(&h, "div");
  html_open(&h, "p");
  html_textf(&h, "Conserva il numero di protocollo: ti servirà se l'ufficio ti contatta. Te lo "
                 "abbiamo inviato anche per e-mail a %s. Termine di lavorazione: %s.",
             c.requester_email, cu_date_it(rq->a, c.due_date));
  html_close(&h, "p");
  html_elem(&h, "a", "Invia un'altra richiesta", HA("href", url_intermediary(rq->a, rq->ente->slug)),
            HA("class", "btn btn-outline-primary"));
  page_end(&h, &p);
  return ERR_OK;
}

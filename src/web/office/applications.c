/* Applications made through the online services, for the operator (seed
 * 004): the list of those of the services their office works (managers
 * and operators: their office; administrators: all), and one application
 * on one page — the iter, the applicant's recent applications, the general
 * data (request number, submitted on, protocol), the filled form, the
 * attachments (or the application PDF), the messages, the protocol data,
 * and payments, stamp duty and appointment only where the service has
 * them — with the actions: take in charge, ask for an integration,
 * approve or reject. */
#include <string.h>

#include "core/money.h"
#include "domain/protocol/protocol.h"
#include "render/service_form.h"
#include "web/office/cases_ui.h"
#include "web/office/services_ui.h"

static const saved_notice notices[] = {{"inviata", "Domanda inviata e protocollata."},
                                       {"presa", "Domanda presa in carico."},
                                       {"integrazione", "Richiesta di integrazione inviata."},
                                       {"risposta", "Integrazione registrata."},
                                       {"esito", "Esito inviato al richiedente."},
                                       {"pagamento", "Pagamento richiesto: avviso inviato al richiedente."}};

/* The office whose applications the user sees (0: all). */
static int64_t user_office(request *rq) {
  return rq->user->role == ROLE_ADMIN || rq->user->role == ROLE_ENTE_STAFF ? 0 : rq->user->office_id;
}

err_code page_office_applications(request *rq, response *rs) {
  svc_app *xs;
  size_t n;
  err_code rc = svc_app_list(rq->db, rq->a, rq->ente->id, user_office(rq), 0, &xs, &n);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, "Domande online", "pratiche", &p)) != ERR_OK) return rc;
  WEB_OFFICE_TRAIL(rq, &p, {"Domande online", NULL});
  html h = web_begin(rq, rs, &p);
  button_link(&h, "Servizi online", url_office_services(rq->a, rq->ente->slug), BTN_SECONDARY);
  static const char *const cols[] = {"Servizio", "Richiedente", "Presentata il", "Numero richiesta",
                                     "Stato"};
  table_begin(&h, "Domande ricevute", 0, cols, 5);
  for (size_t i = 0; i < n; i++) {
    case_rec c;
    int has_case = xs[i].case_id &&
                   cases_get(rq->db, rq->a, rq->ente->id, xs[i].case_id, &c) == ERR_OK;
    table_row_begin(&h);
    table_cell_link(&h, xs[i].service_name, url_office_application(rq->a, rq->ente->slug, xs[i].id), 1);
    table_cell(&h, xs[i].applicant_name);
    table_cell(&h, cu_time(rq->a, xs[i].submitted_at));
    table_cell(&h, has_case ? c.label : "");
    html_open(&h, "td");
    if (has_case) cu_state_badge(&h, c.state);
    html_close(&h, "td");
    table_row_end(&h);
  }
  table_end(&h);
  if (!n) html_elem(&h, "p", "Nessuna domanda ricevuta.");
  page_end(&h, &p);
  return ERR_OK;
}

static void section(html *h, const char *id, const char *title) {
  html_elem(h, "h2", title, HA("class", "h4 mt-5"), HA("id", id));
}

static void textarea(html *h, const char *name, const char *label, const char *err) {
  const char *id = arena_printf(h->a, "f-%s", name);
  html_open(h, "div", HA("class", "form-group"));
  html_elem(h, "label", label, HA("for", id), HA("class", "active"));
  html_open(h, "textarea", HA("id", id), HA("name", name), HA("rows", "4"),
            HA("class", err ? "form-control is-invalid" : "form-control"), HA("maxlength", "20000"),
            HA("aria-invalid", err ? "true" : NULL),
            HA("aria-describedby", err ? arena_printf(h->a, "f-%s-error", name) : NULL));
  html_close(h, "textarea");
  if (err)
    html_elem(h, "div", err, HA("id", arena_printf(h->a, "f-%s-error", name)),
              HA("class", "invalid-feedback d-block"));
  html_close(h, "div");
}

static const char *err_for(const problem *pb, const char *field) {
  return pb && pb->field && strcmp(pb->field, field) == 0 ? pb->message : NULL;
}

static void actions(request *rq, html *h, const svc_app *x, const case_rec *c, const problem *pb,
                    int pending) {
  if (c->state == CASE_CLOSED) return;
  const char *slug = rq->ente->slug;
  int worker = WEB_USER_HAS_ROLE(rq, ROLES_CASE_WORK);
  section(h, "azioni", "Azioni");
  html_open(h, "div", HA("class", "row g-4"));
  if (worker && !(c->state == CASE_IN_PROGRESS && c->assignee_id == rq->user->id)) {
    html_open(h, "div", HA("class", "col-12"));
    form_begin(h, url_office_application_action(rq->a, slug, x->id, "prendi"), rq->csrf);
    form_submit(h, c->state == CASE_WAITING ? "Riprendi la lavorazione" : "Prendi in carico");
    form_end(h);
    html_close(h, "div");
  }
  if (worker && (c->state == CASE_IN_PROGRESS || c->state == CASE_WAITING)) {
    html_open(h, "div", HA("class", "col-md-6"));
    html_elem(h, "h3", "Richiedi un'integrazione", HA("class", "h5"));
    form_begin(h, url_office_application_action(rq->a, slug, x->id, "integrazione"), rq->csrf);
    textarea(h, "body", "Documenti o informazioni da integrare", err_for(pb, "body"));
    form_submit(h, "Invia la richiesta");
    form_end(h);
    html_close(h, "div");
    html_open(h, "div", HA("class", "col-md-6"));
    html_elem(h, "h3", "Esito", HA("class", "h5"));
    form_begin(h, url_office_application_action(rq->a, slug, x->id, "esito"), rq->csrf);
    static const form_option outcomes[] = {{"accepted", "Approvata"}, {"rejected", "Respinta"}};
    form_field fo = {.name = "outcome", .label = "Esito", .value = "accepted",
                     .error = err_for(pb, "outcome")};
    form_radio_group(h, &fo, outcomes, 2);
    textarea(h, "message", "Messaggio al richiedente (facoltativo)", err_for(pb, "message"));
    if (pending) {
      html_elem(h, "p", "Pagamento in attesa: per approvare prima del pagamento indica il motivo "
                        "(resta registrato).",
                HA("class", "small"));
      textarea(h, "override", "Motivo per approvare senza attendere il pagamento",
               err_for(pb, "override"));
    }
    form_submit(h, "Invia l'esito");
    form_end(h);
    html_close(h, "div");
  }
  /* the applicant's answer, when staff filed the application for them */
  if (c->state == CASE_WAITING && strcmp(x->owner_kind, "user") == 0 &&
      x->owner_user_id == rq->user->id) {
    html_open(h, "div", HA("class", "col-12"));
    html_elem(h, "h3", "Registra l'integrazione del richiedente", HA("class", "h5"));
    form_begin_multipart_errors(h, url_office_application_action(rq->a, slug, x->id, "risposta"),
                                rq->csrf, NULL, 0);
    textarea(h, "text", "Risposta del richiedente", err_for(pb, "text"));
    html_open(h, "div", HA("class", "form-group"));
    html_elem(h, "label", "Documento allegato", HA("for", "f-allegato"), HA("class", "active"));
    html_void(h, "input", HA("type", "file"), HA("id", "f-allegato"), HA("name", "allegato"),
              HA("class", "form-control"));
    html_close(h, "div");
    form_submit(h, "Registra l'integrazione");
    form_end(h);
    html_close(h, "div");
  }
  html_close(h, "div");
}

static const char *pay_kind(const char *k) {
  return !strcmp(k, "advance") ? "Anticipato" : !strcmp(k, "stamp") ? "Imposta di bollo" : "Richiesto dall'ufficio";
}

/* The payments of the application, from the ledger, and the request of a
 * deferred one. */
static void payments(request *rq, html *h, const service *s, const svc_app *x, const case_rec *c,
                     const svc_payment *ps, size_t n, const problem *pb) {
  section(h, "pagamenti", "Pagamenti");
  int64_t due = svc_app_amount(s, x);
  char amount[32] = "";
  if (due > 0) money_format_it(due, amount);
  dl_begin(h);
  dl_row(h, "Modalità", strcmp(s->payment, "advance") == 0 ? "Anticipato, alla presentazione"
                        : strcmp(s->payment, "deferred") == 0 ? "Posticipato, richiesto dall'ufficio"
                                                               : "Nessuno",
         NULL);
  dl_row(h, "Entrata", s->revenue_code, "—");
  dl_row(h, "Importo previsto", *amount ? arena_printf(rq->a, "%s euro", amount) : NULL, "—");
  dl_end(h);
  if (svc_payments_pending(ps, n))
    html_elem(h, "p", "Pagamento in attesa: la domanda si approva dopo il pagamento.",
              HA("class", "alert alert-warning"), HA("role", "status"));
  if (n) {
    static const char *const cols[] = {"Pagamento", "Importo", "Codice avviso", "Stato", "Posizione"};
    table_begin(h, "Pagamenti della domanda", 0, cols, 5);
    for (size_t i = 0; i < n; i++) {
      char eur[32];
      money_format_it(ps[i].amount_cents, eur);
      table_row_begin(h);
      table_cell(h, pay_kind(ps[i].kind));
      table_cell(h, arena_printf(rq->a, "%s euro", eur));
      table_cell(h, ps[i].nav ? ps[i].nav : "—");
      table_cell(h, ps[i].paid ? "Pagato" : "Da pagare");
      html_open(h, "td");
      html_elem(h, "a", ps[i].act.number ? ps[i].act.number : "Posizione",
                HA("href", url_act(rq->a, rq->ente->slug, ps[i].act_id, NULL)));
      if (ps[i].option_id) {
        html_text(h, " ");
        html_elem(h, "a", "Avviso PDF",
                  HA("href", url_act_notice(rq->a, rq->ente->slug, ps[i].act_id, ps[i].option_id)));
      }
      html_close(h, "td");
      table_row_end(h);
    }
    table_end(h);
  } else {
    html_elem(h, "p", "Nessun pagamento emesso.");
  }
  if (strcmp(s->payment, "deferred") == 0 && c->state == CASE_IN_PROGRESS &&
      WEB_USER_HAS_ROLE(rq, ROLES_CASE_WORK)) {
    html_elem(h, "h3", "Richiedi il pagamento", HA("class", "h5"));
    form_begin(h, url_office_application_action(rq->a, rq->ente->slug, x->id, "pagamento"), rq->csrf);
    form_field f = {.name = "amount", .label = "Importo in euro", .value = *amount ? amount : NULL,
                    .error = err_for(pb, "amount"),
                    .hint = "L'avviso pagoPA è inviato al richiedente con la richiesta."};
    form_input(h, &f);
    form_submit(h, "Emetti l'avviso e richiedi il pagamento");
    form_end(h);
  }
}

err_code application_page_render(request *rq, response *rs, int64_t id, const problem *pb,
                                 int status) {
  svc_app x;
  err_code rc = svc_app_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (rc != ERR_OK) return rc;
  if (strcmp(x.state, "submitted") != 0 || !x.case_id) return ERR_NOT_FOUND;
  service s;
  svc_def def;
  case_rec c;
  if ((rc = services_get(rq->db, rq->a, rq->ente->id, x.service_id, &s)) != ERR_OK) return rc;
  if ((rc = services_def(rq->a, &s, &def)) != ERR_OK) return rc;
  if ((rc = cases_get(rq->db, rq->a, rq->ente->id, x.case_id, &c)) != ERR_OK) return rc;
  case_event *ev;
  case_message *ms;
  case_protocol *ps;
  svc_app_file *fs;
  svc_app *recent;
  size_t n_ev, n_ms, n_ps, n_fs, n_recent;
  if ((rc = cases_events(rq->db, rq->a, rq->ente->id, c.id, &ev, &n_ev)) != ERR_OK ||
      (rc = cases_messages(rq->db, rq->a, rq->ente->id, c.id, &ms, &n_ms)) != ERR_OK ||
      (rc = cases_protocols(rq->db, rq->a, rq->ente->id, c.id, &ps, &n_ps)) != ERR_OK ||
      (rc = svc_app_files(rq->db, rq->a, rq->ente->id, x.id, &fs, &n_fs)) != ERR_OK ||
      (rc = svc_app_recent(rq->db, rq->a, rq->ente->id, x.applicant_fiscal_code, x.id, 5, &recent,
                           &n_recent)) != ERR_OK)
    return rc;
  svc_payment *pays;
  size_t n_pays;
  if ((rc = svc_app_payments(rq->db, rq->a, rq->ente->id, x.id, &pays, &n_pays)) != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, arena_printf(rq->a, "%s - %s", s.name, x.applicant_name), "pratiche",
                          &p)) != ERR_OK)
    return rc;
  WEB_OFFICE_TRAIL(rq, &p, {"Domande online", url_office_applications(rq->a, rq->ente->slug)},
                   {c.label, NULL});
  p.notice = saved_notice_for(notices, 6, rq_query(rq, "salvato"));
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (pb && pb->message) form_error_summary(&h, pb, 1);
  html_open(&h, "p");
  cu_state_badge(&h, c.state);
  if (c.outcome) html_textf(&h, " %s", case_outcome_label(c.outcome));
  html_close(&h, "p");

  section(&h, "dati", "Dati generali");
  dl_begin(&h);
  dl_row(&h, "Numero richiesta", c.label, NULL);
  dl_row(&h, "Richiesta presentata il", cu_time(rq->a, x.submitted_at), NULL);
  dl_row(&h, "Protocollo",
         c.protocol_number ? protocol_label(rq->a, c.protocol_number, c.protocol_year) : NULL,
         "Non protocollata");
  dl_row(&h, "Servizio", s.name, NULL);
  dl_row(&h, "Richiedente", x.applicant_name, NULL);
  dl_row(&h, "Codice fiscale", x.applicant_fiscal_code, "—");
  dl_row(&h, "Ufficio", c.office_name, "Coda generale dell'Ente");
  dl_row(&h, "In carico a", c.assignee_name, "Nessuno");
  dl_row(&h, "Scadenza", cu_date_it(rq->a, c.due_date), NULL);
  dl_end(&h);
  html_open(&h, "p");
  html_elem(&h, "a", "Apri la pratica nella coda delle pratiche", HA("href", url_case(rq->a, rq->ente->slug, c.id)));
  html_close(&h, "p");

  actions(rq, &h, &x, &c, pb, svc_payments_pending(pays, n_pays));

  section(&h, "iter", "Iter della pratica");
  html_open(&h, "ol", HA("class", "list-unstyled"));
  for (size_t i = 0; i < n_ev; i++) {
    html_open(&h, "li", HA("class", "mb-1"));
    html_textf(&h, "%s — %s", cu_time(rq->a, ev[i].created_at),
               ev[i].to_state ? case_state_label(case_state_parse(ev[i].to_state)) : ev[i].kind);
    if (ev[i].actor_name) html_textf(&h, " (%s)", ev[i].actor_name);
    if (ev[i].reason) html_textf(&h, ": %s", ev[i].reason);
    html_close(&h, "li");
  }
  html_close(&h, "ol");

  section(&h, "recenti", "Ultime domande del richiedente");
  if (!n_recent) html_elem(&h, "p", "Nessun'altra domanda.");
  html_open(&h, "ul");
  for (size_t i = 0; i < n_recent; i++) {
    html_open(&h, "li");
    html_elem(&h, "a", recent[i].service_name,
              HA("href", url_office_application(rq->a, rq->ente->slug, recent[i].id)));
    html_textf(&h, " — %s", cu_time(rq->a, recent[i].submitted_at));
    html_close(&h, "li");
  }
  html_close(&h, "ul");

  section(&h, "modulo", "Modulo compilato");
  svc_form_summary(&h, &def, svc_app_value, &x);

  section(&h, "allegati", n_fs ? "Allegati" : "File di richiesta");
  html_open(&h, "ul");
  for (size_t i = 0; i < n_fs; i++) {
    html_open(&h, "li");
    html_elem(&h, "a", fs[i].name,
              HA("href", url_office_application_file(rq->a, rq->ente->slug, x.id, fs[i].id)),
              HA("download", ""));
    html_textf(&h, " (%s, %s byte)", fs[i].mime, num_it(rq->a, fs[i].size));
    html_close(&h, "li");
  }
  /* the protocolled documents (the application PDF and each step's) */
  for (size_t i = 0; i < n_ps; i++) {
    prot_entry e;
    if (protocol_get(rq->db, rq->a, rq->ente->id, ps[i].year, ps[i].number, &e) != ERR_OK) continue;
    for (size_t k = 0; k < e.n_docs; k++) {
      if (strcmp(e.docs[k].role, "primary") != 0 || strcmp(e.docs[k].mime, "application/pdf") != 0)
        continue;
      html_open(&h, "li");
      html_elem(&h, "a", arena_printf(rq->a, "%s (prot. %s)", e.docs[k].name,
                                      protocol_label(rq->a, e.number, e.year)),
                HA("href", arena_printf(rq->a, "%s/documenti/%s",
                                        url_office_application(rq->a, rq->ente->slug, x.id),
                                        e.docs[k].sha256)),
                HA("download", ""));
      html_close(&h, "li");
    }
  }
  html_close(&h, "ul");

  section(&h, "messaggi", "Messaggi");
  if (!n_ms) html_elem(&h, "p", "Nessun messaggio.");
  for (size_t i = 0; i < n_ms; i++) {
    html_open(&h, "div", HA("class", "border-start border-3 ps-3 mb-3"));
    html_elem(&h, "p",
              arena_printf(rq->a, "%s — %s %s", cu_time(rq->a, ms[i].created_at),
                           strcmp(ms[i].direction, "in") == 0 ? "dal richiedente" : "al richiedente",
                           ms[i].subject ? ms[i].subject : ""),
              HA("class", "small fw-bold mb-1"));
    html_elem(&h, "p", ms[i].body ? ms[i].body : "", HA("class", "sp-pre"));
    html_close(&h, "div");
  }

  section(&h, "protocollo", "Dati di protocollazione");
  static const char *const pcols[] = {"Numero", "Data", "Verso", "Oggetto"};
  table_begin(&h, "Protocolli della pratica", 0, pcols, 4);
  for (size_t i = 0; i < n_ps; i++) {
    table_row_begin(&h);
    table_cell(&h, protocol_label(rq->a, ps[i].number, ps[i].year));
    table_cell(&h, cu_time(rq->a, ps[i].registered_at));
    table_cell(&h, strcmp(ps[i].direction, "in") == 0 ? "In entrata" : "In uscita");
    table_cell(&h, ps[i].subject);
    table_row_end(&h);
  }
  table_end(&h);
  html_elem(&h, "p", arena_printf(rq->a, "Fascicolo: %s, anno %d.", svc_fascicolo(rq->a, s.code),
                                  c.protocol_year ? c.protocol_year : c.year),
            HA("class", "small"));

  if (strcmp(s.payment, "none") != 0 || n_pays) payments(rq, &h, &s, &x, &c, pays, n_pays, pb);
  if (s.stamp_duty) {
    section(&h, "bolli", "Imposta di bollo");
    svc_stamp_view(&h, rq, x.id, pays, n_pays);
  }
  if (s.appointment) {
    section(&h, "appuntamenti", "Appuntamenti");
    ag_appt ap;
    if (svc_app_appointment(rq->db, rq->a, &x, &ap) == ERR_OK) {
      dl_begin(&h);
      dl_row(&h, "Data e ora", cu_time(rq->a, ap.start), NULL);
      dl_row(&h, "Sportello", ap.counter_name, NULL);
      dl_row(&h, "Luogo", ap.place, "—");
      dl_row(&h, "Stato", ag_state_label_it(ap.state), NULL);
      dl_end(&h);
    } else {
      html_elem(&h, "p", "Nessun appuntamento prenotato: il richiedente lo prenota dalla pagina "
                         "della domanda sul portale.");
    }
    html_open(&h, "p");
    html_elem(&h, "a", "Agenda dello sportello", HA("href", url_office_agenda(rq->a, rq->ente->slug, NULL, 0)));
    html_close(&h, "p");
  }
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_office_application(request *rq, response *rs) {
  return application_page_render(rq, rs, rq_param_id(rq, 1), NULL, 0);
}

static void download(request *rq, response *rs, const char *name, const char *mime,
                     const void *data, size_t len) {
  rs->content_type = mime && strcmp(mime, "application/pdf") == 0 ? "application/pdf"
                                                                   : "application/octet-stream";
  char *safe = arena_strdup(rq->a, name);
  for (char *s = safe; *s; s++)
    if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) *s = '_';
  rs_header(rs, "Content-Disposition", arena_printf(rq->a, "attachment; filename=\"%s\"", safe));
  sb_appendn(&rs->body, data, len);
}

err_code page_office_application_file(request *rq, response *rs) {
  svc_app_file f;
  const void *data;
  err_code rc = svc_app_file_data(rq->db, rq->a, rq->ente->id, rq_param_id(rq, 1),
                                  rq_param_id(rq, 2), &f, &data);
  if (rc != ERR_OK) return rc;
  download(rq, rs, f.name, f.mime, data, (size_t)f.size);
  return ERR_OK;
}

/* A protocolled document of the application's case, by fingerprint. */
err_code page_office_application_document(request *rq, response *rs) {
  svc_app x;
  err_code rc = svc_app_get(rq->db, rq->a, rq->ente->id, rq_param_id(rq, 1), &x);
  if (rc != ERR_OK) return rc;
  if (!x.case_id) return ERR_NOT_FOUND;
  const char *sha = rq->params[2];
  case_protocol *ps;
  size_t n;
  if ((rc = cases_protocols(rq->db, rq->a, rq->ente->id, x.case_id, &ps, &n)) != ERR_OK) return rc;
  for (size_t i = 0; i < n; i++) {
    prot_entry e;
    if (protocol_get(rq->db, rq->a, rq->ente->id, ps[i].year, ps[i].number, &e) != ERR_OK) continue;
    for (size_t k = 0; k < e.n_docs; k++) {
      if (strcmp(e.docs[k].sha256, sha) != 0) continue;
      const void *data;
      int64_t size;
      if ((rc = protocol_document_data(rq->db, rq->a, rq->ente->id, sha, &data, &size)) != ERR_OK)
        return rc;
      download(rq, rs, e.docs[k].name, e.docs[k].mime, data, (size_t)size);
      return ERR_OK;
    }
  }
  return ERR_NOT_FOUND;
}

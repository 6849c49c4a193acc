/* One case, as seed 004 lists it: general data (number, date, protocol),
 * the requester and their recent cases, the request, the iter, messages,
 * attachments and protocol data, and the actions the user may take
 * (assign, take, reply or ask, close with an outcome, forward). Another
 * Ente's case is a 404, like a missing one. */
#include <string.h>

#include "domain/protocol/protocol.h"
#include "render/labels.h"
#include "web/office/cases_ui.h"

static const char *requester_kind_label(const char *k) {
  if (!k) return "";
  if (strcmp(k, "taxpayer") == 0) return "Contribuente";
  if (strcmp(k, "intermediary") == 0) return "Intermediario";
  if (strcmp(k, "ente_office") == 0) return "Ufficio dell'Ente";
  return "Persona";
}

static const char *event_label(const char *k) {
  static const struct {
    const char *k, *l;
  } L[] = {{"created", "Pratica aperta"},      {"assigned", "Assegnata"},
           {"taken", "Presa in carico"},       {"resumed", "Ripresa in lavorazione"},
           {"replied", "Risposta inviata"},    {"asked", "Informazioni richieste"},
           {"message_in", "Messaggio ricevuto"}, {"closed", "Chiusa"},
           {"forwarded", "Inoltrata ad altro ufficio"}};
  for (size_t i = 0; k && i < sizeof L / sizeof L[0]; i++)
    if (strcmp(k, L[i].k) == 0) return L[i].l;
  return k ? k : "";
}

static void section(html *h, const char *id, const char *title) {
  html_elem(h, "h2", title, HA("class", "h4 mt-5"), HA("id", id));
}

static void actions(request *rq, html *h, const case_rec *c) {
  if (c->state == CASE_CLOSED || !WEB_USER_HAS_ROLE(rq, ROLES_CASE_WORK)) return;
  const char *slug = rq->ente->slug;
  int manager = WEB_USER_HAS_ROLE(rq, ROLES_CASE_MANAGE);
  section(h, "azioni", "Azioni");
  html_open(h, "div", HA("class", "row g-4"));
  if (!(c->state == CASE_IN_PROGRESS && c->assignee_id == rq->user->id)) {
    html_open(h, "div", HA("class", "col-md-6"));
    html_elem(h, "h3", c->state == CASE_WAITING ? "Riprendi la lavorazione" : "Prendi in carico",
              HA("class", "h5"));
    form_begin(h, url_case_action(rq->a, slug, c->id, "prendi"), rq->csrf);
    form_submit(h, c->state == CASE_WAITING ? "Riprendi" : "Prendi in carico");
    form_end(h);
    html_close(h, "div");
  }
  if (manager && c->office_id) {
    user *staff;
    size_t n = 0;
    if (cases_office_staff(rq->db, rq->a, rq->ente->id, c->office_id, &staff, &n) == ERR_OK && n) {
      form_option *o = ARENA_ARRAY(rq->a, form_option, n);
      for (size_t i = 0; i < n; i++)
        o[i] = (form_option){arena_printf(rq->a, "%lld", (long long)staff[i].id), staff[i].full_name};
      html_open(h, "div", HA("class", "col-md-6"));
      html_elem(h, "h3", "Assegna a un operatore", HA("class", "h5"));
      form_begin(h, url_case_action(rq->a, slug, c->id, "assegna"), rq->csrf);
      form_field fa = {.name = "assignee", .label = "Operatore",
                       .value = c->assignee_id ? arena_printf(rq->a, "%lld", (long long)c->assignee_id)
                                               : NULL};
      form_select(h, &fa, o, n);
      form_field fr = {.name = "reason", .label = "Nota (facoltativa)", .maxlength = 1000};
      form_input(h, &fr);
      form_submit(h, "Assegna");
      form_end(h);
      html_close(h, "div");
    }
  }
  if (c->state == CASE_IN_PROGRESS || c->state == CASE_WAITING) {
    html_open(h, "div", HA("class", "col-12"));
    html_elem(h, "h3", "Scrivi al richiedente", HA("class", "h5"));
    form_begin(h, url_case_action(rq->a, slug, c->id, "rispondi"), rq->csrf);
    cu_textarea(h, "body", "Testo del messaggio", NULL, 6, 1, NULL);
    static const form_option kinds[] = {
        {"risposta", "Risposta"}, {"richiesta", "Richiesta di informazioni (la pratica va in attesa)"}};
    form_field fk = {.name = "tipo", .label = "Tipo di messaggio", .value = "risposta"};
    form_radio_group(h, &fk, kinds, 2);
    form_submit(h, "Invia");
    form_end(h);
    html_close(h, "div");
  }
  html_open(h, "div", HA("class", "col-md-6"));
  html_elem(h, "h3", "Chiudi con un esito", HA("class", "h5"));
  form_begin(h, url_case_action(rq->a, slug, c->id, "chiudi"), rq->csrf);
  form_option outcomes[4];
  for (size_t i = 0; CASE_OUTCOMES[i]; i++)
    outcomes[i] = (form_option){CASE_OUTCOMES[i], case_outcome_label(CASE_OUTCOMES[i])};
  form_field fo = {.name = "outcome", .label = "Esito", .value = "accepted"};
  form_select(h, &fo, outcomes, 4);
  cu_textarea(h, "message", "Messaggio per il richiedente (facoltativo)", NULL, 4, 0, NULL);
  form_submit(h, "Chiudi la pratica");
  form_end(h);
  html_close(h, "div");
  office *offices;
  size_t n_off = 0;
  if (cases_serving_offices(rq->db, rq->a, rq->ente->id, &offices, &n_off) == ERR_OK && n_off > 1) {
    form_option *o = ARENA_ARRAY(rq->a, form_option, n_off);
    size_t m = 0;
    for (size_t i = 0; i < n_off; i++)
      if (offices[i].id != c->office_id)
        o[m++] = (form_option){arena_printf(rq->a, "%lld", (long long)offices[i].id),
                               offices[i].id == c->agreed_office_id
                                   ? arena_printf(rq->a, "%s (concordato)", offices[i].name)
                                   : offices[i].name};
    html_open(h, "div", HA("class", "col-md-6"));
    html_elem(h, "h3", "Inoltra ad altro ufficio", HA("class", "h5"));
    form_begin(h, url_case_action(rq->a, slug, c->id, "inoltra"), rq->csrf);
    form_field fo2 = {.name = "office", .label = "Ufficio",
                      .value = c->agreed_office_id
                                   ? arena_printf(rq->a, "%lld", (long long)c->agreed_office_id)
                                   : NULL};
    form_select(h, &fo2, o, m);
    form_field fr = {.name = "reason", .label = "Motivo dell'inoltro", .required = 1,
                     .maxlength = 1000};
    form_input(h, &fr);
    form_submit(h, "Inoltra");
    form_end(h);
    html_close(h, "div");
  }
  html_close(h, "div");
}

static void general(request *rq, html *h, const case_rec *c) {
  section(h, "dati", "Dati generali");
  html_open(h, "dl", HA("class", "row"));
  cu_row(h, "Numero richiesta", c->label);
  cu_row(h, "Richiesta presentata il", cu_time(rq->a, c->received_at));
  if (c->protocol_number)
    cu_row(h, "Protocollo", protocol_label(rq->a, c->protocol_number, c->protocol_year));
  cu_row(h, "Canale", case_channel_label(c->channel));
  cu_row(h, "Categoria", c->category_name);
  cu_row(h, "Oggetto", c->subject);
  cu_row(h, "Stato", case_state_label(c->state));
  cu_row(h, "Priorità", strcmp(c->priority, "urgent") == 0 ? "Urgente" : "Normale");
  cu_row(h, "Scadenza", c->overdue ? arena_printf(rq->a, "%s (scaduta)", cu_date_it(rq->a, c->due_date))
                                   : cu_date_it(rq->a, c->due_date));
  cu_row(h, "Ufficio", c->office_name ? c->office_name : "Nessun ufficio");
  cu_row(h, "Assegnata a", c->assignee_name);
  cu_row(h, "Esito", case_outcome_label(c->outcome));
  if (c->closed_at) cu_row(h, "Chiusa il", cu_time(rq->a, c->closed_at));
  html_close(h, "dl");
  section(h, "richiedente", "Richiedente");
  html_open(h, "dl", HA("class", "row"));
  cu_row(h, "Nome", c->requester_name);
  cu_row(h, "Tipo", requester_kind_label(c->requester_kind));
  cu_row(h, "Codice fiscale", c->requester_fiscal_code);
  cu_row(h, "E-mail", c->requester_email);
  cu_row(h, "PEC", c->requester_pec);
  cu_row(h, "Telefono", c->requester_phone);
  cu_row(h, "Persona di riferimento", c->requester_contact);
  cu_row(h, "Comunicazione o atto", c->act_number);
  cu_row(h, "Codice fiscale del contribuente", c->act_taxpayer_cf);
  cu_row(h, "Dati dell'atto", c->act_details);
  cu_row(h, "Motivazione", c->reason);
  html_close(h, "dl");
  if (c->description) {
    section(h, "modulo", "Testo della richiesta");
    html_elem(h, "p", c->description, HA("class", "sp-pre"));
  }
}

static void iter(request *rq, html *h, const case_rec *c) {
  case_event *ev;
  size_t n;
  if (cases_events(rq->db, rq->a, rq->ente->id, c->id, &ev, &n) != ERR_OK) n = 0;
  section(h, "iter", "Iter della pratica");
  html_open(h, "ol", HA("class", "list-unstyled"));
  for (size_t i = 0; i < n; i++) {
    html_open(h, "li", HA("class", "mb-2"));
    html_elem(h, "strong", event_label(ev[i].kind));
    case_state s = case_state_parse(ev[i].to_state);
    html_textf(h, " (%s) il %s", case_state_label(s), cu_time(rq->a, ev[i].created_at));
    html_textf(h, " da %s", ev[i].actor_name ? ev[i].actor_name
                            : strcmp(ev[i].actor_kind, "system") == 0 ? "sistema"
                                                                      : ev[i].actor_kind);
    if (ev[i].office_name) html_textf(h, "; ufficio %s", ev[i].office_name);
    if (ev[i].assignee_name) html_textf(h, "; assegnata a %s", ev[i].assignee_name);
    if (ev[i].reason) html_textf(h, ". Motivo: %s", ev[i].reason);
    html_close(h, "li");
  }
  html_close(h, "ol");
}

static void messages(request *rq, html *h, const case_rec *c) {
  case_message *m;
  size_t n;
  if (cases_messages(rq->db, rq->a, rq->ente->id, c->id, &m, &n) != ERR_OK) n = 0;
  section(h, "messaggi", "Messaggi");
  if (!n) html_elem(h, "p", "Nessun messaggio.");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "article", HA("class", "card card-bg mb-3"));
    html_open(h, "div", HA("class", "card-body"));
    html_elem(h, "h3", m[i].subject, HA("class", "h6"));
    html_open(h, "p", HA("class", "small text-muted"));
    html_textf(h, "%s, %s, %s", strcmp(m[i].direction, "in") == 0 ? "Ricevuto" : "Inviato",
               cu_time(rq->a, m[i].created_at), m[i].sender);
    if (m[i].recipient) html_textf(h, " a %s", m[i].recipient);
    if (m[i].protocol) html_textf(h, ". Protocollo %s", m[i].protocol);
    html_close(h, "p");
    if (m[i].out_state) {
      html_open(h, "p", HA("class", "small sp-delivery"));
      html_textf(h, "Stato: %s", code_label(&LABELS_OUTBOX_STATE, m[i].out_state));
      if (m[i].delivery)
        html_textf(h, "; %s (%s)", code_label(&LABELS_DELIVERY, m[i].delivery),
                   cu_time(rq->a, m[i].delivery_at));
      html_close(h, "p");
    }
    if (m[i].n_receipts) {
      html_open(h, "ul", HA("class", "small"), HA("aria-label", "Ricevute del messaggio"));
      for (size_t j = 0; j < m[i].n_receipts; j++) {
        html_open(h, "li");
        html_textf(h, "%s, %s", code_label(&LABELS_RECEIPT, m[i].receipts[j].kind),
                   cu_time(rq->a, m[i].receipts[j].received_at));
        html_close(h, "li");
      }
      html_close(h, "ul");
    }
    html_elem(h, "p", m[i].body, HA("class", "sp-pre"));
    html_close(h, "div");
    html_close(h, "article");
  }
}

static void attachments(request *rq, html *h, const case_rec *c) {
  case_attachment *at;
  size_t n;
  if (cases_attachments(rq->db, rq->a, rq->ente->id, c->id, &at, &n) != ERR_OK) n = 0;
  section(h, "allegati", "Allegati");
  if (!n) html_elem(h, "p", "Nessun allegato.");
  html_open(h, "ul");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "li");
    html_elem(h, "a", arena_printf(rq->a, "Scarica %s", at[i].name),
              HA("href", url_case_attachment(rq->a, rq->ente->slug, c->id, at[i].id)));
    html_textf(h, " (%lld byte, SHA-256 %s)", (long long)at[i].size, at[i].sha256);
    html_close(h, "li");
  }
  html_close(h, "ul");
}

static void protocols(request *rq, html *h, const case_rec *c) {
  case_protocol *p;
  size_t n;
  if (cases_protocols(rq->db, rq->a, rq->ente->id, c->id, &p, &n) != ERR_OK) n = 0;
  section(h, "protocollo", "Dati di protocollazione");
  if (!n) {
    html_elem(h, "p", "Nessuna registrazione.");
    return;
  }
  html_open(h, "div", HA("class", "table-responsive"), HA("tabindex", "0"), HA("role", "region"),
            HA("aria-label", "Registrazioni di protocollo"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", "Registrazioni di protocollo della pratica", HA("class", "visually-hidden"));
  html_lit(h, "<thead><tr><th scope=\"col\">Numero</th><th scope=\"col\">Data</th>"
              "<th scope=\"col\">Verso</th><th scope=\"col\">Corrispondente</th>"
              "<th scope=\"col\">Oggetto</th></tr></thead><tbody>");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "tr");
    html_elem(h, "td", arena_printf(rq->a, "%s%s", protocol_label(rq->a, p[i].number, p[i].year),
                                    p[i].annulled ? " (annullata)" : ""));
    html_elem(h, "td", cu_time(rq->a, p[i].registered_at));
    html_elem(h, "td", strcmp(p[i].direction, "in") == 0 ? "In entrata" : "In uscita");
    html_elem(h, "td", p[i].correspondent);
    html_elem(h, "td", p[i].subject);
    html_close(h, "tr");
  }
  html_lit(h, "</tbody>");
  html_close(h, "table");
  html_close(h, "div");
}

static void recent(request *rq, html *h, const case_rec *c) {
  case_rec *r;
  size_t n;
  if (cases_recent_of_requester(rq->db, rq->a, c, 5, &r, &n) != ERR_OK || !n) return;
  section(h, "recenti", "Ultime pratiche del richiedente");
  html_open(h, "ul");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "li");
    html_elem(h, "a", arena_printf(rq->a, "%s - %s", r[i].label, r[i].subject),
              HA("href", url_case(rq->a, rq->ente->slug, r[i].id)));
    html_textf(h, " (%s, %s)", case_state_label(r[i].state), cu_time(rq->a, r[i].received_at));
    html_close(h, "li");
  }
  html_close(h, "ul");
}

static const char *case_notice(const char *what) {
  static const struct {
    const char *k, *msg;
  } N[] = {{"aperta", "Richiesta registrata."},  {"assegnata", "Pratica assegnata."},
           {"presa", "Pratica presa in carico."}, {"inviato", "Messaggio inviato."},
           {"chiusa", "Pratica chiusa: l'esito è stato comunicato al richiedente."},
           {"inoltrata", "Pratica inoltrata."},
           {"occupazione", "Dati dell'occupazione salvati."},
           {"decisione", "Decisione sulla variazione registrata e comunicata."},
           {"sopralluogo", "Sopralluogo registrato: l'esito è stato inviato all'Ente."},
           {"avviso", "Canone calcolato e avviso emesso: l'invio al contribuente e all'Ente è in corso."},
           {"autorizzazione", "Autorizzazione caricata: sarà inviata al contribuente dopo il pagamento."},
           {"autorizzazione-inviata", "Autorizzazione caricata e inviata al contribuente, che ha già pagato."}};
  for (size_t i = 0; what && i < sizeof N / sizeof N[0]; i++)
    if (strcmp(what, N[i].k) == 0) return N[i].msg;
  return NULL;
}

err_code case_page_render(request *rq, response *rs, int64_t id, const problem *pb, int status) {
  case_rec c;
  err_code e = cases_get(rq->db, rq->a, rq->ente->id, id, &c);
  if (e != ERR_OK) return e;
  page_info p;
  if ((e = web_page_info(rq, arena_printf(rq->a, "Pratica %s", c.label), "pratiche", &p)) != ERR_OK)
    return e;
  p.notice = case_notice(rq_query(rq, "salvato"));
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (pb) form_error_summary(&h, pb, 1);
  html_open(&h, "p", HA("class", "lead"));
  cu_state_badge(&h, c.state);
  html_text(&h, " ");
  cu_priority_badge(&h, c.priority);
  html_text(&h, " ");
  html_text(&h, c.subject);
  html_close(&h, "p");
  actions(rq, &h, &c);
  general(rq, &h, &c);
  case_occupation_section(rq, &h, &c);
  iter(rq, &h, &c);
  messages(rq, &h, &c);
  attachments(rq, &h, &c);
  protocols(rq, &h, &c);
  recent(rq, &h, &c);
  html_open(&h, "p", HA("class", "mt-4"));
  html_elem(&h, "a", "Torna alle pratiche",
            HA("href", url_cases(rq->a, rq->ente->slug, NULL, NULL, NULL, NULL, 0)));
  html_close(&h, "p");
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_case(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  return case_page_render(rq, rs, id, NULL, 0);
}

err_code page_case_attachment(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1), att = rq_param_id(rq, 2);
  if (!id || !att) return ERR_NOT_FOUND;
  case_attachment at;
  const void *data;
  err_code e = cases_attachment_data(rq->db, rq->a, rq->ente->id, id, att, &at, &data);
  if (e != ERR_OK) return e;
  rs->content_type = "application/octet-stream";
  char *safe = arena_strdup(rq->a, at.name);
  for (char *s = safe; *s; s++)
    if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) *s = '_';
  rs_header(rs, "Content-Disposition", arena_printf(rq->a, "attachment; filename=\"%s\"", safe));
  sb_appendn(&rs->body, data, (size_t)at.size);
  return ERR_OK;
}

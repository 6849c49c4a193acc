/* Online services on the citizen's portal (seed 004): the Ente's services
 * (anyone), a service's form for the signed-in citizen (drafts kept with
 * their fiscal code), their applications, and one application with its
 * state, messages and — when the office asked for an integration — the
 * answer form with attachments. The form, validator, drafts and
 * submission are the office's (web/office/services_apply.c). */
#include <string.h>

#include "core/money.h"
#include "domain/protocol/protocol.h"
#include "render/service_form.h"
#include "web/office/cases_ui.h"
#include "web/office/services_ui.h"
#include "web/portal/booking_view.h"
#include "web/portal/portal_web.h"

static const char *svc_url(request *rq, const char *code, int64_t draft) {
  const char *base = portal_url(rq, arena_printf(rq->a, "/servizi/%s/domanda", url_encode(rq->a, code)));
  return draft ? arena_printf(rq->a, "%s?bozza=%lld", base, (long long)draft) : base;
}

static const char *app_url(request *rq, int64_t id) {
  return portal_url(rq, arena_printf(rq->a, "/area-personale/domande/%lld", (long long)id));
}

err_code page_portal_services(request *rq, response *rs) {
  service *ss;
  size_t n;
  err_code rc = services_list(rq->db, rq->a, rq->ente->id, 1, &ss, &n);
  if (rc != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, "Servizi online", "servizi", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Servizi online", NULL});
  p.lead = "Le domande che puoi presentare online, con SPID o CIE.";
  html h = portal_html(rq, rs, &p);
  if (rq->citizen) {
    html_open(&h, "p");
    button_link(&h, "Le mie domande", portal_url(rq, "/area-personale/domande"), BTN_SECONDARY);
    html_close(&h, "p");
  }
  html_open(&h, "ul", HA("class", "list-unstyled"));
  for (size_t i = 0; i < n; i++) {
    html_open(&h, "li", HA("class", "mb-4"));
    html_elem(&h, "h2", ss[i].name, HA("class", "h5"));
    if (ss[i].description) html_elem(&h, "p", ss[i].description);
    html_elem(&h, "p", arena_printf(rq->a, "Termine di conclusione: %d giorni lavorativi.", ss[i].working_days),
              HA("class", "small"));
    button_link(&h, arena_printf(rq->a, "Compila la domanda: %s", ss[i].name), svc_url(rq, ss[i].code, 0),
                BTN_PRIMARY);
    html_close(&h, "li");
  }
  html_close(&h, "ul");
  if (!n) html_elem(&h, "p", "Nessun servizio online.");
  portal_end(&h, &p);
  return ERR_OK;
}

static err_code load_service(request *rq, service *s, svc_def *def) {
  err_code rc = services_get_by_code(rq->db, rq->a, rq->ente->id, rq->params[1], s);
  if (rc != ERR_OK) return rc;
  if (!s->active) return ERR_NOT_FOUND;
  return services_def(rq->a, s, def);
}

static void render_form(request *rq, response *rs, const service *s, const svc_def *def, svc_get_fn get,
                        void *ctx, int64_t draft_id, const problems *pbs, const char *notice) {
  portal_page p;
  if (portal_page_for(rq, s->name, "servizi", &p) != ERR_OK) return;
  PORTAL_TRAIL(rq, &p, {"Servizi online", portal_url(rq, "/servizi")}, {s->name, NULL});
  p.notice = notice;
  if (pbs && pbs->n) rs->status = 422;
  html h = portal_html(rq, rs, &p);
  svc_apply_form(&h, rq, s, def, get, ctx, svc_url(rq, s->code, draft_id), pbs);
  portal_end(&h, &p);
}

err_code page_portal_service_apply(request *rq, response *rs) {
  service s;
  svc_def def;
  err_code rc = load_service(rq, &s, &def);
  if (rc != ERR_OK) return rc;
  svc_owner o = {"citizen", 0, rq->citizen->fiscal_code};
  int64_t draft_id = svc_draft_param(rq);
  svc_form_ctx ctx;
  if ((rc = svc_form_ctx_load(rq, &def, &o, draft_id, &ctx)) != ERR_OK) return rc;
  const char *saved = rq_query(rq, "salvato");
  render_form(rq, rs, &s, &def, svc_draft_get, &ctx, draft_id, NULL,
              saved && !strcmp(saved, "bozza") ? "Bozza salvata: puoi riprenderla quando vuoi." : NULL);
  return ERR_OK;
}

err_code page_portal_service_apply_post(request *rq, response *rs) {
  service s;
  svc_def def;
  err_code rc = load_service(rq, &s, &def);
  if (rc != ERR_OK) return rc;
  svc_owner o = {"citizen", 0, rq->citizen->fiscal_code};
  svc_apply_result r;
  if ((rc = svc_apply_post(rq, &s, &def, &o, svc_draft_param(rq), &r)) != ERR_OK) return rc;
  switch (r.outcome) {
  case SVC_APPLY_DRAFT:
    return rs_redirect(rs, arena_printf(rq->a, "%s&salvato=bozza", svc_url(rq, s.code, r.id)));
  case SVC_APPLY_SUBMITTED:
    return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=inviata", app_url(rq, r.id)));
  case SVC_APPLY_REFUSED:
    render_form(rq, rs, &s, &def, r.get, &r.ctx, r.id, &r.pbs, NULL);
    return ERR_OK;
  }
  return ERR_INTERNAL;
}

err_code page_portal_applications(request *rq, response *rs) {
  svc_app *xs;
  size_t n;
  err_code rc = svc_app_of_citizen(rq->db, rq->a, rq->ente->id, rq->citizen->fiscal_code, &xs, &n);
  if (rc != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, "Le mie domande", "area-personale", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")}, {"Le mie domande", NULL});
  html h = portal_html(rq, rs, &p);
  static const char *const cols[] = {"Servizio", "Stato", "Ultima modifica", "Numero richiesta"};
  table_begin(&h, "Le mie domande", 0, cols, 4);
  for (size_t i = 0; i < n; i++) {
    int draft = !strcmp(xs[i].state, "draft");
    case_rec c;
    int has_case = !draft && xs[i].case_id && cases_get(rq->db, rq->a, rq->ente->id, xs[i].case_id, &c) == ERR_OK;
    table_row_begin(&h);
    table_cell_link(&h, xs[i].service_name,
                    draft ? svc_url(rq, xs[i].service_code, xs[i].id) : app_url(rq, xs[i].id), 1);
    table_cell(&h, draft ? "Bozza" : has_case ? case_state_label(c.state) : "Inviata");
    table_cell(&h, cu_time(rq->a, xs[i].updated_at));
    table_cell(&h, has_case ? c.label : "");
    table_row_end(&h);
  }
  table_end(&h);
  if (!n) html_elem(&h, "p", "Nessuna domanda.");
  html_open(&h, "p");
  button_link(&h, "Servizi online", portal_url(rq, "/servizi"), BTN_SECONDARY);
  html_close(&h, "p");
  portal_end(&h, &p);
  return ERR_OK;
}

static const saved_notice notices[] = {{"inviata", "Domanda inviata: riceverai una e-mail con il numero di protocollo."},
                                       {"risposta", "Integrazione inviata all'ufficio."},
                                       {"appuntamento", "Appuntamento prenotato: riceverai la conferma per e-mail."}};

/* The application's payments: to pay (with pagoPA on the portal, and the
 * notice PDF) or paid. */
static void app_payments(request *rq, html *h, const svc_payment *ps, size_t n) {
  html_elem(h, "h2", "Pagamenti", HA("class", "h4 mt-4"), HA("id", "pagamenti"));
  if (!n) html_elem(h, "p", "Nessun pagamento da effettuare per ora.");
  for (size_t i = 0; i < n; i++) {
    const svc_payment *p = &ps[i];
    char eur[32];
    money_format_it(p->amount_cents, eur);
    html_open(h, "div", HA("class", "card card-bg mb-3"));
    html_open(h, "div", HA("class", "card-body"));
    dl_begin(h);
    dl_row(h, "Pagamento",
           !strcmp(p->kind, "stamp") ? "Imposta di bollo" : !strcmp(p->kind, "advance") ? "Alla presentazione" : "Richiesto dall'ufficio",
           NULL);
    dl_row(h, "Importo", arena_printf(rq->a, "%s euro", eur), NULL);
    dl_row(h, "Codice avviso", p->nav, "—");
    dl_row(h, "Scadenza", p->act.due_date ? cu_date_it(rq->a, p->act.due_date) : NULL, "—");
    dl_row(h, "Stato", p->paid ? "Pagato" : "Da pagare", NULL);
    dl_end(h);
    if (!p->paid && p->nav && p->act.taxpayer_cf) {
      const char *q = arena_printf(rq->a, "?codice_avviso=%s&codice_fiscale=%s", p->nav,
                                   url_encode(rq->a, p->act.taxpayer_cf));
      button_link(h, "Paga con pagoPA", arena_printf(rq->a, "%s%s", portal_url(rq, "/avviso"), q), BTN_PRIMARY);
      html_text(h, " ");
      button_link(h, "Scarica l'avviso (PDF)", arena_printf(rq->a, "%s%s", portal_url(rq, "/avviso/pdf"), q),
                  BTN_SECONDARY);
    }
    html_close(h, "div");
    html_close(h, "div");
  }
}

static const char *app_week_href(request *rq, const void *ctx, const char *week) {
  return arena_printf(rq->a, "%s?settimana=%s#appuntamento", app_url(rq, *(const int64_t *)ctx),
                      url_encode(rq->a, week));
}

/* The appointment of the application: the one booked, or the week's free
 * slots of the service's agenda topic to book one. */
static err_code app_appointment(request *rq, html *h, const service *s, const svc_app *x,
                                const case_rec *c, const problem *pb) {
  html_elem(h, "h2", "Appuntamento", HA("class", "h4 mt-4"), HA("id", "appuntamento"));
  ag_appt ap;
  if (svc_app_appointment(rq->db, rq->a, x, &ap) == ERR_OK && ap.state != AG_CANCELLED &&
      ap.state != AG_MOVED) {
    dl_begin(h);
    dl_row(h, "Data e ora", cu_time(rq->a, ap.start), NULL);
    dl_row(h, "Sportello", ap.counter_name, NULL);
    dl_row(h, "Luogo", ap.place, "—");
    dl_row(h, "Stato", ag_state_label_it(ap.state), NULL);
    dl_end(h);
    return ERR_OK;
  }
  if (c->state == CASE_CLOSED) {
    html_elem(h, "p", "Nessun appuntamento.");
    return ERR_OK;
  }
  ag_topic t;
  if (svc_topic(rq->db, rq->a, s, &t) != ERR_OK) {
    html_elem(h, "p", "Per fissare l'appuntamento contatta l'ufficio.");
    return ERR_OK;
  }
  html_elem(h, "p", "Scegli il giorno e l'ora dell'appuntamento per la tua domanda.");
  form_begin_errors(h, arena_printf(rq->a, "%s/appuntamento", app_url(rq, x->id)), rq->csrf,
                    pb && pb->field ? pb : NULL, pb && pb->field ? 1 : 0);
  const int64_t *idp = &x->id;
  booking_week w = {&t, -1, booking_week_param(rq), 0, rq_form(rq, "start"), app_week_href, idp};
  err_code rc = booking_week_write(rq, h, &w);
  if (rc != ERR_OK) return rc;
  const char *err = form_error_for(h, "privacy_consent");
  html_open(h, "div", HA("class", "form-check my-3"));
  html_void(h, "input", HA("type", "checkbox"), HA("id", "f-privacy_consent"),
            HA("name", "privacy_consent"), HA("value", "1"), HBOOL("required", 1),
            HA("aria-invalid", err ? "true" : NULL),
            HA("aria-describedby", err ? "f-privacy_consent-error" : NULL));
  html_elem(h, "label", "Ho letto l'informativa sul trattamento dei dati per l'appuntamento",
            HA("for", "f-privacy_consent"));
  form_group_error(h, "privacy_consent", err);
  html_close(h, "div");
  form_submit(h, "Prenota l'appuntamento");
  form_end(h);
  return ERR_OK;
}

static err_code render_app(request *rq, response *rs, int64_t id, const problem *pb) {
  svc_app x;
  err_code rc = svc_app_get(rq->db, rq->a, rq->ente->id, id, &x);
  if (rc != ERR_OK) return rc;
  /* only the citizen's own */
  if (strcmp(x.state, "submitted") || strcmp(x.owner_kind, "citizen") || !x.owner_fiscal_code ||
      strcmp(x.owner_fiscal_code, rq->citizen->fiscal_code) || !x.case_id)
    return ERR_NOT_FOUND;
  case_rec c;
  service s;
  svc_def def;
  case_message *ms;
  size_t n_ms;
  if ((rc = cases_get(rq->db, rq->a, rq->ente->id, x.case_id, &c)) != ERR_OK ||
      (rc = services_get(rq->db, rq->a, rq->ente->id, x.service_id, &s)) != ERR_OK ||
      (rc = services_def(rq->a, &s, &def)) != ERR_OK ||
      (rc = cases_messages(rq->db, rq->a, rq->ente->id, c.id, &ms, &n_ms)) != ERR_OK)
    return rc;
  svc_payment *pays;
  size_t n_pays;
  if ((rc = svc_app_payments(rq->db, rq->a, rq->ente->id, x.id, &pays, &n_pays)) != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, s.name, "area-personale", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Le mie domande", portal_url(rq, "/area-personale/domande")}, {c.label, NULL});
  p.notice = saved_notice_for(notices, 3, rq_query(rq, "salvato"));
  if (pb && rs->status == 200) rs->status = 422;
  html h = portal_html(rq, rs, &p);
  if (pb && pb->message && !pb->field)
    html_elem(&h, "div", pb->message, HA("class", "alert alert-warning"), HA("role", "alert"));
  dl_begin(&h);
  dl_row(&h, "Numero richiesta", c.label, NULL);
  dl_row(&h, "Richiesta presentata il", cu_time(rq->a, x.submitted_at), NULL);
  dl_row(&h, "Protocollo", c.protocol_number ? protocol_label(rq->a, c.protocol_number, c.protocol_year) : NULL,
         "—");
  dl_row(&h, "Stato", case_state_label(c.state), NULL);
  dl_row(&h, "Esito", c.outcome ? case_outcome_label(c.outcome) : NULL, "—");
  dl_end(&h);
  if (c.state == CASE_WAITING) {
    html_elem(&h, "h2", "Integrazione richiesta", HA("class", "h4 mt-4"));
    for (size_t i = n_ms; i-- > 0;)
      if (!strcmp(ms[i].direction, "out") && ms[i].kind && !strcmp(ms[i].kind, "request_info")) {
        html_elem(&h, "p", ms[i].body ? ms[i].body : "", HA("class", "alert alert-warning"));
        break;
      }
    form_begin_multipart_errors(&h, arena_printf(rq->a, "%s/risposta", app_url(rq, x.id)), rq->csrf, pb,
                                pb ? 1 : 0);
    const char *err = pb && pb->field && !strcmp(pb->field, "text") ? pb->message : NULL;
    html_open(&h, "div", HA("class", "form-group"));
    html_elem(&h, "label", "La tua risposta", HA("for", "f-text"), HA("class", "active"));
    html_open(&h, "textarea", HA("id", "f-text"), HA("name", "text"), HA("rows", "4"),
              HA("class", err ? "form-control is-invalid" : "form-control"), HA("aria-invalid", err ? "true" : NULL),
              HA("aria-describedby", err ? "f-text-error" : NULL));
    html_close(&h, "textarea");
    if (err) html_elem(&h, "div", err, HA("id", "f-text-error"), HA("class", "invalid-feedback d-block"));
    html_close(&h, "div");
    html_open(&h, "div", HA("class", "form-group"));
    html_elem(&h, "label", "Documento da allegare", HA("for", "f-allegato"), HA("class", "active"));
    html_void(&h, "input", HA("type", "file"), HA("id", "f-allegato"), HA("name", "allegato"),
              HA("class", "form-control"));
    html_close(&h, "div");
    form_submit(&h, "Invia l'integrazione");
    form_end(&h);
  }
  if (strcmp(s.payment, "none") != 0 || n_pays) app_payments(rq, &h, pays, n_pays);
  if (s.appointment && (rc = app_appointment(rq, &h, &s, &x, &c, pb)) != ERR_OK) return rc;
  if (s.stamp_duty) {
    html_elem(&h, "h2", "Imposta di bollo", HA("class", "h4 mt-4"), HA("id", "bollo"));
    svc_stamp_view(&h, rq, x.id, pays, n_pays);
  }
  html_elem(&h, "h2", "Modulo compilato", HA("class", "h4 mt-4"));
  svc_form_summary(&h, &def, svc_app_value, &x);
  html_elem(&h, "h2", "Messaggi", HA("class", "h4 mt-4"));
  for (size_t i = 0; i < n_ms; i++) {
    if (ms[i].kind && !strcmp(ms[i].kind, "notice")) continue; /* internal notices to the office */
    html_open(&h, "div", HA("class", "border-start border-3 ps-3 mb-3"));
    html_elem(&h, "p",
              arena_printf(rq->a, "%s — %s", cu_time(rq->a, ms[i].created_at),
                           !strcmp(ms[i].direction, "in") ? "inviato da te" : "dall'ufficio"),
              HA("class", "small fw-bold mb-1"));
    html_elem(&h, "p", ms[i].body ? ms[i].body : "");
    html_close(&h, "div");
  }
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_application(request *rq, response *rs) { return render_app(rq, rs, rq_param_id(rq, 1), NULL); }

err_code page_portal_application_answer(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  svc_owner o = {"citizen", 0, rq->citizen->fiscal_code};
  size_t n_up;
  svc_upload *up = svc_web_uploads(rq, &n_up);
  problem pb = {0};
  err_code rc = svc_app_answer(rq->db, rq->a, &rq->who, rq->ente->id, id, &o, rq_form(rq, "text"), up, n_up,
                               service_doc_pdf_fn, rq->ente->name, &pb);
  if (rc == ERR_INVALID) return render_app(rq, rs, id, &pb);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=risposta", app_url(rq, id)));
}

err_code page_portal_application_book(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  svc_owner o = {"citizen", 0, rq->citizen->fiscal_code};
  problem pb = {0};
  int64_t counter, start;
  int video;
  err_code rc;
  if (booking_slot_parse(rq_form(rq, "start"), &counter, &video, &start) != 0) {
    pb = (problem){ERR_INVALID, "start", "Scegli un giorno e un'ora tra quelli liberi."};
    rc = ERR_INVALID;
  } else {
    ag_appt ap;
    rc = svc_app_book(rq->db, rq->a, rq->ente, &rq->who, id, &o, counter, video, start,
                      rq_form(rq, "privacy_consent") != NULL, &ap, &pb);
  }
  if (rc == ERR_SLOT_FULL || rc == ERR_BOOKING_LIMIT || rc == ERR_CONFLICT) {
    pb = (problem){rc, NULL, rc == ERR_CONFLICT ? "Hai già un appuntamento per questa domanda."
                                                : err_message_it(rc)};
    rs->status = 409;
    return render_app(rq, rs, id, &pb);
  }
  if (rc == ERR_INVALID) return render_app(rq, rs, id, &pb);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=appuntamento#appuntamento", app_url(rq, id)));
}

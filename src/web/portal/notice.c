/* Pay a notice without signing in: the notice number (with or without
 * spaces) and the fiscal code of the Ente or of the taxpayer give the
 * amount due today, the due date, the payee and the subject; then pay it
 * through pagoPA Checkout or download the notice. A wrong number, a wrong
 * check digit, a paid, cancelled or expired notice each get their own
 * message. Every lookup counts against the client's lookup limit. */
#include <string.h>

#include "core/text.h"
#include "core/validate.h"
#include "domain/pagopa/nav.h"
#include "web/portal/portal_pdf.h"
#include "web/portal/portal_web.h"

typedef struct {
  err_code rc;         /* ERR_OK: payable */
  const char *problem; /* field-level: number or fiscal code */
  const char *field;
  debt_notice n;
  int64_t due_today;
  portal_fine fine; /* act_id != 0 for a traffic fine */
  fine_amount band;
} notice_result;

/* Looks the notice up as the form gave it. rc: ERR_INVALID (problem set),
 * ERR_NOTICE_*, or ERR_OK. A fiscal code that is neither the Ente's nor the
 * act's taxpayer's makes the notice unknown. */
static err_code lookup(request *rq, const char *nav_in, const char *cf_in, notice_result *r) {
  memset(r, 0, sizeof *r);
  err_code rc = portal_notice_find(rq, nav_in, cf_in, &r->n, &r->field, &r->problem);
  if (err_http_status(rc) >= 500) return rc; /* storage */
  r->rc = rc;
  if (rc != ERR_OK) return ERR_OK;
  r->due_today = r->n.due_today;
  /* a traffic fine costs what today's band says */
  if (!strcmp(r->n.act.act_type, "verbale") &&
      portal_fine_by_act(rq->db, rq->a, rq->ente->id, r->n.act.id, &r->fine) == ERR_OK &&
      portal_fine_amount(rq->ente, &r->fine, portal_today(rq), &r->band) == 0) {
    int64_t due = r->band.total_cents - r->n.act.paid_cents;
    r->due_today = due > 0 ? due : 0;
  } else {
    r->fine.act_id = 0;
  }
  return ERR_OK;
}

static void notice_form(request *rq, html *h, const char *nav, const char *cf, const notice_result *r) {
  problem pb[1];
  size_t np = 0;
  if (r && r->rc == ERR_INVALID) pb[np++] = (problem){ERR_INVALID, r->field, r->problem};
  form_begin_errors(h, portal_url(rq, "/avviso"), rq->csrf, pb, np);
  form_input(h, &(form_field){.name = "codice_avviso",
                              .label = "Codice avviso",
                              .value = nav,
                              .required = 1,
                              .hint = "18 cifre, anche con gli spazi come è stampato sull'avviso.",
                              .autocomplete = "off",
                              .maxlength = 40});
  form_input(h, &(form_field){.name = "codice_fiscale",
                              .label = "Codice fiscale",
                              .value = cf,
                              .required = 1,
                              .hint = "Dell'Ente creditore o del contribuente a cui è intestato l'avviso.",
                              .autocomplete = "off",
                              .maxlength = 16});
  form_submit(h, "Cerca l'avviso");
  form_end(h);
}

err_code page_portal_notice(request *rq, response *rs) {
  portal_page p;
  err_code rc = portal_page_for(rq, "Paga un avviso", "avviso", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Paga un avviso", NULL});
  p.lead = "Inserisci il codice avviso e il codice fiscale: vedi quanto pagare oggi e paghi con pagoPA.";
  html h = portal_html(rq, rs, &p);
  notice_form(rq, &h, rq_query(rq, "codice_avviso"), rq_query(rq, "codice_fiscale"), NULL);
  portal_end(&h, &p);
  return ERR_OK;
}

static void hidden(html *h, const char *name, const char *value) {
  html_void(h, "input", HA("type", "hidden"), HA("name", name), HA("value", value));
}

static void show_notice(request *rq, html *h, const notice_result *r, const char *cf) {
  const debt_act *x = &r->n.act;
  const debt_option *o = r->n.option;
  char grouped[NAV_GROUPED_SIZE];
  nav_format_grouped(o->nav, grouped);
  html_open(h, "div", HA("class", "card card-bg mb-4"));
  html_open(h, "div", HA("class", "card-body"));
  html_elem(h, "h2", "Avviso trovato", HA("class", "h4"));
  dl_begin(h);
  dl_row(h, "Importo da pagare oggi", portal_eur(rq->a, r->due_today), NULL);
  dl_row(h, "Scadenza", date_it(rq->a, o->due_date), NULL);
  dl_row(h, "Ente creditore", rq->ente->name, NULL);
  dl_row(h, "Oggetto", x->description, NULL);
  dl_row(h, "Codice avviso", grouped, NULL);
  if (o->installment > 0) dl_row(h, "Rata", arena_printf(rq->a, "%d", o->installment), NULL);
  if (r->fine.act_id) dl_row(h, "Fascia di pagamento", fine_band_label(r->band.band), NULL);
  dl_end(h);
  html_open(h, "form", HA("method", "post"), HA("action", portal_url(rq, "/avviso/paga")),
            HA("class", "d-inline"));
  hidden(h, "_csrf", rq->csrf);
  hidden(h, "codice_avviso", o->nav);
  hidden(h, "codice_fiscale", cf);
  form_input(h, &(form_field){.name = "email",
                              .label = "E-mail per la ricevuta (facoltativa)",
                              .type = "email",
                              .autocomplete = "email",
                              .maxlength = 254});
  html_elem(h, "button", "Paga con pagoPA", HA("type", "submit"), HA("class", "btn btn-primary me-2"));
  html_close(h, "form");
  button_link(h, "Scarica l'avviso (PDF)",
              arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s", portal_url(rq, "/avviso/pdf"),
                           url_encode(rq->a, o->nav), url_encode(rq->a, cf)),
              BTN_SECONDARY);
  html_close(h, "div");
  html_close(h, "div");
}

/* The message for a notice that cannot be paid. */
static void show_state(request *rq, html *h, const notice_result *r, const char *nav, const char *cf) {
  switch (r->rc) {
    case ERR_NOTICE_UNKNOWN:
      portal_alert(h, "danger", "Avviso non trovato",
                   "Non risulta un avviso con questo codice e questo codice fiscale per l'Ente. Controlla i "
                   "dati: il codice fiscale è quello dell'Ente o dell'intestatario dell'avviso.");
      break;
    case ERR_NOTICE_PAID:
      portal_alert(h, "success", "Avviso già pagato",
                   "Questo avviso risulta già pagato: non devi pagarlo di nuovo.");
      button_link(h, "Vedi la ricevuta",
                  arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s", portal_url(rq, "/ricevuta"),
                               url_encode(rq->a, nav), url_encode(rq->a, cf)),
                  BTN_SECONDARY);
      break;
    case ERR_NOTICE_CANCELLED:
      portal_alert(h, "warning", "Avviso annullato",
                   "Questo avviso è stato annullato o sostituito da un altro: non va pagato. Se hai ricevuto "
                   "un nuovo avviso paga quello; per informazioni contatta l'Ente.");
      break;
    case ERR_NOTICE_EXPIRED:
      portal_alert(h, "warning", "Avviso non più pagabile",
                   "Il termine per pagare questo avviso è scaduto o la posizione è passata alla riscossione "
                   "coattiva: contatta l'Ente o il soggetto incaricato della riscossione.");
      break;
    default:
      break;
  }
}

err_code page_portal_notice_post(request *rq, response *rs) {
  if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
  const char *nav = rq_form(rq, "codice_avviso"), *cf = rq_form(rq, "codice_fiscale");
  if ((nav && strlen(nav) > 64) || (cf && strlen(cf) > 32)) return ERR_BAD_REQUEST;
  notice_result r;
  err_code rc = lookup(rq, nav, cf, &r);
  if (rc != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, "Paga un avviso", "avviso", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Paga un avviso", NULL});
  html h = portal_html(rq, rs, &p);
  if (r.rc == ERR_INVALID) {
    rs->status = 422;
    notice_form(rq, &h, nav, cf, &r);
  } else if (r.rc != ERR_OK) {
    if (r.rc == ERR_NOTICE_UNKNOWN) rs->status = 404;
    show_state(rq, &h, &r, r.n.option ? r.n.option->nav : nav, cf);
    notice_form(rq, &h, nav, cf, NULL);
  } else {
    char *c = text_trim_dup(rq->a, cf);
    normalize_code(c);
    show_notice(rq, &h, &r, c);
  }
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_notice_pay(request *rq, response *rs) {
  if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
  const char *nav = rq_form(rq, "codice_avviso"), *cf = rq_form(rq, "codice_fiscale"),
             *email = rq_form(rq, "email");
  if ((nav && strlen(nav) > 64) || (cf && strlen(cf) > 32) || (email && strlen(email) > 254))
    return ERR_BAD_REQUEST;
  if (email && *email && validate_email(email)) email = NULL;
  if (email && !*email) email = NULL;
  notice_result r;
  err_code rc = lookup(rq, nav, cf, &r);
  if (rc != ERR_OK) return rc;
  if (r.rc == ERR_INVALID) return ERR_NOTICE_UNKNOWN;
  if (r.rc != ERR_OK) return r.rc;
  const char *location;
  if ((rc = checkout_start(rq, rq->ente, &r.n.act, r.n.option, r.due_today, email, &location)) != ERR_OK)
    return rc;
  return rs_redirect(rs, location);
}

err_code page_portal_notice_pdf(request *rq, response *rs) {
  if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
  const char *nav = rq_query(rq, "codice_avviso"), *cf = rq_query(rq, "codice_fiscale");
  if ((nav && strlen(nav) > 64) || (cf && strlen(cf) > 32)) return ERR_BAD_REQUEST;
  notice_result r;
  err_code rc = lookup(rq, nav, cf, &r);
  if (rc != ERR_OK) return rc;
  if (r.rc == ERR_INVALID) return ERR_NOTICE_UNKNOWN;
  if (r.rc != ERR_OK) return r.rc;
  strbuf pdf;
  sb_init(&pdf, 8u << 20);
  rc = portal_notice_pdf(rq->db, rq->a, rq->ente, &r.n.act, &pdf);
  if (rc == ERR_OK) portal_send_pdf(rs, rq, &pdf, arena_printf(rq->a, "avviso-%s.pdf", r.n.option->nav));
  sb_free(&pdf);
  return rc;
}

/* Spontaneous payment without signing in: a service the Ente accepts
 * without an act, amount, reason, the payer's fiscal code, name and e-mail
 * give a position with its notice number and notice; then pay it. */
#include <string.h>

#include "core/money.h"
#include "domain/pagopa/nav.h"
#include "web/portal/portal_web.h"

static void form(request *rq, html *h, const debt_revenue *rv, size_t n, const debt_problems *pbs) {
  form_option *opts = ARENA_ARRAY(rq->a, form_option, n + 1);
  size_t no = 0;
  opts[no++] = (form_option){"", "Scegli il servizio"};
  for (size_t i = 0; i < n; i++)
    if (rv[i].spontaneous) opts[no++] = (form_option){rv[i].code, rv[i].name};
  form_begin_errors(h, portal_url(rq, "/spontaneo"), rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
  form_select(
      h,
      &(form_field){.name = "revenue", .label = "Servizio", .value = rq_form(rq, "revenue"), .required = 1},
      opts, no);
  form_input(h, &(form_field){.name = "amount",
                              .label = "Importo in euro",
                              .value = rq_form(rq, "amount"),
                              .required = 1,
                              .hint = "Per esempio 25,00.",
                              .maxlength = 16});
  form_input(h, &(form_field){.name = "reason",
                              .label = "Causale",
                              .value = rq_form(rq, "reason"),
                              .required = 1,
                              .maxlength = 120});
  form_input(h, &(form_field){.name = "payer_cf",
                              .label = "Codice fiscale di chi paga",
                              .value = rq_form(rq, "payer_cf"),
                              .required = 1,
                              .maxlength = 16,
                              .autocomplete = "off"});
  form_input(h, &(form_field){.name = "payer_surname",
                              .label = "Cognome o ragione sociale",
                              .value = rq_form(rq, "payer_surname"),
                              .autocomplete = "family-name",
                              .maxlength = 200,
                              .hint = "Serve se non sei già nell'anagrafe dell'Ente."});
  form_input(h, &(form_field){.name = "payer_given_name",
                              .label = "Nome (persone fisiche)",
                              .value = rq_form(rq, "payer_given_name"),
                              .autocomplete = "given-name",
                              .maxlength = 100});
  form_input(h, &(form_field){.name = "payer_email",
                              .label = "E-mail",
                              .type = "email",
                              .value = rq_form(rq, "payer_email"),
                              .autocomplete = "email",
                              .maxlength = 254,
                              .hint = "Per ricevere la ricevuta di pagamento."});
  form_submit(h, "Crea l'avviso di pagamento");
  form_end(h);
}

err_code page_portal_spontaneous(request *rq, response *rs) {
  debt_revenue *rv;
  size_t n;
  err_code rc = debt_revenue_list(rq->db, rq->a, rq->ente->id, &rv, &n);
  if (rc != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, "Pagamento spontaneo", "servizi", &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Pagamento spontaneo", NULL});
  p.lead =
      "Paga un servizio dell'Ente senza avere ricevuto un avviso: ottieni subito il codice avviso e "
      "puoi pagare con pagoPA.";
  html h = portal_html(rq, rs, &p);
  form(rq, &h, rv, n, NULL);
  portal_end(&h, &p);
  return ERR_OK;
}

/* Form names of the domain's problem fields. */
static void map_fields(debt_problems *pbs) {
  for (size_t i = 0; i < pbs->n; i++) {
    const char *f = pbs->items[i].field;
    if (!f) continue;
    if (!strcmp(f, "payer_surname") || !strcmp(f, "payer_company_name"))
      pbs->items[i].field = "payer_surname";
    else if (!strcmp(f, "payer_fiscal_code"))
      pbs->items[i].field = "payer_cf";
    else if (!strncmp(f, "lines", 5) || !strncmp(f, "options", 7))
      pbs->items[i].field = "amount";
    else if (!strcmp(f, "description"))
      pbs->items[i].field = "reason";
  }
}

err_code page_portal_spontaneous_post(request *rq, response *rs) {
  const char *amount = rq_form(rq, "amount");
  int64_t cents = 0;
  if (!amount || money_parse(amount, &cents) != 0) cents = -1;
  portal_spontaneous in = {rq_form(rq, "revenue"),       cents,
                           rq_form(rq, "reason"),        rq_form(rq, "payer_cf"),
                           rq_form(rq, "payer_surname"), rq_form(rq, "payer_given_name"),
                           rq_form(rq, "payer_email")};
  debt_act act;
  debt_problems pbs;
  err_code rc = portal_spontaneous_create(rq->db, rq->a, rq->ente->id, &in, &rq->who, &act, &pbs);
  if (rc == ERR_PAGOPA_SETUP) return rc;
  portal_page p;
  err_code rc2 = portal_page_for(rq, "Pagamento spontaneo", "servizi", &p);
  if (rc2 != ERR_OK) return rc2;
  PORTAL_TRAIL(rq, &p, {"Pagamento spontaneo", NULL});
  if (rc == ERR_INVALID || rc == ERR_CONFLICT) {
    debt_revenue *rv;
    size_t n;
    if ((rc2 = debt_revenue_list(rq->db, rq->a, rq->ente->id, &rv, &n)) != ERR_OK) return rc2;
    map_fields(&pbs);
    rs->status = 422;
    html h = portal_html(rq, rs, &p);
    form(rq, &h, rv, n, &pbs);
    portal_end(&h, &p);
    return ERR_OK;
  }
  if (rc != ERR_OK) return rc;
  const debt_option *o = &act.options[0];
  char grouped[NAV_GROUPED_SIZE];
  nav_format_grouped(o->nav, grouped);
  p.notice = "Avviso di pagamento creato.";
  html h = portal_html(rq, rs, &p);
  dl_begin(&h);
  dl_row(&h, "Codice avviso", grouped, NULL);
  dl_row(&h, "Importo", portal_eur(rq->a, o->amount_cents), NULL);
  dl_row(&h, "Causale", act.description, NULL);
  dl_row(&h, "Ente creditore", rq->ente->name, NULL);
  dl_end(&h);
  html_open(&h, "form", HA("method", "post"), HA("action", portal_url(rq, "/avviso/paga")),
            HA("class", "d-inline"));
  html_void(&h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", rq->csrf));
  html_void(&h, "input", HA("type", "hidden"), HA("name", "codice_avviso"), HA("value", o->nav));
  html_void(&h, "input", HA("type", "hidden"), HA("name", "codice_fiscale"),
            HA("value", rq->ente->fiscal_code));
  const char *email = rq_form(rq, "payer_email");
  if (email && *email) html_void(&h, "input", HA("type", "hidden"), HA("name", "email"), HA("value", email));
  html_elem(&h, "button", "Paga con pagoPA", HA("type", "submit"), HA("class", "btn btn-primary me-2"));
  html_close(&h, "form");
  button_link(&h, "Scarica l'avviso (PDF)",
              arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s", portal_url(rq, "/avviso/pdf"),
                           o->nav, rq->ente->fiscal_code),
              BTN_SECONDARY);
  portal_end(&h, &p);
  return ERR_OK;
}

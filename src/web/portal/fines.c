/* Traffic fines without signing in: the report number and the plate (or
 * the date of the violation) find the report; the amount shown is today's
 * band (art. 202 CdS, core/fines.h), costs in full; pay it. */
#include <string.h>

#include "domain/pagopa/nav.h"
#include "web/portal/portal_web.h"

static void form(request *rq, html *h, const problem *pb, size_t np) {
  form_begin_errors(h, portal_url(rq, "/multe"), rq->csrf, pb, np);
  form_input(h, &(form_field){.name = "numero",
                              .label = "Numero del verbale",
                              .value = rq_form(rq, "numero"),
                              .required = 1,
                              .maxlength = 35,
                              .autocomplete = "off"});
  form_input(h, &(form_field){.name = "targa",
                              .label = "Targa del veicolo",
                              .value = rq_form(rq, "targa"),
                              .maxlength = 12,
                              .autocomplete = "off",
                              .hint = "Oppure, se non la conosci, la data della violazione qui sotto."});
  form_input(h, &(form_field){.name = "data",
                              .label = "Data della violazione",
                              .type = "date",
                              .value = rq_form(rq, "data"),
                              .maxlength = 10});
  form_submit(h, "Cerca il verbale");
  form_end(h);
}

err_code page_portal_fines(request *rq, response *rs) {
  portal_page p;
  err_code rc = portal_page_for(rq, "Multe e sanzioni stradali", "servizi", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Multe e sanzioni stradali", NULL});
  p.lead =
      "Entro 5 giorni dalla notifica paghi il minimo ridotto del 30% (dove la legge lo consente), entro 60 "
      "giorni il minimo, poi la metà del massimo. Le spese di notifica si pagano sempre per intero.";
  html h = portal_html(rq, rs, &p);
  form(rq, &h, NULL, 0);
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_fines_post(request *rq, response *rs) {
  if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
  const char *num = rq_form(rq, "numero"), *plate = rq_form(rq, "targa"), *date = rq_form(rq, "data");
  if ((num && strlen(num) > 64) || (plate && strlen(plate) > 32) || (date && strlen(date) > 16))
    return ERR_BAD_REQUEST;
  portal_page p;
  err_code rc = portal_page_for(rq, "Multe e sanzioni stradali", "servizi", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Multe e sanzioni stradali", NULL});
  problem pb[2];
  size_t np = 0;
  if (!num || !*num) pb[np++] = (problem){ERR_INVALID, "numero", "Indica il numero del verbale."};
  if ((!plate || !*plate) && (!date || !*date))
    pb[np++] = (problem){ERR_INVALID, "targa", "Indica la targa oppure la data della violazione."};
  if (np) {
    rs->status = 422;
    html h = portal_html(rq, rs, &p);
    form(rq, &h, pb, np);
    portal_end(&h, &p);
    return ERR_OK;
  }
  portal_fine f;
  rc = portal_fine_find(rq->db, rq->a, rq->ente->id, num, plate && *plate ? plate : NULL, date, &f);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  debt_act act = {0};
  if (rc == ERR_OK) rc = debt_act_get(rq->db, rq->a, rq->ente->id, f.act_id, &act);
  if (rc == ERR_NOT_FOUND) {
    rs->status = 404;
    html h = portal_html(rq, rs, &p);
    portal_alert(
        &h, "danger", "Verbale non trovato",
        "Non risulta un verbale con questo numero e questa targa (o data). Controlla i dati del verbale.");
    form(rq, &h, NULL, 0);
    portal_end(&h, &p);
    return ERR_OK;
  }
  if (rc != ERR_OK) return rc;
  fine_amount band;
  if (portal_fine_amount(rq->ente, &f, portal_today(rq), &band) != 0) return ERR_INTERNAL;
  const debt_option *o = NULL;
  int gen = 0;
  for (size_t i = 0; i < act.n_options; i++)
    if (act.options[i].generation > gen) gen = act.options[i].generation;
  for (size_t i = 0; i < act.n_options; i++)
    if (act.options[i].generation == gen && act.options[i].installment == 0) o = &act.options[i];
  html h = portal_html(rq, rs, &p);
  html_elem(&h, "h2", arena_printf(rq->a, "Verbale n. %s", f.report_number), HA("class", "h4"));
  dl_begin(&h);
  dl_row(&h, "Targa", f.plate, NULL);
  dl_row(&h, "Data della violazione", date_it(rq->a, f.violation_date), NULL);
  dl_row(&h, "Data di notifica", date_it(rq->a, f.notification_date), NULL);
  dl_row(&h, "Fascia di oggi", fine_band_label(band.band), NULL);
  if (band.band_until.y) {
    char until[11];
    date_format_it(band.band_until, until);
    dl_row(&h, "Importo valido fino al", until, NULL);
  }
  dl_row(&h, "Sanzione", portal_eur(rq->a, band.fine_cents), NULL);
  dl_row(&h, "Spese di accertamento e notifica", portal_eur(rq->a, band.costs_cents), NULL);
  dl_row_begin(&h, "Totale da pagare oggi");
  html_elem(&h, "strong", portal_eur(rq->a, band.total_cents), HA("data-testid", "fine-total"));
  dl_row_end(&h);
  dl_end(&h);
  if (!strcmp(act.state, "paid")) {
    portal_alert(&h, "success", "Verbale già pagato", "Questo verbale risulta già pagato.");
  } else if (!strcmp(act.state, "coattivo") || !strcmp(act.state, "cancelled") || !o) {
    portal_alert(&h, "warning", "Verbale non pagabile qui",
                 "Questo verbale non si può pagare dal portale: contatta l'ufficio della Polizia locale.");
  } else {
    html_open(&h, "form", HA("method", "post"), HA("action", portal_url(rq, "/avviso/paga")));
    html_void(&h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", rq->csrf));
    html_void(&h, "input", HA("type", "hidden"), HA("name", "codice_avviso"), HA("value", o->nav));
    html_void(&h, "input", HA("type", "hidden"), HA("name", "codice_fiscale"),
              HA("value", rq->ente->fiscal_code));
    html_elem(&h, "button", arena_printf(rq->a, "Paga %s con pagoPA", portal_eur(rq->a, band.total_cents)),
              HA("type", "submit"), HA("class", "btn btn-primary"));
    html_close(&h, "form");
  }
  portal_end(&h, &p);
  return ERR_OK;
}

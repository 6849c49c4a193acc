/* Ravvedimento operoso for a tax not paid on time: tax, deadline and
 * revenue give today's amount (tax, reduced sanction of the band, legal
 * interest; core/interest.h with the tables of the database), then a
 * notice to pay it, valid today. */
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"
#include "domain/pagopa/nav.h"
#include "web/portal/portal_web.h"

static void form(request *rq, html *h, const problem *pb, size_t np) {
  debt_revenue *rv;
  size_t n = 0;
  if (debt_revenue_list(rq->db, rq->a, rq->ente->id, &rv, &n) != ERR_OK) n = 0;
  form_option *opts = ARENA_ARRAY(rq->a, form_option, n + 1);
  opts[0] = (form_option){"", "Scegli il tributo"};
  for (size_t i = 0; i < n; i++) opts[i + 1] = (form_option){rv[i].code, rv[i].name};
  form_begin_errors(h, portal_url(rq, "/area-personale/ravvedimento"), rq->csrf, pb, np);
  form_select(
      h, &(form_field){.name = "revenue", .label = "Tributo", .value = rq_form(rq, "revenue"), .required = 1},
      opts, n + 1);
  form_input(h, &(form_field){.name = "tax",
                              .label = "Imposta non versata (euro)",
                              .value = rq_form(rq, "tax"),
                              .required = 1,
                              .maxlength = 16});
  form_input(
      h, &(form_field){.name = "due",
                       .label = "Scadenza del versamento",
                       .type = "date",
                       .value = rq_form(rq, "due"),
                       .required = 1,
                       .hint = "Se cadeva di sabato, domenica o in un giorno festivo vale il primo giorno "
                               "lavorativo successivo."});
  form_input(h, &(form_field){.name = "description",
                              .label = "Descrizione (per esempio IMU acconto 2025)",
                              .value = rq_form(rq, "description"),
                              .maxlength = 100});
  form_submit(h, "Calcola");
  form_end(h);
}

err_code page_portal_ravv(request *rq, response *rs) {
  portal_page p;
  err_code rc = portal_page_for(rq, "Ravvedimento operoso", "area-personale", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")}, {"Ravvedimento operoso", NULL});
  p.lead =
      "Se non hai versato un tributo alla scadenza puoi regolarizzare pagando oggi l'imposta, una sanzione "
      "ridotta e gli interessi legali.";
  html h = portal_html(rq, rs, &p);
  form(rq, &h, NULL, 0);
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_ravv_post(request *rq, response *rs) {
  const char *tax_s = rq_form(rq, "tax"), *due_s = rq_form(rq, "due"), *rev = rq_form(rq, "revenue");
  const char *desc = rq_form(rq, "description");
  problem pb[3];
  size_t np = 0;
  int64_t tax = 0;
  civil_date due = {0, 0, 0}, today;
  date_parse_iso(portal_today(rq), &today);
  if (!tax_s || money_parse(tax_s, &tax) != 0 || tax <= 0 || tax > 99999999999)
    pb[np++] = (problem){ERR_INVALID, "tax", "Indica l'imposta in euro (per esempio 1.000,00)."};
  if (!due_s || date_parse_iso(due_s, &due) != 0 || due.y < 2000)
    pb[np++] = (problem){ERR_INVALID, "due", "Indica la scadenza (AAAA-MM-GG)."};
  if (!rev || !*rev) pb[np++] = (problem){ERR_INVALID, "revenue", "Scegli il tributo."};
  ravv_result r;
  if (np == 0) {
    work_calendar cal;
    work_calendar_init(&cal, rq->ente->patron_day);
    due = cal_working_day_on_or_after(&cal, due); /* the effective deadline */
    interest_rate *rates;
    ravv_band *bands;
    size_t nr, nb;
    err_code rc = portal_rates(rq->db, rq->a, &rates, &nr);
    if (rc == ERR_OK) rc = portal_ravv_bands(rq->db, rq->a, &bands, &nb);
    if (rc != ERR_OK) return rc;
    if (date_cmp(due, today) >= 0)
      pb[np++] =
          (problem){ERR_INVALID, "due", "La scadenza non è ancora passata: paga l'imposta senza sanzioni."};
    else if (ravv_compute(tax, due, today, bands, nb, rates, nr, &r) != 0)
      pb[np++] =
          (problem){ERR_INVALID, "due", "Per questa scadenza il ravvedimento non si può calcolare qui."};
  }
  portal_page p;
  err_code rc = portal_page_for(rq, "Ravvedimento operoso", "area-personale", &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")}, {"Ravvedimento operoso", NULL});
  if (np) {
    rs->status = 422;
    html h = portal_html(rq, rs, &p);
    form(rq, &h, pb, np);
    portal_end(&h, &p);
    return ERR_OK;
  }
  char due_iso[11];
  date_format_iso(due, due_iso);
  const char *d = desc && *desc && strlen(desc) <= 100 ? desc : arena_printf(rq->a, "Ravvedimento %s", rev);
  debt_act act;
  debt_problems dp;
  rc = portal_ravv_create(rq->db, rq->a, rq->ente->id, rq->citizen->fiscal_code, rev,
                          arena_printf(rq->a, "%s - scadenza %s", d, date_it(rq->a, due_iso)), &r, &rq->who,
                          &act, &dp);
  if (rc == ERR_INVALID) {
    rs->status = 422;
    html h = portal_html(rq, rs, &p);
    form(rq, &h, dp.items, dp.n);
    portal_end(&h, &p);
    return ERR_OK;
  }
  if (rc != ERR_OK) return rc;
  char grouped[NAV_GROUPED_SIZE];
  nav_format_grouped(act.options[0].nav, grouped);
  html h = portal_html(rq, rs, &p);
  html_elem(&h, "h2", "Importo da versare oggi", HA("class", "h4"));
  dl_begin(&h);
  dl_row(&h, "Imposta", portal_eur(rq->a, r.tax_cents), NULL);
  dl_row(&h, "Giorni di ritardo", arena_printf(rq->a, "%lld", (long long)r.days_late), NULL);
  dl_row(&h, "Sanzione ridotta",
         arena_printf(rq->a, "%s (%s)", portal_eur(rq->a, r.sanction_cents), r.band->band), NULL);
  dl_row(&h, "Interessi legali", portal_eur(rq->a, r.interest_cents), NULL);
  dl_row_begin(&h, "Totale");
  html_elem(&h, "strong", portal_eur(rq->a, r.total_cents), HA("data-testid", "ravv-total"));
  dl_row_end(&h);
  dl_row(&h, "Codice avviso", grouped, NULL);
  dl_end(&h);
  html_open(&h, "form", HA("method", "post"), HA("action", portal_url(rq, "/avviso/paga")),
            HA("class", "d-inline"));
  html_void(&h, "input", HA("type", "hidden"), HA("name", "_csrf"), HA("value", rq->csrf));
  html_void(&h, "input", HA("type", "hidden"), HA("name", "codice_avviso"), HA("value", act.options[0].nav));
  html_void(&h, "input", HA("type", "hidden"), HA("name", "codice_fiscale"),
            HA("value", rq->citizen->fiscal_code));
  html_elem(&h, "button", "Paga con pagoPA", HA("type", "submit"), HA("class", "btn btn-primary me-2"));
  html_close(&h, "form");
  button_link(&h, "Scarica l'avviso (PDF)",
              arena_printf(rq->a, "%s?codice_avviso=%s&codice_fiscale=%s", portal_url(rq, "/avviso/pdf"),
                           act.options[0].nav, rq->citizen->fiscal_code),
              BTN_SECONDARY);
  portal_end(&h, &p);
  return ERR_OK;
}

/* The statement (estratto conto) at a chosen date, default today: per act
 * the residual debt, the installments and their state, the late interest
 * from the due date to that date at the legal rate plus the Ente's spread;
 * the totals. A printable page and a PDF. */
#include <string.h>

#include "core/date.h"
#include "web/portal/portal_pdf.h"
#include "web/portal/portal_web.h"

/* The date asked for (?data=YYYY-MM-DD), default today; NULL when bad. */
static const char *chosen_date(request *rq) {
  const char *d = rq_query(rq, "data");
  if (!d || !*d) return portal_today(rq);
  civil_date c;
  if (strlen(d) != 10 || date_parse_iso(d, &c) != 0 || c.y < 2000 || c.y > 2100) return NULL;
  return d;
}

/* A short name of the act for the table: "Avviso n. 12", "Accertamento n. 3". */
static const char *act_short(request *rq, const debt_act *x) {
  static const struct {
    const char *type, *label;
  } names[] = {{"bonario", "Avviso"},
               {"accertamento", "Accertamento"},
               {"ingiunzione", "Ingiunzione"},
               {"cautelare", "Atto cautelare"},
               {"esecutivo", "Atto esecutivo"},
               {"verbale", "Verbale"},
               {"canone", "Canone"}};
  const char *l = x->act_type;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(names[i].type, x->act_type)) l = names[i].label;
  /* "<label> n. <number>" without printf: one per row */
  size_t ll = strlen(l), nl = strlen(x->number);
  char *out = arena_alloc(rq->a, ll + nl + 4);
  memcpy(out, l, ll);
  memcpy(out + ll, " n. ", 4);
  memcpy(out + ll + 4, x->number, nl);
  out[ll + 4 + nl] = 0;
  return out;
}

static const char *plan_text(request *rq, const portal_statement_act *s) {
  if (!s->installments) return "Pagamento unico";
  return arena_printf(rq->a, "%d rate, %d pagate", s->installments, s->installments_paid);
}

err_code page_portal_statement(request *rq, response *rs) {
  const char *cf;
  err_code rc = portal_subject(rq, &cf);
  if (rc != ERR_OK) return rc;
  const char *date = chosen_date(rq);
  portal_page p;
  portal_settings ps;
  portal_statement st;
  if (date) { /* the statement and the settings in one round trip */
    if ((rc = portal_statement_read(rq->db, rq->a, rq->ente->id, cf, date, &ps, &st)) != ERR_OK) return rc;
    portal_page_with(rq, "Estratto conto", "area-personale", &p, &ps);
  } else if ((rc = portal_page_settings(rq, "Estratto conto", "area-personale", &p, &ps)) != ERR_OK) {
    return rc;
  }
  PORTAL_TRAIL(rq, &p, {"Area personale", portal_url(rq, "/area-personale")}, {"Estratto conto", NULL});
  if (!date) rs->status = 422;
  html h = portal_html(rq, rs, &p);
  html_open(&h, "form", HA("method", "get"), HA("action", portal_url(rq, "/area-personale/estratto")),
            HA("class", "row g-2 align-items-end mb-4"));
  if (strcmp(cf, rq->citizen->fiscal_code))
    html_void(&h, "input", HA("type", "hidden"), HA("name", "cf"), HA("value", cf));
  html_open(&h, "div", HA("class", "col-auto"));
  form_input(&h, &(form_field){.name = "data",
                               .label = "Alla data",
                               .type = "date",
                               .value = date ? date : rq_query(rq, "data"),
                               .error = date ? NULL : "Indica una data valida (AAAA-MM-GG)."});
  html_close(&h, "div");
  html_open(&h, "div", HA("class", "col-auto mb-3"));
  html_elem(&h, "button", "Aggiorna", HA("type", "submit"), HA("class", "btn btn-primary"));
  html_close(&h, "div");
  html_close(&h, "form");
  if (date) {
    html_elem(&h, "p",
              arena_printf(rq->a,
                           "Situazione al %s. Interessi di mora giornalieri al tasso legale di ogni anno%s, "
                           "su base 365 giorni, dal giorno dopo la scadenza.",
                           date_it(rq->a, date),
                           st.spread_bp ? arena_printf(rq->a, " maggiorato di %d,%02d punti",
                                                       st.spread_bp / 100, st.spread_bp % 100)
                                        : ""));
    static const char *const cols[] = {"Atto", "Anno", "Tributo", "Scadenza", "Rate", "Residuo", "Interessi"};
    table_begin(&h, "Estratto conto", 0, cols, 7);
    for (size_t i = 0; i < st.n; i++) {
      portal_statement_act *s = &st.acts[i];
      table_row_begin(&h);
      table_cell(&h, act_short(rq, &s->act));
      table_cell(&h, portal_year(rq->a, s->act.year));
      table_cell(&h, s->act.revenue_code);
      table_cell(&h, date_it(rq->a, s->act.due_date));
      table_cell(&h, plan_text(rq, s));
      table_cell(&h, portal_eur(rq->a, s->residual_cents));
      table_cell(&h, portal_eur(rq->a, s->interest_cents));
      table_row_end(&h);
    }
    table_row_begin(&h);
    html_open(&h, "th", HA("scope", "row"), HA("colspan", "5"));
    html_lit(&h, "Totale");
    html_close(&h, "th");
    html_open(&h, "td");
    html_elem(&h, "strong", portal_eur(rq->a, st.total_residual_cents), HA("data-testid", "total-residual"));
    html_close(&h, "td");
    html_open(&h, "td");
    html_elem(&h, "strong", portal_eur(rq->a, st.total_interest_cents), HA("data-testid", "total-interest"));
    html_close(&h, "td");
    table_row_end(&h);
    table_end(&h);
    button_link(&h, "Scarica l'estratto conto (PDF)",
                arena_printf(rq->a, "%s?data=%s%s%s", portal_url(rq, "/area-personale/estratto.pdf"), date,
                             strcmp(cf, rq->citizen->fiscal_code) ? "&cf=" : "",
                             strcmp(cf, rq->citizen->fiscal_code) ? url_encode(rq->a, cf) : ""),
                BTN_SECONDARY);
  }
  portal_end(&h, &p);
  return ERR_OK;
}

/* The statement PDF, also used by the benchmark through the route. */
err_code page_portal_statement_pdf(request *rq, response *rs) {
  const char *cf;
  err_code rc = portal_subject(rq, &cf);
  if (rc != ERR_OK) return rc;
  const char *date = chosen_date(rq);
  if (!date) return ERR_INVALID;
  portal_statement st;
  if ((rc = portal_statement_at(rq->db, rq->a, rq->ente->id, cf, date, &st)) != ERR_OK) return rc;
  pdf_doc *d;
  if ((rc = portal_pdf_doc(&d)) != ERR_OK) return rc;
  strbuf pdf;
  sb_init(&pdf, 16u << 20);
  if ((rc = pdf_doc_begin(d, &pdf, "Estratto conto")) != ERR_OK) {
    sb_free(&pdf);
    return rc;
  }
  pdf_doc_kv(d, "Ente creditore", rq->ente->name);
  pdf_doc_kv(d, "Contribuente", cf);
  pdf_doc_kv(d, "Situazione al", date_it(rq->a, date));
  pdf_doc_kv(d, "Interessi di mora",
             st.spread_bp ? arena_printf(rq->a, "tasso legale + %d,%02d punti, base 365 giorni",
                                         st.spread_bp / 100, st.spread_bp % 100)
                          : "tasso legale, base 365 giorni");
  static const char *const cols[] = {"Atto", "Anno", "Tributo", "Scadenza", "Rate", "Residuo", "Interessi"};
  static const double w[] = {0.21, 0.07, 0.09, 0.13, 0.18, 0.16, 0.16};
  static const int right[] = {0, 0, 0, 0, 0, 1, 1};
  pdf_doc_table(d, cols, w, right, 7);
  for (size_t i = 0; i < st.n; i++) {
    portal_statement_act *s = &st.acts[i];
    const char *row[] = {act_short(rq, &s->act),
                         portal_year(rq->a, s->act.year),
                         s->act.revenue_code,
                         date_it(rq->a, s->act.due_date),
                         plan_text(rq, s),
                         portal_eur(rq->a, s->residual_cents),
                         portal_eur(rq->a, s->interest_cents)};
    pdf_doc_row(d, row, 0);
  }
  const char *tot[] = {"Totale",
                       "",
                       "",
                       "",
                       "",
                       portal_eur(rq->a, st.total_residual_cents),
                       portal_eur(rq->a, st.total_interest_cents)};
  pdf_doc_row(d, tot, 1);
  rc = pdf_doc_end(d);
  if (rc == ERR_OK) portal_send_pdf(rs, rq, &pdf, arena_printf(rq->a, "estratto-conto-%s.pdf", date));
  sb_free(&pdf);
  return rc;
}

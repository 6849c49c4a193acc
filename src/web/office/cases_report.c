/* The report of an Ente's cases per office: to take in charge, in
 * progress, waiting, closed by outcome, overdue; filters by category and
 * period; CSV export (?formato=csv). The regional and central summary
 * (cases_summary.c) shares the rendering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "web/office/cases_ui.h"

static void csv_out(response *rs, const case_report_row *r, size_t n) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return;
  static const char *const head[] = {"regione", "ufficio", "da_prendere_in_carico", "assegnate",
                                     "in_lavorazione", "in_attesa", "chiuse", "accolte",
                                     "respinte", "archiviate", "inoltrate", "scadute"};
  for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) csv_field(f, head[i], i > 0);
  csv_end(f);
  for (size_t i = 0; i < n; i++) {
    csv_field(f, r[i].region_name, 0);
    csv_field(f, r[i].office_id ? r[i].office_name : "Nessun ufficio", 1);
    csv_int(f, r[i].n_new, 1);
    csv_int(f, r[i].n_assigned, 1);
    csv_int(f, r[i].n_in_progress, 1);
    csv_int(f, r[i].n_waiting, 1);
    csv_int(f, r[i].n_closed, 1);
    csv_int(f, r[i].n_accepted, 1);
    csv_int(f, r[i].n_rejected, 1);
    csv_int(f, r[i].n_archived, 1);
    csv_int(f, r[i].n_forwarded, 1);
    csv_int(f, r[i].n_overdue, 1);
    csv_end(f);
  }
  fclose(f);
  rs->content_type = "text/csv; charset=utf-8";
  rs_header(rs, "Content-Disposition", "attachment; filename=\"pratiche.csv\"");
  sb_appendn(&rs->body, buf, len);
  free(buf);
}

static void num_cell(html *h, int64_t v) {
  html_open(h, "td", HA("class", "text-end"));
  html_textf(h, "%lld", (long long)v);
  html_close(h, "td");
}

err_code cases_report_render(request *rq, response *rs, const char *title,
                             const case_report_filter *f, int csv, const char *action,
                             const char *ente_sel) {
  case_report_row *r;
  size_t n;
  err_code e = cases_report(rq->db, rq->a, f, &r, &n);
  if (e != ERR_OK) return e;
  if (csv) {
    csv_out(rs, r, n);
    return ERR_OK;
  }
  page_info p;
  if ((e = web_page_info(rq, title, "pratiche", &p)) != ERR_OK) return e;
  html h = web_begin(rq, rs, &p);
  html_open(&h, "form", HA("method", "get"), HA("action", action),
            HA("class", "row g-3 align-items-end mb-4"), HA("aria-label", "Filtri del report"));
  if (ente_sel) {
    ente *list;
    size_t k = 0;
    rq_user_entes(rq, &list, &k);
    form_option *o = ARENA_ARRAY(rq->a, form_option, k + 1);
    o[0] = (form_option){"", "Tutti gli Enti"};
    for (size_t i = 0; i < k; i++) o[i + 1] = (form_option){list[i].slug, list[i].name};
    html_open(&h, "div", HA("class", "col-md-3"));
    form_field fe = {.name = "ente", .label = "Ente", .value = ente_sel};
    form_select(&h, &fe, o, k + 1);
    html_close(&h, "div");
  } else {
    size_t k;
    form_option *cats = cu_category_options(rq, "Tutte le categorie", &k);
    html_open(&h, "div", HA("class", "col-md-4"));
    form_field fc = {.name = "categoria", .label = "Categoria", .value = f->category ? f->category : ""};
    form_select(&h, &fc, cats, k);
    html_close(&h, "div");
  }
  html_open(&h, "div", HA("class", "col-md-3"));
  form_field ff = {.name = "dal", .label = "Ricevute dal", .value = f->from, .type = "date"};
  form_input(&h, &ff);
  html_close(&h, "div");
  html_open(&h, "div", HA("class", "col-md-3"));
  form_field ft = {.name = "al", .label = "al", .value = f->to, .type = "date"};
  form_input(&h, &ft);
  html_close(&h, "div");
  html_open(&h, "div", HA("class", "col-md-2"));
  form_submit(&h, "Aggiorna");
  html_close(&h, "div");
  html_close(&h, "form");
  html_open(&h, "div", HA("class", "table-responsive"), HA("tabindex", "0"), HA("role", "region"),
            HA("aria-label", title));
  html_open(&h, "table", HA("class", "table"));
  html_elem(&h, "caption", "Pratiche per ufficio: per stato, chiuse per esito e scadute",
            HA("class", "visually-hidden"));
  html_lit(&h, "<thead><tr><th scope=\"col\">Regione</th><th scope=\"col\">Ufficio</th>"
               "<th scope=\"col\">Da prendere in carico</th><th scope=\"col\">Assegnate</th>"
               "<th scope=\"col\">In lavorazione</th><th scope=\"col\">In attesa</th>"
               "<th scope=\"col\">Chiuse</th><th scope=\"col\">Accolte</th>"
               "<th scope=\"col\">Respinte</th><th scope=\"col\">Archiviate</th>"
               "<th scope=\"col\">Inoltrate</th><th scope=\"col\">Scadute</th></tr></thead><tbody>");
  int64_t tot[10] = {0};
  for (size_t i = 0; i < n; i++) {
    html_open(&h, "tr");
    html_elem(&h, "td", r[i].region_name);
    html_elem(&h, "th", r[i].office_id ? r[i].office_name : "Nessun ufficio", HA("scope", "row"));
    int64_t v[10] = {r[i].n_new,      r[i].n_assigned, r[i].n_in_progress, r[i].n_waiting,
                     r[i].n_closed,   r[i].n_accepted, r[i].n_rejected,    r[i].n_archived,
                     r[i].n_forwarded, r[i].n_overdue};
    for (int k = 0; k < 10; k++) {
      num_cell(&h, v[k]);
      tot[k] += v[k];
    }
    html_close(&h, "tr");
  }
  html_lit(&h, "</tbody><tfoot><tr><td></td><th scope=\"row\">Totale</th>");
  for (int k = 0; k < 10; k++) num_cell(&h, tot[k]);
  html_lit(&h, "</tr></tfoot>");
  html_close(&h, "table");
  html_close(&h, "div");
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_cases_report(request *rq, response *rs) {
  const char *cat = rq_query(rq, "categoria");
  if (cat && (!*cat || strlen(cat) > 40)) cat = NULL;
  const char *fmt = rq_query(rq, "formato");
  case_report_filter f = {.ente_ids = &rq->ente->id, .n_entes = 1, .category = cat,
                          .from = cu_query_date(rq, "dal"), .to = cu_query_date(rq, "al")};
  if (rq->user->role == ROLE_SUPERVISOR_REGIONAL) f.region_id = rq->user->region_id;
  return cases_report_render(rq, rs, arena_printf(rq->a, "Report delle pratiche - %s", rq->ente->name),
                             &f, fmt && strcmp(fmt, "csv") == 0,
                             url_cases_report(rq->a, rq->ente->slug, NULL, NULL, NULL, NULL), NULL);
}

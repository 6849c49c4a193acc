/* The queue of an office's cases: to take in charge, mine, waiting for the
 * requester, overdue, closed, all open; filters by office, category and
 * period (a plain GET form, so it works without JavaScript); urgent cases
 * first. Managers and operators see their own office by default. */
#include <stdlib.h>
#include <string.h>

#include "web/office/cases_ui.h"

enum { PAGE_SIZE = 50 };

static const struct {
  const char *slug, *label;
  case_view view;
} VIEWS[] = {
    {"da-prendere", "Da prendere in carico", CQ_NEW}, {"mie", "Le mie pratiche", CQ_MINE},
    {"in-attesa", "In attesa", CQ_WAITING},           {"scadute", "Scadute", CQ_OVERDUE},
    {"chiuse", "Chiuse", CQ_CLOSED},                  {"aperte", "Tutte le aperte", CQ_OPEN},
};
enum { N_VIEWS = sizeof VIEWS / sizeof VIEWS[0] };

static void tabs(request *rq, html *h, size_t current, const char *cat, const char *from,
                 const char *to) {
  html_open(h, "nav", HA("aria-label", "Code delle pratiche"));
  html_open(h, "ul", HA("class", "nav nav-tabs mb-3"));
  for (size_t i = 0; i < N_VIEWS; i++) {
    html_open(h, "li", HA("class", "nav-item"));
    html_elem(h, "a", VIEWS[i].label, HA("class", i == current ? "nav-link active" : "nav-link"),
              HA("href", url_cases(rq->a, rq->ente->slug, VIEWS[i].slug, cat, from, to, 0)),
              HA("aria-current", i == current ? "page" : NULL));
    html_close(h, "li");
  }
  html_close(h, "ul");
  html_close(h, "nav");
}

static void filters(request *rq, html *h, const char *view, const char *cat, const char *from,
                    const char *to, const char *office_sel, office *offices, size_t n_off) {
  html_open(h, "form", HA("method", "get"),
            HA("action", url_cases(rq->a, rq->ente->slug, NULL, NULL, NULL, NULL, 0)),
            HA("class", "row g-3 align-items-end mb-4"), HA("aria-label", "Filtri"));
  html_void(h, "input", HA("type", "hidden"), HA("name", "vista"), HA("value", view));
  size_t n;
  form_option *opts = cu_category_options(rq, "Tutte le categorie", &n);
  html_open(h, "div", HA("class", "col-md-4"));
  form_field fc = {.name = "categoria", .label = "Categoria", .value = cat ? cat : ""};
  form_select(h, &fc, opts, n);
  html_close(h, "div");
  form_option *oo = ARENA_ARRAY(rq->a, form_option, n_off + 1);
  oo[0] = (form_option){"tutti", "Tutti gli uffici"};
  for (size_t i = 0; i < n_off; i++)
    oo[i + 1] = (form_option){arena_printf(rq->a, "%lld", (long long)offices[i].id), offices[i].name};
  html_open(h, "div", HA("class", "col-md-3"));
  form_field fo = {.name = "ufficio", .label = "Ufficio", .value = office_sel};
  form_select(h, &fo, oo, n_off + 1);
  html_close(h, "div");
  html_open(h, "div", HA("class", "col-md-2"));
  form_field ff = {.name = "dal", .label = "Ricevute dal", .value = from, .type = "date"};
  form_input(h, &ff);
  html_close(h, "div");
  html_open(h, "div", HA("class", "col-md-2"));
  form_field ft = {.name = "al", .label = "al", .value = to, .type = "date"};
  form_input(h, &ft);
  html_close(h, "div");
  html_open(h, "div", HA("class", "col-md-1"));
  form_submit(h, "Filtra");
  html_close(h, "div");
  html_close(h, "form");
}

static void table(request *rq, html *h, case_rec *cs, size_t n) {
  html_open(h, "div", HA("class", "table-responsive"), HA("tabindex", "0"),
            HA("role", "region"), HA("aria-label", "Elenco delle pratiche"));
  html_open(h, "table", HA("class", "table table-hover"));
  html_elem(h, "caption", "Pratiche, le urgenti per prime, poi per scadenza",
            HA("class", "visually-hidden"));
  html_lit(h, "<thead><tr><th scope=\"col\">Numero</th><th scope=\"col\">Oggetto</th>"
              "<th scope=\"col\">Categoria</th><th scope=\"col\">Richiedente</th>"
              "<th scope=\"col\">Stato</th><th scope=\"col\">Ufficio e assegnatario</th>"
              "<th scope=\"col\">Ricevuta</th><th scope=\"col\">Scadenza</th></tr></thead><tbody>");
  for (size_t i = 0; i < n; i++) {
    case_rec *c = &cs[i];
    html_open(h, "tr");
    html_open(h, "th", HA("scope", "row"));
    html_elem(h, "a", c->label, HA("href", url_case(rq->a, rq->ente->slug, c->id)));
    html_close(h, "th");
    html_open(h, "td");
    cu_priority_badge(h, c->priority);
    html_text(h, strcmp(c->priority, "urgent") == 0 ? " " : "");
    html_text(h, c->subject);
    html_close(h, "td");
    html_elem(h, "td", c->category_name);
    html_elem(h, "td", c->requester_name);
    html_open(h, "td");
    cu_state_badge(h, c->state);
    if (c->outcome) {
      html_text(h, " ");
      html_text(h, case_outcome_label(c->outcome));
    }
    html_close(h, "td");
    html_open(h, "td");
    html_text(h, c->office_name ? c->office_name : "Nessun ufficio");
    if (c->assignee_name) {
      html_lit(h, "<br>");
      html_text(h, c->assignee_name);
    }
    html_close(h, "td");
    html_elem(h, "td", cu_time(rq->a, c->received_at));
    html_open(h, "td");
    html_text(h, cu_date_it(rq->a, c->due_date));
    if (c->overdue) {
      html_text(h, " ");
      html_elem(h, "span", "Scaduta", HA("class", "badge bg-danger"));
    }
    html_close(h, "td");
    html_close(h, "tr");
  }
  html_lit(h, "</tbody>");
  html_close(h, "table");
  html_close(h, "div");
}

err_code page_cases(request *rq, response *rs) {
  const char *vs = rq_query(rq, "vista");
  size_t vi = 0; /* default: to take in charge */
  for (size_t i = 0; vs && i < N_VIEWS; i++)
    if (strcmp(vs, VIEWS[i].slug) == 0) vi = i;
  const char *cat = rq_query(rq, "categoria");
  if (cat && (!*cat || strlen(cat) > 40)) cat = NULL;
  const char *from = cu_query_date(rq, "dal"), *to = cu_query_date(rq, "al");
  const char *uf = rq_query(rq, "ufficio");
  int64_t office_id = 0;
  if (uf && strcmp(uf, "tutti") != 0) office_id = strtoll(uf, NULL, 10);
  else if (!uf && rq->user->office_id &&
           (rq->user->role == ROLE_OFFICE_MANAGER || rq->user->role == ROLE_OPERATOR))
    office_id = rq->user->office_id;
  if (office_id < 0) office_id = 0;
  const char *ps = rq_query(rq, "pagina");
  int page = ps ? atoi(ps) : 1;
  if (page < 1 || page > 100000) page = 1;

  case_filter f = {.ente_id = rq->ente->id, .office_id = office_id, .user_id = rq->user->id,
                   .view = VIEWS[vi].view, .category = cat, .from = from, .to = to,
                   .limit = PAGE_SIZE, .offset = (page - 1) * PAGE_SIZE};
  case_rec *cs;
  size_t n;
  int64_t total;
  err_code e = cases_list(rq->db, rq->a, &f, &cs, &n, &total);
  if (e != ERR_OK) return e;
  office *offices;
  size_t n_off;
  if ((e = cases_serving_offices(rq->db, rq->a, rq->ente->id, &offices, &n_off)) != ERR_OK) return e;

  page_info p;
  if ((e = web_page_info(rq, "Pratiche", "pratiche", &p)) != ERR_OK) return e;
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p", HA("class", "d-flex flex-wrap gap-2"));
  if (WEB_USER_HAS_ROLE(rq, ROLES_CASE_WORK))
    html_elem(&h, "a", "Registra una richiesta allo sportello o al telefono",
              HA("class", "btn btn-primary"), HA("href", url_case_new(rq->a, rq->ente->slug)));
  if (WEB_USER_HAS_ROLE(rq, ROLE_BIT(ROLE_ENTE_STAFF)))
    html_elem(&h, "a", "Invia una richiesta al concessionario", HA("class", "btn btn-primary"),
              HA("href", url_case_ente_request(rq->a, rq->ente->slug)));
  html_elem(&h, "a", "Report", HA("class", "btn btn-outline-primary"),
            HA("href", url_cases_report(rq->a, rq->ente->slug, NULL, NULL, NULL, NULL)));
  html_close(&h, "p");
  tabs(rq, &h, vi, cat, from, to);
  filters(rq, &h, VIEWS[vi].slug, cat, from, to,
          office_id ? arena_printf(rq->a, "%lld", (long long)office_id) : "tutti", offices, n_off);
  html_open(&h, "p", HA("aria-live", "polite"));
  html_textf(&h, "%s: %lld %s.", VIEWS[vi].label, (long long)total,
             total == 1 ? "pratica" : "pratiche");
  html_close(&h, "p");
  if (n) table(rq, &h, cs, n);
  if (page > 1 || (int64_t)page * PAGE_SIZE < total) {
    html_open(&h, "nav", HA("aria-label", "Pagine"));
    html_open(&h, "p");
    if (page > 1)
      html_elem(&h, "a", "Pagina precedente", HA("class", "me-3"),
                HA("href", url_cases(rq->a, rq->ente->slug, VIEWS[vi].slug, cat, from, to, page - 1)));
    if ((int64_t)page * PAGE_SIZE < total)
      html_elem(&h, "a", "Pagina successiva",
                HA("href", url_cases(rq->a, rq->ente->slug, VIEWS[vi].slug, cat, from, to, page + 1)));
    html_close(&h, "p");
    html_close(&h, "nav");
  }
  page_end(&h, &p);
  return ERR_OK;
}

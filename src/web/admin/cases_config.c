/* The cases configuration of an Ente, for the administrator: the offices
 * serving it (the least-loaded fallback chooses among them), the routing
 * rules by category, and the catalogue of categories with their working
 * days (built-in defaults the Ente may override, or its own). The same
 * operations are `sportello cases serve|rule|category`. */
#include <stdlib.h>
#include <string.h>

#include "domain/cases/cases.h"
#include "web/web.h"

static const saved_notice notices[] = {{"uffici", "Uffici aggiornati."},
                                       {"regola", "Regole di smistamento aggiornate."},
                                       {"categoria", "Categoria salvata."}};

static const char *id_text(arena *a, int64_t id) { return arena_printf(a, "%lld", (long long)id); }

static int64_t form_id(request *rq, const char *name) {
  const char *v = rq_form(rq, name);
  if (!v || !*v || strlen(v) > 18) return 0;
  char *end;
  long long x = strtoll(v, &end, 10);
  return *end || x <= 0 ? 0 : x;
}

/* The Ente named by ?ente= / the form's ente (slug), or the first one. */
static err_code pick_ente(request *rq, const char *slug, ente *out) {
  ente *list;
  size_t n;
  err_code e = ente_list(rq->db, rq->a, &list, &n);
  if (e != ERR_OK) return e;
  for (size_t i = 0; i < n; i++)
    if (!slug || !*slug || strcmp(list[i].slug, slug) == 0) {
      *out = list[i];
      return ERR_OK;
    }
  return ERR_NOT_FOUND;
}

static void hidden_ente(html *h, const char *slug) {
  html_void(h, "input", HA("type", "hidden"), HA("name", "ente"), HA("value", slug));
}

static err_code render(request *rq, response *rs, const ente *e, const problem *pb, int status) {
  office *all, *serving;
  size_t n_all, n_serv;
  case_rule *rules;
  size_t n_rules;
  case_category *cats;
  size_t n_cats;
  ente *entes;
  size_t n_entes;
  err_code rc = office_list(rq->db, rq->a, &all, &n_all);
  if (rc == ERR_OK) rc = cases_serving_offices(rq->db, rq->a, e->id, &serving, &n_serv);
  if (rc == ERR_OK) rc = cases_rules(rq->db, rq->a, e->id, &rules, &n_rules);
  if (rc == ERR_OK) rc = cases_categories(rq->db, rq->a, e->id, &cats, &n_cats);
  if (rc == ERR_OK) rc = ente_list(rq->db, rq->a, &entes, &n_entes);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, "Pratiche: uffici, regole e categorie", "admin", &p)) != ERR_OK)
    return rc;
  p.notice = saved_notice_for(notices, 3, rq_query(rq, "salvato"));
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  if (pb) form_error_summary(&h, pb, 1);

  html_open(&h, "form", HA("method", "get"), HA("action", url_admin_cases(rq->a, NULL)),
            HA("class", "row g-3 align-items-end mb-4"), HA("aria-label", "Scegli l'Ente"));
  form_option *eo = ARENA_ARRAY(rq->a, form_option, n_entes ? n_entes : 1);
  for (size_t i = 0; i < n_entes; i++) eo[i] = (form_option){entes[i].slug, entes[i].name};
  html_open(&h, "div", HA("class", "col-md-6"));
  form_field fe = {.name = "ente", .label = "Ente", .value = e->slug};
  form_select(&h, &fe, eo, n_entes);
  html_close(&h, "div");
  html_open(&h, "div", HA("class", "col-md-2"));
  form_submit(&h, "Mostra");
  html_close(&h, "div");
  html_close(&h, "form");

  /* offices serving the Ente */
  html_elem(&h, "h2", "Uffici che servono l'Ente", HA("class", "h4"));
  form_option *oo = ARENA_ARRAY(rq->a, form_option, n_all ? n_all : 1);
  for (size_t i = 0; i < n_all; i++) {
    int on = 0;
    for (size_t j = 0; j < n_serv; j++) on |= serving[j].id == all[i].id;
    oo[i] = (form_option){id_text(rq->a, all[i].id),
                          arena_printf(rq->a, "%s - %s%s", all[i].code, all[i].name,
                                       on ? " (serve l'Ente)" : "")};
  }
  if (!n_serv) html_elem(&h, "p", "Nessun ufficio: le nuove pratiche restano senza ufficio.");
  html_open(&h, "ul");
  for (size_t j = 0; j < n_serv; j++)
    html_elem(&h, "li", arena_printf(rq->a, "%s - %s", serving[j].code, serving[j].name));
  html_close(&h, "ul");
  form_begin(&h, url_admin_cases_action(rq->a, "uffici"), rq->csrf);
  hidden_ente(&h, e->slug);
  form_field fo = {.name = "office_id", .label = "Ufficio"};
  form_select(&h, &fo, oo, n_all);
  static const form_option onoff[] = {{"on", "Serve l'Ente"}, {"off", "Non serve più l'Ente"}};
  form_field fa = {.name = "azione", .label = "Operazione", .value = "on"};
  form_radio_group(&h, &fa, onoff, 2);
  form_submit(&h, "Aggiorna gli uffici");
  form_end(&h);

  /* routing rules */
  html_elem(&h, "h2", "Regole di smistamento", HA("class", "h4 mt-5"));
  if (!n_rules) html_elem(&h, "p", "Nessuna regola: ogni nuova pratica va all'ufficio meno carico.");
  for (size_t i = 0; i < n_rules; i++) {
    html_open(&h, "div", HA("class", "d-flex flex-wrap align-items-center gap-3 mb-2"));
    html_elem(&h, "span", arena_printf(rq->a, "%s → %s",
                                       rules[i].category_code ? rules[i].category_code
                                                              : "ogni categoria",
                                       rules[i].office_name));
    form_begin(&h, url_admin_cases_action(rq->a, "regole/elimina"), rq->csrf);
    hidden_ente(&h, e->slug);
    html_void(&h, "input", HA("type", "hidden"), HA("name", "rule_id"),
              HA("value", id_text(rq->a, rules[i].id)));
    html_open(&h, "button", HA("type", "submit"), HA("class", "btn btn-outline-primary btn-sm"));
    html_text(&h, arena_printf(rq->a, "Elimina la regola %lld", (long long)rules[i].id));
    html_close(&h, "button");
    form_end(&h);
    html_close(&h, "div");
  }
  form_option *co = ARENA_ARRAY(rq->a, form_option, n_cats + 1);
  co[0] = (form_option){"", "Ogni categoria"};
  for (size_t i = 0; i < n_cats; i++) co[i + 1] = (form_option){cats[i].code, cats[i].name};
  form_option *so = ARENA_ARRAY(rq->a, form_option, n_serv ? n_serv : 1);
  for (size_t j = 0; j < n_serv; j++)
    so[j] = (form_option){id_text(rq->a, serving[j].id), serving[j].name};
  if (n_serv) {
    form_begin(&h, url_admin_cases_action(rq->a, "regole"), rq->csrf);
    hidden_ente(&h, e->slug);
    form_field fc = {.name = "category", .label = "Categoria", .value = ""};
    form_select(&h, &fc, co, n_cats + 1);
    form_field fro = {.name = "rule_office", .label = "Ufficio di destinazione"};
    form_select(&h, &fro, so, n_serv);
    form_submit(&h, "Aggiungi la regola");
    form_end(&h);
  }

  /* categories */
  html_elem(&h, "h2", "Categorie e giorni lavorativi", HA("class", "h4 mt-5"));
  static const char *const cols[] = {"Codice", "Nome", "Giorni lavorativi", "Attiva"};
  table_begin(&h, "Categorie delle pratiche", 0, cols, 4);
  for (size_t i = 0; i < n_cats; i++) {
    table_row_begin(&h);
    table_cell(&h, cats[i].code);
    table_cell(&h, cats[i].name);
    table_cell_num(&h, cats[i].working_days);
    table_cell(&h, cats[i].active ? "Sì" : "No");
    table_row_end(&h);
  }
  table_end(&h);
  form_begin(&h, url_admin_cases_action(rq->a, "categorie"), rq->csrf);
  hidden_ente(&h, e->slug);
  form_field fcode = {.name = "code", .label = "Codice (esistente da modificare o nuovo)",
                      .required = 1, .maxlength = 40,
                      .error = pb && pb->field && !strcmp(pb->field, "code") ? pb->message : NULL};
  form_input(&h, &fcode);
  form_field fname = {.name = "name", .label = "Nome", .required = 1, .maxlength = 200,
                      .error = pb && pb->field && !strcmp(pb->field, "name") ? pb->message : NULL};
  form_input(&h, &fname);
  form_field fdays = {.name = "working_days", .label = "Giorni lavorativi", .required = 1,
                      .maxlength = 3,
                      .error = pb && pb->field && !strcmp(pb->field, "working_days") ? pb->message
                                                                                     : NULL};
  form_input(&h, &fdays);
  form_checkbox(&h, "active", "Attiva", 1);
  form_submit(&h, "Salva la categoria");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_cases(request *rq, response *rs) {
  ente e;
  err_code rc = pick_ente(rq, rq_query(rq, "ente"), &e);
  if (rc != ERR_OK) return rc;
  return render(rq, rs, &e, NULL, 0);
}

static err_code back(request *rq, response *rs, const ente *e, const char *what) {
  return rs_redirect(rs, arena_printf(rq->a, "%s&salvato=%s", url_admin_cases(rq->a, e->slug), what));
}

err_code page_admin_cases_offices(request *rq, response *rs) {
  ente e;
  err_code rc = pick_ente(rq, rq_form(rq, "ente"), &e);
  if (rc != ERR_OK) return rc;
  const char *act = rq_form(rq, "azione");
  rc = cases_office_serve(rq->db, &rq->who, form_id(rq, "office_id"), e.id,
                          !(act && strcmp(act, "off") == 0));
  if (rc == ERR_NOT_FOUND) {
    problem pb = {ERR_INVALID, "office_id", "Scegli un ufficio."};
    return render(rq, rs, &e, &pb, 422);
  }
  return rc == ERR_OK ? back(rq, rs, &e, "uffici") : rc;
}

err_code page_admin_cases_rule_add(request *rq, response *rs) {
  ente e;
  err_code rc = pick_ente(rq, rq_form(rq, "ente"), &e);
  if (rc != ERR_OK) return rc;
  const char *cat = rq_form(rq, "category");
  case_rule r = {.ente_id = e.id, .category_code = (char *)(cat && *cat ? cat : NULL),
                 .office_id = form_id(rq, "rule_office"), .position = 100};
  problem pb = {0};
  rc = cases_rule_add(rq->db, &rq->who, &r, &pb);
  if (rc == ERR_INVALID) return render(rq, rs, &e, &pb, 422);
  return rc == ERR_OK ? back(rq, rs, &e, "regola") : rc;
}

err_code page_admin_cases_rule_delete(request *rq, response *rs) {
  ente e;
  err_code rc = pick_ente(rq, rq_form(rq, "ente"), &e);
  if (rc != ERR_OK) return rc;
  rc = cases_rule_delete(rq->db, &rq->who, e.id, form_id(rq, "rule_id"));
  return rc == ERR_OK ? back(rq, rs, &e, "regola") : rc;
}

err_code page_admin_cases_category(request *rq, response *rs) {
  ente e;
  err_code rc = pick_ente(rq, rq_form(rq, "ente"), &e);
  if (rc != ERR_OK) return rc;
  const char *days = rq_form(rq, "working_days");
  case_category c = {(char *)rq_form(rq, "code"), (char *)rq_form(rq, "name"),
                     days ? atoi(days) : 0, rq_form(rq, "active") != NULL, 0};
  problem pb = {0};
  rc = cases_category_set(rq->db, &rq->who, e.id, &c, &pb);
  if (rc == ERR_INVALID) return render(rq, rs, &e, &pb, 422);
  return rc == ERR_OK ? back(rq, rs, &e, "categoria") : rc;
}

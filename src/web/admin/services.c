/* The catalogue of online services of an Ente, for the administrator: the
 * services with their settings, a new one imported from its JSON document,
 * and a service's document edited in a textarea with a preview of its
 * form. A document with mistakes is shown again as typed, with every
 * problem (path of the element and what is wrong) under the textarea.
 * The same operations are `sportello service import|list`. */
#include <string.h>

#include "core/money.h"
#include "domain/services/services.h"
#include "render/service_form.h"
#include "web/web.h"

static const saved_notice notices[] = {{"creato", "Servizio creato."},
                                       {"aggiornato", "Servizio aggiornato."}};

/* The textarea of a service document with the problems under it. */
static void doc_textarea(html *h, const char *value, const problems *pbs) {
  const char *err_id = pbs && pbs->n ? "f-definition-error" : NULL;
  html_open(h, "div", HA("class", "form-group"));
  html_open(h, "label", HA("for", "f-definition"), HA("class", "active"));
  html_text(h, "Documento JSON del servizio");
  html_close(h, "label");
  html_open(h, "textarea", HA("id", "f-definition"), HA("name", "definition"),
            HA("class", err_id ? "form-control font-monospace is-invalid" : "form-control font-monospace"),
            HA("rows", "24"), HA("spellcheck", "false"), HA("aria-invalid", err_id ? "true" : NULL),
            HA("aria-describedby", err_id ? "f-definition-error f-definition-hint" : "f-definition-hint"));
  html_text(h, value ? value : "");
  html_close(h, "textarea");
  html_elem(h, "small",
            "Sezioni e campi (text, number, money, date, choice, yesno, codice_fiscale, email, "
            "address, file) con required, visible_if e i controlli min/max, min_length/max_length, "
            "pattern, types/max_bytes. Esempi in config/services/.",
            HA("id", "f-definition-hint"), HA("class", "form-text"));
  if (err_id) {
    html_open(h, "div", HA("id", "f-definition-error"), HA("class", "invalid-feedback d-block"));
    html_open(h, "ul");
    for (size_t i = 0; i < pbs->n; i++) html_elem(h, "li", pbs->items[i].message);
    html_close(h, "ul");
    html_close(h, "div");
  }
  html_close(h, "div");
}

static const char *yes(int v) { return v ? "Sì" : "No"; }

static const char *payment_text(arena *a, const service *s) {
  if (strcmp(s->payment, "none") == 0) return "Nessuno";
  char amount[32] = "";
  if (s->amount_cents >= 0) money_format_it(s->amount_cents, amount);
  return arena_printf(a, "%s, %s%s%s", strcmp(s->payment, "advance") == 0 ? "anticipato" : "posticipato",
                      s->revenue_code ? s->revenue_code : "", *amount ? " € " : "",
                      *amount ? amount : (s->amount_field ? " (importo dal modulo)" : ""));
}

static err_code render_list(request *rq, response *rs, const char *typed, const problems *pbs) {
  service *ss;
  size_t n;
  err_code rc = services_list(rq->db, rq->a, rq->ente->id, 0, &ss, &n);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, "Servizi online", "admin", &p)) != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)}, {"Servizi online", NULL});
  p.notice = saved_notice_for(notices, 2, rq_query(rq, "salvato"));
  if (pbs && pbs->n) rs->status = 422;
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p", arena_printf(rq->a, "I servizi che i cittadini possono richiedere online a %s.",
                                  rq->ente->name),
            HA("class", "lead"));
  static const char *const cols[] = {"Servizio", "Codice", "Categoria", "Termine",
                                     "Pagamento", "Bollo", "Appuntamento", "Protocollo", "Versione"};
  table_begin(&h, "Servizi online dell'Ente", 0, cols, 9);
  for (size_t i = 0; i < n; i++) {
    table_row_begin(&h);
    table_cell_link(&h, ss[i].name, url_admin_service(rq->a, rq->ente->slug, ss[i].id), 1);
    table_cell(&h, ss[i].code);
    table_cell(&h, ss[i].category_code);
    table_cell(&h, arena_printf(rq->a, "%d giorni lavorativi", ss[i].working_days));
    table_cell(&h, payment_text(rq->a, &ss[i]));
    table_cell(&h, yes(ss[i].stamp_duty));
    table_cell(&h, yes(ss[i].appointment));
    table_cell(&h, yes(ss[i].protocolled));
    table_cell_num(&h, ss[i].version);
    table_row_end(&h);
  }
  table_end(&h);
  if (!n) html_elem(&h, "p", "Nessun servizio: importane uno qui sotto.");
  html_elem(&h, "h2", "Nuovo servizio", HA("class", "h4 mt-5"));
  html_elem(&h, "p", "Incolla il documento JSON del servizio: se ha lo stesso codice di un servizio "
                     "esistente, lo sostituisce.");
  form_begin(&h, url_admin_services(rq->a, rq->ente->slug), rq->csrf);
  doc_textarea(&h, typed, pbs);
  form_submit(&h, "Importa il servizio");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_services(request *rq, response *rs) { return render_list(rq, rs, NULL, NULL); }

err_code page_admin_services_import(request *rq, response *rs) {
  const char *doc = rq_form(rq, "definition");
  problems pbs = {0};
  int64_t id;
  int created = 0;
  err_code rc = services_import(rq->db, rq->a, &rq->who, rq->ente->id, doc ? doc : "",
                                doc ? strlen(doc) : 0, &id, &created, &pbs);
  if (rc == ERR_INVALID) return render_list(rq, rs, doc, &pbs);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=%s", url_admin_services(rq->a, rq->ente->slug),
                                      created ? "creato" : "aggiornato"));
}

static err_code render_one(request *rq, response *rs, const service *s, const char *typed,
                           const problems *pbs) {
  page_info p;
  err_code rc = web_page_info(rq, s->name, "admin", &p);
  if (rc != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)},
            {"Servizi online", url_admin_services(rq->a, rq->ente->slug)}, {s->name, NULL});
  p.notice = saved_notice_for(notices, 2, rq_query(rq, "salvato"));
  if (pbs && pbs->n) rs->status = 422;
  html h = web_begin(rq, rs, &p);
  dl_begin(&h);
  dl_row(&h, "Codice", s->code, NULL);
  dl_row(&h, "Categoria delle pratiche", s->category_code, NULL);
  dl_row(&h, "Ufficio", s->office_name, "Secondo le regole di smistamento");
  dl_row(&h, "Termine", arena_printf(rq->a, "%d giorni lavorativi", s->working_days), NULL);
  dl_row(&h, "Pagamento", payment_text(rq->a, s), NULL);
  dl_row(&h, "Imposta di bollo (16 €)", yes(s->stamp_duty), NULL);
  dl_row(&h, "Appuntamento", yes(s->appointment), NULL);
  dl_row(&h, "Protocollato", yes(s->protocolled), NULL);
  dl_row(&h, "Versione", num_it(rq->a, s->version), NULL);
  dl_end(&h);
  html_elem(&h, "h2", "Modifica il documento", HA("class", "h4 mt-4"));
  form_begin(&h, url_admin_service(rq->a, rq->ente->slug, s->id), rq->csrf);
  doc_textarea(&h, typed ? typed : svc_doc_pretty(rq->a, s->definition), pbs);
  form_submit(&h, "Salva il servizio");
  form_end(&h);
  svc_def def;
  if (services_def(rq->a, s, &def) == ERR_OK) {
    html_elem(&h, "h2", "Anteprima del modulo", HA("class", "h4 mt-5"));
    html_open(&h, "div", HA("class", "border rounded p-3"), HA("inert", ""));
    svc_form_fields(&h, &def, NULL, NULL);
    html_close(&h, "div");
  }
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_service(request *rq, response *rs) {
  service s;
  err_code rc = services_get(rq->db, rq->a, rq->ente->id, rq_param_id(rq, 1), &s);
  if (rc != ERR_OK) return rc;
  return render_one(rq, rs, &s, NULL, NULL);
}

err_code page_admin_service_update(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  service s;
  err_code rc = services_get(rq->db, rq->a, rq->ente->id, id, &s);
  if (rc != ERR_OK) return rc;
  const char *doc = rq_form(rq, "definition");
  problems pbs = {0};
  rc = services_update(rq->db, rq->a, &rq->who, rq->ente->id, id, doc ? doc : "",
                       doc ? strlen(doc) : 0, &pbs);
  if (rc == ERR_INVALID) return render_one(rq, rs, &s, doc, &pbs);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs, arena_printf(rq->a, "%s?salvato=aggiornato",
                                      url_admin_service(rq->a, rq->ente->slug, id)));
}

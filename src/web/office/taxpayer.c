/* One taxpayer of the current Ente: identity, addresses, contacts and
 * their consent. Another Ente's taxpayer is a 404, like a missing one. */
#include "core/date.h"
#include "web/web.h"

static const saved_notice notices[] = {{"1", "Dati del contribuente salvati."}};

static void addresses(html *h, const taxpayer *tp) {
  html_elem(h, "h2", "Indirizzi", HA("class", "h4"));
  if (!tp->n_addresses) {
    html_elem(h, "p", "Nessun indirizzo registrato.");
    return;
  }
  static const char *const cols[] = {"Tipo", "Indirizzo", "CAP", "Comune", "Provincia"};
  table_begin(h, "Indirizzi del contribuente", 0, cols, 5);
  for (size_t i = 0; i < tp->n_addresses; i++) {
    const tp_address *ad = &tp->addresses[i];
    table_row_begin(h);
    table_cell(h, code_label(&LABELS_ADDRESS_KIND, ad->kind));
    table_cell(h, ad->street);
    table_cell(h, ad->postal_code);
    table_cell(h, ad->city);
    table_cell(h, ad->province);
    table_row_end(h);
  }
  table_end(h);
}

static void contacts(html *h, const taxpayer *tp) {
  html_elem(h, "h2", "Recapiti", HA("class", "h4"));
  if (!tp->n_contacts) {
    html_elem(h, "p", "Nessun recapito registrato.");
    return;
  }
  static const char *const cols[] = {"Canale", "Recapito", "Consenso", "Fonte"};
  table_begin(h, "Recapiti e consensi", 0, cols, 4);
  for (size_t i = 0; i < tp->n_contacts; i++) {
    const tp_contact *c = &tp->contacts[i];
    table_row_begin(h);
    table_cell(h, code_label(&LABELS_CHANNEL, c->channel));
    table_cell(h, c->value);
    if (c->consent && c->consent_at) {
      char buf[17];
      time_format_rome(c->consent_at, buf);
      table_cell(h, arena_printf(h->a, "Sì, dal %s", buf));
    } else {
      table_cell(h, c->consent ? "Sì" : "No");
    }
    table_cell(h, code_label(&LABELS_SOURCE, c->source));
    table_row_end(h);
  }
  table_end(h);
}

err_code page_taxpayer(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  taxpayer tp;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &tp);
  if (e != ERR_OK) return e;
  page_info p;
  const char *name = taxpayer_display_name(rq->a, &tp);
  e = web_page_info(rq, name, "contribuenti", &p);
  if (e != ERR_OK) return e;
  p.notice = saved_notice_for(notices, 1, rq_query(rq, "salvato"));
  WEB_OFFICE_TRAIL(rq, &p, {"Contribuenti", url_taxpayers(rq->a, rq->ente->slug, NULL, 0)},
                   {name, NULL});
  html h = web_begin(rq, rs, &p);
  if (WEB_USER_HAS_ROLE(rq, ROLES_REGISTRY_EDIT)) {
    html_open(&h, "p");
    button_link(&h, "Modifica", url_taxpayer_edit(rq->a, rq->ente->slug, tp.id), BTN_SECONDARY);
    html_close(&h, "p");
  }
  html_elem(&h, "h2", "Dati anagrafici", HA("class", "h4"));
  dl_begin(&h);
  dl_row(&h, "Tipo", code_label(&LABELS_TAXPAYER_KIND, tp.kind == TP_COMPANY ? "company" : "person"),
         NULL);
  dl_row(&h, "Codice fiscale", tp.fiscal_code, NULL);
  dl_row(&h, "Partita IVA", tp.vat_number, NULL);
  if (tp.kind == TP_PERSON) {
    dl_row(&h, "Cognome", tp.surname, NULL);
    dl_row(&h, "Nome", tp.given_name, NULL);
    dl_row(&h, "Data di nascita", date_it(rq->a, tp.birth_date), NULL);
    dl_row(&h, "Luogo di nascita", tp.birth_place, NULL);
    dl_row(&h, "Sesso", tp.sex ? code_label(&LABELS_SEX, tp.sex) : NULL, NULL);
  } else {
    dl_row(&h, "Ragione sociale", tp.company_name, NULL);
  }
  dl_end(&h);
  addresses(&h, &tp);
  contacts(&h, &tp);
  char created[17], updated[17];
  time_format_rome(tp.created_at, created);
  time_format_rome(tp.updated_at, updated);
  html_open(&h, "p", HA("class", "text-muted small"));
  html_textf(&h, "Registrato il %s, ultima modifica il %s.", created, updated);
  html_close(&h, "p");
  html_open(&h, "p");
  html_elem(&h, "a", "Torna all'elenco dei contribuenti",
            HA("href", url_taxpayers(rq->a, rq->ente->slug, NULL, 0)));
  html_close(&h, "p");
  page_end(&h, &p);
  return ERR_OK;
}

/* One taxpayer of the current Ente: identity, addresses, contacts and
 * their consent. Another Ente's taxpayer is a 404, like a missing one. */
#include "core/date.h"
#include "web/web.h"

static void row(html *h, const char *label, const char *value) {
  if (!value || !*value) return;
  html_elem(h, "dt", label, HA("class", "col-sm-4"));
  html_elem(h, "dd", value, HA("class", "col-sm-8"));
}

static const char *channel_label(const char *c) {
  if (!c) return "";
  if (c[0] == 'e') return "E-mail";
  if (c[0] == 'p') return "PEC";
  return "Cellulare";
}

err_code page_taxpayer(request *rq, response *rs) {
  int64_t id = rq_param_id(rq, 1);
  if (!id) return ERR_NOT_FOUND;
  taxpayer tp;
  err_code e = taxpayer_get(rq->db, rq->a, rq->ente->id, id, &tp);
  if (e != ERR_OK) return e;
  page_info p;
  e = web_page_info(rq, taxpayer_display_name(rq->a, &tp), "contribuenti", &p);
  if (e != ERR_OK) return e;
  p.notice = rq_query(rq, "salvato") ? "Dati del contribuente salvati." : NULL;
  html h = web_begin(rq, rs, &p);
  if (WEB_USER_HAS_ROLE(rq, ROLES_REGISTRY_EDIT)) {
    html_open(&h, "p");
    html_open(&h, "a", HA("href", url_taxpayer_edit(rq->a, rq->ente->slug, tp.id)),
              HA("class", "btn btn-outline-primary"));
    html_lit(&h, "Modifica");
    html_close(&h, "a");
    html_close(&h, "p");
  }
  html_elem(&h, "h2", "Dati anagrafici", HA("class", "h4"));
  html_open(&h, "dl", HA("class", "row"));
  row(&h, "Tipo", tp.kind == TP_COMPANY ? "Impresa" : "Persona fisica");
  row(&h, "Codice fiscale", tp.fiscal_code);
  row(&h, "Partita IVA", tp.vat_number);
  if (tp.kind == TP_PERSON) {
    row(&h, "Cognome", tp.surname);
    row(&h, "Nome", tp.given_name);
    civil_date bd;
    if (tp.birth_date && date_parse_iso(tp.birth_date, &bd) == 0) {
      char buf[11];
      date_format_it(bd, buf);
      row(&h, "Data di nascita", arena_strdup(rq->a, buf));
    }
    row(&h, "Luogo di nascita", tp.birth_place);
    row(&h, "Sesso", tp.sex);
  } else {
    row(&h, "Ragione sociale", tp.company_name);
  }
  html_close(&h, "dl");

  html_elem(&h, "h2", "Indirizzi", HA("class", "h4"));
  if (!tp.n_addresses) html_elem(&h, "p", "Nessun indirizzo registrato.");
  html_open(&h, "ul", HA("class", "list-unstyled"));
  for (size_t i = 0; i < tp.n_addresses; i++) {
    tp_address *ad = &tp.addresses[i];
    html_open(&h, "li", HA("class", "mb-2"));
    html_elem(&h, "strong", ad->kind);
    html_textf(&h, ": %s, %s %s%s%s%s", ad->street ? ad->street : "",
               ad->postal_code ? ad->postal_code : "", ad->city ? ad->city : "",
               ad->province ? " (" : "", ad->province ? ad->province : "", ad->province ? ")" : "");
    html_close(&h, "li");
  }
  html_close(&h, "ul");

  html_elem(&h, "h2", "Recapiti", HA("class", "h4"));
  if (!tp.n_contacts) {
    html_elem(&h, "p", "Nessun recapito registrato.");
  } else {
    html_open(&h, "table", HA("class", "table"));
    html_elem(&h, "caption", "Recapiti e consensi", HA("class", "visually-hidden"));
    html_lit(&h, "<thead><tr><th scope=\"col\">Canale</th><th scope=\"col\">Recapito</th>"
                 "<th scope=\"col\">Consenso</th><th scope=\"col\">Fonte</th></tr></thead><tbody>");
    for (size_t i = 0; i < tp.n_contacts; i++) {
      tp_contact *c = &tp.contacts[i];
      html_open(&h, "tr");
      html_elem(&h, "td", channel_label(c->channel));
      html_elem(&h, "td", c->value);
      html_open(&h, "td");
      if (c->consent && c->consent_at) {
        char buf[17];
        time_format_rome(c->consent_at, buf);
        html_textf(&h, "Sì, dal %s", buf);
      } else {
        html_text(&h, c->consent ? "Sì" : "No");
      }
      html_close(&h, "td");
      html_elem(&h, "td", c->source);
      html_close(&h, "tr");
    }
    html_lit(&h, "</tbody>");
    html_close(&h, "table");
  }
  char created[17], updated[17];
  time_format_rome(tp.created_at, created);
  time_format_rome(tp.updated_at, updated);
  html_open(&h, "p", HA("class", "text-muted small"));
  html_textf(&h, "Registrato il %s, ultima modifica il %s.", created, updated);
  html_close(&h, "p");
  html_open(&h, "p");
  html_open(&h, "a", HA("href", url_taxpayers(rq->a, rq->ente->slug, NULL, 0)));
  html_lit(&h, "Torna alla ricerca");
  html_close(&h, "a");
  html_close(&h, "p");
  page_end(&h, &p);
  return ERR_OK;
}

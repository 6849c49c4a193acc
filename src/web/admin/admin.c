/* Administration overview: Enti, offices and users of the installation,
 * with the way to the pages that create them and to each user's page (the
 * `sportello ente|office|user` commands do the same from a shell). */
#include <string.h>
#include "web/web.h"

/* Fixed notices for ?salvato=: the query value itself is never shown. */
static const char *notice_for(const char *what) {
  if (!what) return NULL;
  if (strcmp(what, "ente") == 0) return "Ente creato.";
  if (strcmp(what, "ufficio") == 0) return "Ufficio creato.";
  return NULL;
}

static void button(html *h, const char *label, const char *href) {
  html_open(h, "li", HA("class", "list-inline-item mb-2"));
  html_elem(h, "a", label, HA("class", "btn btn-primary"), HA("href", href));
  html_close(h, "li");
}

static void th(html *h, const char *const *cols, size_t n) {
  html_open(h, "thead");
  html_open(h, "tr");
  for (size_t i = 0; i < n; i++) html_elem(h, "th", cols[i], HA("scope", "col"));
  html_close(h, "tr");
  html_close(h, "thead");
}

err_code page_admin(request *rq, response *rs) {
  ente *entes;
  office *offices;
  user *users;
  size_t ne, no, nu;
  err_code e = ente_list(rq->db, rq->a, &entes, &ne);
  if (e == ERR_OK) e = office_list(rq->db, rq->a, &offices, &no);
  if (e == ERR_OK) e = user_list(rq->db, rq->a, &users, &nu);
  if (e != ERR_OK) return e;
  page_info p;
  e = web_page_info(rq, "Amministrazione", "admin", &p);
  if (e != ERR_OK) return e;
  p.notice = notice_for(rq_query(rq, "salvato"));
  html h = web_begin(rq, rs, &p);

  html_open(&h, "ul", HA("class", "list-inline"), HA("aria-label", "Azioni"));
  button(&h, "Nuovo Ente", url_admin_ente_new(rq->a));
  button(&h, "Nuovo ufficio", url_admin_office_new(rq->a));
  button(&h, "Nuovo utente", url_admin_user_new(rq->a));
  button(&h, "Lavori in background", url_admin_jobs(rq->a));
  button(&h, "Posta in arrivo", url_admin_mail(rq->a));
  html_close(&h, "ul");

  html_elem(&h, "h2", "Enti", HA("class", "h4"));
  html_open(&h, "table", HA("class", "table"));
  static const char *const ecols[] = {"Ente", "Codice fiscale", "Popolazione", "Codice segregazione"};
  th(&h, ecols, 4);
  html_open(&h, "tbody");
  for (size_t i = 0; i < ne; i++) {
    html_open(&h, "tr");
    html_open(&h, "td");
    html_open(&h, "a", HA("href", url_office(rq->a, entes[i].slug)));
    html_text(&h, entes[i].name);
    html_close(&h, "a");
    html_close(&h, "td");
    html_elem(&h, "td", entes[i].fiscal_code);
    html_open(&h, "td");
    html_textf(&h, "%lld", (long long)entes[i].population);
    html_close(&h, "td");
    html_elem(&h, "td", entes[i].segregation_code ? entes[i].segregation_code : "");
    html_close(&h, "tr");
  }
  html_close(&h, "tbody");
  html_close(&h, "table");

  html_elem(&h, "h2", "Uffici", HA("class", "h4"));
  html_open(&h, "table", HA("class", "table"));
  static const char *const ocols[] = {"Codice", "Ufficio", "Città", "Regione"};
  th(&h, ocols, 4);
  html_open(&h, "tbody");
  for (size_t i = 0; i < no; i++) {
    html_open(&h, "tr");
    html_elem(&h, "td", offices[i].code);
    html_elem(&h, "td", offices[i].name);
    html_elem(&h, "td", offices[i].city ? offices[i].city : "");
    html_elem(&h, "td", offices[i].region_name ? offices[i].region_name : "");
    html_close(&h, "tr");
  }
  html_close(&h, "tbody");
  html_close(&h, "table");

  html_elem(&h, "h2", "Utenti", HA("class", "h4"));
  html_open(&h, "table", HA("class", "table"));
  static const char *const ucols[] = {"Nome utente", "Nome", "Ruolo", "Stato"};
  th(&h, ucols, 4);
  html_open(&h, "tbody");
  for (size_t i = 0; i < nu; i++) {
    html_open(&h, "tr");
    html_open(&h, "td");
    html_elem(&h, "a", users[i].username, HA("href", url_admin_user(rq->a, users[i].id)));
    html_close(&h, "td");
    html_elem(&h, "td", users[i].full_name);
    html_elem(&h, "td", role_label_it(users[i].role));
    html_elem(&h, "td", users[i].active ? "Attivo" : "Disattivato");
    html_close(&h, "tr");
  }
  html_close(&h, "tbody");
  html_close(&h, "table");
  page_end(&h, &p);
  return ERR_OK;
}

/* Administration overview: Enti, offices and users of the installation,
 * with the way to the pages that create them and to each user's page (the
 * `sportello ente|office|user` commands do the same from a shell). */
#include "web/web.h"

/* Notices for ?salvato=: the query value itself is never shown. */
static const saved_notice notices[] = {{"ente", "Ente creato."}, {"ufficio", "Ufficio creato."}};

static void button(html *h, const char *label, const char *href) {
  html_open(h, "li", HA("class", "list-inline-item mb-2"));
  button_link(h, label, href, BTN_PRIMARY);
  html_close(h, "li");
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
  p.notice = saved_notice_for(notices, 2, rq_query(rq, "salvato"));
  WEB_TRAIL(rq, &p, {"Amministrazione", NULL});
  html h = web_begin(rq, rs, &p);

  html_open(&h, "ul", HA("class", "list-inline"), HA("aria-label", "Azioni"));
  button(&h, "Nuovo Ente", url_admin_ente_new(rq->a));
  button(&h, "Nuovo ufficio", url_admin_office_new(rq->a));
  button(&h, "Nuovo utente", url_admin_user_new(rq->a));
  button(&h, "Lavori in background", url_admin_jobs(rq->a));
  button(&h, "Posta in arrivo", url_admin_mail(rq->a));
  html_close(&h, "ul");

  html_elem(&h, "h2", "Enti", HA("class", "h4"));
  static const char *const ecols[] = {"Ente", "Codice fiscale", "Popolazione", "Codice segregazione"};
  table_begin(&h, "Enti", 0, ecols, 4);
  for (size_t i = 0; i < ne; i++) {
    table_row_begin(&h);
    table_cell_link(&h, entes[i].name, url_office(rq->a, entes[i].slug), 1);
    table_cell(&h, entes[i].fiscal_code);
    table_cell_num(&h, entes[i].population);
    table_cell(&h, entes[i].segregation_code);
    table_row_end(&h);
  }
  table_end(&h);

  html_elem(&h, "h2", "Uffici", HA("class", "h4"));
  static const char *const ocols[] = {"Codice", "Ufficio", "Città", "Regione"};
  table_begin(&h, "Uffici", 0, ocols, 4);
  for (size_t i = 0; i < no; i++) {
    table_row_begin(&h);
    table_cell(&h, offices[i].code);
    table_cell(&h, offices[i].name);
    table_cell(&h, offices[i].city);
    table_cell(&h, offices[i].region_name);
    table_row_end(&h);
  }
  table_end(&h);

  html_elem(&h, "h2", "Utenti", HA("class", "h4"));
  static const char *const ucols[] = {"Nome utente", "Nome", "Ruolo", "Stato"};
  table_begin(&h, "Utenti", 0, ucols, 4);
  for (size_t i = 0; i < nu; i++) {
    table_row_begin(&h);
    table_cell_link(&h, users[i].username, url_admin_user(rq->a, users[i].id), 1);
    table_cell(&h, users[i].full_name);
    table_cell(&h, role_label_it(users[i].role));
    table_cell(&h, users[i].active ? "Attivo" : "Disattivato");
    table_row_end(&h);
  }
  table_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

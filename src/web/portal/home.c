/* The public home: where the taxpayer portal will grow (C3); for staff, a
 * way in to the back office. Signed-in staff go straight to their office. */
#include "web/web.h"

err_code portal_home_for_host(request *rq, response *rs, int *served); /* portal/ente_home.c */

err_code page_home(request *rq, response *rs) {
  int served;
  err_code rc = portal_home_for_host(rq, rs, &served); /* an Ente's own host name */
  if (rc != ERR_OK || served) return rc;
  if (rq->user) return rs_redirect(rs, "/ufficio");
  page_info p;
  err_code e = web_page_info(rq, "Sportello Riscossioni", NULL, &p);
  if (e != ERR_OK) return e;
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            "Il portale dei servizi di riscossione degli Enti: pagamenti pagoPA, situazione "
            "debitoria, istanze e appuntamenti.",
            HA("class", "lead"));
  html_open(&h, "div", HA("class", "card-wrapper card-space"));
  html_open(&h, "div", HA("class", "card card-bg"));
  html_open(&h, "div", HA("class", "card-body"));
  html_elem(&h, "h2", "Area riservata agli operatori", HA("class", "card-title h5"));
  html_elem(&h, "p", "Accesso per il personale del concessionario e degli Enti.",
            HA("class", "card-text"));
  button_link(&h, "Accedi", url_login(rq->a), BTN_PRIMARY);
  html_close(&h, "div");
  html_close(&h, "div");
  html_close(&h, "div");
  page_end(&h, &p);
  return ERR_OK;
}

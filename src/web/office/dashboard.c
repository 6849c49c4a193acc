/* The back-office landing page of an Ente, and /ufficio which picks the
 * first Ente the user is enabled on. */
#include "web/web.h"

err_code page_office_root(request *rq, response *rs) {
  ente *list;
  size_t n;
  err_code e = rq_user_entes(rq, &list, &n);
  if (e != ERR_OK) return e;
  if (rq->user->role == ROLE_INTERMEDIARY) /* the assistance channel is all they use */
    return n > 0 ? rs_redirect(rs, url_intermediary(rq->a, list[0].slug)) : ERR_NOT_FOUND;
  if (n > 0) return rs_redirect(rs, url_office(rq->a, list[0].slug));
  page_info p;
  e = web_page_info(rq, "Nessun Ente abilitato", "ufficio", &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {"Ufficio", NULL});
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            rq->user->role == ROLE_ADMIN
                ? "Non è ancora configurato alcun Ente: aggiungilo dall'amministrazione."
                : "Il tuo utente non è abilitato su alcun Ente. Rivolgiti all'amministratore.");
  page_end(&h, &p);
  return ERR_OK;
}

static void card_link(html *h, const char *title, const char *text, const char *href) {
  html_open(h, "div", HA("class", "col-12 col-md-6 col-lg-4"));
  html_open(h, "div", HA("class", "card card-bg"));
  html_open(h, "div", HA("class", "card-body"));
  html_open(h, "h2", HA("class", "card-title h5"));
  html_open(h, "a", HA("href", href));
  html_text(h, title);
  html_close(h, "a");
  html_close(h, "h2");
  html_elem(h, "p", text, HA("class", "card-text"));
  html_close(h, "div");
  html_close(h, "div");
  html_close(h, "div");
}

err_code page_office(request *rq, response *rs) {
  page_info p;
  err_code e = web_page_info(rq, rq->ente->name, "ufficio", &p);
  if (e != ERR_OK) return e;
  web_office_trail(rq, &p, NULL, 0);
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p", HA("class", "lead"));
  html_textf(&h, "Benvenuto, %s (%s).", rq->user->full_name, role_label_it(rq->user->role));
  html_close(&h, "p");
  html_open(&h, "div", HA("class", "row card-wrapper card-space"));
  card_link(&h, "Pratiche", "Le richieste da prendere in carico, in lavorazione e chiuse.",
            url_cases(rq->a, rq->ente->slug, NULL, NULL, NULL, NULL, 0));
  card_link(&h, "Contribuenti", "Cerca, consulta e registra persone e imprese dell'anagrafe.",
            url_taxpayers(rq->a, rq->ente->slug, NULL, 0));
  card_link(&h, "Posizioni debitorie",
            "Cerca per codice avviso, IUV, codice fiscale o numero; pagamenti, sgravi, rate, avvisi.",
            url_acts(rq->a, rq->ente->slug, NULL, 0));
  if (rq->user->role == ROLE_ADMIN)
    card_link(&h, "Amministrazione", "Enti, uffici e utenti della piattaforma.", url_admin(rq->a));
  html_close(&h, "div");
  html_elem(&h, "h2", "Dati dell'Ente", HA("class", "h4 mt-4"));
  dl_begin(&h);
  dl_row(&h, "Codice fiscale", rq->ente->fiscal_code, NULL);
  dl_row(&h, "Popolazione", num_it(rq->a, rq->ente->population), NULL);
  dl_row(&h, "Assistenza telefonica", rq->ente->support_phone, NULL);
  dl_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

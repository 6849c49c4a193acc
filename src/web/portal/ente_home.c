/* An Ente's portal home (/enti/{ente}, or / on the Ente's own host name):
 * the services, with and without signing in; its logo; the page to report
 * a problem; the payment channels and their fees. */
#include "web/portal/portal_web.h"

static void home_body(request *rq, html *h) {
  html_open(h, "section", HA("id", "servizi"), HA("aria-labelledby", "servizi-titolo"));
  html_elem(h, "h2", "Servizi senza autenticazione", HA("id", "servizi-titolo"), HA("class", "h4 mt-4 mb-3"));
  html_open(h, "div", HA("class", "row"));
  portal_service_card(h, "Paga un avviso",
                      "Con il codice avviso e il codice fiscale vedi quanto pagare oggi e paghi con pagoPA, "
                      "oppure scarichi l'avviso.",
                      portal_url(rq, "/avviso"));
  portal_service_card(
      h, "Pagamento spontaneo",
      "Paghi un servizio dell'Ente senza un avviso: scegli il servizio, l'importo e la causale.",
      portal_url(rq, "/spontaneo"));
  portal_service_card(h, "Multe e sanzioni stradali",
                      "Cerchi il verbale con il numero e la targa e paghi l'importo ridotto o pieno di oggi.",
                      portal_url(rq, "/multe"));
  portal_service_card(h, "Ricevuta di pagamento", "Scarichi la quietanza di un avviso già pagato.",
                      portal_url(rq, "/ricevuta"));
  portal_service_card(h, "Canali di pagamento e commissioni",
                      "I prestatori di servizi di pagamento e le loro commissioni, dalla più alta.",
                      portal_url(rq, "/canali"));
  html_close(h, "div");
  html_close(h, "section");
  html_open(h, "section", HA("id", "sportelli"), HA("aria-labelledby", "sportelli-titolo"));
  html_elem(h, "h2", "Sportelli e appuntamenti", HA("id", "sportelli-titolo"), HA("class", "h4 mt-4 mb-3"));
  html_open(h, "div", HA("class", "row"));
  portal_service_card(h, "Prenota un appuntamento",
                      "Allo sportello o in videochiamata, senza registrarti: scegli l'argomento, il giorno e "
                      "l'ora.",
                      url_booking(rq->a, rq->ente->slug));
  portal_service_card(h, "Sportelli, orari e chiusure",
                      "Dove siamo, gli orari di apertura di ogni sportello e le chiusure programmate.",
                      url_ente_counters(rq->a, rq->ente->slug));
  html_close(h, "div");
  html_close(h, "section");
  html_open(h, "section", HA("aria-labelledby", "area-titolo"));
  html_elem(h, "h2", "Con SPID o CIE", HA("id", "area-titolo"), HA("class", "h4 mt-4 mb-3"));
  html_open(h, "div", HA("class", "row"));
  portal_service_card(h, "Situazione contabile",
                      "Dal 2007, per anno e tributo: da pagare, pagato, trasmesso alla riscossione coattiva.",
                      portal_url(rq, "/area-personale"));
  portal_service_card(h, "Estratto conto",
                      "Il debito residuo e gli interessi di mora a una data, da stampare o in PDF.",
                      portal_url(rq, "/area-personale/estratto"));
  portal_service_card(h, "Ravvedimento operoso",
                      "Calcoli sanzione ridotta e interessi di un tributo versato in ritardo e lo paghi.",
                      portal_url(rq, "/area-personale/ravvedimento"));
  html_close(h, "div");
  html_close(h, "section");
}

static err_code render_home(request *rq, response *rs) {
  portal_page p;
  err_code rc = portal_page_for(rq, "Sportello delle riscossioni", "servizi", &p);
  if (rc != ERR_OK) return rc;
  p.lead =
      "Paga gli avvisi e le multe, consulta la tua situazione contabile e l'estratto conto, "
      "24 ore su 24.";
  html h = portal_html(rq, rs, &p);
  home_body(rq, &h);
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_home(request *rq, response *rs) { return render_home(rq, rs); }

/* "/" on an Ente's own host name is its portal home (home.c asks). */
err_code portal_home_for_host(request *rq, response *rs, int *served);
err_code portal_home_for_host(request *rq, response *rs, int *served) {
  *served = 0;
  ente *e;
  err_code rc = portal_host_ente(rq, &e);
  if (rc == ERR_NOT_FOUND) return ERR_OK;
  if (rc != ERR_OK) return rc;
  rq->ente = e;
  *served = 1;
  return render_home(rq, rs);
}

err_code page_portal_logo(request *rq, response *rs) {
  const void *png;
  size_t n;
  err_code rc = portal_logo(rq->db, rq->a, rq->ente->id, &png, &n);
  if (rc != ERR_OK) return rc;
  rs->content_type = "image/png";
  rs->cacheable = 1;
  sb_appendn(&rs->body, png, n);
  return ERR_OK;
}

err_code page_portal_report(request *rq, response *rs) {
  portal_page p;
  err_code rc = portal_page_for(rq, "Segnala un disservizio", NULL, &p);
  if (rc != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Segnala un disservizio", NULL});
  html h = portal_html(rq, rs, &p);
  html_elem(&h, "p",
            "Se un servizio di questo portale non funziona, o un'informazione è sbagliata, scrivi all'Ente "
            "indicando la pagina, che cosa stavi facendo e che cosa è successo. Per i problemi di "
            "accessibilità usa il meccanismo di feedback della dichiarazione di accessibilità.");
  dl_begin(&h);
  if (rq->ente->mail_info) {
    dl_row_begin(&h, "E-mail");
    html_elem(&h, "a", rq->ente->mail_info, HA("href", url_mailto(rq->a, rq->ente->mail_info)));
    dl_row_end(&h);
  }
  if (rq->ente->mail_pec) {
    dl_row_begin(&h, "PEC");
    html_elem(&h, "a", rq->ente->mail_pec, HA("href", url_mailto(rq->a, rq->ente->mail_pec)));
    dl_row_end(&h);
  }
  dl_row(&h, "Telefono", rq->ente->support_phone, "non indicato");
  dl_row_begin(&h, "Accessibilità");
  html_elem(&h, "a", "Dichiarazione di accessibilità", HA("href", url_accessibility(rq->a)));
  dl_row_end(&h);
  dl_end(&h);
  portal_end(&h, &p);
  return ERR_OK;
}

err_code page_portal_channels(request *rq, response *rs) {
  payment_channel *ch;
  size_t n;
  err_code rc = payment_channels_list(rq->db, rq->a, &ch, &n);
  if (rc != ERR_OK) return rc;
  portal_page p;
  if ((rc = portal_page_for(rq, "Canali di pagamento e commissioni", NULL, &p)) != ERR_OK) return rc;
  PORTAL_TRAIL(rq, &p, {"Canali di pagamento e commissioni", NULL});
  p.lead =
      "Con pagoPA paghi con carta, conto corrente, app o presso gli esercenti. Ogni prestatore applica "
      "la sua commissione: qui sono in ordine dalla più alta alla più bassa.";
  html h = portal_html(rq, rs, &p);
  if (n == 0) {
    html_elem(&h, "p", "L'elenco dei canali e delle commissioni non è ancora disponibile.");
  } else {
    static const char *const cols[] = {"Prestatore (PSP)", "Canale", "Descrizione", "Commissione"};
    table_begin(&h, "Canali di pagamento, commissione decrescente", 0, cols, 4);
    for (size_t i = 0; i < n; i++) {
      table_row_begin(&h);
      table_cell(&h, ch[i].psp);
      table_cell(&h, ch[i].channel);
      table_cell(&h, ch[i].description ? ch[i].description : "");
      table_cell(&h, portal_eur(rq->a, ch[i].fee_cents));
      table_row_end(&h);
    }
    table_end(&h);
  }
  portal_end(&h, &p);
  return ERR_OK;
}

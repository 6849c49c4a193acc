/* /accessibilita: the "dichiarazione di accessibilità" in the structure of
 * AgID's model (Linee guida sull'accessibilità degli strumenti informatici):
 * conformity state, non-accessible content, how the statement was
 * prepared, feedback and contacts, enforcement procedure. The site's own
 * data (owner, name, address, e-mail, state, date, known issues) come from
 * the [site] section of the configuration. */
#include "core/config.h"
#include "web/portal/legal.h"

static void para(html *h, const char *text) { html_elem(h, "p", text); }

static void section(html *h, const char *title) { html_elem(h, "h2", title, HA("class", "h4 mt-4")); }

static void subsection(html *h, const char *title) { html_elem(h, "h3", title, HA("class", "h5")); }

err_code legal_accessibility(request *rq, response *rs) {
  const char *owner = config_str("site", "owner"), *site = config_str("site", "name");
  const char *url = config_str("server", "base_url"), *mail = config_str("site", "accessibility_email");
  const char *status = config_str("site", "accessibility_status");
  const char *issues = config_str("site", "accessibility_issues");
  page_info p;
  err_code e = web_page_info(rq, "Dichiarazione di accessibilità", NULL, &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {"Dichiarazione di accessibilità", NULL});
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p", HA("class", "lead"));
  html_textf(&h,
             "%s si impegna a rendere il proprio sito web accessibile, conformemente al decreto "
             "legislativo 10 agosto 2004, n. 4 e alla direttiva (UE) 2016/2102 del Parlamento "
             "europeo e del Consiglio. La presente dichiarazione di accessibilità si applica al sito "
             "%s (%s).",
             owner, site, url);
  html_close(&h, "p");

  section(&h, "Stato di conformità");
  html_open(&h, "p");
  html_textf(&h,
             "Questo sito web è %s ai requisiti previsti dall'allegato A alla norma UNI CEI EN "
             "301549 (WCAG 2.1, livello AA)%s.",
             status, *issues ? ", in ragione dei casi di non conformità elencati di seguito" : "");
  html_close(&h, "p");

  section(&h, "Contenuti non accessibili");
  subsection(&h, "Inosservanza della legge 4/2004");
  para(&h, *issues ? issues : "Non sono noti contenuti non conformi.");
  subsection(&h, "Onere sproporzionato");
  para(&h, "Nessun contenuto è escluso per onere sproporzionato.");
  subsection(&h, "Contenuti che non rientrano nell'ambito della legislazione applicabile");
  para(&h, "Nessuno.");

  section(&h, "Redazione della dichiarazione di accessibilità");
  html_open(&h, "p");
  html_textf(&h, "La presente dichiarazione è stata redatta il %s.",
             date_it(rq->a, config_str("site", "accessibility_date")));
  html_close(&h, "p");
  para(&h,
       "La dichiarazione è stata effettuata con un'autovalutazione del soggetto erogatore: a ogni "
       "modifica del software le pagine sono verificate automaticamente con axe-core (WCAG 2.1, "
       "livelli A e AA), anche alla larghezza dello schermo di un telefono; il codice HTML è "
       "controllato per validità, etichette dei campi e ordine dei titoli; le funzioni principali "
       "sono provate da tastiera e senza JavaScript.");

  section(&h, "Meccanismo di feedback e informazioni di contatto");
  html_open(&h, "p");
  html_text(&h,
            "Per segnalare casi di mancata conformità o per chiedere le informazioni e i contenuti "
            "esclusi dall'ambito di applicazione della direttiva, scrivere a ");
  html_elem(&h, "a", mail, HA("href", url_mailto(rq->a, mail)));
  html_textf(&h, ". %s risponde entro 30 giorni.", owner);
  html_close(&h, "p");

  section(&h, "Procedura di attuazione");
  html_open(&h, "p");
  html_text(&h,
            "In caso di risposta insoddisfacente o di mancata risposta, nel termine di trenta "
            "giorni, alla notifica o alla richiesta, l'interessato può inoltrare una segnalazione "
            "all'Agenzia per l'Italia Digitale (AgID) tramite il ");
  html_elem(&h, "a", "modulo di segnalazione di AgID",
            HA("href", url_agid_accessibility_report(rq->a)));
  html_text(&h, ", ai sensi dell'articolo 3-quinquies, comma 3, della legge 9 gennaio 2004, n. 4.");
  html_close(&h, "p");
  page_end(&h, &p);
  return ERR_OK;
}

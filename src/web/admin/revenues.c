/* The revenue types of an Ente and the accounts they are paid to, for the
 * administrator: each revenue with its taxonomy code, IBAN, postal account
 * and whether its notices carry the bollettino postale PA; a form that sets
 * (or, with the account number empty, removes) the postal account and the
 * Poste authorisation of one of the Ente's IBANs, for every revenue paid to
 * it. Refused input is shown again with each field's message; nothing is
 * written. The same operation is `sportello revenue postal`. */
#include <string.h>

#include "domain/debt/debt.h"
#include "web/web.h"

static const saved_notice notices[] = {{"postale", "Conto corrente postale salvato."}};

static const char *bollettino(const debt_revenue *r) {
  if (!r->postal_account) return "No (nessun conto postale)";
  if (!r->postal_auth) return "No: manca l'autorizzazione di Poste Italiane";
  return "Sì";
}

static err_code render(request *rq, response *rs, const debt_problems *pbs, const char *iban,
                       const char *postal, const char *auth) {
  debt_revenue *v;
  size_t n;
  err_code rc = debt_revenue_list(rq->db, rq->a, rq->ente->id, &v, &n);
  if (rc != ERR_OK) return rc;
  page_info p;
  if ((rc = web_page_info(rq, "Entrate e conti", "admin", &p)) != ERR_OK) return rc;
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)}, {"Entrate e conti", NULL});
  p.notice = saved_notice_for(notices, 1, rq_query(rq, "salvato"));
  if (pbs && pbs->n) rs->status = 422;
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            arena_printf(rq->a,
                         "Le entrate di %s, il conto su cui sono pagate e il bollettino postale PA "
                         "degli avvisi di pagamento.",
                         rq->ente->name),
            HA("class", "lead"));
  static const char *const cols[] = {"Entrata",
                                     "Codice",
                                     "Tassonomia",
                                     "IBAN",
                                     "Conto postale",
                                     "Autorizzazione di Poste",
                                     "Bollettino negli avvisi"};
  table_begin(&h, "Entrate dell'Ente", 0, cols, 7);
  form_option *ibans = ARENA_ARRAY(rq->a, form_option, n + 1);
  size_t ni = 0;
  for (size_t i = 0; i < n; i++) {
    table_row_begin(&h);
    table_cell(&h, v[i].name);
    table_cell(&h, v[i].code);
    table_cell(&h, v[i].taxonomy);
    table_cell(&h, v[i].iban);
    table_cell(&h, v[i].postal_account ? v[i].postal_account : "");
    table_cell(&h, v[i].postal_auth ? v[i].postal_auth : "");
    table_cell(&h, bollettino(&v[i]));
    table_row_end(&h);
    int seen = 0;
    for (size_t k = 0; k < ni && !seen; k++) seen = !strcmp(ibans[k].value, v[i].iban);
    if (!seen) ibans[ni++] = (form_option){v[i].iban, v[i].iban};
  }
  table_end(&h);
  if (!n) {
    html_elem(&h, "p", "Nessuna entrata: si creano con sportello revenue add.");
    page_end(&h, &p);
    return ERR_OK;
  }
  html_elem(&h, "h2", "Conto corrente postale di un conto", HA("class", "h4 mt-5"));
  html_elem(
      &h, "p",
      "Il bollettino postale PA compare negli avvisi delle entrate pagate sul conto quando ci sono sia il "
      "numero di conto corrente postale sia l'autorizzazione di Poste Italiane alla stampa in proprio. "
      "Lasciare vuoto il numero per togliere il conto postale.");
  if (pbs && pbs->n)
    form_begin_errors(&h, url_admin_revenues(rq->a, rq->ente->slug), rq->csrf, pbs->items, pbs->n);
  else
    form_begin(&h, url_admin_revenues(rq->a, rq->ente->slug), rq->csrf);
  form_select(&h, &(form_field){.name = "iban", .label = "IBAN del conto", .value = iban, .required = 1},
              ibans, ni);
  form_input(&h, &(form_field){.name = "postal_account",
                               .label = "Numero di conto corrente postale",
                               .value = postal,
                               .hint = "Da 1 a 12 cifre.",
                               .maxlength = 12});
  form_input(&h, &(form_field){.name = "postal_auth",
                               .label = "Autorizzazione di Poste Italiane",
                               .value = auth,
                               .hint = "Come stampata sul bollettino, ad esempio AUT. DB/SSIC/E 12345 DEL "
                                       "01/01/2026 (al massimo 100 caratteri).",
                               .maxlength = DEBT_POSTAL_AUTH_MAX});
  form_submit(&h, "Salva il conto postale");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_revenues(request *rq, response *rs) { return render(rq, rs, NULL, NULL, NULL, NULL); }

err_code page_admin_revenues_postal(request *rq, response *rs) {
  const char *iban = rq_form(rq, "iban"), *postal = rq_form(rq, "postal_account"),
             *auth = rq_form(rq, "postal_auth");
  if ((iban && strlen(iban) > 64) || (postal && strlen(postal) > 64) || (auth && strlen(auth) > 1000))
    return ERR_BAD_REQUEST;
  debt_problems pbs = {0};
  err_code rc = debt_account_postal_set(rq->db, rq->a, rq->ente->id, iban, postal && *postal ? postal : NULL,
                                        auth && *auth ? auth : NULL, &rq->who, &pbs);
  if (rc == ERR_NOT_FOUND && !pbs.n) {
    debt_problems one = {0};
    problem *pb = ARENA_NEW(rq->a, problem);
    *pb = (problem){ERR_INVALID, "iban", "Scegliere uno dei conti dell'Ente."};
    one.items = pb;
    one.n = 1;
    return render(rq, rs, &one, iban, postal, auth);
  }
  if (rc == ERR_INVALID) return render(rq, rs, &pbs, iban, postal, auth);
  if (rc != ERR_OK) return rc;
  return rs_redirect(rs,
                     arena_printf(rq->a, "%s?salvato=postale", url_admin_revenues(rq->a, rq->ente->slug)));
}

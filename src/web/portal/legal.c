/* Privacy, legal notes and accessibility statement linked from every
 * footer (Comuni-site conventions); the accessibility statement is in
 * legal_accessibility.c. */
#include <string.h>
#include "web/portal/legal.h"

err_code page_legal(request *rq, response *rs) {
  const char *title, *text;
  if (strcmp(rq->path, "/privacy") == 0) {
    title = "Informativa privacy";
    text = "I dati personali sono trattati dal concessionario per conto dell'Ente titolare "
           "esclusivamente per le finalità di riscossione delle entrate, ai sensi del "
           "Regolamento (UE) 2016/679. Per esercitare i diritti dell'interessato rivolgersi "
           "all'Ente o al responsabile della protezione dei dati indicato nel suo sito.";
  } else if (strcmp(rq->path, "/note-legali") == 0) {
    title = "Note legali";
    text = "I contenuti di questo sito sono pubblicati dall'Ente e dal suo concessionario per "
           "la riscossione. Il software Sportello è open source.";
  } else {
    return legal_accessibility(rq, rs);
  }
  page_info p;
  err_code e = web_page_info(rq, title, NULL, &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {title, NULL});
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p", text);
  page_end(&h, &p);
  return ERR_OK;
}

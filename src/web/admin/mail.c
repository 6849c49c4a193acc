/* /admin/posta: mail intake for the administrator: the mailboxes read
 * and the messages in quarantine (not readable, kept with the reason, the
 * ones behind them went on). The same from a shell: `sportello mail
 * quarantine list`, `sportello mail mailbox list`. */
#include "core/date.h"
#include "domain/intake/intake.h"
#include "web/web.h"

enum { SHOWN = 200 };

static void th(html *h, const char *const *cols, size_t n) {
  html_open(h, "thead");
  html_open(h, "tr");
  for (size_t i = 0; i < n; i++) html_elem(h, "th", cols[i], HA("scope", "col"));
  html_close(h, "tr");
  html_close(h, "thead");
}

static void mailboxes(html *h, const intake_mailbox *mb, size_t n) {
  html_elem(h, "h2", "Caselle lette", HA("class", "h4"));
  if (n == 0) {
    html_elem(h, "p", "Nessuna casella configurata (sportello mail mailbox add).");
    return;
  }
  html_open(h, "div", HA("class", "table-responsive"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", "Caselle di posta acquisite", HA("class", "visually-hidden"));
  static const char *const cols[] = {"Ente", "Casella", "Tipo", "Indirizzo", "PEC"};
  th(h, cols, 5);
  html_open(h, "tbody");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "tr");
    html_open(h, "td");
    html_textf(h, "%lld", (long long)mb[i].ente_id);
    html_close(h, "td");
    html_elem(h, "td", mb[i].name);
    html_elem(h, "td", mb[i].kind);
    html_elem(h, "td", mb[i].address ? mb[i].address : "-");
    html_elem(h, "td", mb[i].pec ? "Sì" : "No");
    html_close(h, "tr");
  }
  html_close(h, "tbody");
  html_close(h, "table");
  html_close(h, "div");
}

static void quarantine(html *h, const intake_quarantined *q, size_t n) {
  html_elem(h, "h2", "Posta in quarantena", HA("class", "h4"));
  if (n == 0) {
    html_elem(h, "p", "Nessun messaggio in quarantena.");
    return;
  }
  html_open(h, "div", HA("class", "table-responsive"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", "Messaggi non acquisiti, con il motivo", HA("class", "visually-hidden"));
  static const char *const cols[] = {"Quando", "Ente", "Casella", "Origine", "Byte", "Motivo",
                                     "Impronta SHA-256"};
  th(h, cols, 7);
  html_open(h, "tbody");
  for (size_t i = 0; i < n; i++) {
    char when[17];
    time_format_rome(q[i].created_at, when);
    html_open(h, "tr");
    html_elem(h, "td", when);
    html_elem(h, "td", q[i].ente_slug);
    html_elem(h, "td", q[i].mailbox);
    html_elem(h, "td", q[i].source_ref);
    html_open(h, "td");
    html_textf(h, "%lld", (long long)q[i].size);
    html_close(h, "td");
    html_elem(h, "td", q[i].reason);
    html_elem(h, "td", q[i].raw_sha256 ? q[i].raw_sha256 : "non conservato (troppo grande)");
    html_close(h, "tr");
  }
  html_close(h, "tbody");
  html_close(h, "table");
  html_close(h, "div");
}

err_code page_admin_mail(request *rq, response *rs) {
  intake_mailbox *mb;
  intake_quarantined *q;
  size_t nm, nq;
  err_code e = intake_mailbox_list(rq->db, rq->a, 0, &mb, &nm);
  if (e == ERR_OK) e = intake_quarantine_list(rq->db, rq->a, 0, SHOWN, &q, &nq);
  page_info p;
  if (e == ERR_OK) e = web_page_info(rq, "Posta in arrivo", "admin", &p);
  if (e != ERR_OK) return e;
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p");
  html_elem(&h, "a", "Torna all'amministrazione", HA("href", url_admin(rq->a)));
  html_close(&h, "p");
  html_elem(&h, "p",
            "I messaggi che non si possono leggere (struttura non valida, mittente mancante, "
            "dimensioni oltre i limiti) restano in quarantena con il motivo e il contenuto "
            "originale; gli altri messaggi della casella sono acquisiti comunque.");
  quarantine(&h, q, nq);
  mailboxes(&h, mb, nm);
  page_end(&h, &p);
  return ERR_OK;
}

/* /admin/posta: mail intake for the administrator: the mailboxes read
 * and the messages in quarantine (not readable, kept with the reason, the
 * ones behind them went on), each to acquire again (a "mail.release" job:
 * the worker reads it again and registers it) or to discard. The same
 * from a shell: `sportello mail quarantine list|release|discard`,
 * `sportello mail mailbox list`. */
#include <string.h>

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

static void action_form(request *rq, html *h, const char *action, const char *label, const char *cls,
                        const intake_quarantined *q) {
  form_begin(h, action, rq->csrf);
  html_open(h, "button", HA("type", "submit"), HA("class", cls),
            HA("aria-label", arena_printf(rq->a, "%s il messaggio %s", label, q->source_ref)));
  html_text(h, label);
  html_close(h, "button");
  form_end(h);
}

static void quarantine(request *rq, html *h, const intake_quarantined *q, size_t n) {
  html_elem(h, "h2", "Posta in quarantena", HA("class", "h4"));
  if (n == 0) {
    html_elem(h, "p", "Nessun messaggio in quarantena.");
    return;
  }
  html_open(h, "div", HA("class", "table-responsive"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", "Messaggi non acquisiti, con il motivo", HA("class", "visually-hidden"));
  static const char *const cols[] = {"Quando", "Ente",   "Casella",          "Origine",
                                     "Byte",   "Motivo", "Impronta SHA-256", "Azioni"};
  th(h, cols, 8);
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
    html_open(h, "td");
    if (q[i].raw_sha256)
      action_form(rq, h, url_admin_mail_release(rq->a, q[i].id), "Acquisisci", "btn btn-primary btn-sm mb-1",
                  &q[i]);
    action_form(rq, h, url_admin_mail_discard(rq->a, q[i].id), "Scarta", "btn btn-outline-danger btn-sm",
                &q[i]);
    html_close(h, "td");
    html_close(h, "tr");
  }
  html_close(h, "tbody");
  html_close(h, "table");
  html_close(h, "div");
}

static const char *notice_for(const char *what) {
  if (!what) return NULL;
  if (strcmp(what, "acquisisci") == 0)
    return "Messaggio in acquisizione: verrà riletto e registrato a breve (l'esito è in "
           "Lavori in background se resta illeggibile).";
  if (strcmp(what, "scarta") == 0) return "Messaggio scartato.";
  return NULL;
}

static err_code render(request *rq, response *rs, const char *trouble) {
  intake_mailbox *mb;
  intake_quarantined *q;
  size_t nm, nq;
  err_code e = intake_mailbox_list(rq->db, rq->a, 0, &mb, &nm);
  if (e == ERR_OK) e = intake_quarantine_list(rq->db, rq->a, 0, SHOWN, &q, &nq);
  page_info p;
  if (e == ERR_OK) e = web_page_info(rq, "Posta in arrivo", "admin", &p);
  if (e != ERR_OK) return e;
  if (!trouble) p.notice = notice_for(rq_query(rq, "salvato"));
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p");
  html_elem(&h, "a", "Torna all'amministrazione", HA("href", url_admin(rq->a)));
  html_close(&h, "p");
  if (trouble) html_elem(&h, "div", trouble, HA("class", "alert alert-danger"), HA("role", "alert"));
  html_elem(&h, "p",
            "I messaggi che non si possono leggere (struttura non valida, mittente mancante, "
            "dimensioni oltre i limiti) restano in quarantena con il motivo e il contenuto "
            "originale; gli altri messaggi della casella sono acquisiti comunque.");
  quarantine(rq, &h, q, nq);
  mailboxes(&h, mb, nm);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_mail(request *rq, response *rs) { return render(rq, rs, NULL); }

/* release=1: Acquisisci (a job), 0: Scarta. A message no longer held
 * comes back 409 with the page and why. */
static err_code decide(request *rq, response *rs, int release) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  err_code e = release ? intake_quarantine_request_release(rq->db, &rq->who, id)
                       : intake_quarantine_discard(rq->db, &rq->who, id);
  if (e == ERR_CONFLICT) {
    rs->status = 409;
    return render(rq, rs, arena_printf(rq->a, "Il messaggio %lld non è più in quarantena.", (long long)id));
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_mail_saved(rq->a, release ? "acquisisci" : "scarta"));
}

err_code page_admin_mail_release(request *rq, response *rs) { return decide(rq, rs, 1); }

err_code page_admin_mail_discard(request *rq, response *rs) { return decide(rq, rs, 0); }

/* The background job queue for the administrator: how many jobs of each
 * kind are in each state, then the jobs that failed (waiting for a retry,
 * or dead once their attempts were used up) with their last error and a
 * "Riprova" / "Annulla" form each (CSRF like every form). The same from a
 * shell: `sportello jobs list|retry|cancel`. */
#include <string.h>
#include "core/date.h"
#include "domain/jobs/jobs.h"
#include "web/web.h"

enum { FAILED_SHOWN = 100 }; /* per state */

/* Fixed notices for ?salvato=: the query value itself is never shown. */
static const char *notice_for(const char *what) {
  if (!what) return NULL;
  if (strcmp(what, "riprova") == 0) return "Lavoro rimesso in coda: verrà eseguito a breve.";
  if (strcmp(what, "annulla") == 0) return "Lavoro annullato.";
  return NULL;
}

static void th(html *h, const char *const *cols, size_t n) {
  html_open(h, "thead");
  html_open(h, "tr");
  for (size_t i = 0; i < n; i++) html_elem(h, "th", cols[i], HA("scope", "col"));
  html_close(h, "tr");
  html_close(h, "thead");
}

static void time_cell(html *h, int64_t t) {
  char buf[17];
  if (t) time_format_rome(t, buf);
  html_elem(h, "td", t ? buf : "-");
}

static void counts_table(html *h, const job_count *c, size_t n) {
  html_elem(h, "h2", "Lavori per tipo e stato", HA("class", "h4"));
  if (n == 0) {
    html_elem(h, "p", "Nessun lavoro in coda né eseguito.");
    return;
  }
  html_open(h, "div", HA("class", "table-responsive"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", "Numero di lavori per tipo e stato", HA("class", "visually-hidden"));
  static const char *const cols[] = {"Tipo", "Stato", "Lavori"};
  th(h, cols, 3);
  html_open(h, "tbody");
  for (size_t i = 0; i < n; i++) {
    html_open(h, "tr");
    html_elem(h, "td", c[i].kind);
    html_elem(h, "td", job_state_label_it(c[i].state));
    html_open(h, "td");
    html_textf(h, "%lld", (long long)c[i].count);
    html_close(h, "td");
    html_close(h, "tr");
  }
  html_close(h, "tbody");
  html_close(h, "table");
  html_close(h, "div");
}

/* One small form posting to action, with a label naming the job for
 * screen readers. */
static void action_form(request *rq, html *h, const char *action, const char *label, const char *cls,
                        int64_t id) {
  form_begin(h, action, rq->csrf);
  html_open(h, "button", HA("type", "submit"), HA("class", cls),
            HA("aria-label", arena_printf(rq->a, "%s il lavoro %lld", label, (long long)id)));
  html_text(h, label);
  html_close(h, "button");
  form_end(h);
}

static void failed_table(request *rq, html *h, const job *js, size_t n) {
  html_elem(h, "h2", "Lavori non riusciti", HA("class", "h4"));
  if (n == 0) {
    html_elem(h, "p", "Nessun lavoro in attesa di un nuovo tentativo o fallito.");
    return;
  }
  html_open(h, "div", HA("class", "table-responsive"));
  html_open(h, "table", HA("class", "table"));
  html_elem(h, "caption", "Lavori in attesa di un nuovo tentativo o falliti definitivamente",
            HA("class", "visually-hidden"));
  static const char *const cols[] = {"Lavoro", "Tipo",   "Stato",        "Tentativi",
                                     "Prossimo tentativo", "Ultimo errore", "Azioni"};
  th(h, cols, 7);
  html_open(h, "tbody");
  for (size_t i = 0; i < n; i++) {
    const job *j = &js[i];
    html_open(h, "tr");
    html_open(h, "td");
    html_textf(h, "%lld", (long long)j->id);
    html_close(h, "td");
    html_elem(h, "td", j->kind);
    html_elem(h, "td", job_state_label_it(j->state));
    html_open(h, "td");
    html_textf(h, "%d", j->attempts);
    html_close(h, "td");
    time_cell(h, j->state == JOB_RETRY ? j->run_at : 0);
    html_elem(h, "td", j->last_error ? j->last_error : "-");
    html_open(h, "td");
    action_form(rq, h, url_admin_job_retry(rq->a, j->id), "Riprova", "btn btn-primary btn-sm mb-1", j->id);
    action_form(rq, h, url_admin_job_cancel(rq->a, j->id), "Annulla", "btn btn-outline-danger btn-sm",
                j->id);
    html_close(h, "td");
    html_close(h, "tr");
  }
  html_close(h, "tbody");
  html_close(h, "table");
  html_close(h, "div");
}

/* The page; trouble (with its status already set) replaces the notice. */
static err_code render(request *rq, response *rs, const char *trouble) {
  job_count *counts;
  job *retry, *dead;
  size_t nc, nr, nd;
  err_code e = job_counts(rq->db, rq->a, &counts, &nc);
  if (e == ERR_OK) e = job_list(rq->db, rq->a, JOB_RETRY, FAILED_SHOWN, &retry, &nr);
  if (e == ERR_OK) e = job_list(rq->db, rq->a, JOB_DEAD, FAILED_SHOWN, &dead, &nd);
  page_info p;
  if (e == ERR_OK) e = web_page_info(rq, "Lavori in background", "admin", &p);
  if (e != ERR_OK) return e;
  if (!trouble) p.notice = notice_for(rq_query(rq, "salvato"));
  job *failed = ARENA_ARRAY(rq->a, job, nr + nd + 1);
  if (nr) memcpy(failed, retry, nr * sizeof *failed);
  if (nd) memcpy(failed + nr, dead, nd * sizeof *failed);
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p");
  html_elem(&h, "a", "Torna all'amministrazione", HA("href", url_admin(rq->a)));
  html_close(&h, "p");
  if (trouble)
    html_elem(&h, "div", trouble, HA("class", "alert alert-danger"), HA("role", "alert"));
  html_elem(&h, "p",
            "I lavori in background (pulizia delle sessioni e, in seguito, posta in uscita, "
            "avvisi e promemoria) sono ritentati automaticamente con attese crescenti; "
            "quando i tentativi sono esauriti restano qui finché non li rimetti in coda o li annulli.");
  counts_table(&h, counts, nc);
  failed_table(rq, &h, failed, nr + nd);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_jobs(request *rq, response *rs) { return render(rq, rs, NULL); }

/* retry=1: Riprova, 0: Annulla. A job that cannot take the action now (it
 * is running, queued or done) comes back 409 with the page and why. */
static err_code act(request *rq, response *rs, int retry) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  err_code e = retry ? job_retry(rq->db, id, &rq->who) : job_cancel(rq->db, id, &rq->who);
  if (e == ERR_CONFLICT) {
    rs->status = 409;
    return render(rq, rs,
                  arena_printf(rq->a,
                               retry ? "Il lavoro %lld non si può rimettere in coda: non è fallito né annullato."
                                     : "Il lavoro %lld non si può annullare: è in esecuzione o già concluso.",
                               (long long)id));
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_jobs_saved(rq->a, retry ? "riprova" : "annulla"));
}

err_code page_admin_job_retry(request *rq, response *rs) { return act(rq, rs, 1); }

err_code page_admin_job_cancel(request *rq, response *rs) { return act(rq, rs, 0); }

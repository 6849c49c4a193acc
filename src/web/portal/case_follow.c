/* Follow a case without signing in (the "ticket portal"): the Ente, the
 * protocol number (or the case number) and the requester's e-mail or
 * fiscal code give the state, the dates and the outcome, nothing more.
 * A wrong number and a wrong second factor get the same answer, so the
 * page never tells whether a number exists; lookups are limited per
 * client (cases.follow_per_minute, answered 429 beyond). */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "http/ratelimit.h"
#include "web/office/cases_ui.h"

static ratelimit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

static void limiter_init(void) { limiter = ratelimit_new(config_int("cases", "follow_per_minute")); }

static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char NO_MATCH[] =
    "Nessuna pratica corrisponde ai dati indicati. Controlla il numero e l'indirizzo e-mail o il "
    "codice fiscale usati nella richiesta.";

static void render(request *rq, response *rs, const char *ente_slug, const char *number,
                   const case_rec *found, const char *message, int status) {
  page_info p;
  if (web_page_info(rq, "Segui una pratica", NULL, &p) != ERR_OK) return;
  if (status) rs->status = status;
  html h = web_begin(rq, rs, &p);
  html_elem(&h, "p",
            "Indica il numero di protocollo (per esempio 0000123/2026) o il numero della pratica "
            "(per esempio 2026-000045) e l'indirizzo e-mail o il codice fiscale usati nella "
            "richiesta.",
            HA("class", "lead"));
  if (message)
    html_elem(&h, "div", message, HA("class", "alert alert-warning"), HA("role", "alert"));
  if (found) {
    html_open(&h, "section", HA("class", "card card-bg mb-4"), HA("aria-labelledby", "esito-titolo"));
    html_open(&h, "div", HA("class", "card-body"));
    html_elem(&h, "h2", arena_printf(rq->a, "Pratica %s", found->label), HA("class", "h4"),
              HA("id", "esito-titolo"));
    html_open(&h, "dl", HA("class", "row"));
    cu_row(&h, "Stato", case_state_label(found->state));
    cu_row(&h, "Presentata il", cu_time(rq->a, found->received_at));
    cu_row(&h, "Termine di lavorazione", cu_date_it(rq->a, found->due_date));
    if (found->closed_at) cu_row(&h, "Chiusa il", cu_time(rq->a, found->closed_at));
    cu_row(&h, "Esito", case_outcome_label(found->outcome));
    html_close(&h, "dl");
    html_close(&h, "div");
    html_close(&h, "section");
  }
  ente *list;
  size_t n = 0;
  if (ente_list(rq->db, rq->a, &list, &n) != ERR_OK) n = 0;
  form_option *o = ARENA_ARRAY(rq->a, form_option, n + 1);
  for (size_t i = 0; i < n; i++) o[i] = (form_option){list[i].slug, list[i].name};
  form_begin(&h, url_case_follow(rq->a), rq->csrf);
  form_field fe = {.name = "ente", .label = "Ente", .value = ente_slug, .required = 1};
  form_select(&h, &fe, o, n);
  form_field fn = {.name = "numero", .label = "Numero di protocollo o della pratica",
                   .value = number, .required = 1, .maxlength = 40, .autocomplete = "off"};
  form_input(&h, &fn);
  form_field fv = {.name = "verifica", .label = "E-mail o codice fiscale del richiedente",
                   .required = 1, .maxlength = 254, .autocomplete = "off"};
  form_input(&h, &fv);
  form_submit(&h, "Cerca");
  form_end(&h);
  page_end(&h, &p);
}

err_code page_case_follow(request *rq, response *rs) {
  render(rq, rs, NULL, NULL, NULL, NULL, 0);
  return ERR_OK;
}

err_code page_case_follow_post(request *rq, response *rs) {
  pthread_once(&limiter_once, limiter_init);
  int retry = 0;
  const char *slug = cu_form(rq, "ente"), *number = cu_form(rq, "numero");
  if (limiter && !ratelimit_allow(limiter, rq->client_ip, monotonic_ms(), &retry)) {
    rs_header(rs, "Retry-After", arena_printf(rq->a, "%d", retry > 0 ? retry : 1));
    render(rq, rs, slug, number, NULL, err_message_it(ERR_RATE_LIMITED), 429);
    return ERR_OK;
  }
  ente e;
  case_rec c;
  err_code rc = ERR_NOT_FOUND;
  if (slug && strlen(slug) <= 40 && ente_by_slug(rq->db, rq->a, slug, &e) == ERR_OK)
    rc = cases_follow(rq->db, rq->a, e.id, number, cu_form(rq, "verifica"), &c);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  render(rq, rs, slug, number, rc == ERR_OK ? &c : NULL, rc == ERR_OK ? NULL : NO_MATCH, 0);
  return ERR_OK;
}

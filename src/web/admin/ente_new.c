/* New Ente. The domain (ente_create) validates and reports every problem
 * on its field, the page adds the population it cannot read; the page
 * keeps every typed value and answers 422 (409 when the only problems are
 * a duplicate slug or fiscal code). Nothing is written unless the
 * whole Ente is valid; success goes back to the overview with a notice. */
#include <string.h>
#include "web/admin/admin_form.h"

/* The form's values as typed (population kept as text). */
typedef struct {
  const char *slug, *name, *fiscal_code, *population, *segregation_code;
  const char *mail_istanze, *mail_pec, *mail_info, *support_phone, *patron_day;
} ente_form;

static void input(html *h, const problems *pbs, const char *name, const char *label, const char *value,
                  const char *type, int required, int maxlength, const char *hint) {
  form_field f = {.name = name,
                  .label = label,
                  .value = value,
                  .type = type,
                  .required = required,
                  .maxlength = maxlength,
                  .hint = hint,
                  .error = admin_error_for(pbs, name)};
  form_input(h, &f);
}

static err_code render(request *rq, response *rs, const ente_form *v, const problems *pbs) {
  page_info p;
  err_code e = web_page_info(rq, "Nuovo Ente", "admin", &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)}, {"Nuovo Ente", NULL});
  html h = web_begin(rq, rs, &p);
  if (pbs) form_error_summary(&h, pbs->items, pbs->n);
  form_begin(&h, url_admin_ente_new(rq->a), rq->csrf);
  html_elem(&h, "h2", "Identità", HA("class", "h5"));
  input(&h, pbs, "slug", "Identificativo breve (slug)", v->slug, NULL, 1, 40,
        "Compare negli indirizzi delle pagine: da 2 a 40 caratteri tra lettere minuscole, cifre "
        "e trattini (es. borgo-fittizio).");
  input(&h, pbs, "name", "Nome dell'Ente", v->name, NULL, 1, 200, "Es. Comune di Borgo Fittizio.");
  input(&h, pbs, "fiscal_code", "Codice fiscale dell'Ente", v->fiscal_code, NULL, 1, 11,
        "11 cifre: è l'identificativo dell'Ente creditore su pagoPA.");
  input(&h, pbs, "population", "Popolazione (abitanti)", v->population, NULL, 0, 12, NULL);
  input(&h, pbs, "segregation_code", "Codice di segregazione pagoPA", v->segregation_code, NULL, 0, 2,
        "2 cifre.");
  html_elem(&h, "h2", "Recapiti", HA("class", "h5"));
  input(&h, pbs, "mail_istanze", "Casella per le istanze", v->mail_istanze, "email", 0, 254, NULL);
  input(&h, pbs, "mail_pec", "PEC", v->mail_pec, "email", 0, 254, NULL);
  input(&h, pbs, "mail_info", "Casella per le informazioni", v->mail_info, "email", 0, 254, NULL);
  input(&h, pbs, "support_phone", "Telefono di assistenza", v->support_phone, "tel", 0, 30, NULL);
  html_elem(&h, "h2", "Calendario", HA("class", "h5"));
  input(&h, pbs, "patron_day", "Giorno del santo patrono", v->patron_day, NULL, 0, 5,
        "Formato MM-GG (es. 06-24): è festivo nel calcolo delle scadenze.");
  form_submit(&h, "Crea Ente");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_ente_new(request *rq, response *rs) {
  ente_form v = {0};
  return render(rq, rs, &v, NULL);
}

/* Population: empty is 0; otherwise digits only (no sign, no separators). */
static int parse_population(const char *s, int64_t *out) {
  *out = 0;
  if (!s) return 0;
  size_t n = strlen(s);
  if (n > 12) return -1;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    *out = *out * 10 + (s[i] - '0');
  }
  return 0;
}

err_code page_admin_ente_create(request *rq, response *rs) {
  ente_form v = {admin_field(rq, "slug"),
                 admin_field(rq, "name"),
                 admin_field(rq, "fiscal_code"),
                 admin_field(rq, "population"),
                 admin_field(rq, "segregation_code"),
                 admin_field(rq, "mail_istanze"),
                 admin_field(rq, "mail_pec"),
                 admin_field(rq, "mail_info"),
                 admin_field(rq, "support_phone"),
                 admin_field(rq, "patron_day")};
  problems pbs = {0};
  ente in = {0};
  int bad_population = parse_population(v.population, &in.population) != 0;
  in.slug = (char *)v.slug;
  in.name = (char *)v.name;
  in.fiscal_code = (char *)v.fiscal_code;
  in.segregation_code = (char *)v.segregation_code;
  in.mail_istanze = (char *)v.mail_istanze;
  in.mail_pec = (char *)v.mail_pec;
  in.mail_info = (char *)v.mail_info;
  in.support_phone = (char *)v.support_phone;
  in.patron_day = (char *)v.patron_day;
  int64_t id = 0;
  err_code e;
  if (bad_population) { /* the other fields are checked all the same */
    e = ente_validate(rq->db, rq->a, &in, &pbs);
    admin_problem(rq, &pbs, ERR_INVALID, "population",
                  "La popolazione deve essere un numero intero di abitanti, senza punti né "
                  "spazi.");
    if (e == ERR_OK || err_http_status(e) == 409) e = ERR_INVALID;
  } else {
    e = ente_create(rq->db, rq->a, &in, &rq->who, &id, &pbs);
  }
  if (err_is_form_problem(e)) {
    rs->status = admin_form_status(e);
    return render(rq, rs, &v, &pbs);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_saved(rq->a, "ente"));
}

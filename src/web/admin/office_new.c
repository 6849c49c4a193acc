/* New office, in an existing region or in one named on the spot. Every
 * problem of the form is reported at once: the region choice (checked
 * here) and the office's fields (by the domain). A new region is created
 * only for an office found valid, just before it, as two transactions
 * (region_create, then office_create): if the office is then refused (a
 * concurrent duplicate), the region stays, and the re-shown form offers it
 * as an existing region. A region is harmless on its own, so this is
 * preferred to a third, combined domain function. */
#include <string.h>
#include "core/text.h"
#include "web/admin/admin_form.h"

typedef struct {
  const char *region_id, *new_region, *code, *name, *city;
} office_form;

static err_code render(request *rq, response *rs, const office_form *v, const problems *pbs) {
  region *regions;
  size_t nr;
  err_code e = region_list(rq->db, rq->a, &regions, &nr);
  if (e != ERR_OK) return e;
  page_info p;
  e = web_page_info(rq, "Nuovo ufficio", "admin", &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)}, {"Nuovo ufficio", NULL});
  html h = web_begin(rq, rs, &p);
  if (pbs) form_error_summary(&h, pbs->items, pbs->n);
  form_begin(&h, url_admin_office_new(rq->a), rq->csrf);

  html_elem(&h, "h2", "Regione", HA("class", "h5"));
  form_option *opts = ARENA_ARRAY(rq->a, form_option, nr + 1);
  opts[0] = (form_option){"", "Scegli una regione esistente"};
  for (size_t i = 0; i < nr; i++)
    opts[i + 1] = (form_option){arena_printf(rq->a, "%lld", (long long)regions[i].id), regions[i].name};
  form_field fr = {.name = "region_id",
                   .label = "Regione esistente",
                   .value = v->region_id,
                   .error = admin_error_for(pbs, "region_id")};
  form_select(&h, &fr, opts, nr + 1);
  form_field fn = {.name = "new_region",
                   .label = "Oppure: nuova regione",
                   .value = v->new_region,
                   .maxlength = 100,
                   .error = admin_error_for(pbs, "new_region"),
                   .hint =
                       "Se la regione non è nell'elenco, scrivine il nome: verrà creata "
                       "insieme all'ufficio."};
  form_input(&h, &fn);

  html_elem(&h, "h2", "Ufficio", HA("class", "h5"));
  form_field fc = {.name = "code",
                   .label = "Codice dell'ufficio",
                   .value = v->code,
                   .required = 1,
                   .maxlength = 32,
                   .error = admin_error_for(pbs, "code"),
                   .hint =
                       "Da 2 a 32 caratteri tra lettere, cifre, punti, trattini e trattini bassi (es. "
                       "NORD-01)."};
  form_input(&h, &fc);
  form_field fo = {.name = "name",
                   .label = "Nome dell'ufficio",
                   .value = v->name,
                   .required = 1,
                   .maxlength = 200,
                   .error = admin_error_for(pbs, "name")};
  form_input(&h, &fo);
  form_field fy = {.name = "city",
                   .label = "Città",
                   .value = v->city,
                   .maxlength = 100,
                   .error = admin_error_for(pbs, "city")};
  form_input(&h, &fy);
  form_submit(&h, "Crea ufficio");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_office_new(request *rq, response *rs) {
  office_form v = {0};
  return render(rq, rs, &v, NULL);
}

/* The region the office goes in: the chosen one, or the named one (found
 * by name; *create set when it is to be created). Problems of the choice
 * are added to pbs; nothing is written. */
static err_code choose_region(request *rq, const office_form *v, problems *pbs, int64_t *id,
                              const char **create) {
  *id = 0;
  *create = NULL;
  if (v->region_id && v->new_region) {
    admin_problem(rq, pbs, ERR_INVALID, "new_region",
                  "Scegli una regione esistente oppure scrivi il nome di una nuova, non "
                  "entrambe.");
  } else if (v->region_id) {
    *id = admin_field_id(rq, "region_id"); /* office_create checks that it exists */
    if (!*id) admin_problem(rq, pbs, ERR_INVALID, "region_id", "La regione indicata non esiste.");
  } else if (!v->new_region) {
    admin_problem(rq, pbs, ERR_INVALID, "region_id",
                  "Scegli la regione dell'ufficio o scrivi il nome di una nuova regione.");
  } else {
    region r;
    err_code e = region_by_name(rq->db, rq->a, v->new_region, &r);
    if (e == ERR_OK)
      *id = r.id;
    else if (e == ERR_NOT_FOUND)
      *create = v->new_region;
    else
      return e;
  }
  return ERR_OK;
}

/* The office's own problems (without a region yet), added to pbs. */
static err_code office_problems(request *rq, const office *o, problems *pbs) {
  problems own = {0};
  office probe = *o;
  probe.region_id = 0;
  err_code e = office_validate(rq->db, rq->a, &probe, &own);
  if (e != ERR_OK && !err_is_form_problem(e)) return e;
  for (size_t i = 0; i < own.n; i++) /* the region is the page's to judge */
    if (!own.items[i].field || strcmp(own.items[i].field, "region_id") != 0)
      admin_problem(rq, pbs, own.items[i].code, own.items[i].field, own.items[i].message);
  return ERR_OK;
}

err_code page_admin_office_create(request *rq, response *rs) {
  office_form v = {admin_field(rq, "region_id"), text_trim_dup(rq->a, rq_form(rq, "new_region")),
                   admin_field(rq, "code"), admin_field(rq, "name"), admin_field(rq, "city")};
  problems pbs = {0};
  office o = {0};
  o.code = (char *)v.code;
  o.name = (char *)v.name;
  o.city = (char *)v.city;
  const char *create = NULL;
  err_code e = choose_region(rq, &v, &pbs, &o.region_id, &create);
  if (e == ERR_OK && (pbs.n || create)) e = office_problems(rq, &o, &pbs);
  if (e == ERR_OK && !pbs.n && create) {
    problems rp = {0};
    e = region_create(rq->db, rq->a, create, &rq->who, &o.region_id, &rp);
    for (size_t i = 0; i < rp.n; i++) /* the region's name is typed in new_region */
      admin_problem(rq, &pbs, rp.items[i].code, "new_region", rp.items[i].message);
    if (e == ERR_OK) { /* from here on the region exists: shown as chosen if the form returns */
      v.region_id = arena_printf(rq->a, "%lld", (long long)o.region_id);
      v.new_region = NULL;
    }
  }
  if (e == ERR_OK)
    e = pbs.n ? problems_code(&pbs) : office_create(rq->db, rq->a, &o, &rq->who, NULL, &pbs);
  if (err_is_form_problem(e)) {
    rs->status = admin_form_status(e);
    return render(rq, rs, &v, &pbs);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_saved(rq->a, "ufficio"));
}

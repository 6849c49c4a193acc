/* New office, in an existing region or in one named on the spot. A new
 * region is created in the same request just before the office, as two
 * transactions (region_create, then office_create): if the office is then
 * refused, the region stays, and the re-shown form offers it as an
 * existing region. A region is harmless on its own, so this is preferred
 * to a third, combined domain function. */
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
 * by name, else created). ERR_INVALID/ERR_CONFLICT with problems added. */
static err_code resolve_region(request *rq, office_form *v, problems *pbs, int64_t *id) {
  *id = 0;
  if (v->region_id && v->new_region) {
    admin_problem(rq, pbs, ERR_INVALID, "new_region",
                  "Scegli una regione esistente oppure scrivi il nome di una nuova, non "
                  "entrambe.");
    return ERR_INVALID;
  }
  if (v->region_id) {
    *id = admin_field_id(rq, "region_id"); /* office_create checks that it exists */
    if (*id) return ERR_OK;
    admin_problem(rq, pbs, ERR_INVALID, "region_id", "La regione indicata non esiste.");
    return ERR_INVALID;
  }
  if (!v->new_region) {
    admin_problem(rq, pbs, ERR_INVALID, "region_id",
                  "Scegli la regione dell'ufficio o scrivi il nome di una nuova regione.");
    return ERR_INVALID;
  }
  region r;
  err_code e = region_by_name(rq->db, rq->a, v->new_region, &r);
  if (e == ERR_OK) {
    *id = r.id;
  } else if (e == ERR_NOT_FOUND) {
    problem pb = {0};
    e = region_create(rq->db, v->new_region, &rq->who, id, &pb);
    if (e == ERR_INVALID || e == ERR_CONFLICT) {
      pb.field = "new_region";
      admin_domain_problem(rq, pbs, e, &pb);
    }
  }
  if (e != ERR_OK) return e;
  /* From here on the region exists: show it as chosen if the form returns. */
  v->region_id = arena_printf(rq->a, "%lld", (long long)*id);
  v->new_region = NULL;
  return ERR_OK;
}

err_code page_admin_office_create(request *rq, response *rs) {
  office_form v = {admin_field(rq, "region_id"), text_trim_dup(rq->a, rq_form(rq, "new_region")),
                   admin_field(rq, "code"), admin_field(rq, "name"), admin_field(rq, "city")};
  problems pbs = {0};
  office o = {0};
  err_code e = resolve_region(rq, &v, &pbs, &o.region_id);
  if (e == ERR_OK) {
    o.code = (char *)v.code;
    o.name = (char *)v.name;
    o.city = (char *)v.city;
    problem pb = {0};
    e = office_create(rq->db, &o, &rq->who, NULL, &pb);
    if (e == ERR_INVALID || e == ERR_CONFLICT) admin_domain_problem(rq, &pbs, e, &pb);
  }
  if (e == ERR_INVALID || e == ERR_CONFLICT) {
    rs->status = admin_form_status(e);
    return render(rq, rs, &v, &pbs);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_saved(rq->a, "ufficio"));
}

/* New back-office user: identity, role, the office (office manager,
 * operator) or region (regional supervisor) the role needs, the Enti they
 * are enabled on, and an initial password typed twice. The password is
 * never written back into the page; every other value is kept when the
 * form comes back with an error. */
#include <string.h>
#include "web/admin/admin_form.h"

typedef struct {
  const char *username, *full_name, *email, *role;
  int64_t office_id, region_id;
  const int64_t *ente_ids; /* checked Enti */
  size_t n_ente;
} user_form;

typedef struct {
  ente *entes;
  size_t ne;
  office *offices;
  size_t no;
  region *regions;
  size_t nr;
} choices;

static err_code load_choices(request *rq, choices *c) {
  err_code e = ente_list(rq->db, rq->a, &c->entes, &c->ne);
  if (e == ERR_OK) e = office_list(rq->db, rq->a, &c->offices, &c->no);
  if (e == ERR_OK) e = region_list(rq->db, rq->a, &c->regions, &c->nr);
  return e;
}

static int is_office_role(role r) { return r == ROLE_OFFICE_MANAGER || r == ROLE_OPERATOR; }

static const char *id_str(arena *a, int64_t id) { return id ? arena_printf(a, "%lld", (long long)id) : ""; }

static err_code render(request *rq, response *rs, const user_form *v, const problems *pbs) {
  choices c;
  err_code e = load_choices(rq, &c);
  if (e != ERR_OK) return e;
  page_info p;
  e = web_page_info(rq, "Nuovo utente", "admin", &p);
  if (e != ERR_OK) return e;
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)}, {"Nuovo utente", NULL});
  html h = web_begin(rq, rs, &p);
  if (pbs) form_error_summary(&h, pbs->items, pbs->n);
  form_begin(&h, url_admin_user_new(rq->a), rq->csrf);

  html_elem(&h, "h2", "Identità", HA("class", "h5"));
  form_field fu = {.name = "username",
                   .label = "Nome utente",
                   .value = v->username,
                   .required = 1,
                   .maxlength = 64,
                   .autocomplete = "off",
                   .error = admin_error_for(pbs, "username"),
                   .hint =
                       "Da 3 a 64 caratteri tra lettere minuscole, cifre, punti, trattini e "
                       "trattini bassi (es. mario.rossi)."};
  form_input(&h, &fu);
  form_field fn = {.name = "full_name",
                   .label = "Nome e cognome",
                   .value = v->full_name,
                   .required = 1,
                   .maxlength = 200,
                   .error = admin_error_for(pbs, "full_name")};
  form_input(&h, &fn);
  form_field fe = {.name = "email",
                   .label = "E-mail",
                   .value = v->email,
                   .type = "email",
                   .maxlength = 254,
                   .error = admin_error_for(pbs, "email")};
  form_input(&h, &fe);

  html_elem(&h, "h2", "Ruolo e assegnazione", HA("class", "h5"));
  form_option roles[ROLE__COUNT];
  roles[0] = (form_option){"", "Scegli un ruolo"};
  for (int r = 1; r < ROLE__COUNT; r++) roles[r] = (form_option){role_slug(r), role_label_it(r)};
  form_field fr = {.name = "role",
                   .label = "Ruolo",
                   .value = v->role,
                   .required = 1,
                   .error = admin_error_for(pbs, "role")};
  form_select(&h, &fr, roles, ROLE__COUNT);

  form_option *offs = ARENA_ARRAY(rq->a, form_option, c.no + 1);
  offs[0] = (form_option){"", "Nessun ufficio"};
  for (size_t i = 0; i < c.no; i++)
    offs[i + 1] = (form_option){id_str(rq->a, c.offices[i].id),
                                arena_printf(rq->a, "%s - %s", c.offices[i].code, c.offices[i].name)};
  form_field fo = {.name = "office_id",
                   .label = "Ufficio",
                   .value = id_str(rq->a, v->office_id),
                   .error = admin_error_for(pbs, "office_id"),
                   .hint = "Per il responsabile di ufficio e l'operatore di sportello."};
  form_select(&h, &fo, offs, c.no + 1);

  form_option *regs = ARENA_ARRAY(rq->a, form_option, c.nr + 1);
  regs[0] = (form_option){"", "Nessuna regione"};
  for (size_t i = 0; i < c.nr; i++)
    regs[i + 1] = (form_option){id_str(rq->a, c.regions[i].id), c.regions[i].name};
  form_field fg = {.name = "region_id",
                   .label = "Regione",
                   .value = id_str(rq->a, v->region_id),
                   .error = admin_error_for(pbs, "region_id"),
                   .hint = "Per il supervisore regionale (obbligatoria)."};
  form_select(&h, &fg, regs, c.nr + 1);
  admin_ente_boxes(rq, &h, c.entes, c.ne, v->ente_ids, v->n_ente, "Enti abilitati",
                   "Gli Enti di cui l'utente vede i dati. L'amministratore li vede comunque tutti.",
                   pbs);

  html_elem(&h, "h2", "Password iniziale", HA("class", "h5"));
  form_field fp = {.name = "password",
                   .label = "Password",
                   .type = "password",
                   .required = 1,
                   .autocomplete = "new-password",
                   .error = admin_error_for(pbs, "password"),
                   .hint = "Almeno 10 caratteri. Comunicala all'utente in modo riservato."};
  form_input(&h, &fp);
  form_field fc = {.name = "password_confirm",
                   .label = "Ripeti la password",
                   .type = "password",
                   .required = 1,
                   .autocomplete = "new-password",
                   .error = admin_error_for(pbs, "password_confirm")};
  form_input(&h, &fc);
  form_submit(&h, "Crea utente");
  form_end(&h);
  page_end(&h, &p);
  return ERR_OK;
}

err_code page_admin_user_new(request *rq, response *rs) {
  user_form v = {0};
  return render(rq, rs, &v, NULL);
}

/* The office's region: office staff belong to the region of their office. */
static int64_t office_region(const choices *c, int64_t office_id) {
  for (size_t i = 0; i < c->no; i++)
    if (c->offices[i].id == office_id) return c->offices[i].region_id;
  return 0;
}

err_code page_admin_user_create(request *rq, response *rs) {
  choices c;
  err_code e = load_choices(rq, &c);
  if (e != ERR_OK) return e;
  user_form v = {admin_field(rq, "username"),
                 admin_field(rq, "full_name"),
                 admin_field(rq, "email"),
                 admin_field(rq, "role"),
                 admin_field_id(rq, "office_id"),
                 admin_field_id(rq, "region_id"),
                 NULL,
                 0};
  int64_t *ids = ARENA_ARRAY(rq->a, int64_t, c.ne ? c.ne : 1);
  v.n_ente = admin_posted_entes(rq, c.entes, c.ne, ids);
  v.ente_ids = ids;

  /* Only the assignment the role uses is stored. */
  user u = {0};
  u.username = (char *)v.username;
  u.full_name = (char *)v.full_name;
  u.email = (char *)v.email;
  u.role = role_parse(v.role);
  if (is_office_role(u.role)) {
    u.office_id = v.office_id;
    u.region_id = office_region(&c, v.office_id);
  } else if (u.role == ROLE_SUPERVISOR_REGIONAL) {
    u.region_id = v.region_id;
  }

  problems pbs = {0};
  const char *pw = rq_form(rq, "password"), *pw2 = rq_form(rq, "password_confirm");
  if (!pw) pw = "";
  int64_t id = 0;
  if (!pw2 || strcmp(pw, pw2) != 0) { /* the other fields are checked all the same */
    e = user_validate(rq->db, rq->a, &u, pw, v.ente_ids, v.n_ente, &pbs);
    admin_problem(rq, &pbs, ERR_INVALID, "password_confirm",
                  "Le due password non coincidono: scrivila di nuovo in entrambi i campi.");
    if (e == ERR_OK || err_http_status(e) == 409) e = ERR_INVALID;
  } else {
    e = user_create(rq->db, rq->a, &u, pw, v.ente_ids, v.n_ente, &rq->who, &id, &pbs);
  }
  if (err_is_form_problem(e)) {
    rs->status = admin_form_status(e);
    return render(rq, rs, &v, &pbs);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_user_saved(rq->a, id, "creato"));
}

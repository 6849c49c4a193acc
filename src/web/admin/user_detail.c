/* One back-office user: who they are, their role and assignment, and three
 * forms: the Enti they are enabled on (one checkbox each), enable/disable
 * the account and set a new password (typed twice, never shown again). An administrator cannot
 * disable their own account, so an installation cannot lock its last
 * administrator out by mistake from this page. */
#include <string.h>
#include "web/admin/admin_form.h"

static const char SELF_DISABLE[] =
    "Non puoi disattivare il tuo account: chiedi a un altro amministratore di farlo.";

static void row(html *h, const char *label, const char *value) { dl_row(h, label, value, "-"); }

/* Notices for ?salvato=: the query value itself is never shown. */
static const saved_notice notices[] = {
    {"creato", "Utente creato."},
    {"attivato", "L'utente è di nuovo attivo e può accedere."},
    {"disattivato", "Utente disattivato: non può più accedere."},
    {"password", "Nuova password impostata."},
    {"enti", "Enti abilitati aggiornati."},
};

static const char *office_label(arena *a, const office *v, size_t n, int64_t id) {
  for (size_t i = 0; id && i < n; i++)
    if (v[i].id == id) return arena_printf(a, "%s - %s", v[i].code, v[i].name);
  return NULL;
}

static const char *region_label(const region *v, size_t n, int64_t id) {
  for (size_t i = 0; id && i < n; i++)
    if (v[i].id == id) return v[i].name;
  return NULL;
}

/* The Enti form: which boxes are checked (the stored set, or what was
 * posted when it comes back with an error) and the problems for it. */
typedef struct {
  const int64_t *ids;
  size_t n;
  const problems *pbs;
} entes_form;

/* The stored Enti (es) as links, then every Ente as a checkbox named
 * ente_<id> as on the new-user form; the fieldset carries the "ente_ids"
 * error. An administrator sees every Ente anyway: nothing to choose. */
static void entes_section(request *rq, html *h, const user *u, const ente *es, size_t ne,
                          const ente *all, size_t na, const entes_form *f) {
  html_elem(h, "h2", "Enti abilitati", HA("class", "h4"));
  if (u->role == ROLE_ADMIN) {
    html_elem(h, "p", "L'amministratore vede tutti gli Enti.");
    return;
  }
  if (f->pbs) form_error_summary(h, f->pbs->items, f->pbs->n);
  if (ne == 0) html_elem(h, "p", "Nessun Ente abilitato.");
  if (ne) html_open(h, "ul");
  for (size_t i = 0; i < ne; i++) {
    html_open(h, "li");
    html_elem(h, "a", es[i].name, HA("href", url_office(rq->a, es[i].slug)));
    html_close(h, "li");
  }
  if (ne) html_close(h, "ul");
  if (na == 0) {
    html_elem(h, "p", "Nessun Ente configurato.");
    return;
  }
  form_begin(h, url_admin_user_entes(rq->a, u->id), rq->csrf);
  admin_ente_boxes(rq, h, all, na, f->ids, f->n, "Enti su cui l'utente è abilitato",
                   "Gli Enti di cui l'utente vede i dati.", f->pbs);
  form_submit(h, "Salva gli Enti");
  form_end(h);
}

static void status_section(request *rq, html *h, const user *u, const char *status_error) {
  html_elem(h, "h2", "Stato dell'account", HA("class", "h4"));
  if (status_error)
    html_elem(h, "div", status_error, HA("class", "alert alert-danger"), HA("role", "alert"),
              HA("id", "errore-stato"));
  html_elem(h, "p",
            u->active ? "L'utente è attivo e può accedere." : "L'utente è disattivato: non può accedere.");
  if (u->active && u->id == rq->user->id) {
    html_elem(h, "p", "Questo è il tuo account: non puoi disattivarlo.", HA("class", "text-secondary"));
    return;
  }
  form_begin(h, url_admin_user_status(rq->a, u->id), rq->csrf);
  html_void(h, "input", HA("type", "hidden"), HA("name", "active"), HA("value", u->active ? "0" : "1"));
  html_open(h, "button", HA("type", "submit"),
            HA("class", u->active ? "btn btn-outline-danger" : "btn btn-primary"));
  html_text(h, u->active ? "Disattiva l'utente" : "Riattiva l'utente");
  html_close(h, "button");
  form_end(h);
}

static void password_section(request *rq, html *h, const user *u, const problems *pbs) {
  html_elem(h, "h2", "Nuova password", HA("class", "h4"));
  if (pbs) form_error_summary(h, pbs->items, pbs->n);
  form_begin(h, url_admin_user_password(rq->a, u->id), rq->csrf);
  form_field fp = {.name = "password",
                   .label = "Nuova password",
                   .type = "password",
                   .required = 1,
                   .autocomplete = "new-password",
                   .error = admin_error_for(pbs, "password"),
                   .hint = "Almeno 10 caratteri."};
  form_input(h, &fp);
  form_field fc = {.name = "password_confirm",
                   .label = "Ripeti la nuova password",
                   .type = "password",
                   .required = 1,
                   .autocomplete = "new-password",
                   .error = admin_error_for(pbs, "password_confirm")};
  form_input(h, &fc);
  form_submit(h, "Imposta la password");
  form_end(h);
}

/* ef NULL: the stored Enti, no problems. */
static err_code render(request *rq, response *rs, const user *u, const problems *pbs,
                       const char *status_error, const entes_form *ef) {
  ente *es, *all;
  office *offices;
  region *regions;
  size_t ne, na, no, nr;
  err_code e = user_entes(rq->db, rq->a, u, &es, &ne);
  if (e == ERR_OK) e = ente_list(rq->db, rq->a, &all, &na);
  if (e == ERR_OK) e = office_list(rq->db, rq->a, &offices, &no);
  if (e == ERR_OK) e = region_list(rq->db, rq->a, &regions, &nr);
  page_info p;
  if (e == ERR_OK) e = web_page_info(rq, arena_printf(rq->a, "Utente %s", u->username), "admin", &p);
  if (e != ERR_OK) return e;
  entes_form stored = {NULL, 0, NULL};
  if (!ef) {
    int64_t *ids = ARENA_ARRAY(rq->a, int64_t, ne ? ne : 1);
    for (size_t i = 0; i < ne; i++) ids[i] = es[i].id;
    stored.ids = ids;
    stored.n = ne;
    ef = &stored;
  }
  if (!pbs && !status_error && !ef->pbs)
    p.notice = saved_notice_for(notices, sizeof notices / sizeof notices[0], rq_query(rq, "salvato"));
  WEB_TRAIL(rq, &p, {"Amministrazione", url_admin(rq->a)}, {p.title, NULL});
  html h = web_begin(rq, rs, &p);
  html_open(&h, "p");
  html_elem(&h, "a", "Torna all'amministrazione", HA("href", url_admin(rq->a)));
  html_close(&h, "p");
  html_elem(&h, "h2", "Dati dell'utente", HA("class", "h4"));
  dl_begin(&h);
  row(&h, "Nome utente", u->username);
  row(&h, "Nome e cognome", u->full_name);
  row(&h, "E-mail", u->email);
  row(&h, "Ruolo", role_label_it(u->role));
  row(&h, "Ufficio", office_label(rq->a, offices, no, u->office_id));
  row(&h, "Regione", region_label(regions, nr, u->region_id));
  row(&h, "Stato", u->active ? "Attivo" : "Disattivato");
  dl_end(&h);
  entes_section(rq, &h, u, es, ne, all, na, ef);
  status_section(rq, &h, u, status_error);
  password_section(rq, &h, u, pbs);
  page_end(&h, &p);
  return ERR_OK;
}

/* The user named by the path, or ERR_NOT_FOUND. */
static err_code load(request *rq, user *u) {
  int64_t id = rq_param_id(rq, 0);
  if (!id) return ERR_NOT_FOUND;
  return user_get(rq->db, rq->a, id, u);
}

err_code page_admin_user(request *rq, response *rs) {
  user u;
  err_code e = load(rq, &u);
  if (e != ERR_OK) return e;
  return render(rq, rs, &u, NULL, NULL, NULL);
}

err_code page_admin_user_status(request *rq, response *rs) {
  user u;
  err_code e = load(rq, &u);
  if (e != ERR_OK) return e;
  const char *v = rq_form(rq, "active");
  if (!v || (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)) return ERR_BAD_REQUEST;
  int active = v[0] == '1';
  if (!active && u.id == rq->user->id) {
    rs->status = 422;
    return render(rq, rs, &u, NULL, SELF_DISABLE, NULL);
  }
  e = user_set_active(rq->db, u.id, active, &rq->who);
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_user_saved(rq->a, u.id, active ? "attivato" : "disattivato"));
}

err_code page_admin_user_password(request *rq, response *rs) {
  user u;
  err_code e = load(rq, &u);
  if (e != ERR_OK) return e;
  problems pbs = {0};
  const char *pw = rq_form(rq, "password"), *pw2 = rq_form(rq, "password_confirm");
  if (!pw) pw = "";
  if (!pw2 || strcmp(pw, pw2) != 0) { /* and the password's own problem, if any */
    user_password_check(rq->a, pw, &pbs);
    admin_problem(rq, &pbs, ERR_INVALID, "password_confirm",
                  "Le due password non coincidono: scrivila di nuovo in entrambi i campi.");
    e = ERR_INVALID;
  } else {
    e = user_set_password(rq->db, rq->a, u.id, pw, &rq->who, &pbs);
  }
  if (e == ERR_INVALID) {
    rs->status = 422;
    return render(rq, rs, &u, &pbs, NULL, NULL);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_user_saved(rq->a, u.id, "password"));
}

/* The checked ente_<id> boxes replace the user's Enti; a refusal (Ente
 * staff left without any) comes back 422 with the boxes as posted. */
err_code page_admin_user_entes(request *rq, response *rs) {
  user u;
  err_code e = load(rq, &u);
  if (e != ERR_OK) return e;
  ente *all;
  size_t na;
  e = ente_list(rq->db, rq->a, &all, &na);
  if (e != ERR_OK) return e;
  int64_t *ids = ARENA_ARRAY(rq->a, int64_t, na ? na : 1);
  size_t n = admin_posted_entes(rq, all, na, ids);
  problems pbs = {0};
  e = user_set_entes(rq->db, rq->a, u.id, ids, n, &rq->who, &pbs);
  if (e == ERR_INVALID) {
    rs->status = 422;
    entes_form ef = {ids, n, &pbs};
    return render(rq, rs, &u, NULL, NULL, &ef);
  }
  if (e != ERR_OK) return e;
  return rs_redirect(rs, url_admin_user_saved(rq->a, u.id, "enti"));
}

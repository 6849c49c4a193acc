#include "web/web.h"

err_code web_page_info(request *rq, const char *title, const char *section, page_info *p) {
  *p = (page_info){0};
  p->title = title;
  p->section = section;
  p->csrf = rq->csrf;
  if (rq->ente) {
    p->ente_slug = rq->ente->slug;
    p->ente_name = rq->ente->name;
  }
  if (!rq->user) return ERR_OK;
  p->user_name = rq->user->full_name;
  p->role_label = role_label_it(rq->user->role);
  p->is_admin = rq->user->role == ROLE_ADMIN;
  ente *list;
  size_t n;
  err_code e = rq_user_entes(rq, &list, &n);
  if (e != ERR_OK) return e;
  page_ente *pe = ARENA_ARRAY(rq->a, page_ente, n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    pe[i].slug = list[i].slug;
    pe[i].name = list[i].name;
  }
  p->entes = pe;
  p->n_entes = n;
  return ERR_OK;
}

void web_trail(request *rq, page_info *p, const crumb *items, size_t n) {
  crumb *c = ARENA_ARRAY(rq->a, crumb, n + 1);
  c[0] = (crumb){"Home", url_home(rq->a)};
  for (size_t i = 0; i < n; i++) c[i + 1] = items[i];
  p->crumbs = c;
  p->n_crumbs = n + 1;
}

void web_office_trail(request *rq, page_info *p, const crumb *items, size_t n) {
  crumb *c = ARENA_ARRAY(rq->a, crumb, n + 1);
  c[0] = (crumb){rq->ente->name, url_office(rq->a, rq->ente->slug)};
  for (size_t i = 0; i < n; i++) c[i + 1] = items[i];
  web_trail(rq, p, c, n + 1);
}

html web_begin(request *rq, response *rs, const page_info *p) {
  html h = {.sb = &rs->body, .a = rq->a};
  rs->content_type = "text/html; charset=utf-8";
  page_begin(&h, p);
  return h;
}

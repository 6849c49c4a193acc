/* The link of a cessation's photographs (/enti/{ente}/occupazioni/foto/{token}):
 * the taxpayer uploads the photos of the restored site without signing in.
 * The token is the only key (128 bits, only its SHA-256 stored); a wrong
 * one is a plain 404, an expired one says so. Uploads are rate-limited per
 * client like the portal's lookups; the form carries the anonymous CSRF
 * token; the photos arrive on the case as the taxpayer's message. */
#include <string.h>

#include "web/occupation_photos_ui.h"
#include "web/portal/portal_web.h"

static const char *token_of(request *rq) { return rq->params[1]; }

static void render(request *rq, response *rs, const occ_photo_link *l, const case_rec *c, const occupation *o,
                   int expired, const problems *pbs, int status) {
  portal_page p;
  if (portal_page_for(rq, "Fotografie del ripristino dei luoghi", "servizi", &p) != ERR_OK) return;
  PORTAL_TRAIL(rq, &p, {"Fotografie del ripristino dei luoghi", NULL});
  if (rq_query(rq, "esito") && strcmp(rq_query(rq, "esito"), "caricate") == 0)
    p.notice = "Fotografie ricevute: sono state aggiunte alla pratica. Grazie.";
  if (status) rs->status = status;
  html h = portal_html(rq, rs, &p);
  arena *a = rq->a;
  dl_begin(&h);
  dl_row(&h, "Pratica", c->label, NULL);
  dl_row(&h, "Occupazione", o->place, NULL);
  if (o->ceased_on) dl_row(&h, "Cessata dal", date_it(a, o->ceased_on), NULL);
  dl_row(&h, "Fotografie già caricate", arena_printf(a, "%lld", (long long)l->photos), NULL);
  dl_end(&h);
  if (expired) {
    portal_alert(&h, "warning", "Collegamento non più valido",
                 "Il collegamento è scaduto o la pratica è già conclusa. Puoi rispondere alla mail ricevuta "
                 "allegando le fotografie.");
  } else if (l->photos >= OCC_PHOTO_MAX) {
    portal_alert(&h, "info", "Fotografie complete", "Hai già caricato tutte le fotografie consentite.");
  } else {
    html_elem(
        &h, "p",
        arena_printf(a,
                     "Carica le fotografie che mostrano il ripristino dello stato dei luoghi: JPEG o PNG, "
                     "al massimo 4 MB ciascuna, ancora %lld in tutto.",
                     (long long)(OCC_PHOTO_MAX - l->photos)));
    form_begin_multipart_errors(&h, portal_url(rq, arena_printf(a, "/occupazioni/foto/%s", token_of(rq))),
                                rq->csrf, pbs ? pbs->items : NULL, pbs ? pbs->n : 0);
    occ_photo_input(&h, "foto", "Fotografie", "Puoi sceglierne più di una.");
    form_submit(&h, "Invia le fotografie");
    form_end(&h);
  }
  portal_end(&h, &p);
}

err_code page_portal_occupation_photos(request *rq, response *rs) {
  occ_photo_link l;
  case_rec c;
  occupation o;
  int expired = 0;
  err_code rc = occupation_photo_link_get(rq->db, rq->a, rq->ente->id, token_of(rq), &l, &c, &o, &expired);
  if (rc != ERR_OK) return rc;
  render(rq, rs, &l, &c, &o, expired, NULL, expired ? 410 : 0);
  return ERR_OK;
}

err_code page_portal_occupation_photos_post(request *rq, response *rs) {
  if (!portal_lookup_allowed(rq, rs)) return ERR_RATE_LIMITED;
  occ_photo_link l;
  case_rec c;
  occupation o;
  int expired = 0;
  err_code rc = occupation_photo_link_get(rq->db, rq->a, rq->ente->id, token_of(rq), &l, &c, &o, &expired);
  if (rc != ERR_OK) return rc;
  problems pbs = {0};
  occ_photo *ph;
  size_t n;
  occ_photos_of_request(rq, "foto", &ph, &n, &pbs);
  if (!pbs.n) rc = occupation_photos_upload(rq->db, rq->a, rq->ente->id, token_of(rq), ph, n, &pbs);
  if (pbs.n || rc == ERR_INVALID) {
    if (occupation_photo_link_get(rq->db, rq->a, rq->ente->id, token_of(rq), &l, &c, &o, &expired) != ERR_OK)
      return ERR_NOT_FOUND;
    render(rq, rs, &l, &c, &o, expired, &pbs, 422);
    return ERR_OK;
  }
  if (rc != ERR_OK) return rc;
  return rs_redirect(
      rs, portal_url(rq, arena_printf(rq->a, "/occupazioni/foto/%s?esito=caricate", token_of(rq))));
}

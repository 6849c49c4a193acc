/* A citizen's occupations on the portal: the list, and what they ask
 * online about one of their declarations (seed 000: "variazione ... dal
 * contribuente, via mail o online"; a cessation too). Each request goes
 * the office's way in (occupation_change_open) on the web channel: its
 * protocolled case and the change in one transaction; a change of nature
 * or surface then waits for the Ente, a cessation gets its inspection
 * deadline. */
#include <string.h>

#include "domain/canone/canone.h"
#include "domain/canone/canone_store.h"

err_code occupation_of_taxpayer(db *d, arena *a, int64_t ente_id, int64_t taxpayer_id, occupation **out,
                                size_t *n) {
  return cs_occ_of_taxpayer(d, a, ente_id, taxpayer_id, out, n);
}

int occupation_change_pending(const occupation *o) {
  if (!o->parent_id) return 0;
  if (!strcmp(o->kind, "variation")) return o->ente_decision && !strcmp(o->ente_decision, "pending");
  if (!strcmp(o->kind, "cessation")) return !o->inspection_on;
  return 0;
}

/* The declaration parent_id of the taxpayer that may still change: kind
 * new, notice issued, not ceased, no change open on it. */
static err_code own_parent(db *d, arena *a, const occupation_citizen_req *r, occupation *p, problems *pbs) {
  occupation *xs;
  size_t n;
  err_code rc = cs_occ_of_taxpayer(d, a, r->ente_id, r->taxpayer_id, &xs, &n);
  if (rc != ERR_OK) return rc;
  const occupation *found = NULL;
  for (size_t i = 0; i < n; i++)
    if (xs[i].id == r->parent_id && !strcmp(xs[i].kind, "new")) found = &xs[i];
  if (!found) return ERR_NOT_FOUND; /* another's or none: the same answer */
  *p = *found;
  const char *why = !p->act_id     ? "L'occupazione non ha ancora un avviso: attendi che l'ufficio la lavori."
                    : p->ceased_on ? "L'occupazione è già cessata."
                                   : NULL;
  for (size_t i = 0; !why && i < n; i++)
    if (xs[i].parent_id == p->id && occupation_change_pending(&xs[i]))
      why = "C'è già una richiesta in corso per questa occupazione.";
  if (why) {
    problems_add(a, pbs, ERR_CASE_STATE, "parent", why);
    return ERR_CASE_STATE;
  }
  return ERR_OK;
}

/* Which variation the new data are: "surface" when only the surface
 * changes, "nature" when anything else does; NULL when nothing does. */
static const char *variation_of(const occupation *p, const canone_request *q) {
  char s[11], e[11] = "";
  date_format_iso(q->start, s);
  if (!q->permanent) date_format_iso(q->end, e);
  int same_nature = !strcmp(p->zone, q->zone) && !strcmp(p->use_code, q->use) && p->permanent == q->permanent &&
                    !strcmp(p->start_date, s) &&
                    (q->permanent ? !p->end_date : p->end_date && !strcmp(p->end_date, e));
  if (!same_nature) return "nature";
  return p->surface_hundredths != q->surface_hundredths ? "surface" : NULL;
}

typedef struct {
  arena *a;
  const actor *who;
  const occupation_citizen_req *r;
  const canone_request *q; /* NULL: a cessation */
  const occupation_input *in;
  const char *ceased_on;
  case_rec *c;
  occupation *out;
  problems *pbs;
} citizen_tx;

/* The checks only the holder's own request needs, then the office's way
 * in (occupation_change_open) on the web channel. */
static err_code citizen_fn(db *d, void *ctx) {
  citizen_tx *t = ctx;
  arena *a = t->a;
  const occupation_citizen_req *r = t->r;
  occupation p;
  err_code rc = own_parent(d, a, r, &p, t->pbs);
  if (rc != ERR_OK) return rc;
  const char *what = t->q ? variation_of(&p, t->q) : "cessation";
  if (!what) {
    problems_add(a, t->pbs, ERR_INVALID, "surface_m2", "I dati indicati sono uguali a quelli dell'occupazione.");
    return ERR_INVALID;
  }
  if (!t->q && strcmp(t->ceased_on, p.start_date) < 0) {
    problems_add(a, t->pbs, ERR_INVALID, "ceased_on", "La cessazione non può precedere l'inizio dell'occupazione.");
    return ERR_INVALID;
  }
  occupation_change_input ci = {.what = what, .channel = "web", .note = r->note, .ceased_on = t->ceased_on,
                                .in = t->in};
  return occupation_change_open(d, a, t->who, r->ente_id, p.case_id, &ci, t->c, t->out, t->pbs);
}

err_code occupation_citizen_variation(db *d, arena *a, const actor *who, const occupation_citizen_req *r,
                                      const occupation_input *in, case_rec *c, occupation *out, problems *pbs) {
  canone_request q = {0};
  if (canone_request_parse(a, in->zone, in->use, in->kind, in->surface_m2, in->start, in->end, &q, pbs) != ERR_OK)
    return ERR_INVALID;
  citizen_tx t = {a, who, r, &q, in, NULL, c, out, pbs};
  return db_tx_locking(d, citizen_fn, &t);
}

err_code occupation_citizen_cessation(db *d, arena *a, const actor *who, const occupation_citizen_req *r,
                                      const char *ceased_on, case_rec *c, occupation *out, problems *pbs) {
  civil_date day;
  if (!ceased_on || date_parse_iso(ceased_on, &day) != 0) {
    problems_add(a, pbs, ERR_INVALID, "ceased_on", "Indica la data di cessazione (AAAA-MM-GG).");
    return ERR_INVALID;
  }
  citizen_tx t = {a, who, r, NULL, NULL, ceased_on, c, out, pbs};
  return db_tx_locking(d, citizen_fn, &t);
}

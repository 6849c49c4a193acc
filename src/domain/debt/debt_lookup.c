/* Finding acts (by NAV, IUV, fiscal code, act number, year, revenue) and
 * answering what a notice is worth today, for the SANP verify/activate
 * calls and the portal. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "core/text.h"
#include "core/validate.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"
#include "domain/pagopa/nav.h"

err_code debt_find(db *d, arena *a, int64_t ente_id, const debt_query *q0, debt_act **out, size_t *n) {
  debt_query q = *q0;
  *out = NULL;
  *n = 0;
  if (q.limit <= 0 || q.limit > 500) q.limit = 50;
  if (q.offset < 0) q.offset = 0;
  char nav[19];
  if (q.nav) {
    if (nav_parse(q.nav, nav)) return ERR_OK; /* not a NAV: nothing matches */
    q.nav = arena_strdup(a, nav);
  }
  if (q.iuv && !text_all_of(q.iuv, 17, isdigit) && !text_all_of(q.iuv, 15, isdigit)) return ERR_OK;
  if (q.fiscal_code) {
    char *cf = arena_strdup(a, q.fiscal_code);
    normalize_code(cf);
    q.fiscal_code = cf;
  }
  if (q.number && strlen(q.number) > 35) return ERR_OK;
  return ds_find(d, a, ente_id, &q, out, n);
}

err_code debt_notice_lookup(db *d, arena *a, int64_t ente_id, const char *key, const char *today,
                            debt_notice *out) {
  memset(out, 0, sizeof *out);
  char nav[19];
  const char *iuv = NULL, *navp = NULL;
  if (key && text_all_of(key, 17, isdigit))
    iuv = key;
  else if (key && !nav_parse(key, nav))
    navp = nav;
  else
    return ERR_NOTICE_UNKNOWN;
  int64_t option_id = 0, act_id = 0;
  err_code rc = ds_option_find(d, ente_id, iuv, navp, &option_id, &act_id);
  if (rc == ERR_NOT_FOUND) return ERR_NOTICE_UNKNOWN;
  if (rc != ERR_OK) return rc;
  /* the act and its options, the transfers of this option only, no lines:
   * this runs on every paVerifyPaymentNotice, 4 statements instead of 5 +
   * one per option */
  if ((rc = ds_act_get(d, a, ente_id, act_id, &out->act)) != ERR_OK) return rc;
  if ((rc = ds_act_options(d, a, ente_id, act_id, &out->act.options, &out->act.n_options)) != ERR_OK)
    return rc;
  debt_option *o = NULL;
  for (size_t i = 0; i < out->act.n_options; i++)
    if (out->act.options[i].id == option_id) o = &out->act.options[i];
  if (!o) return ERR_NOTICE_UNKNOWN;
  if ((rc = ds_option_transfers(d, a, ente_id, o->id, &o->transfers, &o->n_transfers)) != ERR_OK) return rc;
  out->option = o;
  const debt_act *x = &out->act;
  int64_t left = o->amount_cents - o->paid_cents;
  if (x->residual_cents < left) left = x->residual_cents;
  out->due_today = left > 0 ? left : 0;
  const char *s = o->state;
  if (!strcmp(s, "paid") || (!strcmp(s, "superseded") && x->residual_cents <= 0) || !strcmp(x->state, "paid"))
    return ERR_NOTICE_PAID;
  if (!strcmp(s, "cancelled") || !strcmp(s, "replaced") || !strcmp(s, "superseded"))
    return ERR_NOTICE_CANCELLED;
  if (!strcmp(x->state, "coattivo") || (o->valid_until && today && strcmp(today, o->valid_until) > 0))
    return ERR_NOTICE_EXPIRED;
  if (out->due_today <= 0) return ERR_NOTICE_PAID;
  return ERR_OK;
}

/* The payment notice of a debt position (notice_act.h). */
#include "render/pdf/notice_act.h"

#include <string.h>

static int current_generation(const debt_act *x) {
  int g = 0;
  for (size_t i = 0; i < x->n_options; i++)
    if (x->options[i].generation > g) g = x->options[i].generation;
  return g;
}

static int payable(const debt_option *o) {
  return (!strcmp(o->state, "open") || !strcmp(o->state, "partly_paid")) && o->amount_cents > o->paid_cents;
}

static notice_payment payment(const debt_option *o) {
  notice_payment p = {o->nav, o->amount_cents - o->paid_cents, {0, 0, 0}};
  if (o->due_date && date_parse_iso(o->due_date, &p.due) != 0) p.due = (civil_date){0, 0, 0};
  return p;
}

err_code notice_for_act(arena *a, const ente *e, const char *cbill, const debt_postal *postal,
                        const debt_act *x, int64_t option_id, notice_data *n) {
  memset(n, 0, sizeof *n);
  n->ente_name = e->name;
  n->ente_cf = e->fiscal_code;
  n->ente_info = e->mail_info;
  n->cbill = cbill && *cbill ? cbill : NULL;
  if (postal && postal->account && postal->auth) {
    n->postal_account = postal->account;
    n->postal_auth = postal->auth;
  }
  n->debtor_name = x->taxpayer_name && *x->taxpayer_name ? x->taxpayer_name : x->taxpayer_cf;
  n->debtor_cf = x->taxpayer_cf;
  n->subject = x->description;
  int gen = current_generation(x);
  const debt_option *only = NULL;
  if (option_id) {
    for (size_t i = 0; i < x->n_options; i++)
      if (x->options[i].id == option_id && x->options[i].generation == gen) only = &x->options[i];
    if (!only) return ERR_NOT_FOUND;
    if (!payable(only)) return ERR_NOTICE_PAID;
  }
  if (only && only->installment > 0) { /* one installment alone */
    size_t total = 0;
    for (size_t i = 0; i < x->n_options; i++)
      total += x->options[i].generation == gen && x->options[i].installment > 0;
    notice_payment *p = ARENA_NEW(a, notice_payment);
    *p = payment(only);
    n->single = p;
    n->subject = arena_printf(a, "%s - rata %d di %zu", x->description, only->installment, total);
    return ERR_OK;
  }
  notice_payment *inst = ARENA_ARRAY(a, notice_payment, x->n_options + 1);
  notice_payment *single = NULL;
  size_t ni = 0;
  for (size_t i = 0; i < x->n_options; i++) {
    const debt_option *o = &x->options[i];
    if (o->generation != gen || !payable(o)) continue;
    if (o->installment == 0) {
      single = ARENA_NEW(a, notice_payment);
      *single = payment(o);
    } else if (ni < NOTICE_MAX_INSTALLMENTS) {
      inst[ni++] = payment(o);
    }
  }
  if (ni == 1) { /* a lone installment left: printed as a single payment */
    if (!single) single = &inst[0];
    ni = 0;
  }
  if (!single && !ni) return ERR_NOTICE_PAID;
  n->single = single;
  n->installments = ni ? inst : NULL;
  n->n_installments = ni;
  return ERR_OK;
}

err_code notice_act_pdf(db *d, arena *a, notice_renderer *r, const ente *e, const debt_act *x,
                        int64_t option_id, strbuf *out, const char **nav) {
  debt_pagopa pp;
  err_code rc = debt_pagopa_get(d, a, e->id, &pp);
  if (rc != ERR_OK && rc != ERR_NOT_FOUND) return rc;
  const char *cbill = rc == ERR_OK ? pp.cbill : NULL;
  debt_postal postal;
  if ((rc = debt_act_postal(d, a, e->id, x->id, &postal)) != ERR_OK) return rc;
  notice_data n;
  if ((rc = notice_for_act(a, e, cbill, &postal, x, option_id, &n)) != ERR_OK) return rc;
  const char *why = notice_validate(&n);
  if (why) {
    err_cause("notice of act %lld: %s", (long long)x->id, why);
    return ERR_INTERNAL;
  }
  if ((rc = notice_render_buffer(r, &n, out)) != ERR_OK) return rc;
  *nav = n.single ? n.single->nav : n.installments[0].nav;
  return ERR_OK;
}

/* What a signed-in taxpayer sees: their acts in the Ente, the summary by
 * year and revenue, one act (only their own), and the statement at a date
 * with the late interest. A page's reads go in one batch (one round trip
 * on PostgreSQL, one snapshot), whatever the number of acts, and the
 * taxpayer's ledger itself comes from the ledger cache while it has not
 * changed; the rest is arithmetic in memory. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "domain/portal/ledger_cache.h"
#include "domain/portal/portal_store.h"

static int is_coattivo(const debt_act *x) { return strcmp(x->state, "coattivo") == 0; }
static int is_closed(const debt_act *x) {
  return !strcmp(x->state, "cancelled") || !strcmp(x->state, "relieved") || !strcmp(x->state, "refunded");
}

/* The Ente's settings after a batch: the defaults when it has none. */
static void settings_or_default(portal_settings *s, int found, int64_t ente_id) {
  if (!found) *s = (portal_settings){.ente_id = ente_id};
}

/* A taxpayer's ledger as a page uses it: the shared ledger, and this
 * request's copy of its acts with each one's revenue code, and the
 * revenue names beside them. */
typedef struct {
  const ps_ledger *l;
  debt_act *acts;
  const char **names;
} ledger_view;

/* Runs b, the page's other reads, with the taxpayer's ledger key and the
 * Ente's revenue names (one round trip); the ledger (full: with options
 * and movements) then comes from the cache when it holds it at that
 * version, else it is read in a second round trip and kept: the key again
 * first, so the rows are never older than the version they are kept under
 * (newer only means one more read later); a full ledger in one snapshot,
 * so its acts, options and movements agree. */
static err_code ledger_read(db_batch *b, int64_t ente_id, const char *cf, int full, ledger_view *out) {
  static const ps_ledger empty;
  arena *a = b->a;
  ps_ledger_key k;
  int found;
  ps_revenue_name *rv;
  size_t nrv;
  ps_ledger_key_queue(b, ente_id, cf, &k, &found);
  ps_revenue_names_queue(b, ente_id, &rv, &nrv);
  b->snapshot = 0; /* small reads that need not agree: the ledger comes with its own key */
  err_code rc = db_batch_run(b);
  if (rc != ERR_OK) return rc;
  const ps_ledger *l = &empty;
  if (found && !(l = ledger_cache_get(ente_id, k.taxpayer_id, k.version, full, a))) {
    arena *own = arena_new();
    ps_ledger fresh;
    db_batch b2;
    db_batch_init(&b2, b->d, own);
    b2.snapshot = full;
    ps_ledger_key_queue(&b2, ente_id, cf, &k, &found);
    ps_ledger_queue(&b2, ente_id, cf, full, &fresh);
    if ((rc = db_batch_run(&b2)) != ERR_OK || !found) {
      arena_free(own);
      l = &empty;
    } else {
      ps_ledger_done(own, ente_id, &fresh);
      l = ledger_cache_put(ente_id, k.taxpayer_id, k.version, own, &fresh, a);
    }
    if (rc != ERR_OK) return rc;
  }
  out->l = l;
  out->acts = ARENA_ARRAY(a, debt_act, l->na ? l->na : 1);
  out->names = ARENA_ARRAY(a, const char *, l->na ? l->na : 1);
  size_t r = 0; /* acts of one revenue tend to follow each other */
  for (size_t i = 0; i < l->na; i++) {
    debt_act *x = &out->acts[i];
    *x = l->acts[i];
    if (r >= nrv || rv[r].id != x->revenue_id)
      for (r = 0; r < nrv && rv[r].id != x->revenue_id; r++) {
      }
    x->revenue_code = r < nrv ? rv[r].code : "";
    out->names[i] = r < nrv ? rv[r].name : "";
  }
  return ERR_OK;
}

err_code portal_situation_read(db *d, arena *a, int64_t ente_id, const char *cf, const char *viewer_cf,
                               const char *today, portal_situation_view *out) {
  *out = (portal_situation_view){0};
  db_batch b;
  db_batch_init(&b, d, a);
  int found;
  ledger_view lv;
  ps_delegation_clients_queue(&b, ente_id, viewer_cf, today, &out->clients, &out->nc);
  ps_settings_queue(&b, ente_id, &out->settings, &found);
  err_code rc = ledger_read(&b, ente_id, cf, 0, &lv);
  if (rc != ERR_OK) return rc;
  settings_or_default(&out->settings, found, ente_id);
  const ps_ledger l = {.acts = lv.acts, .na = lv.l->na};
  out->acts = l.acts;
  out->na = l.na;
  /* acts come by year desc: rows are (year, revenue) in that order */
  portal_situation_row *rows = ARENA_ARRAY(a, portal_situation_row, l.na ? l.na : 1);
  size_t nr = 0;
  for (size_t i = 0; i < l.na; i++) {
    debt_act *x = &l.acts[i];
    portal_situation_row *r = NULL;
    for (size_t k = 0; k < nr && !r; k++)
      if (rows[k].year == x->year && strcmp(rows[k].revenue_code, x->revenue_code) == 0) r = &rows[k];
    if (!r) {
      r = &rows[nr++];
      *r = (portal_situation_row){x->year, x->revenue_code, lv.names[i], 0, 0, 0, 0};
    }
    r->acts++;
    r->paid_cents += x->paid_cents;
    if (x->residual_cents > 0 && !is_closed(x)) {
      if (is_coattivo(x))
        r->coattivo_cents += x->residual_cents;
      else
        r->to_pay_cents += x->residual_cents;
    }
  }
  out->rows = rows;
  out->nr = nr;
  return ERR_OK;
}

err_code portal_act_of(db *d, arena *a, int64_t ente_id, const char *cf, int64_t act_id, debt_act *out) {
  err_code rc = ps_act_owned(d, ente_id, cf, act_id);
  if (rc != ERR_OK) return rc;
  return debt_act_get(d, a, ente_id, act_id, out);
}

/* ---- statement ---- */

static int cmp_due(const void *x, const void *y) {
  const ps_option_row *a = *(const ps_option_row *const *)x, *b = *(const ps_option_row *const *)y;
  return strcmp(a->o.due_date, b->o.due_date);
}

/* The first of n rows (each size bytes, sorted by the int64_t act id at
 * offset off) whose act id is not below act; the rows of act follow it. */
static size_t act_lower_bound(const void *rows, size_t n, size_t size, size_t off, int64_t act) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int64_t v;
    memcpy(&v, (const char *)rows + mid * size + off, sizeof v);
    if (v < act)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}
#define ACT_RANGE(rows, n, type, act, b, e)                                              \
  do {                                                                                   \
    (b) = act_lower_bound((rows), (n), sizeof(type), offsetof(type, act_id), (act));     \
    (e) = act_lower_bound((rows), (n), sizeof(type), offsetof(type, act_id), (act) + 1); \
  } while (0)

err_code portal_statement_at(db *d, arena *a, int64_t ente_id, const char *cf, const char *date,
                             portal_statement *out) {
  portal_settings ps;
  return portal_statement_read(d, a, ente_id, cf, date, &ps, out);
}

err_code portal_statement_read(db *d, arena *a, int64_t ente_id, const char *cf, const char *date,
                               portal_settings *settings, portal_statement *out) {
  memset(out, 0, sizeof *out);
  civil_date at;
  if (!date || date_parse_iso(date, &at) != 0) return ERR_INVALID;
  snprintf(out->date, sizeof out->date, "%s", date);
  interest_rate *rates;
  size_t nrates;
  int found;
  ledger_view lv;
  db_batch b;
  db_batch_init(&b, d, a);
  ps_settings_queue(&b, ente_id, settings, &found);
  ps_rates_queue(&b, &rates, &nrates);
  err_code rc = ledger_read(&b, ente_id, cf, 1, &lv);
  if (rc != ERR_OK) return rc;
  settings_or_default(settings, found, ente_id);
  int spread_bp = out->spread_bp = settings->spread_bp;
  debt_act *acts = lv.acts;
  size_t na = lv.l->na, no = lv.l->no, nm = lv.l->nm;
  const ps_option_row *opts = lv.l->opts;
  const ps_movement_row *mv = lv.l->mv;
  /* the rates as a running sum: each period in constant time */
  interest_table *rt = ARENA_NEW(a, interest_table);
  interest_table_init(rt, rates, nrates, spread_bp, at.y);
  out->acts = ARENA_ARRAY(a, portal_statement_act, na ? na : 1);
  const ps_option_row **use = ARENA_ARRAY(a, const ps_option_row *, no ? no : 1);
  for (size_t i = 0; i < na; i++) {
    debt_act *x = &acts[i];
    if (strcmp(x->issue_date, date) > 0) continue; /* not yet issued at the date */
    /* options and movements come ordered by act: this act's rows */
    size_t ob, oe, mb, me;
    ACT_RANGE(opts, no, ps_option_row, x->id, ob, oe);
    ACT_RANGE(mv, nm, ps_movement_row, x->id, mb, me);
    /* the residual at the date, from the movements with value date up to
     * it (a date that does not parse counts as after it) */
    int64_t debt = 0, paid = 0;
    for (size_t k = mb; k < me; k++) {
      const ps_movement_row *m = &mv[k];
      if (m->sign == PS_MV_CHARGE) {
        debt += m->amount;
        continue;
      }
      if (!m->value_ok || date_cmp(m->value, at) > 0) continue;
      if (m->sign == PS_MV_LESS_DEBT)
        debt -= m->amount;
      else if (m->sign == PS_MV_PAID)
        paid += m->amount;
      else if (m->sign == PS_MV_LESS_PAID)
        paid -= m->amount;
    }
    int64_t residual = debt - paid;
    if (residual <= 0) continue;
    /* the options that make up what is due now: the current generation's
     * installments when there is a plan, else its single payment */
    int gen = 0, has_plan = 0;
    for (size_t k = ob; k < oe; k++)
      if (opts[k].o.generation > gen) gen = opts[k].o.generation;
    for (size_t k = ob; k < oe; k++)
      if (opts[k].o.generation == gen && opts[k].o.installment > 0 && !(opts[k].flags & PS_OPT_SUPERSEDED))
        has_plan = 1;
    size_t nu = 0;
    portal_statement_act *s = &out->acts[out->n];
    *s = (portal_statement_act){.act = *x};
    for (size_t k = ob; k < oe; k++) {
      const ps_option_row *o = &opts[k];
      if (o->o.generation != gen || (o->o.installment > 0) != has_plan) continue;
      if (o->flags & PS_OPT_VOID) continue;
      if (has_plan) {
        s->installments++;
        if (o->flags & PS_OPT_PAID) s->installments_paid++;
      }
      use[nu++] = o;
    }
    qsort(use, nu, sizeof *use, cmp_due);
    /* interest on each option's unpaid amount from its due date, the
     * amount going down at each payment (the payment day still accrues);
     * the act's periods summed exactly and rounded once */
    __int128 num = 0;
    for (size_t k = 0; k < nu; k++) {
      const ps_option_row *o = use[k];
      if (!o->due_ok) continue;
      civil_date due = o->due;
      int64_t unpaid = o->o.amount_cents;
      civil_date from = due;
      for (size_t j = mb; j < me && unpaid > 0; j++) {
        const ps_movement_row *m = &mv[j];
        if (m->option_id != o->o.id || m->sign != PS_MV_PAID || !m->value_ok || date_cmp(m->value, at) > 0)
          continue;
        civil_date pd = m->value;
        if (date_cmp(pd, from) > 0) {
          __int128 n;
          if (interest_table_num(rt, unpaid, from, pd, &n) != 0) goto no_rate;
          num += n;
          from = pd;
        }
        unpaid -= m->amount;
      }
      if (unpaid <= 0) continue;
      if (date_cmp(due, at) < 0) s->overdue_cents += unpaid;
      if (date_cmp(from, at) < 0) {
        __int128 n;
        if (interest_table_num(rt, unpaid, from, at, &n) != 0) goto no_rate;
        num += n;
      }
    }
    s->interest_cents = interest_num_round(num);
    s->residual_cents = residual;
    out->total_residual_cents += residual;
    out->total_interest_cents += s->interest_cents;
    out->n++;
  }
  return ERR_OK;
no_rate:
  err_cause("portal_statement_at: no legal interest rate for a year up to %s", date);
  return ERR_INTERNAL;
}

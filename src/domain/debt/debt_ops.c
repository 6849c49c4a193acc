/* Operations on an act: cancel, relieve, events, installment plan,
 * payments from any channel (idempotent), refunds and compensations. Each
 * runs in one transaction: the ledger row or event, the derivation cache
 * and an audit row with the totals before and after. */
#include <string.h>
#include "core/clock.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/debt/debt_internal.h"
#include "domain/debt/debt_store.h"
#include "domain/pagopa/nav.h"

static const char *const CHANNELS[] = {"pagopa", "f24", "counter", "bank_transfer", NULL};

static int closed(const debt_totals *t) {
  return !strcmp(t->state, "cancelled") || !strcmp(t->state, "relieved") || !strcmp(t->state, "refunded");
}

/* Writes the audit row of an operation: totals before and after. */
static err_code audit_op(db *d, arena *a, const actor *who, int64_t ente_id, int64_t act_id,
                         const char *action, const debt_totals *before, json_t *extra) {
  debt_totals after;
  err_code rc = debt_refresh(d, a, ente_id, act_id, &after);
  if (rc != ERR_OK) {
    json_decref(extra);
    return rc;
  }
  json_t *aj = debt_totals_json(&after);
  if (extra) json_object_update_new(aj, extra);
  return audit_write_json(d, who, ente_id, action, "debt_act", act_id,
                          before ? debt_totals_json(before) : NULL, aj);
}

/* ---- cancel, relieve, events ---- */

typedef struct {
  arena *a;
  int64_t ente_id, act_id, amount;
  const char *reason, *kind, *date;
  const actor *who;
  debt_problems *pbs;
  int n;
  const char *first_due;
} op_tx;

/* Every operation starts here: the act's row lock, then its totals and
 * options derived from the ledger as they stand under that lock. */
static err_code lock_act(db *d, const op_tx *o, debt_totals *t, debt_option **opts, size_t *no) {
  err_code rc = ds_act_lock(d, o->ente_id, o->act_id);
  return rc == ERR_OK ? debt_recompute(d, o->a, o->ente_id, o->act_id, t, opts, no) : rc;
}

static err_code cancel_tx(db *d, void *ctx) {
  op_tx *o = ctx;
  debt_totals t;
  debt_option *opts;
  size_t no;
  err_code rc = lock_act(d, o, &t, &opts, &no);
  if (rc != ERR_OK) return rc;
  if (closed(&t) || t.residual <= 0) return ERR_ACT_STATE;
  char today[11];
  debt_today(today);
  debt_movement m = debt_mv(o->who, o->act_id, "cancellation", t.residual, today);
  m.note = (char *)o->reason;
  debt_event e = debt_ev(o->who, o->act_id, "cancelled", today, o->reason);
  if ((rc = ds_movement_insert(d, o->ente_id, &m, NULL)) != ERR_OK ||
      (rc = ds_event_insert(d, o->ente_id, &e, NULL)) != ERR_OK)
    return rc;
  return audit_op(d, o->a, o->who, o->ente_id, o->act_id, "debt.act.cancel", &t,
                  json_pack("{s:s?}", "reason", o->reason));
}

static const char *reason_dup(arena *a, const char *reason) {
  char *r = text_trim_dup(a, reason);
  return r && text_utf8_len(r) <= 500 ? r : NULL;
}

err_code debt_act_cancel(db *d, arena *a, int64_t ente_id, int64_t act_id, const char *reason,
                         const actor *who) {
  op_tx o = {a, ente_id, act_id, 0, reason_dup(a, reason), NULL, NULL, who, NULL, 0, NULL};
  if (!o.reason) return ERR_INVALID;
  return db_tx_locking(d, cancel_tx, &o);
}

/* The open options of the current generation, reissued for the residual:
 * a single payment gets all of it, installments share it in proportion to
 * what each still lacked; same installment numbers and due dates. */
static err_code reissue(db *d, arena *a, int64_t ente_id, int64_t act_id, const debt_totals *t,
                        const debt_option *opts, size_t no) {
  if (t->residual <= 0) return ERR_OK;
  debt_option *nw = ARENA_ARRAY(a, debt_option, no + 1);
  int64_t *w = ARENA_ARRAY(a, int64_t, no + 1);
  size_t nn = 0, ni = 0;
  for (size_t i = 0; i < no; i++) {
    const debt_option *o = &opts[i];
    if (o->generation != t->generation || (strcmp(o->state, "open") && strcmp(o->state, "partly_paid")))
      continue;
    nw[nn] = (debt_option){0};
    nw[nn].installment = o->installment;
    nw[nn].due_date = o->due_date;
    nw[nn].valid_until = o->valid_until;
    nw[nn].amount_cents = t->residual;
    if (o->installment) w[ni++] = o->amount_cents - o->paid_cents;
    nn++;
  }
  if (nn == 0) return ERR_OK;
  if (ni) {
    int64_t *parts = ARENA_ARRAY(a, int64_t, ni);
    debt_split_parts(t->residual, w, ni, parts);
    for (size_t i = 0, k = 0; i < nn; i++)
      if (nw[i].installment) nw[i].amount_cents = parts[k++];
  }
  debt_act x;
  ente e;
  debt_revenue r;
  err_code rc = ds_act_get(d, a, ente_id, act_id, &x);
  if (rc == ERR_OK) rc = ente_get(d, a, ente_id, &e);
  if (rc == ERR_OK) rc = debt_revenue_get(d, a, ente_id, x.revenue_id, &r);
  if (rc == ERR_OK) rc = debt_issue_options(d, a, &e, &r, act_id, nw, nn, t->generation + 1);
  return rc;
}

static err_code relieve_tx(db *d, void *ctx) {
  op_tx *o = ctx;
  debt_totals t;
  debt_option *opts;
  size_t no;
  err_code rc = lock_act(d, o, &t, &opts, &no);
  if (rc != ERR_OK) return rc;
  int64_t net_debt = t.charged - t.relieved - t.cancelled;
  if (!strcmp(t.state, "cancelled") || net_debt <= 0) return ERR_ACT_STATE;
  int64_t amount = o->amount ? o->amount : net_debt;
  if (amount > net_debt) return ERR_INVALID;
  char today[11];
  debt_today(today);
  debt_movement m = debt_mv(o->who, o->act_id, "relief", amount, today);
  m.note = (char *)o->reason;
  if ((rc = ds_movement_insert(d, o->ente_id, &m, NULL)) != ERR_OK) return rc;
  debt_totals now;
  if ((rc = debt_recompute(d, o->a, o->ente_id, o->act_id, &now, &opts, &no)) != ERR_OK ||
      (rc = reissue(d, o->a, o->ente_id, o->act_id, &now, opts, no)) != ERR_OK)
    return rc;
  return audit_op(d, o->a, o->who, o->ente_id, o->act_id, "debt.act.relieve", &t,
                  json_pack("{s:I, s:s}", "relieved", (json_int_t)amount, "reason", o->reason));
}

err_code debt_act_relieve(db *d, arena *a, int64_t ente_id, int64_t act_id, int64_t amount,
                          const char *reason, const actor *who) {
  op_tx o = {a, ente_id, act_id, amount, reason_dup(a, reason), NULL, NULL, who, NULL, 0, NULL};
  if (!o.reason || amount < 0) return ERR_INVALID;
  return db_tx_locking(d, relieve_tx, &o);
}

static err_code event_tx(db *d, void *ctx) {
  op_tx *o = ctx;
  debt_totals t;
  debt_option *opts;
  size_t no;
  err_code rc = lock_act(d, o, &t, &opts, &no);
  if (rc != ERR_OK) return rc;
  if (closed(&t) || (!strcmp(o->kind, "coattivo") && (t.residual <= 0 || !strcmp(t.state, "coattivo"))))
    return ERR_ACT_STATE;
  debt_event e = debt_ev(o->who, o->act_id, o->kind, o->date, o->reason);
  if ((rc = ds_event_insert(d, o->ente_id, &e, NULL)) != ERR_OK) return rc;
  return audit_op(d, o->a, o->who, o->ente_id, o->act_id, arena_printf(o->a, "debt.act.%s", o->kind), &t,
                  json_pack("{s:s, s:s?}", "date", o->date, "note", o->reason));
}

err_code debt_act_event(db *d, arena *a, int64_t ente_id, int64_t act_id, const char *kind, const char *date,
                        const char *note, const actor *who) {
  char today[11];
  debt_today(today);
  if (!kind || (strcmp(kind, "notified") && strcmp(kind, "coattivo"))) return ERR_INVALID;
  if (date && !debt_date_ok(date)) return ERR_INVALID;
  op_tx o = {a,
             ente_id,
             act_id,
             0,
             note ? reason_dup(a, note) : NULL,
             kind,
             arena_strdup(a, date ? date : today),
             who,
             NULL,
             0,
             NULL};
  return db_tx_locking(d, event_tx, &o);
}

/* ---- installment plan ---- */

/* The same day k months after d, or the month's last day. */
static civil_date add_months(civil_date d, int k) {
  civil_date r = d;
  int m = d.m - 1 + k;
  r.y = d.y + m / 12;
  r.m = m % 12 + 1;
  while (r.d > 28 && !date_valid(r.y, r.m, r.d)) r.d--;
  return r;
}

static err_code plan_tx(db *d, void *ctx) {
  op_tx o_ = *(op_tx *)ctx, *o = &o_;
  o->pbs->n = 0;
  debt_totals t;
  debt_option *opts;
  size_t no;
  err_code rc = lock_act(d, o, &t, &opts, &no);
  if (rc != ERR_OK) return rc;
  if (closed(&t) || t.residual <= 0 || !strcmp(t.state, "coattivo")) return ERR_ACT_STATE;
  debt_bracket *b;
  size_t nb;
  int own;
  if ((rc = debt_brackets_get(d, o->a, o->ente_id, &b, &nb, &own)) != ERR_OK) return rc;
  const debt_bracket *br = debt_bracket_for(b, nb, t.residual);
  int lo = br ? (br->min_installments < 2 ? 2 : br->min_installments) : 0;
  int hi = br ? br->max_installments : 0;
  int n = o->n ? o->n : hi;
  if (!br || hi < 2 || n < lo || n > hi) {
    dp_add(o->a, o->pbs, ERR_INSTALLMENTS, "installments",
           hi < 2 ? "Per questo importo non è ammessa la rateizzazione."
                  : arena_printf(o->a, "Per questo importo sono ammesse da %d a %d rate.", lo, hi));
    return ERR_INSTALLMENTS;
  }
  civil_date first;
  date_parse_iso(o->first_due, &first);
  debt_option *nw = ARENA_ARRAY(o->a, debt_option, (size_t)n);
  int64_t *parts = ARENA_ARRAY(o->a, int64_t, (size_t)n);
  debt_split_parts(t.residual, NULL, (size_t)n, parts);
  for (int i = 0; i < n; i++) {
    nw[i] = (debt_option){0};
    nw[i].installment = i + 1;
    nw[i].amount_cents = parts[i];
    nw[i].due_date = arena_alloc(o->a, 11);
    date_format_iso(add_months(first, i), nw[i].due_date);
  }
  debt_act x;
  ente e;
  debt_revenue r;
  rc = ds_act_get(d, o->a, o->ente_id, o->act_id, &x);
  if (rc == ERR_OK) rc = ente_get(d, o->a, o->ente_id, &e);
  if (rc == ERR_OK) rc = debt_revenue_get(d, o->a, o->ente_id, x.revenue_id, &r);
  if (rc == ERR_OK) rc = debt_issue_options(d, o->a, &e, &r, o->act_id, nw, (size_t)n, t.generation + 1);
  if (rc != ERR_OK) return rc;
  char today[11];
  debt_today(today);
  debt_event ev =
      debt_ev(o->who, o->act_id, "plan", today, arena_printf(o->a, "%d rate dal %s", n, o->first_due));
  if ((rc = ds_event_insert(d, o->ente_id, &ev, NULL)) != ERR_OK) return rc;
  return audit_op(d, o->a, o->who, o->ente_id, o->act_id, "debt.act.plan", &t,
                  json_pack("{s:i, s:s}", "installments", n, "first_due", o->first_due));
}

err_code debt_act_plan(db *d, arena *a, int64_t ente_id, int64_t act_id, int n, const char *first_due,
                       const actor *who, debt_problems *pbs) {
  debt_problems local;
  pbs = dp_reset(pbs, &local);
  if (!debt_date_ok(first_due)) {
    dp_add(a, pbs, ERR_INVALID, "first_due", "Indicare la scadenza della prima rata (AAAA-MM-GG).");
    return ERR_INVALID;
  }
  if (n < 0 || n > 120) {
    dp_add(a, pbs, ERR_INSTALLMENTS, "installments", err_message_it(ERR_INSTALLMENTS));
    return ERR_INSTALLMENTS;
  }
  op_tx o = {a, ente_id, act_id, 0, NULL, NULL, NULL, who, pbs, n, first_due};
  return db_tx_locking(d, plan_tx, &o);
}

/* ---- payments, refunds, compensations ---- */

typedef struct {
  arena *a;
  int64_t ente_id;
  const debt_payment *p;
  const char *value_date;
  const actor *who;
  debt_booking *out;
} pay_tx;

static err_code pay_tx_fn(db *d, void *ctx) {
  pay_tx *t = ctx;
  const debt_payment *p = t->p;
  memset(t->out, 0, sizeof *t->out);
  err_code rc;
  int64_t option_id = p->option_id, act_id = p->act_id;
  if (p->reference) {
    debt_movement old;
    rc = ds_movement_by_reference(d, t->a, t->ente_id, "payment", p->channel, p->reference, &old);
    if (rc == ERR_OK) {
      debt_act x;
      if ((rc = ds_act_get(d, t->a, t->ente_id, old.act_id, &x)) != ERR_OK) return rc;
      *t->out = (debt_booking){
          old.id, old.act_id, old.option_id, 1, x.residual_cents < 0 ? -x.residual_cents : 0, x.state};
      return ERR_OK;
    }
    if (rc != ERR_NOT_FOUND) return rc;
  }
  if (p->iuv || p->nav)
    rc = ds_option_find(d, t->ente_id, p->iuv, p->nav, &option_id, &act_id);
  else if (option_id)
    rc = ds_option_act(d, t->ente_id, option_id, &act_id);
  else
    rc = act_id ? ERR_OK : ERR_NOT_FOUND;
  if (rc == ERR_NOT_FOUND) return ERR_NOTICE_UNKNOWN;
  if (rc != ERR_OK) return rc;
  if ((rc = ds_act_lock(d, t->ente_id, act_id)) != ERR_OK)
    return rc == ERR_NOT_FOUND ? ERR_NOTICE_UNKNOWN : rc;
  /* a concurrent booking of the same reference committed while we waited */
  if (p->reference) {
    debt_movement old;
    rc = ds_movement_by_reference(d, t->a, t->ente_id, "payment", p->channel, p->reference, &old);
    if (rc == ERR_OK) return ERR_BUSY;
    if (rc != ERR_NOT_FOUND) return rc;
  }
  debt_totals before;
  debt_option *opts;
  size_t no;
  if ((rc = debt_recompute(d, t->a, t->ente_id, act_id, &before, &opts, &no)) != ERR_OK)
    return rc == ERR_NOT_FOUND ? ERR_NOTICE_UNKNOWN : rc;
  debt_movement m = debt_mv(t->who, act_id, "payment", p->amount_cents, t->value_date);
  m.option_id = option_id;
  m.channel = (char *)p->channel;
  m.reference = (char *)p->reference;
  m.note = (char *)p->evidence;
  rc = ds_movement_insert(d, t->ente_id, &m, &t->out->movement_id);
  /* the same reference booked by a concurrent transaction: run again and
   * answer as a duplicate */
  if (rc == ERR_CONFLICT && p->reference) return ERR_BUSY;
  if (rc != ERR_OK) return rc;
  debt_totals after;
  if ((rc = debt_refresh(d, t->a, t->ente_id, act_id, &after)) != ERR_OK) return rc;
  t->out->act_id = act_id;
  t->out->option_id = option_id;
  t->out->to_refund = after.to_refund;
  t->out->state = after.state;
  return audit_write_json(
      d, t->who, t->ente_id, "debt.payment", "debt_act", act_id, debt_totals_json(&before),
      json_pack("{s:I, s:I, s:s, s:s?, s:s, s:I, s:s}", "movement_id", (json_int_t)t->out->movement_id,
                "amount", (json_int_t)p->amount_cents, "channel", p->channel, "reference", p->reference,
                "value_date", t->value_date, "to_refund", (json_int_t)after.to_refund, "state", after.state));
}

static int in_list(const char *s, const char *const *l) {
  for (size_t i = 0; s && l[i]; i++)
    if (!strcmp(s, l[i])) return 1;
  return 0;
}

err_code debt_book_payment(db *d, arena *a, int64_t ente_id, const debt_payment *p, const actor *who,
                           debt_booking *out) {
  debt_booking local;
  if (!out) out = &local;
  memset(out, 0, sizeof *out);
  if (!in_list(p->channel, CHANNELS) || p->amount_cents <= 0 || p->amount_cents > 99999999999LL)
    return ERR_INVALID;
  if (p->reference && (!*p->reference || strlen(p->reference) > 64)) return ERR_INVALID;
  if (!strcmp(p->channel, "pagopa") && !p->reference) return ERR_INVALID;
  if (p->evidence && strlen(p->evidence) > 1000) return ERR_INVALID;
  if ((p->iuv && strlen(p->iuv) != 17) || (p->nav && nav_validate(p->nav))) return ERR_NOTICE_UNKNOWN;
  char today[11];
  debt_today(today);
  if (p->value_date && !debt_date_ok(p->value_date)) return ERR_INVALID;
  pay_tx t = {a, ente_id, p, p->value_date ? p->value_date : arena_strdup(a, today), who, out};
  return db_tx_locking(d, pay_tx_fn, &t);
}

static err_code refund_tx(db *d, void *ctx) {
  op_tx *o = ctx;
  debt_totals t;
  debt_option *opts;
  size_t no;
  err_code rc = lock_act(d, o, &t, &opts, &no);
  if (rc != ERR_OK) return rc;
  if (o->kind) { /* reference given: idempotent */
    debt_movement old;
    rc = ds_movement_by_reference(d, o->a, o->ente_id, "refund", "bank_transfer", o->kind, &old);
    if (rc == ERR_OK) return ERR_OK;
    if (rc != ERR_NOT_FOUND) return rc;
  }
  if (o->amount > t.to_refund) return ERR_INVALID;
  char today[11];
  debt_today(today);
  debt_movement m = debt_mv(o->who, o->act_id, "refund", o->amount, today);
  m.channel = "bank_transfer";
  m.reference = (char *)o->kind;
  m.note = (char *)o->reason;
  if ((rc = ds_movement_insert(d, o->ente_id, &m, NULL)) != ERR_OK) return rc;
  return audit_op(d, o->a, o->who, o->ente_id, o->act_id, "debt.refund", &t,
                  json_pack("{s:I, s:s?}", "refunded", (json_int_t)o->amount, "note", o->reason));
}

err_code debt_record_refund(db *d, arena *a, int64_t ente_id, int64_t act_id, int64_t amount,
                            const char *reference, const char *note, const actor *who) {
  if (amount <= 0 || (reference && (!*reference || strlen(reference) > 64))) return ERR_INVALID;
  op_tx o = {a,   ente_id, act_id, amount, note ? reason_dup(a, note) : NULL, reference, NULL,
             who, NULL,    0,      NULL};
  return db_tx_locking(d, refund_tx, &o);
}

typedef struct {
  arena *a;
  int64_t ente_id, credit_id, debt_id, amount;
  const char *note;
  const actor *who;
} comp_tx;

static err_code comp_tx_fn(db *d, void *ctx) {
  comp_tx *c = ctx;
  debt_totals tc, td;
  debt_option *opts;
  size_t no;
  debt_act xc, xd;
  int64_t lo = c->credit_id < c->debt_id ? c->credit_id : c->debt_id;
  int64_t hi = c->credit_id < c->debt_id ? c->debt_id : c->credit_id;
  err_code rc = ds_act_lock(d, c->ente_id, lo);
  if (rc == ERR_OK) rc = ds_act_lock(d, c->ente_id, hi);
  if (rc == ERR_OK) rc = ds_act_get(d, c->a, c->ente_id, c->credit_id, &xc);
  if (rc == ERR_OK) rc = ds_act_get(d, c->a, c->ente_id, c->debt_id, &xd);
  if (rc == ERR_OK) rc = debt_recompute(d, c->a, c->ente_id, c->credit_id, &tc, &opts, &no);
  if (rc == ERR_OK) rc = debt_recompute(d, c->a, c->ente_id, c->debt_id, &td, &opts, &no);
  if (rc != ERR_OK) return rc;
  if (xc.taxpayer_id != xd.taxpayer_id || c->amount > tc.to_refund || c->amount > td.residual ||
      !strcmp(td.state, "cancelled"))
    return ERR_ACT_STATE;
  char today[11];
  debt_today(today);
  debt_movement used = debt_mv(c->who, c->credit_id, "credit_used", c->amount, today);
  used.related_act_id = c->debt_id;
  used.note = (char *)c->note;
  debt_movement comp = debt_mv(c->who, c->debt_id, "compensation", c->amount, today);
  comp.related_act_id = c->credit_id;
  comp.note = (char *)c->note;
  if ((rc = ds_movement_insert(d, c->ente_id, &used, NULL)) != ERR_OK ||
      (rc = ds_movement_insert(d, c->ente_id, &comp, NULL)) != ERR_OK)
    return rc;
  json_t *x = json_pack("{s:I, s:I, s:I}", "amount", (json_int_t)c->amount, "credit_act",
                        (json_int_t)c->credit_id, "debt_act", (json_int_t)c->debt_id);
  if ((rc = audit_op(d, c->a, c->who, c->ente_id, c->credit_id, "debt.compensation.credit", &tc,
                     json_deep_copy(x))) != ERR_OK) {
    json_decref(x);
    return rc;
  }
  return audit_op(d, c->a, c->who, c->ente_id, c->debt_id, "debt.compensation", &td, x);
}

err_code debt_compensate(db *d, arena *a, int64_t ente_id, int64_t credit_act_id, int64_t debt_act_id,
                         int64_t amount, const char *note, const actor *who) {
  if (amount <= 0 || credit_act_id == debt_act_id) return ERR_INVALID;
  comp_tx c = {a, ente_id, credit_act_id, debt_act_id, amount, note ? reason_dup(a, note) : NULL, who};
  return db_tx_locking(d, comp_tx_fn, &c);
}

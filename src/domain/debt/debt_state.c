/* The derivation rule: an act's amounts and state, and its options'
 * states, from the ledger and the events only. Pure; debt_refresh writes
 * its result as the cache, debt_recompute runs it again from the rows.
 *
 *   net debt  = charged - relieved - cancelled
 *   net paid  = paid + compensated - refunded - credit_used
 *   residual  = net debt - net paid         (< 0: overpaid, to refund)
 *
 * State, first rule that holds:
 *   cancelled     a "cancelled" event
 *   refunded      net debt = 0, something refunded and net paid <= 0
 *   relieved      net debt = 0 (the whole debt relieved)
 *   paid          residual <= 0
 *   coattivo      a "coattivo" event
 *   installments  a "plan" event
 *   partly_paid   net paid > 0
 *   notified      a "notified" event
 *   issued        otherwise
 *
 * Options (by generation; the newest is current):
 *   paid          its own payments cover its amount
 *   cancelled     the act is cancelled, relieved or refunded
 *   replaced      an older generation (a plan or a relief reissued it)
 *   superseded    the act is paid otherwise, or a sibling took its place:
 *                 an installment paid supersedes the single payment, a
 *                 payment of the single payment supersedes the installments
 *   partly_paid   some of its own payments
 *   open          otherwise */
#include <string.h>
#include "domain/debt/debt.h"

const char *const debt_act_types[] = {"bonario",   "accertamento", "ingiunzione", "cautelare",
                                      "esecutivo", "verbale",      "canone",      NULL};
static const char *const act_type_labels[] = {"Avviso bonario / documento di pagamento",
                                              "Avviso di accertamento",
                                              "Ingiunzione di pagamento",
                                              "Atto cautelare",
                                              "Atto esecutivo",
                                              "Verbale di contravvenzione",
                                              "Avviso canone unico"};

const char *const debt_states[] = {"issued",   "notified",     "paid",     "partly_paid", "cancelled",
                                   "relieved", "installments", "coattivo", "refunded",    NULL};
static const char *const state_labels[] = {
    "Emesso",    "Notificato", "Pagato",     "Pagato in parte",
    "Annullato", "Sgravato",   "Rateizzato", "Inviato a riscossione coattiva",
    "Rimborsato"};

const char *debt_act_type_label(const char *slug) {
  for (size_t i = 0; slug && debt_act_types[i]; i++)
    if (strcmp(slug, debt_act_types[i]) == 0) return act_type_labels[i];
  return "";
}

const char *debt_state_label(const char *slug) {
  for (size_t i = 0; slug && debt_states[i]; i++)
    if (strcmp(slug, debt_states[i]) == 0) return state_labels[i];
  return "";
}

static int is(const char *a, const char *b) { return a && strcmp(a, b) == 0; }

void debt_derive(const debt_movement *mv, size_t nm, const debt_event *ev, size_t ne, debt_option *opts,
                 size_t no, debt_totals *t) {
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < nm; i++) {
    const debt_movement *m = &mv[i];
    int64_t v = m->amount_cents;
    if (is(m->kind, "charge"))
      t->charged += v;
    else if (is(m->kind, "payment"))
      t->paid += v;
    else if (is(m->kind, "relief"))
      t->relieved += v;
    else if (is(m->kind, "cancellation"))
      t->cancelled += v;
    else if (is(m->kind, "refund"))
      t->refunded += v;
    else if (is(m->kind, "compensation"))
      t->compensated += v;
    else if (is(m->kind, "credit_used"))
      t->credit_used += v;
  }
  int cancelled = 0, coattivo = 0, plan = 0, notified = 0;
  for (size_t i = 0; i < ne; i++) {
    cancelled |= is(ev[i].kind, "cancelled");
    coattivo |= is(ev[i].kind, "coattivo");
    plan |= is(ev[i].kind, "plan");
    notified |= is(ev[i].kind, "notified");
  }
  int64_t net_debt = t->charged - t->relieved - t->cancelled;
  int64_t net_paid = t->paid + t->compensated - t->refunded - t->credit_used;
  t->residual = net_debt - net_paid;
  t->to_refund = t->residual < 0 ? -t->residual : 0;
  if (cancelled)
    t->state = "cancelled";
  else if (net_debt <= 0 && t->refunded > 0 && net_paid <= 0)
    t->state = "refunded";
  else if (net_debt <= 0)
    t->state = "relieved";
  else if (t->residual <= 0)
    t->state = "paid";
  else if (coattivo)
    t->state = "coattivo";
  else if (plan)
    t->state = "installments";
  else if (net_paid > 0)
    t->state = "partly_paid";
  else if (notified)
    t->state = "notified";
  else
    t->state = "issued";

  /* options: own payments, then the sibling rules within a generation */
  for (size_t i = 0; i < no; i++) {
    opts[i].paid_cents = 0;
    if (opts[i].generation > t->generation) t->generation = opts[i].generation;
    for (size_t j = 0; j < nm; j++)
      if (mv[j].option_id == opts[i].id && (is(mv[j].kind, "payment") || is(mv[j].kind, "compensation")))
        opts[i].paid_cents += mv[j].amount_cents;
  }
  int act_closed = is(t->state, "cancelled") || is(t->state, "relieved") || is(t->state, "refunded");
  for (size_t i = 0; i < no; i++) {
    debt_option *o = &opts[i];
    int single_paid = 0, installment_paid = 0;
    for (size_t j = 0; j < no; j++) {
      if (opts[j].generation != o->generation || j == i || opts[j].paid_cents == 0) continue;
      if (opts[j].installment == 0)
        single_paid = 1;
      else
        installment_paid = 1;
    }
    if (o->paid_cents >= o->amount_cents)
      o->state = "paid";
    else if (act_closed)
      o->state = "cancelled";
    else if (o->generation < t->generation)
      o->state = "replaced";
    else if (t->residual <= 0)
      o->state = "superseded";
    else if (o->installment == 0 && installment_paid)
      o->state = "superseded";
    else if (o->installment > 0 && single_paid)
      o->state = "superseded";
    else if (o->paid_cents > 0)
      o->state = "partly_paid";
    else
      o->state = "open";
  }
}

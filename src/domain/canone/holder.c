/* The notice of a change of holder (seed 000, variazione di intestazione:
 * "predispone eventuale avviso bonario"). The period the declaration's fee
 * covers is its first to its last day (temporary) or its first day to 31
 * December of that year (permanent: the first year's fee, as charged). The
 * part from the change date to the end of that period is
 *   fee × remaining days / days of the period
 * in integer cents, rounded half up once. What the old holder still owes
 * (the act's residual) for that part is relieved from the old act (sgravio,
 * reason recorded) and the same amount is billed to the new holder with
 * its own act and pagoPA notice (job canone.notice: the new holder and the
 * Ente). Nothing is due when the change falls after the period or the old
 * holder has already paid: the period is covered. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/money.h"
#include "domain/canone/canone_internal.h"
#include "domain/canone/canone_store.h"
#include "domain/debt/debt.h"
#include "domain/jobs/jobs.h"


static const char *money_it(arena *a, int64_t cents) {
  char b[32];
  money_format_it(cents, b);
  return arena_strdup(a, b);
}

int64_t occ_prorata_cents(int64_t cents, int64_t num, int64_t den) {
  if (den <= 0 || num <= 0 || cents <= 0) return 0;
  if (num >= den) return cents;
  return (cents * num * 2 + den) / (2 * den);
}

/* The days of p's charged period and those from `change` to its end. */
static void period_days(const occupation *p, civil_date change, int64_t *total, int64_t *left) {
  civil_date s, e;
  *total = *left = 0;
  if (!p->start_date || date_parse_iso(p->start_date, &s) != 0) return;
  if (p->permanent || !p->end_date || date_parse_iso(p->end_date, &e) != 0) e = (civil_date){s.y, 12, 31};
  int64_t ds = date_to_days(s), de = date_to_days(e), dc = date_to_days(change);
  if (de < ds) return;
  *total = de - ds + 1;
  if (dc > de) return;
  *left = de - (dc > ds ? dc : ds) + 1;
}

static json_t *line(const char *code, const char *label, const char *value) {
  return json_pack("{s:s, s:s, s:s}", "code", code, "label", label, "value", value);
}

err_code occ_holder_notice(db *d, arena *a, const actor *who, occupation *o, const occupation *p,
                           const case_rec *c, civil_date change, problems *pbs) {
  int64_t total, left;
  period_days(p, change, &total, &left);
  int64_t part = occ_prorata_cents(p->amount_cents, left, total);
  debt_act old;
  err_code rc = debt_act_get(d, a, o->ente_id, p->act_id, &old);
  if (rc != ERR_OK) return rc;
  int64_t due = part < old.residual_cents ? part : old.residual_cents;
  if (due < 0) due = 0;
  char chg[11];
  date_format_iso(change, chg);
  json_t *bd = json_array();
  json_array_append_new(
      bd, line("fee", "Canone della dichiarazione", arena_printf(a, "%s €", money_it(a, p->amount_cents))));
  json_array_append_new(bd, line("change", "Variazione di intestazione dal", chg));
  json_array_append_new(bd, line("days", "Giorni dal cambio / giorni del periodo",
                                 arena_printf(a, "%lld / %lld", (long long)left, (long long)total)));
  json_array_append_new(
      bd, line("part", "Quota del periodo dopo il cambio", arena_printf(a, "%s €", money_it(a, part))));
  json_array_append_new(bd, line("open", "Ancora da pagare dal precedente titolare",
                                 arena_printf(a, "%s €", money_it(a, old.residual_cents))));
  json_array_append_new(bd,
                        line("due", "Dovuto dal nuovo titolare", arena_printf(a, "%s €", money_it(a, due))));
  char *bds = json_dumps(bd, JSON_COMPACT);
  json_decref(bd);
  if (!bds) return ERR_INTERNAL;
  o->breakdown = arena_strdup(a, bds);
  free(bds);
  o->amount_cents = due;
  o->updated_at = clock_now();
  o->act_id = 0;
  if (due <= 0) return cs_occ_set_act(d, o);
  /* the old holder's part after the change is relieved ... */
  if ((rc = debt_act_relieve(d, a, o->ente_id, old.id, due,
                             arena_printf(a, "Variazione di intestazione dal %s, pratica %s", chg, c->label),
                             who)) != ERR_OK)
    return rc;
  /* ... and billed to the new holder */
  canone_rules r;
  if ((rc = canone_rules_get(d, a, o->ente_id, &r)) != ERR_OK) return rc;
  return occ_bill(d, a, who, o, r.revenue,
                  arena_printf(a, "Canone unico, subentro dal %s - %s", chg, o->place ? o->place : ""),
                  arena_printf(a, "Canone unico, variazione di intestazione, pratica %s", c->label), due, 1, NULL,
                  pbs);
}

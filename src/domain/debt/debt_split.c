/* Splitting money without losing a cent: transfers of a payment among its
 * beneficiaries and installments of an amount. Pure functions. */
#include <string.h>
#include "core/money.h"
#include "domain/debt/debt.h"

void debt_split_parts(int64_t total, const int64_t *weights, size_t n, int64_t *parts) {
  if (n == 0) return;
  int64_t wsum = 0;
  for (size_t i = 0; i < n; i++) wsum += weights ? weights[i] : 1;
  int64_t rest = total;
  for (size_t i = 1; i < n; i++) {
    parts[i] = money_mul_ratio(total, weights ? weights[i] : 1, wsum);
    rest -= parts[i];
  }
  parts[0] = rest;
}

err_code debt_split_amount(arena *a, const debt_revenue *r, const char *ente_cf, const char *ente_name,
                           int64_t amount, debt_transfer **out, size_t *n) {
  size_t k = r->n_splits + 1;
  if (k > DEBT_MAX_TRANSFERS) return ERR_INVALID;
  debt_transfer *t = ARENA_ARRAY(a, debt_transfer, k);
  memset(t, 0, k * sizeof *t);
  int64_t others = 0;
  for (size_t i = 0; i < r->n_splits; i++) {
    const debt_split *s = &r->splits[i];
    int64_t v;
    if (strcmp(s->share_kind, "fixed") == 0)
      v = s->share;
    else if (strcmp(s->share_kind, "permille_on_top") == 0)
      v = money_mul_ratio(amount, s->share, 1000 + s->share); /* share of the Ente's part */
    else
      v = money_mul_ratio(amount, s->share, 1000);
    t[i + 1] =
        (debt_transfer){(int)i + 2, s->beneficiary_cf, s->beneficiary_name, s->iban, NULL, s->taxonomy, v};
    others += v;
    if (v <= 0) return ERR_TRANSFERS_SUM;
  }
  if (amount - others < 1) return ERR_TRANSFERS_SUM;
  t[0] = (debt_transfer){1,           (char *)ente_cf, (char *)ente_name, r->iban, r->postal_account,
                         r->taxonomy, amount - others};
  *out = t;
  *n = k;
  return ERR_OK;
}

/* libFuzzer target of the FdR streaming parser: never crash, never leak,
 * and the totals it reports are those of the payments it handed over. */
#include <stdint.h>
#include <stdlib.h>
#include "domain/pagopa/fdr_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
  int64_t n, sum;
} tally;

static err_code on_payment(void *ud, const fdr_header *h, const fdr_payment *p) {
  tally *t = ud;
  t->n++;
  t->sum += p->importo_cents;
  if (p->importo_cents < 1 || p->importo_cents > PAGOPA_AMOUNT_MAX || p->seq != t->n) abort();
  return ERR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tally t = {0};
  fdr_options o = {.schema = FDR_SCHEMA_ANY, .max_bytes = 1 << 20, .on_payment = on_payment, .ud = &t};
  fdr_result r;
  err_code rc = fdr_parse_memory((const char *)data, size, &o, &r);
  if (t.n != r.count || t.sum != r.sum_cents) abort();
  if (rc == ERR_OK && (r.header.numero_totale_pagamenti != t.n || r.header.importo_totale_cents != t.sum))
    abort();
  return 0;
}

#include "core/problems.h"
#include <string.h>

void problems_add(arena *a, problems *pbs, err_code code, const char *field, const char *message) {
  if (!pbs) return;
  size_t n = pbs->n;
  /* capacity is 8, then doubles: grow when n is 0 or a power of two >= 8 */
  if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
    problem *items = ARENA_ARRAY(a, problem, n ? n * 2 : 8);
    if (n) memcpy(items, pbs->items, n * sizeof *items);
    pbs->items = items;
  }
  pbs->items[n] = (problem){code, field, message};
  pbs->n = n + 1;
}

const char *problems_for(const problems *pbs, const char *field) {
  for (size_t i = 0; pbs && field && i < pbs->n; i++)
    if (pbs->items[i].field && strcmp(pbs->items[i].field, field) == 0) return pbs->items[i].message;
  return NULL;
}

int problems_has(const problems *pbs, const char *field) { return problems_for(pbs, field) != NULL; }

void problems_merge(arena *a, problems *into, const problems *from) {
  size_t given = into->n;
  for (size_t i = 0; from && i < from->n; i++) {
    const problem *p = &from->items[i];
    int known = 0;
    for (size_t j = 0; j < given && !known && p->field; j++)
      known = into->items[j].field && strcmp(into->items[j].field, p->field) == 0;
    if (!known) problems_add(a, into, p->code, p->field, p->message);
  }
}

void problems_clear(problems *pbs) {
  if (!pbs) return;
  pbs->items = NULL;
  pbs->n = 0;
}

/* A conflict is any 409 code (a generic or a specific duplicate). */
static int is_conflict(err_code c) { return err_http_status(c) == 409; }

err_code problems_code(const problems *pbs) {
  if (!pbs || pbs->n == 0) return ERR_OK;
  for (size_t i = 0; i < pbs->n; i++)
    if (!is_conflict(pbs->items[i].code)) return ERR_INVALID;
  return pbs->items[0].code;
}

/* Parts of `sportello demo-data` kept in their own files. */
#ifndef SP_CMD_DEMO_H
#define SP_CMD_DEMO_H
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

typedef struct {
  int64_t id;
  const char *segregation;
} demo_debt_ente;

/* cmd_demo_debt.c: pagoPA settings, revenue types and acts in every state
 * for each Ente (acts only when it has taxpayers); 0 ok. */
int demo_debt(db *d, const demo_debt_ente *enti, size_t n_enti, size_t *n_acts);

/* cmd_canone.c: canone unico rules for each demo Ente; 0 ok. */
int demo_canone(db *d, const int64_t *ente_ids, size_t n);

#endif

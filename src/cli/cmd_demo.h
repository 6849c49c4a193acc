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
/* cmd_demo_portal.c: portal settings, payment channels, a demo citizen with
 * acts since 2019, a traffic fine and an intermediary's delegation;
 * cfs[0] / cfs[1] get the citizen's and the intermediary's fiscal codes. */
int demo_portal(db *d, const demo_debt_ente *enti, size_t n_enti, const char **cfs);

/* cmd_canone.c: canone unico rules for each demo Ente; 0 ok. */
int demo_canone(db *d, const int64_t *ente_ids, size_t n);
/* demo_occupations.c: the demo citizen's occupations of public land (one
 * with its notice issued, one to process) in the Ente; 0 ok. */
int demo_occupations(db *d, int64_t ente_id, const char *citizen_cf);

#endif

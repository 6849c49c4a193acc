/* The cases part of `sportello demo-data` (demo_cases.c). */
#ifndef SP_DEMO_CASES_H
#define SP_DEMO_CASES_H
#include <stdint.h>
#include "db/db.h"

/* ente_ids: Borgo Fittizio, Valle Immaginaria; office_ids: NORD-01,
 * SUD-01; the usernames of the demo manager and operator (NORD-01).
 * 0 ok, 1 after printing what failed. */
int demo_cases(db *d, const int64_t *ente_ids, const int64_t *office_ids, const char *manager,
               const char *operator_name);

#endif

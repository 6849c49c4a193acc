/* The services part of `sportello demo-data` (demo_services.c). */
#ifndef SP_DEMO_SERVICES_H
#define SP_DEMO_SERVICES_H
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

/* Imports the example services (config/services/) for each Ente; 0 ok, 1
 * after printing what failed. */
int demo_services(db *d, const int64_t *ente_ids, size_t n_entes);

#endif

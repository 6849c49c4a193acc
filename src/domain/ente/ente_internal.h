/* Internal helpers shared by ente.c and user.c (not part of the domain
 * API). */
#ifndef SP_ENTE_INTERNAL_H
#define SP_ENTE_INTERNAL_H
#include <jansson.h>
#include "domain/ente/ente.h"

/* Adds a problem to pbs (problems_add, under the area's prefix). */
void ei_problem(arena *a, problems *pbs, err_code code, const char *field, const char *msg);
/* found is the result of looking up a value that must be new (a slug, a
 * code): ERR_OK (it exists) adds an ERR_CONFLICT problem on field with msg;
 * both that and ERR_NOT_FOUND return ERR_OK so the checks go on; storage
 * errors pass through. */
err_code ei_must_be_new(err_code found, err_code dup, arena *a, problems *pbs,
                        const char *field, const char *msg);
/* found is the result of looking up a row the change refers to:
 * ERR_NOT_FOUND adds an ERR_INVALID problem on field with msg and returns
 * ERR_OK so the checks go on; storage errors pass through. */
err_code ei_must_exist(err_code found, arena *a, problems *pbs, const char *field,
                       const char *msg);
/* who, or the "system" actor when who is NULL. */
const actor *ei_actor(const actor *who);
/* audit_write with before/after serialised (sorted keys) and released. */
err_code ei_audit(db *d, const actor *who, int64_t ente_id, const char *action,
                  const char *object_type, int64_t object_id, json_t *before, json_t *after);

#endif

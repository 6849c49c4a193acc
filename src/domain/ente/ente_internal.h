/* Internal helpers shared by ente.c and user.c (not part of the domain
 * API). */
#ifndef SP_ENTE_INTERNAL_H
#define SP_ENTE_INTERNAL_H
#include <jansson.h>
#include "domain/ente/ente.h"

/* Fills *pb (if not NULL) and returns 1, so checks read `return ei_set(...)`. */
int ei_set(problem *pb, err_code code, const char *field, const char *msg);
/* found is the result of looking up a value that must be new (a slug, a
 * code): ERR_OK (it exists) becomes ERR_CONFLICT with *pb set to field and
 * msg, ERR_NOT_FOUND becomes ERR_OK, storage errors pass through. */
err_code ei_must_be_new(err_code found, problem *pb, const char *field, const char *msg);
/* found is the result of looking up a row the change refers to:
 * ERR_NOT_FOUND becomes ERR_INVALID with *pb set to field and msg, other
 * codes pass through. */
err_code ei_must_exist(err_code found, problem *pb, const char *field, const char *msg);
/* who, or the "system" actor when who is NULL. */
const actor *ei_actor(const actor *who);
/* audit_write with before/after serialised (sorted keys) and released. */
err_code ei_audit(db *d, const actor *who, int64_t ente_id, const char *action,
                  const char *object_type, int64_t object_id, json_t *before, json_t *after);

#endif

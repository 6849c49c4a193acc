/* An occupation's fields in an API body (internal to src/api), read the
 * same way by a new declaration (occupations.c) and a variation
 * (occupation_changes.c). */
#ifndef SP_API_OCCUPATION_JSON_H
#define SP_API_OCCUPATION_JSON_H
#include <jansson.h>
#include "domain/canone/canone.h"

/* place, zone, use, kind, surface_m2, start and end of root into in
 * (copied into a); a member of another type is a problem in types. */
void api_occupation_fields(json_t *root, occupation_input *in, problems *types, arena *a);

#endif

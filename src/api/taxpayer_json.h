/* Taxpayers as JSON for the API (internal to src/api): the published
 * representation, the request body read into a taxpayer with every shape
 * problem named, the body a request may send (for PATCH targets), and JSON
 * Merge Patch (RFC 7396). */
#ifndef SP_API_TAXPAYER_JSON_H
#define SP_API_TAXPAYER_JSON_H
#include <jansson.h>
#include "domain/ente/ente.h"
#include "domain/taxpayer/taxpayer.h"

/* The representation (schema Taxpayer): full adds addresses and contacts. */
json_t *tpj_out(const ente *e, const taxpayer *tp, int full);
/* tp as a request body would carry it (schema TaxpayerInput), nulls left
 * out: the target a PATCH is merged into. */
json_t *tpj_input(const taxpayer *tp);
/* Reads a TaxpayerInput object into tp (strings copied into a). Members of
 * the wrong type, unknown kinds and over-long lists are added to pbs, one
 * per member; with lists_required (PUT) a missing "addresses" or
 * "contacts" is one too. Unknown members are ignored. */
void tpj_read(arena *a, json_t *obj, int lists_required, taxpayer *tp, problems *pbs);
/* RFC 7396: applies patch to target (reference stolen) and returns the
 * result (a new reference). Members set to null are removed, objects are
 * merged member by member, anything else (arrays included) replaces. */
json_t *tpj_merge_patch(json_t *target, json_t *patch);

#endif

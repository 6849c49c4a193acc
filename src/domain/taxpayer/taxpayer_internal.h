/* Internal: normalisation and validation of taxpayers (taxpayer_check.c),
 * shared by taxpayer.c; not part of the domain API. */
#ifndef SP_TAXPAYER_INTERNAL_H
#define SP_TAXPAYER_INTERNAL_H
#include "domain/taxpayer/taxpayer.h"

/* Replaces every text field of tp with a trimmed copy in a (blank -> NULL),
 * upper-cases codes, sex, province and country (default "IT"), writes
 * mobiles in E.164 when valid, and clears the fields that do not belong to
 * tp->kind (company fields of a person and vice versa). */
void tp_normalize(arena *a, taxpayer *tp);
/* Appends every problem of a normalised tp to pbs (arena a); returns how
 * many it found. now: for "not in the future" checks and the CF century. */
size_t tp_validate(arena *a, const taxpayer *tp, int64_t now, problems *pbs);
/* Fills consent_at = now for contacts consenting without a time, and
 * zeroes it for contacts that do not consent. */
void tp_stamp_consent(taxpayer *tp, int64_t now);
/* "ROSSI MARIO" / "ACME SRL": ASCII upper-case, Latin-1 accents folded,
 * apostrophes dropped, runs of spaces collapsed. Also used on queries. */
char *tp_name_fold(arena *a, const char *s);
/* The name key of tp: fold(surname + " " + given_name) or fold(company). */
char *tp_name_norm(arena *a, const taxpayer *tp);
/* Adds one problem (problems_add: field and message kept by reference). */
void tp_problem(arena *a, problems *pbs, err_code code, const char *field, const char *msg);

#endif

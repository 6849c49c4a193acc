/* A list of field problems (see `problem` in error.h): validation collects
 * every problem of an input instead of stopping at the first, and the
 * pages and the API show them all, each on its own field. Items live in
 * the arena given to problems_add; a zeroed list is empty. */
#ifndef SP_PROBLEMS_H
#define SP_PROBLEMS_H
#include <stddef.h>
#include "core/arena.h"
#include "core/error.h"

typedef struct {
  problem *items;
  size_t n;
} problems;

/* Appends a problem (field and message kept by reference: static text or
 * text in a). pbs NULL: nothing recorded. */
void problems_add(arena *a, problems *pbs, err_code code, const char *field, const char *message);
/* The first message about field, or NULL. */
const char *problems_for(const problems *pbs, const char *field);
/* 1 if some problem is about field. */
int problems_has(const problems *pbs, const char *field);
/* Appends the problems of from whose field has no problem in into yet (a
 * value of the wrong type, say, need not also be called missing). */
void problems_merge(arena *a, problems *into, const problems *from);
/* Empties the list (its items stay in their arena). */
void problems_clear(problems *pbs);
/* The answer a list deserves: ERR_OK when empty, ERR_CONFLICT when every
 * problem is a conflict (a duplicate), else ERR_INVALID. */
err_code problems_code(const problems *pbs);

#endif

/* Shared setup for the domain tests: a migrated test database (SQLite file
 * by default, PostgreSQL schema when SPORTELLO_TEST_DB names one; see
 * tests/db/testdb.h), fast password hashing, and generators of valid
 * Italian codes so tests do not depend on a handful of literals. */
#ifndef SP_TEST_DOMAIN_FIXTURE_H
#define SP_TEST_DOMAIN_FIXTURE_H
#include <stdint.h>
#include "db/db.h"
#include "domain/audit/audit.h"
#include "testdb.h"

/* Opens (and migrates) the database for test executable name; sets
 * SPORTELLO_PWHASH_FAST=1. */
db *fx_open(testdb *t, const char *name);
void fx_close(testdb *t, db *d);
/* First column of the first row of sql as an integer; sql may contain one
 * '?' bound to param (or none). -1 on error. */
int64_t fx_count(db *d, const char *sql, int64_t param);
/* Rows in audit_log with this action. */
int64_t fx_audit_count(db *d, const char *action);
/* Asserts the audit chain is intact. */
void fx_audit_ok(db *d);
/* An 11-digit code passing the partita IVA rules, different per seed. */
void fx_piva(uint32_t seed, char out[12]);
/* A person's codice fiscale from its first 15 characters (check char
 * computed). */
void fx_cf(const char *first15, char out[17]);
/* Creates an Ente with slug and a fiscal code from seed; returns its id. */
int64_t fx_ente(db *d, const char *slug, uint32_t seed);

extern const actor fx_cli;

#endif

/* Test databases for tests/db: SQLite by default (a fresh file under
 * /tmp per test executable), PostgreSQL when SPORTELLO_TEST_DB names one.
 * On PostgreSQL each executable works in its own schema (dropped and
 * recreated at setup, dropped at cleanup), so executables can run in
 * parallel against one database and a second run starts clean. */
#ifndef SP_TESTDB_H
#define SP_TESTDB_H
#include "db/db.h"

typedef struct {
  char url[1200];  /* what connections use */
  char path[600];  /* SQLite file we created ("" otherwise) */
  char schema[64]; /* PostgreSQL schema we created ("" otherwise) */
  char base[1024]; /* SPORTELLO_TEST_DB as given */
} testdb;

/* name: [a-z0-9_], unique per test executable (and per namespace). Fails
 * the test run (exit 1) when the database cannot be prepared. */
void testdb_init(testdb *t, const char *name);
/* A new connection, or exit 1. */
db *testdb_open(const testdb *t);
/* A new connection with all migrations applied, or exit 1. */
db *testdb_open_migrated(const testdb *t);
/* Removes the file or schema. */
void testdb_cleanup(testdb *t);
/* 1 when the run targets PostgreSQL. */
int testdb_is_pg(const testdb *t);

#endif

/* See testdb.h. */
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *what, const char *why) {
  fprintf(stderr, "testdb: %s: %s\n", what, why ? why : "");
  printf("Bail out! testdb: %s\n", what);
  exit(1);
}

static void unlink_sqlite(const char *path) {
  char p[700];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", path);
  unlink(p);
}

void testdb_init(testdb *t, const char *name) {
  memset(t, 0, sizeof *t);
  const char *env = getenv("SPORTELLO_TEST_DB");
  if (!env || !*env) {
    snprintf(t->path, sizeof t->path, "/tmp/sportello-test-%s-%ld.db", name, (long)getpid());
    unlink_sqlite(t->path);
    snprintf(t->url, sizeof t->url, "sqlite:%s", t->path);
    return;
  }
  snprintf(t->base, sizeof t->base, "%s", env);
  if (strncmp(env, "postgres", 8) != 0) {
    snprintf(t->url, sizeof t->url, "%s", env);
    return;
  }
  snprintf(t->schema, sizeof t->schema, "sp_test_%s", name);
  char err[512];
  db *d = db_open(t->base, err, sizeof err);
  if (!d) die("cannot connect to SPORTELLO_TEST_DB", err);
  char sql[256];
  snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", t->schema, t->schema);
  if (db_exec_script(d, sql) != DBR_DONE) die("cannot create the test schema", db_errmsg(d));
  db_close(d);
  snprintf(t->url, sizeof t->url, "%s%coptions=-c%%20search_path%%3D%s", t->base,
           strchr(t->base, '?') ? '&' : '?', t->schema);
}

int testdb_is_pg(const testdb *t) { return t->schema[0] != 0; }

db *testdb_open(const testdb *t) {
  char err[512];
  db *d = db_open(t->url, err, sizeof err);
  if (!d) die("cannot open the test database", err);
  return d;
}

db *testdb_open_migrated(const testdb *t) {
  db *d = testdb_open(t);
  int applied = 0;
  if (db_migrate(d, &applied) != ERR_OK) die("migrations failed", db_errmsg(d));
  return d;
}

void testdb_cleanup(testdb *t) {
  if (t->path[0]) unlink_sqlite(t->path);
  if (t->schema[0]) {
    char err[512], sql[160];
    db *d = db_open(t->base, err, sizeof err);
    if (!d) return;
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", t->schema);
    db_exec_script(d, sql);
    db_close(d);
  }
}

/* SQLite backend: the only file that includes sqlite3.h. One connection
 * per db, WAL journal, foreign keys on, a busy timeout so short lock waits
 * resolve themselves; BEGIN IMMEDIATE takes the write lock up front so a
 * transaction never fails half-way on a lock upgrade. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"

#define DEFAULT_BUSY_MS 5000

typedef struct {
  db base;
  sqlite3 *h;
} sq_db;

typedef struct {
  db_stmt base;
  sqlite3_stmt *s;
  int bind_err;    /* a bind failed (index out of range, ...) */
  int64_t changes; /* rows changed, captured when the statement finished */
} sq_stmt;

static sq_db *SQ(db *d) { return (sq_db *)d; }
static sq_stmt *ST(db_stmt *st) { return (sq_stmt *)st; }

static db_rc map_rc(int rc) {
  switch (rc & 0xff) {
    case SQLITE_ROW:
      return DBR_ROW;
    case SQLITE_DONE:
    case SQLITE_OK:
      return DBR_DONE;
    case SQLITE_CONSTRAINT:
      return DBR_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DBR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
      return DBR_UNAVAILABLE;
    default:
      return DBR_ERROR;
  }
}

/* Records sqlite's message for rc on the connection and maps rc. */
static db_rc fail(db *d, int rc) {
  db_set_err(d, "sqlite: %s (%d)", sqlite3_errmsg(SQ(d)->h), rc);
  return map_rc(rc);
}

static void sq_close(db *d) {
  sqlite3_close_v2(SQ(d)->h);
  free(d);
}

static db_rc sq_exec(db *d, const char *sql) {
  int rc = sqlite3_exec(SQ(d)->h, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? DBR_DONE : fail(d, rc);
}

static db_stmt *sq_prepare(db *d, const char *sql) {
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v3(SQ(d)->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
  if (rc != SQLITE_OK || !s) {
    if (rc == SQLITE_OK)
      db_set_err(d, "sqlite: empty statement");
    else
      fail(d, rc);
    sqlite3_finalize(s);
    return NULL;
  }
  sq_stmt *st = calloc(1, sizeof *st);
  if (!st) {
    sqlite3_finalize(s);
    db_set_err(d, "out of memory");
    return NULL;
  }
  st->s = s;
  return &st->base;
}

static void sq_stmt_free(db_stmt *st) {
  sqlite3_finalize(ST(st)->s);
  free(st);
}

static void bind_check(db_stmt *st, int idx, int rc) {
  if (rc == SQLITE_OK) return;
  ST(st)->bind_err = 1;
  db_set_err(st->d, "sqlite: bind of parameter %d failed: %s", idx, sqlite3_errstr(rc));
}

static void sq_bind_int(db_stmt *st, int idx, int64_t v) {
  bind_check(st, idx, sqlite3_bind_int64(ST(st)->s, idx, v));
}

static void sq_bind_text(db_stmt *st, int idx, const char *v) {
  bind_check(st, idx, sqlite3_bind_text(ST(st)->s, idx, v, -1, SQLITE_TRANSIENT));
}

/* sqlite binds NULL for a NULL pointer, so an empty blob needs zeroblob. */
static void sq_bind_blob(db_stmt *st, int idx, const void *p, size_t n) {
  int rc = n == 0 ? sqlite3_bind_zeroblob(ST(st)->s, idx, 0)
                  : sqlite3_bind_blob64(ST(st)->s, idx, p, (sqlite3_uint64)n, SQLITE_TRANSIENT);
  bind_check(st, idx, rc);
}

static void sq_bind_null(db_stmt *st, int idx) { bind_check(st, idx, sqlite3_bind_null(ST(st)->s, idx)); }

static db_rc sq_step(db_stmt *st) {
  sq_stmt *s = ST(st);
  if (s->bind_err) return DBR_ERROR;
  int rc = sqlite3_step(s->s);
  if (rc == SQLITE_ROW) return DBR_ROW;
  if (rc == SQLITE_DONE) {
    s->changes = sqlite3_changes64(SQ(st->d)->h);
    return DBR_DONE;
  }
  return fail(st->d, rc);
}

static int sq_col_is_null(db_stmt *st, int col) { return sqlite3_column_type(ST(st)->s, col) == SQLITE_NULL; }

static int64_t sq_col_int(db_stmt *st, int col) { return sqlite3_column_int64(ST(st)->s, col); }

static const char *sq_col_text(db_stmt *st, int col) {
  return (const char *)sqlite3_column_text(ST(st)->s, col);
}

/* A zero-length blob comes back as "" rather than NULL, as on PG. */
static const void *sq_col_blob(db_stmt *st, int col, size_t *n) {
  sqlite3_stmt *s = ST(st)->s;
  if (sqlite3_column_type(s, col) == SQLITE_NULL) {
    *n = 0;
    return NULL;
  }
  const void *p = sqlite3_column_blob(s, col);
  *n = (size_t)sqlite3_column_bytes(s, col);
  return p ? p : "";
}

static void sq_reset(db_stmt *st) {
  sqlite3_reset(ST(st)->s);
  sqlite3_clear_bindings(ST(st)->s);
  ST(st)->bind_err = 0;
}

static int64_t sq_changes(db_stmt *st) { return ST(st)->changes; }

/* A read transaction is a deferred one (a WAL snapshot that does not
 * block writers) made read-only with query_only, as on PostgreSQL. */
static db_rc sq_begin(db *d, int mode) {
  if (mode != DB_BEGIN_READ) return sq_exec(d, "BEGIN IMMEDIATE");
  db_rc rc = sq_exec(d, "BEGIN DEFERRED");
  if (rc == DBR_DONE) sqlite3_exec(SQ(d)->h, "PRAGMA query_only = 1", NULL, NULL, NULL);
  return rc;
}

static void end_read(db *d) {
  if (d->tx_read) sqlite3_exec(SQ(d)->h, "PRAGMA query_only = 0", NULL, NULL, NULL);
}

static db_rc sq_commit(db *d) {
  db_rc rc = sq_exec(d, "COMMIT");
  if (rc == DBR_DONE) end_read(d);
  return rc;
}

static void sq_rollback(db *d) {
  if (!sqlite3_get_autocommit(SQ(d)->h)) sqlite3_exec(SQ(d)->h, "ROLLBACK", NULL, NULL, NULL);
  end_read(d);
}

static int sq_broken(db *d) { return 0; }

static int sq_reconnect(db *d) { return 0; }

static void sq_set_busy_timeout(db *d, int ms) { sqlite3_busy_timeout(SQ(d)->h, ms); }

static const db_ops sqlite_ops = {
    .kind = DB_SQLITE,
    .close = sq_close,
    .exec_script = sq_exec,
    .prepare = sq_prepare,
    .stmt_free = sq_stmt_free,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_is_null = sq_col_is_null,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .reset = sq_reset,
    .changes = sq_changes,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .broken = sq_broken,
    .reconnect = sq_reconnect,
    .set_busy_timeout = sq_set_busy_timeout,
};

/* Process-wide SQLite settings, before the first connection: no global
 * memory statistics (Debian's build keeps them on, and their one mutex is
 * shared by every connection of the pool). */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_config(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

/* Opens (creating if needed) the file and applies the connection pragmas.
 * WAL is skipped for in-memory databases, which cannot use it; files are
 * memory-mapped (up to 256 MiB) so reads skip a pread per page. */
db *db_sqlite_open(const char *path, char *err, size_t errlen) {
  pthread_once(&global_once, global_config);
  sq_db *d = calloc(1, sizeof *d);
  if (!d) {
    db_errf(err, errlen, "memoria esaurita");
    return NULL;
  }
  db_base_init(&d->base, &sqlite_ops);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path, &d->h, flags, NULL);
  if (rc != SQLITE_OK) {
    db_errf(err, errlen, "impossibile aprire il database SQLite %s: %s", path,
            d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
    sqlite3_close_v2(d->h);
    free(d);
    return NULL;
  }
  sqlite3_extended_result_codes(d->h, 1);
  sqlite3_busy_timeout(d->h, DEFAULT_BUSY_MS);
  int memory = strcmp(path, ":memory:") == 0 || path[0] == 0;
  const char *pragmas = memory ? "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                               : "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                                 " PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;";
  rc = sqlite3_exec(d->h, pragmas, NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    db_errf(err, errlen, "impossibile configurare il database SQLite %s: %s", path, sqlite3_errmsg(d->h));
    sqlite3_close_v2(d->h);
    free(d);
    return NULL;
  }
  return &d->base;
}

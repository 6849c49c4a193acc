/* Storage interface over SQLite and PostgreSQL. Only db_sqlite.c includes
 * sqlite3.h and only db_pg.c includes libpq-fe.h.
 *
 * SQL text uses '?' placeholders (translated to $n for PostgreSQL) and the
 * common subset of both dialects; values are only ever bound, never
 * formatted into SQL. Statements are prepared once per connection and cached
 * by their SQL text, so store code passes string literals.
 *
 * Usage:
 *   db_stmt *st = db_prepare(d, "SELECT id, name FROM ente WHERE slug = ?");
 *   if (!st) return ERR_INTERNAL;
 *   db_bind_text(st, 1, slug);
 *   db_rc rc;
 *   while ((rc = db_step(st)) == DBR_ROW) { db_col_int(st, 0) ... }
 *   db_finish(st);               // always: resets binds and results
 *   if (rc != DBR_DONE) return db_rc_err(rc);
 *
 * Store code mostly runs a bound statement through one of the db_step_*
 * helpers below, which step it, map the result to an err_code and call
 * db_finish (db_step_row: only when there is no row).
 */
#ifndef SP_DB_H
#define SP_DB_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"

typedef struct db db;
typedef struct db_stmt db_stmt;
typedef struct db_pool db_pool;

typedef enum { DB_SQLITE, DB_PG } db_kind;

typedef enum {
  DBR_ROW,         /* a row is available */
  DBR_DONE,        /* statement finished */
  DBR_CONSTRAINT,  /* unique / foreign key / check violation */
  DBR_BUSY,        /* SQLITE_BUSY/LOCKED, PG 40001/40P01/55P03: retry the transaction */
  DBR_UNAVAILABLE, /* connection lost / cannot connect */
  DBR_ERROR        /* anything else (bug in SQL, etc.) */
} db_rc;

/* url: "sqlite:PATH" (also "sqlite::memory:") or "postgresql://..." /
 * "postgres://...". On failure returns NULL and writes a reason (never the
 * password) into err. */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);
db_kind db_backend(const db *d);
/* Last error text of this connection, for logs. */
const char *db_errmsg(const db *d);
/* Cheap liveness probe ("SELECT 1"); reconnects a broken PG connection. */
err_code db_ping(db *d);
/* SQLite: how long a statement waits for another writer's lock before
 * DBR_BUSY (default 5000 ms). No effect on PostgreSQL. */
void db_set_busy_timeout(db *d, int ms);

/* Run a script of several statements without parameters (migrations). */
db_rc db_exec_script(db *d, const char *sql);

db_stmt *db_prepare(db *d, const char *sql);
/* 1-based parameter index. Values are copied; a NULL text (or a NULL blob
 * pointer with n == 0) binds SQL NULL, a non-NULL blob with n == 0 an empty
 * blob. Integers go to PostgreSQL as BIGINT (see src/db/README.md). */
void db_bind_int(db_stmt *st, int idx, int64_t v);
void db_bind_text(db_stmt *st, int idx, const char *v);
void db_bind_blob(db_stmt *st, int idx, const void *p, size_t n);
void db_bind_null(db_stmt *st, int idx);
db_rc db_step(db_stmt *st);
/* 0-based column index; valid until the next db_step/db_finish.
 * db_col_int reads PostgreSQL booleans as 1/0; db_col_blob gives NULL for
 * SQL NULL and a non-NULL pointer with *n == 0 for an empty blob. */
int db_col_is_null(db_stmt *st, int col);
int64_t db_col_int(db_stmt *st, int col);
const char *db_col_text(db_stmt *st, int col); /* NULL when SQL NULL */
const void *db_col_blob(db_stmt *st, int col, size_t *n);
void db_finish(db_stmt *st);
/* Rows changed by the last INSERT/UPDATE/DELETE run through st. */
int64_t db_changes(db_stmt *st);

err_code db_rc_err(db_rc rc);

/* Helpers that run a prepared and bound statement. All of them call
 * db_finish, except db_step_row when it returns ERR_OK. Constraint
 * violations are ERR_CONFLICT, other failures db_rc_err's code. */

/* A statement expected to give at most one row: ERR_OK with the row
 * readable through db_col_* (the caller then calls db_finish), or
 * ERR_NOT_FOUND / an error with st already finished. */
err_code db_step_row(db_stmt *st);
/* A statement giving at most one row: *out (if not NULL) gets its first
 * column as an integer; ERR_NOT_FOUND when there is no row. */
err_code db_step_int(db_stmt *st, int64_t *out);
/* INSERT ... RETURNING id: *id_out (if not NULL) gets the id; ERR_CONFLICT
 * on a unique / foreign key / check violation. */
err_code db_step_insert_id(db_stmt *st, int64_t *id_out);
/* A statement without results (INSERT/UPDATE/DELETE); *changes (if not
 * NULL) gets the rows it touched. */
err_code db_step_exec(db_stmt *st, int64_t *changes);
/* db_step_exec for an UPDATE/DELETE of one row by key: ERR_NOT_FOUND
 * unless exactly one row changed. */
err_code db_step_exec_one(db_stmt *st);

/* Reads the current row of st into *item (elem bytes, zeroed), copying
 * text into a. */
typedef void (*db_row_fn)(db_stmt *st, arena *a, void *item);
/* db_row_fn for a statement whose first column is an integer: items are
 * int64_t. */
void db_row_int(db_stmt *st, arena *a, void *item);
/* A statement expected to give at most one row: zeroes *item (elem bytes)
 * and reads the row into it with fn; ERR_NOT_FOUND (item untouched) when
 * there is no row. */
err_code db_step_one(db_stmt *st, arena *a, size_t elem, db_row_fn fn, void *item);
/* Steps st to its end, reading each row with fn into an arena array of
 * elem-sized items, which it returns (never NULL, even with no rows) with
 * *n its length and *rc ERR_OK. On a storage error returns NULL with
 * *n = 0 and *rc the error. */
void *db_step_rows(db_stmt *st, arena *a, size_t elem, db_row_fn fn, size_t *n, err_code *rc);

/* Transactions. fn runs inside BEGIN (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * SERIALIZABLE) and the transaction commits when it returns ERR_OK, rolls
 * back otherwise. ERR_BUSY (from fn or at COMMIT) rolls back and runs fn
 * again, up to a bounded number of attempts with jittered backoff (on
 * PostgreSQL the later attempts run alone behind the write gate, see
 * db.c), so fn
 * must have no effect outside the database except on ctx, which it must
 * (re)initialise at its start. Inside another db_tx, fn simply runs in the
 * outer transaction and its result propagates (the outer one decides). */
typedef err_code (*db_tx_fn)(db *d, void *ctx);
err_code db_tx(db *d, db_tx_fn fn, void *ctx);
/* One read snapshot for the statements a request runs outside db_tx.
 * On SQLite each autocommit statement otherwise opens and closes its own
 * read transaction (locks, WAL read mark) — a third of a lookup's time. A
 * db_tx started while the snapshot is open ends it first, so writes keep
 * their usual BEGIN IMMEDIATE and retries, and opens a fresh one after, so
 * reads after it see the new data. No-op on PostgreSQL. db_snapshot_end is
 * safe to call always.
 *
 * Writes (INSERT, UPDATE, DELETE, REPLACE) belong in db_tx: db_step of one
 * outside a transaction logs "db: bug: write outside a transaction" with
 * the statement and, unless built with NDEBUG, fails with DBR_ERROR. */
void db_snapshot_begin(db *d);
void db_snapshot_end(db *d);

/* True while inside db_tx: a request ending with this set is a bug. */
int db_in_tx(const db *d);
/* Like db_tx for work that only reads but needs one consistent snapshot
 * across several statements (reports, audit verify). SQLite: deferred
 * BEGIN (does not block writers); PostgreSQL: REPEATABLE READ READ ONLY.
 * Writes inside fail. A db_tx/db_tx_read called inside another joins the
 * outer transaction (a write db_tx inside a read one is refused with
 * ERR_INTERNAL). */
err_code db_tx_read(db *d, db_tx_fn fn, void *ctx);

/* Migrations compiled into the binary from src/db/migrations/NNNN_name.sql,
 * applied in order inside transactions and recorded in schema_migrations.
 * *applied receives how many were applied now. */
err_code db_migrate(db *d, int *applied);
/* Number of migrations in the binary not yet recorded in the database
 * (-1 on a storage error). */
int db_pending_migrations(db *d);

/* A fixed-size pool of connections shared by server threads. acquire
 * blocks up to a few seconds; it returns NULL when no connection can be
 * opened (the database is down) so the caller answers 503. */
db_pool *db_pool_new(const char *url, int size);
void db_pool_free(db_pool *p);
db *db_pool_acquire(db_pool *p);
void db_pool_release(db_pool *p, db *d);

#endif

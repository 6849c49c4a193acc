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

/* name: the store function preparing it (db_prepare passes __func__), in
 * the log line when the statement fails. */
db_stmt *db_prepare_named(db *d, const char *sql, const char *name);
#define db_prepare(d, sql) db_prepare_named((d), (sql), __func__)
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

/* Declarative binds and results: a store function is its SQL, one line
 * of parameters and one of results, with no index arithmetic.
 *
 *   int64_t id; const char *name;
 *   return db_get(d, a, "SELECT id, name FROM ente WHERE slug = ?",
 *                 PARAMS(P_TEXT(slug)), RESULTS(R_INT(&id), R_DUP(&name)));
 *
 * A row mapper for a struct is a static table of fields, written once and
 * shared by every query that selects those columns in that order:
 *
 *   static const db_result ENTE_ROW[] = {F_INT(ente, id), F_DUP(ente, slug), F_END};
 *   db_get_into(d, a, "SELECT id, slug FROM ente WHERE id = ?", PARAMS(P_INT(id)),
 *               ENTE_ROW, &e);
 *   e_list = db_list(d, a, "SELECT id, slug FROM ente ORDER BY slug", NULL,
 *                    ENTE_ROW, sizeof(ente), &n, &rc);
 *
 * Every function prepares (cached), binds, steps, reads and finishes; the
 * statement's name in the log is the calling function. Constraint
 * violations are ERR_CONFLICT; "no row" is ERR_NOT_FOUND where a row is
 * expected. Pointer and field types are checked at compile time. */
typedef enum { DBP_END = 0, DBP_INT, DBP_TEXT, DBP_BLOB, DBP_NULL } db_param_type;
typedef struct {
  db_param_type type;
  int64_t i;
  const void *p; /* text (NUL-terminated) or blob */
  size_t n;      /* blob length */
} db_param;

#define P_INT(v) ((db_param){DBP_INT, (int64_t)(v), NULL, 0})
/* NULL text binds SQL NULL */
#define P_TEXT(v) ((db_param){DBP_TEXT, 0, (const char *)(v), 0})
#define P_BLOB(ptr, len) ((db_param){DBP_BLOB, 0, (ptr), (len)})
#define P_NULL ((db_param){DBP_NULL, 0, NULL, 0})
/* 0 binds SQL NULL (optional timestamps and foreign keys) */
#define P_INT_OR_NULL(v) ((db_param){(v) ? DBP_INT : DBP_NULL, (int64_t)(v), NULL, 0})
#define P_END ((db_param){DBP_END, 0, NULL, 0})
#define PARAMS(...) ((const db_param[]){__VA_ARGS__, P_END})

typedef enum { DBC_END = 0, DBC_INT, DBC_I32, DBC_DUP, DBC_BLOB, DBC_SKIP, DBC_FN } db_result_type;
/* Reads column col of st into dst (custom mapping: a code to an enum). */
typedef void (*db_col_fn)(db_stmt *st, int col, arena *a, void *dst);
typedef struct {
  db_result_type type;
  void *ptr;    /* R_*: where to store */
  size_t off;   /* F_*: offset of the field in the row struct */
  size_t off2;  /* DBC_BLOB: offset of / pointer to the size_t length */
  void *ptr2;
  db_col_fn fn; /* DBC_FN */
} db_result;

/* compile-time type checks: a wrong pointer or field type does not build */
#define DB_PTR_INT_(p) _Generic((p), int64_t *: (void *)(p))
#define DB_PTR_I32_(p) _Generic((p), int *: (void *)(p))
#define DB_PTR_STR_(p) _Generic((p), char **: (void *)(p), const char **: (void *)(p))
#define DB_PTR_BLOB_(p) _Generic((p), void **: (void *)(p), const void **: (void *)(p))
#define DB_PTR_LEN_(p) _Generic((p), size_t *: (void *)(p))
#define DB_FIELD_(S, f, ok) (offsetof(S, f) + 0 * sizeof(char[_Generic(((S *)0)->f, ok)]))
#define DB_OK_INT_ int64_t : 1, default : -1
#define DB_OK_I32_ int : 1, default : -1
#define DB_OK_STR_ char * : 1, const char * : 1, default : -1
/* into variables: int64_t *, int *, char ** (arena copy; NULL stays NULL);
 * a NULL pointer skips the column (an optional out-parameter) */
#define R_INT(p) ((db_result){DBC_INT, DB_PTR_INT_(p), 0, 0, NULL, NULL})
#define R_I32(p) ((db_result){DBC_I32, DB_PTR_I32_(p), 0, 0, NULL, NULL})
#define R_DUP(p) ((db_result){DBC_DUP, DB_PTR_STR_(p), 0, 0, NULL, NULL})
#define R_BLOB(p, lenp) ((db_result){DBC_BLOB, DB_PTR_BLOB_(p), 0, 0, DB_PTR_LEN_(lenp), NULL})
#define R_FN(fn_, p) ((db_result){DBC_FN, (p), 0, 0, NULL, (fn_)})
#define R_SKIP ((db_result){DBC_SKIP, NULL, 0, 0, NULL, NULL})
#define R_END ((db_result){DBC_END, NULL, 0, 0, NULL, NULL})
#define RESULTS(...) ((const db_result[]){__VA_ARGS__, R_END})
/* into fields of a row struct S */
#define F_INT(S, f) {DBC_INT, NULL, DB_FIELD_(S, f, DB_OK_INT_), 0, NULL, NULL}
#define F_I32(S, f) {DBC_I32, NULL, DB_FIELD_(S, f, DB_OK_I32_), 0, NULL, NULL}
#define F_DUP(S, f) {DBC_DUP, NULL, DB_FIELD_(S, f, DB_OK_STR_), 0, NULL, NULL}
#define F_FN(S, f, fn_) {DBC_FN, NULL, offsetof(S, f), 0, NULL, (fn_)}
/* the row is a bare int64_t (a list of ids) */
#define F_SELF_INT {DBC_INT, NULL, 0, 0, NULL, NULL}
#define F_SKIP {DBC_SKIP, NULL, 0, 0, NULL, NULL}
#define F_END {DBC_END, NULL, 0, 0, NULL, NULL}

/* Binds p (P_END-terminated; NULL for none) to st. */
void db_bind_params(db_stmt *st, const db_param *p);
/* Reads the current row of st through spec: into the R_* pointers when
 * base is NULL, into base + F_* offsets otherwise. */
void db_read_row(db_stmt *st, arena *a, const db_result *spec, void *base);
/* Every remaining row of st into an arena array (as db_list), then
 * finishes st. */
void *db_read_rows(db_stmt *st, arena *a, const db_result *spec, size_t elem, size_t *n, err_code *rc);

/* INSERT/UPDATE/DELETE; *changes (if not NULL) gets the rows touched. */
err_code db_exec_(db *d, const char *name, const char *sql, const db_param *p, int64_t *changes);
#define db_exec(d, sql, p, changes) db_exec_((d), __func__, (sql), (p), (changes))
/* UPDATE/DELETE of one row by key: ERR_NOT_FOUND unless exactly one row
 * changed. */
err_code db_exec_one_(db *d, const char *name, const char *sql, const db_param *p);
#define db_exec_one(d, sql, p) db_exec_one_((d), __func__, (sql), (p))
/* INSERT ... RETURNING id. */
err_code db_insert_(db *d, const char *name, const char *sql, const db_param *p, int64_t *id);
#define db_insert(d, sql, p, id) db_insert_((d), __func__, (sql), (p), (id))
/* At most one row into R_* pointers (a may be NULL without R_DUP/R_BLOB);
 * ERR_NOT_FOUND when there is none. */
err_code db_get_(db *d, const char *name, arena *a, const char *sql, const db_param *p,
                 const db_result *r);
#define db_get(d, a, sql, p, r) db_get_((d), __func__, (a), (sql), (p), (r))
/* At most one row into *item (zeroed first) through a F_* spec. */
err_code db_get_into_(db *d, const char *name, arena *a, const char *sql, const db_param *p,
                      const db_result *spec, void *item, size_t elem);
#define db_get_into(d, a, sql, p, spec, item) \
  db_get_into_((d), __func__, (a), (sql), (p), (spec), (item), sizeof *(item))
/* Every row into an arena array of elem-sized structs through a F_* spec
 * (never NULL on success, even with no rows); on a storage error NULL with
 * *n = 0 and *rc the error. */
void *db_list_(db *d, const char *name, arena *a, const char *sql, const db_param *p,
               const db_result *spec, size_t elem, size_t *n, err_code *rc);
#define db_list(d, a, sql, p, spec, elem, n, rc) \
  db_list_((d), __func__, (a), (sql), (p), (spec), (elem), (n), (rc))
/* Streams rows: each is read through spec into *row (zeroed first), then
 * fn(row, ctx) runs; a non-OK return from fn stops and is returned. */
typedef err_code (*db_row_cb)(void *row, void *ctx);
err_code db_each_(db *d, const char *name, arena *a, const char *sql, const db_param *p,
                  const db_result *spec, void *row, size_t elem, db_row_cb fn, void *ctx);
#define db_each(d, a, sql, p, spec, row, fn, ctx) \
  db_each_((d), __func__, (a), (sql), (p), (spec), (row), sizeof *(row), (fn), (ctx))

/* Several reads sent together (db_batch.c): on PostgreSQL in one round
 * trip (libpq pipeline mode) and, outside a transaction, in one REPEATABLE
 * READ READ ONLY snapshot unless snapshot is set to 0; on SQLite one after the other (inside the
 * request's read snapshot). Queue with db_batch_list / db_batch_get_into,
 * then db_batch_run fills every output, or returns the first error with
 * every output empty. Reads only: a write queued here is a bug
 * (ERR_INTERNAL). Outputs are written by db_batch_run, not before. */
#define DB_BATCH_MAX 8
typedef struct {
  db_stmt *st;
  const db_result *spec;
  size_t elem;
  void **rows; /* list: the array, *n its length */
  size_t *n;
  void *item; /* get_into: the row, *found 1 when there was one */
  int *found;
} db_batch_op;
typedef struct {
  db *d;
  arena *a;
  int n;
  int snapshot; /* 1 (db_batch_init): one snapshot on PostgreSQL; set 0 when the reads need not agree */
  err_code rc;  /* the first failure while queueing */
  db_batch_op op[DB_BATCH_MAX];
} db_batch;
void db_batch_init(db_batch *b, db *d, arena *a);
void db_batch_list_(db_batch *b, const char *name, const char *sql, const db_param *p, const db_result *spec,
                    size_t elem, void **rows, size_t *n);
#define db_batch_list(b, sql, p, spec, elem, rows, n) \
  db_batch_list_((b), __func__, (sql), (p), (spec), (elem), (void **)(rows), (n))
/* At most one row into *item (zeroed first); *found tells whether there was one. */
void db_batch_get_into_(db_batch *b, const char *name, const char *sql, const db_param *p,
                        const db_result *spec, void *item, size_t elem, int *found);
#define db_batch_get_into(b, sql, p, spec, item, found) \
  db_batch_get_into_((b), __func__, (sql), (p), (spec), (item), sizeof *(item), (found))
err_code db_batch_run(db_batch *b);

/* The content-addressed blob table shared by every area (db_blob.c):
 * put stores data under its SHA-256 (hex) unless already there; get reads
 * it into the arena (ERR_NOT_FOUND when absent). */
err_code db_blob_put(db *d, const char *sha256, const void *data, int64_t size, int64_t now);
err_code db_blob_get(db *d, arena *a, const char *sha256, const void **data, size_t *len);

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
/* name appears in the log when the transaction retries or fails; db_tx
 * passes the function's name. */
err_code db_tx_named(db *d, const char *name, db_tx_fn fn, void *ctx);
#define db_tx(d, fn, ctx) db_tx_named((d), #fn, (fn), (ctx))
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
err_code db_tx_read_named(db *d, const char *name, db_tx_fn fn, void *ctx);
#define db_tx_read(d, fn, ctx) db_tx_read_named((d), #fn, (fn), (ctx))
/* Like db_tx for transactions whose consistency rests on row locks they
 * take themselves (a per-Ente counter or chain head incremented with
 * UPDATE ... RETURNING, SELECT ... FOR UPDATE) and on unique constraints,
 * not on snapshot reads: PostgreSQL READ COMMITTED, so concurrent writers
 * of one counter wait for each other instead of failing with 40001 and
 * retrying; SQLite BEGIN IMMEDIATE as always. Nested inside another
 * transaction it joins it (with the outer one's isolation). */
err_code db_tx_locking_named(db *d, const char *name, db_tx_fn fn, void *ctx);
#define db_tx_locking(d, fn, ctx) db_tx_locking_named((d), #fn, (fn), (ctx))

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

/* Private to src/db: the backend vtable and the shared pieces db.c keeps
 * for both backends (statement cache, transaction state, error text).
 * Nothing outside src/db and tests/db includes this. */
#ifndef SP_DB_INTERNAL_H
#define SP_DB_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DB_CACHE_BUCKETS 256
#define DB_CACHE_MAX 1024 /* statements beyond this are freed on finish */
#define DB_ERRLEN 512

/* Common head of every backend statement (first member of the backend's
 * own struct). db.c owns the cache fields; backends own the rest. */
struct db_stmt {
  db *d;
  char *sql;        /* the caller's SQL text: the cache key */
  const char *name; /* the store function that prepared it, for logs */
  uint32_t hash; /* of sql */
  int busy;      /* handed out by db_prepare, not yet finished */
  int cached;    /* linked into d->cache */
  int is_write;  /* INSERT / UPDATE / DELETE: only inside db_tx */
  db_stmt *next; /* bucket chain */
};

typedef struct db_ops {
  db_kind kind;
  /* Frees backend resources and the db itself (statements already freed). */
  void (*close)(db *d);
  db_rc (*exec_script)(db *d, const char *sql);
  /* Allocates a backend statement; db.c fills the common head after. */
  db_stmt *(*prepare)(db *d, const char *sql);
  void (*stmt_free)(db_stmt *st);
  void (*bind_int)(db_stmt *st, int idx, int64_t v);
  void (*bind_text)(db_stmt *st, int idx, const char *v);
  void (*bind_blob)(db_stmt *st, int idx, const void *p, size_t n);
  void (*bind_null)(db_stmt *st, int idx);
  db_rc (*step)(db_stmt *st);
  int (*col_is_null)(db_stmt *st, int col);
  int64_t (*col_int)(db_stmt *st, int col);
  const char *(*col_text)(db_stmt *st, int col);
  const void *(*col_blob)(db_stmt *st, int col, size_t *n);
  /* Back to the just-prepared state: results dropped, binds cleared. */
  void (*reset)(db_stmt *st);
  int64_t (*changes)(db_stmt *st);
  /* Transaction control; mode is one of DB_BEGIN_*. */
  db_rc (*begin)(db *d, int mode);
  db_rc (*commit)(db *d);
  void (*rollback)(db *d);
  /* 1 when the connection is known to be unusable (no round trip). */
  int (*broken)(db *d);
  /* Re-establishes a lost connection; 0 on success. */
  int (*reconnect)(db *d);
  void (*set_busy_timeout)(db *d, int ms);
  /* The write gate (PostgreSQL; NULL on SQLite, where writers are already
   * serialised): lock=1 waits until no other write transaction runs and
   * keeps them out, lock=0 lets them in again. Taken outside a
   * transaction, so the snapshot of the transaction that follows is
   * taken after the wait. */
  db_rc (*gate)(db *d, int lock);
  /* Runs n bound read statements at once (NULL: db.c steps them one by
   * one), in one snapshot when asked; each keeps its whole result for step
   * to hand out. DBR_DONE, or
   * the first failure with no statement holding a result. */
  db_rc (*batch)(db *d, db_stmt **sts, int n, int snapshot);
} db_ops;

/* begin modes: a write transaction (on PostgreSQL it also takes the
 * write gate shared), a read-only snapshot, a write transaction of a
 * connection that already holds the gate exclusively, or a locking write
 * transaction (db_tx_locking: READ COMMITTED on PostgreSQL, gate shared). */
enum { DB_BEGIN_WRITE = 0, DB_BEGIN_READ = 1, DB_BEGIN_ALONE = 2, DB_BEGIN_LOCKING = 3 };

/* Shared connection state; each backend's connection struct starts with
 * this as its first member. */
struct db {
  const db_ops *ops;
  int tx_depth; /* db_tx nesting; >0 while a transaction is open */
  int tx_read;  /* the open transaction is read-only */
  int snapshot; /* a db_snapshot_begin read transaction is open (SQLite) */
  int bare_writes_ok; /* writes outside db_tx allowed: only tests/db of the statement API set it */
  char err[DB_ERRLEN];
  db_stmt *cache[DB_CACHE_BUCKETS];
  int ncached;
};

/* Called by a backend right after allocating its connection struct. */
void db_base_init(db *d, const db_ops *ops);
/* Sets the connection's error text (printf-style, truncated). */
void db_set_err(db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes into buf (errlen bytes) like snprintf; for open failures. */
void db_errf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Backend constructors; NULL plus a reason in err on failure. */
db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *url, char *err, size_t errlen);

/* Rewrites '?' placeholders as $1..$n, leaving '?' inside '...' string
 * literals, "..." identifiers and -- / C-style comments alone. Returns
 * malloc'ed text (NULL on out of memory); *nparams gets n. */
char *db_sql_to_pg(const char *sql, int *nparams);

/* Expands migration dialect tokens (@PK@, @BLOB@) for kind. malloc'ed. */
char *db_expand_tokens(db_kind kind, const char *sql);

/* Rolls back and leaves any open transaction (pool release of a
 * connection a caller forgot in a transaction). */
void db_tx_abort(db *d);

/* The migrations compiled in by scripts/embed-migrations, sorted by
 * version. */
typedef struct {
  int version;
  const char *name;
  const char *sql;
} db_migration;
extern const db_migration db_migrations[];
extern const int db_migrations_count;

#endif

/* Backend-independent half of the storage layer: URL dispatch, the
 * per-connection statement cache, the transaction runner and the '?' to
 * $n rewriting the PostgreSQL backend needs. Backends plug in through the
 * db_ops vtable (db_internal.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "db/db_internal.h"

#define TX_MAX_ATTEMPTS 10
/* On PostgreSQL, attempts from this one on run alone behind the write gate
 * (see tx_attempt). */
#define TX_ALONE_AFTER 3
#define TX_BACKOFF_BASE_US 4000L
#define TX_BACKOFF_CAP_US 400000L

/* Drivers write multi-line messages ending in a newline; logs want one
 * line: control characters become spaces, trailing blanks go. */
static void one_line(char *s) {
  size_t n = 0;
  for (char *p = s; *p; p++, n++)
    if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
  while (n > 0 && s[n - 1] == ' ') s[--n] = 0;
}

void db_base_init(db *d, const db_ops *ops) {
  memset(d, 0, sizeof *d);
  d->ops = ops;
}

void db_set_err(db *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->err, sizeof d->err, fmt, ap);
  va_end(ap);
  one_line(d->err);
}

void db_errf(char *buf, size_t len, const char *fmt, ...) {
  if (!buf || len == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, len, fmt, ap);
  va_end(ap);
  one_line(buf);
}

/* The URL scheme picks the backend; "sqlite:" takes a path (an optional
 * "//" after the colon is dropped, so sqlite:///abs/path works too). */
db *db_open(const char *url, char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  if (!url || !*url) {
    db_errf(err, errlen, "URL del database mancante");
    return NULL;
  }
  if (strncmp(url, "sqlite:", 7) == 0) {
    const char *path = url + 7;
    if (strncmp(path, "//", 2) == 0) path += 2;
    if (!*path) {
      db_errf(err, errlen, "URL SQLite senza percorso del file");
      return NULL;
    }
    return db_sqlite_open(path, err, errlen);
  }
  if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
    return db_pg_open(url, err, errlen);
  db_errf(err, errlen, "URL del database non riconosciuto (usa sqlite:PERCORSO o postgresql://...)");
  return NULL;
}

/* Frees every cached statement, then the backend connection. */
void db_close(db *d) {
  if (!d) return;
  if (d->tx_depth > 0) db_tx_abort(d);
  for (int b = 0; b < DB_CACHE_BUCKETS; b++) {
    db_stmt *st = d->cache[b];
    while (st) {
      db_stmt *next = st->next;
      free(st->sql);
      d->ops->stmt_free(st);
      st = next;
    }
    d->cache[b] = NULL;
  }
  d->ops->close(d);
}

db_kind db_backend(const db *d) { return d->ops->kind; }

const char *db_errmsg(const db *d) { return d ? d->err : "nessuna connessione"; }

void db_set_busy_timeout(db *d, int ms) {
  if (d && ms >= 0) d->ops->set_busy_timeout(d, ms);
}

/* Outside a transaction a broken connection is re-established once; inside
 * one that would silently drop the transaction, so it only reports. */
err_code db_ping(db *d) {
  if (!d) return ERR_UNAVAILABLE;
  if (d->tx_depth == 0 && d->ops->broken(d) && d->ops->reconnect(d) != 0) return ERR_UNAVAILABLE;
  db_rc rc = d->ops->exec_script(d, "SELECT 1");
  if (rc == DBR_UNAVAILABLE && d->tx_depth == 0) {
    if (d->ops->reconnect(d) != 0) return ERR_UNAVAILABLE;
    rc = d->ops->exec_script(d, "SELECT 1");
  }
  return rc == DBR_DONE ? ERR_OK : db_rc_err(rc);
}

db_rc db_exec_script(db *d, const char *sql) {
  if (!d || !sql) return DBR_ERROR;
  return d->ops->exec_script(d, sql);
}

/* FNV-1a: cheap and good enough to spread a few hundred SQL strings. */
static uint32_t sql_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static int is_ident_char(char c);

/* 1 when sql changes data (INSERT, UPDATE, DELETE, REPLACE), judged by
 * its first word after blanks and comments. */
static int sql_is_write(const char *s) {
  for (;;) {
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (s[0] == '-' && s[1] == '-') {
      while (*s && *s != '\n') s++;
    } else if (s[0] == '/' && s[1] == '*') {
      const char *e = strstr(s + 2, "*/");
      if (!e) return 0;
      s = e + 2;
    } else {
      break;
    }
  }
  static const char *const words[] = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t n = strlen(words[i]);
    if (strncasecmp(s, words[i], n) == 0 && !is_ident_char(s[n])) return 1;
  }
  return 0;
}

/* Hands out a cached idle statement with the same text, or prepares a new
 * one. The same SQL can be in use twice at once (nested loops): the
 * second use gets its own statement. */
db_stmt *db_prepare_named(db *d, const char *sql, const char *name) {
  if (!d || !sql) return NULL;
  if (!name) name = "?";
  uint32_t h = sql_hash(sql);
  int b = (int)(h % DB_CACHE_BUCKETS);
  for (db_stmt *st = d->cache[b]; st; st = st->next) {
    if (!st->busy && st->hash == h && strcmp(st->sql, sql) == 0) {
      st->busy = 1;
      st->name = name;
      return st;
    }
  }
  db_stmt *st = d->ops->prepare(d, sql);
  if (!st) {
    err_cause("prepare %s: %s", name, d->err);
    return NULL;
  }
  st->d = d;
  st->name = name;
  st->sql = strdup(sql);
  if (!st->sql) {
    d->ops->stmt_free(st);
    db_set_err(d, "out of memory");
    return NULL;
  }
  st->hash = h;
  st->busy = 1;
  st->is_write = sql_is_write(sql);
  if (d->ncached < DB_CACHE_MAX) {
    st->cached = 1;
    st->next = d->cache[b];
    d->cache[b] = st;
    d->ncached++;
  }
  return st;
}

void db_bind_int(db_stmt *st, int idx, int64_t v) {
  if (st) st->d->ops->bind_int(st, idx, v);
}

void db_bind_text(db_stmt *st, int idx, const char *v) {
  if (!st) return;
  if (v)
    st->d->ops->bind_text(st, idx, v);
  else
    st->d->ops->bind_null(st, idx);
}

void db_bind_blob(db_stmt *st, int idx, const void *p, size_t n) {
  if (!st) return;
  if (!p && n == 0)
    st->d->ops->bind_null(st, idx);
  else
    st->d->ops->bind_blob(st, idx, p ? p : "", p ? n : 0);
}

void db_bind_null(db_stmt *st, int idx) {
  if (st) st->d->ops->bind_null(st, idx);
}

/* A write outside db_tx is a bug: it escapes the retry and the audit row
 * that go with a transaction, and on SQLite inside a request's read
 * snapshot it turns the snapshot into a write transaction. It is logged
 * with the statement and, unless built with NDEBUG (-Db_ndebug=true),
 * refused, so every test that reaches it fails. */
static db_rc write_outside_tx(db_stmt *st) {
  db_set_err(st->d, "write outside a transaction (db_tx): %.160s", st->sql);
  log_error("db: bug: statement %s: %s", st->name, st->d->err);
#ifdef NDEBUG
  return st->d->ops->step(st);
#else
  err_cause("statement %s: %s", st->name, st->d->err);
  return DBR_ERROR;
#endif
}

/* A failing step records its cause (statement name and driver message)
 * for the log line of the 5xx it may turn into. */
db_rc db_step(db_stmt *st) {
  if (!st) return DBR_ERROR;
  if (st->is_write && st->d->tx_depth == 0 && !st->d->bare_writes_ok) return write_outside_tx(st);
  db_rc rc = st->d->ops->step(st);
  if (rc != DBR_ROW && rc != DBR_DONE) err_cause("statement %s: %s", st->name, st->d->err);
  return rc;
}

int db_col_is_null(db_stmt *st, int col) { return st ? st->d->ops->col_is_null(st, col) : 1; }

int64_t db_col_int(db_stmt *st, int col) { return st ? st->d->ops->col_int(st, col) : 0; }

const char *db_col_text(db_stmt *st, int col) { return st ? st->d->ops->col_text(st, col) : NULL; }

const void *db_col_blob(db_stmt *st, int col, size_t *n) {
  if (n) *n = 0;
  if (!st) return NULL;
  size_t len = 0;
  const void *p = st->d->ops->col_blob(st, col, &len);
  if (n) *n = len;
  return p;
}

int64_t db_changes(db_stmt *st) { return st ? st->d->ops->changes(st) : 0; }

/* Returns the statement to the cache (or frees an uncached one). */
void db_finish(db_stmt *st) {
  if (!st) return;
  db *d = st->d;
  d->ops->reset(st);
  st->busy = 0;
  if (!st->cached) {
    free(st->sql);
    d->ops->stmt_free(st);
  }
}

err_code db_rc_err(db_rc rc) {
  switch (rc) {
    case DBR_ROW:
    case DBR_DONE:
      return ERR_OK;
    case DBR_CONSTRAINT:
      return ERR_CONFLICT;
    case DBR_BUSY:
      return ERR_BUSY;
    case DBR_UNAVAILABLE:
      return ERR_UNAVAILABLE;
    case DBR_ERROR:
      break;
  }
  return ERR_STORAGE;
}

/* The one place that turns "no row" into ERR_NOT_FOUND; the row stays
 * readable on success so callers can read any columns they like. */
err_code db_step_row(db_stmt *st) {
  db_rc rc = db_step(st);
  if (rc == DBR_ROW) return ERR_OK;
  db_finish(st);
  return rc == DBR_DONE ? ERR_NOT_FOUND : db_rc_err(rc);
}

err_code db_step_int(db_stmt *st, int64_t *out) {
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  if (out) *out = db_col_int(st, 0);
  db_finish(st);
  return ERR_OK;
}

/* No row from RETURNING without a constraint failure is a bug, not a
 * missing row: ERR_INTERNAL. */
err_code db_step_insert_id(db_stmt *st, int64_t *id_out) {
  db_rc rc = db_step(st);
  if (rc == DBR_ROW && id_out) *id_out = db_col_int(st, 0);
  db_finish(st);
  if (rc == DBR_ROW) return ERR_OK;
  return rc == DBR_DONE ? ERR_INTERNAL : db_rc_err(rc);
}

/* A row where none was expected is not an error (the statement ran). */
err_code db_step_exec(db_stmt *st, int64_t *changes) {
  db_rc rc = db_step(st);
  if (changes) *changes = db_changes(st);
  db_finish(st);
  return db_rc_err(rc);
}

err_code db_step_exec_one(db_stmt *st) {
  int64_t n = 0;
  err_code rc = db_step_exec(st, &n);
  if (rc != ERR_OK) return rc;
  return n == 1 ? ERR_OK : ERR_NOT_FOUND;
}

void db_row_int(db_stmt *st, arena *a, void *item) {
  (void)a;
  *(int64_t *)item = db_col_int(st, 0);
}

err_code db_step_one(db_stmt *st, arena *a, size_t elem, db_row_fn fn, void *item) {
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  memset(item, 0, elem);
  fn(st, a, item);
  db_finish(st);
  return ERR_OK;
}

void *db_step_rows(db_stmt *st, arena *a, size_t elem, db_row_fn fn, size_t *n, err_code *rc) {
  size_t cnt = 0, cap = 0;
  unsigned char *v = arena_grow(a, NULL, elem, 0, &cap);
  db_rc r;
  while ((r = db_step(st)) == DBR_ROW) {
    v = arena_grow(a, v, elem, cnt, &cap);
    fn(st, a, v + cnt * elem);
    cnt++;
  }
  db_finish(st);
  *rc = db_rc_err(r);
  if (*rc != ERR_OK) {
    *n = 0;
    return NULL;
  }
  *n = cnt;
  return v;
}

int db_in_tx(const db *d) { return d && d->tx_depth > 0; }

/* Runs a parameterless statement through the statement cache. */
static db_rc run_cached(db *d, const char *sql) {
  db_stmt *st = db_prepare(d, sql);
  if (!st) return DBR_ERROR;
  db_rc rc = db_step(st);
  db_finish(st);
  return rc;
}

void db_snapshot_begin(db *d) {
  if (!d || d->snapshot || d->tx_depth > 0 || db_backend(d) != DB_SQLITE) return;
  /* on failure the request simply runs its statements in autocommit */
  if (run_cached(d, "BEGIN DEFERRED") == DBR_DONE) d->snapshot = 1;
}

void db_snapshot_end(db *d) {
  if (!d || !d->snapshot) return;
  d->snapshot = 0;
  if (run_cached(d, "COMMIT") != DBR_DONE) run_cached(d, "ROLLBACK");
}

void db_tx_abort(db *d) {
  if (!d || d->tx_depth == 0) return;
  d->ops->rollback(d);
  d->tx_depth = 0;
  d->tx_read = 0;
}

/* xorshift64 per thread: jitter only needs to differ between threads. */
static uint64_t jitter_rand(void) {
  static _Thread_local uint64_t s;
  if (s == 0) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)&s ^
        (uint64_t)pthread_self();
    if (s == 0) s = 88172645463325252ull;
  }
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}

/* Exponential backoff capped, sleeping a random time in [b/2, b] so that
 * contenders that failed together do not retry together. */
static void backoff(int attempt) {
  long b = TX_BACKOFF_BASE_US << (attempt < 12 ? attempt : 12);
  if (b > TX_BACKOFF_CAP_US) b = TX_BACKOFF_CAP_US;
  long us = b / 2 + (long)(jitter_rand() % (uint64_t)(b / 2 + 1));
  struct timespec ts = {us / 1000000L, (us % 1000000L) * 1000L};
  nanosleep(&ts, NULL);
}

/* BEGIN, reconnecting once if the connection turned out to be lost (safe:
 * nothing of this transaction has run yet). A BEGIN that failed half-way
 * (the gate's statement after it) leaves no transaction open. */
static db_rc tx_begin(db *d, int mode) {
  db_rc rc = d->ops->begin(d, mode);
  if (rc == DBR_UNAVAILABLE && d->ops->reconnect(d) == 0) rc = d->ops->begin(d, mode);
  if (rc != DBR_DONE) d->ops->rollback(d);
  return rc;
}

/* One attempt: BEGIN, fn, COMMIT (or ROLLBACK). ERR_BUSY means "again". */
static err_code tx_attempt(db *d, db_tx_fn fn, void *ctx, int mode) {
  db_rc br = tx_begin(d, mode);
  if (br != DBR_DONE) return db_rc_err(br);
  d->tx_depth = 1;
  d->tx_read = mode == DB_BEGIN_READ;
  err_code rc = fn(d, ctx);
  if (rc == ERR_OK) {
    db_rc cr = d->ops->commit(d);
    if (cr == DBR_DONE) {
      d->tx_depth = 0;
      d->tx_read = 0;
      return ERR_OK;
    }
    rc = db_rc_err(cr);
  }
  db_tx_abort(d);
  return rc;
}

/* Retries a transaction that failed on contention. PostgreSQL's
 * SERIALIZABLE aborts rather than waits (a row lock waited for, then found
 * updated; read/write dependencies between concurrent writers), so under
 * sustained contention a transaction could lose every round. From attempt
 * TX_ALONE_AFTER on it therefore takes the write gate exclusively before
 * BEGIN: the writers in progress finish, new ones wait, and it runs with
 * no concurrent writer to conflict with. SQLite needs none of this:
 * BEGIN IMMEDIATE already runs writers one at a time. */
static err_code tx_retry(db *d, const char *name, db_tx_fn fn, void *ctx, int kind);

/* kind: DB_BEGIN_WRITE, DB_BEGIN_READ or DB_BEGIN_LOCKING. */
static err_code tx_run(db *d, const char *name, db_tx_fn fn, void *ctx, int kind) {
  int read = kind == DB_BEGIN_READ;
  if (!d || !fn) return ERR_INTERNAL;
  if (d->tx_depth > 0) {
    if (d->tx_read && !read) {
      db_set_err(d, "write transaction requested inside a read-only one");
      log_error("db: %s", d->err);
      return ERR_INTERNAL;
    }
    d->tx_depth++;
    err_code rc = fn(d, ctx);
    d->tx_depth--;
    return rc;
  }
  /* a write must not run inside the request's read snapshot: it ends
   * first, and a fresh one (which sees this transaction) starts after */
  int snapshot = d->snapshot;
  db_snapshot_end(d);
  err_code rc = tx_retry(d, name, fn, ctx, kind);
  if (snapshot) db_snapshot_begin(d);
  return rc;
}

static err_code tx_retry(db *d, const char *name, db_tx_fn fn, void *ctx, int kind) {
  int read = kind == DB_BEGIN_READ;
  err_code rc = ERR_BUSY;
  d->err[0] = 0; /* so a give-up message names this transaction's cause */
  for (int attempt = 0; attempt < TX_MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) backoff(attempt);
    int alone = !read && attempt >= TX_ALONE_AFTER && d->ops->gate && d->ops->gate(d, 1) == DBR_DONE;
    rc = tx_attempt(d, fn, ctx, alone ? DB_BEGIN_ALONE : kind);
    if (alone) d->ops->gate(d, 0);
    if (rc != ERR_BUSY) {
      if (err_http_status(rc) >= 500)
        log_warn("db: transaction %s failed (%s): %s", name, err_slug(rc),
                 err_cause_peek() ? err_cause_peek() : "no cause recorded");
      return rc;
    }
    log_info("db: transaction %s contended, attempt %d of %d%s: %s", name, attempt + 1,
             TX_MAX_ATTEMPTS, alone ? " (alone)" : "", d->err[0] ? d->err : "busy");
  }
  log_warn("db: transaction %s still contended after %d attempts: %s", name, TX_MAX_ATTEMPTS,
           d->err[0] ? d->err : "the transaction itself reported ERR_BUSY");
  err_cause("transaction %s: still contended after %d attempts", name, TX_MAX_ATTEMPTS);
  return ERR_BUSY;
}

err_code db_tx_named(db *d, const char *name, db_tx_fn fn, void *ctx) {
  return tx_run(d, name, fn, ctx, DB_BEGIN_WRITE);
}

err_code db_tx_read_named(db *d, const char *name, db_tx_fn fn, void *ctx) {
  return tx_run(d, name, fn, ctx, DB_BEGIN_READ);
}

err_code db_tx_locking_named(db *d, const char *name, db_tx_fn fn, void *ctx) {
  return tx_run(d, name, fn, ctx, DB_BEGIN_LOCKING);
}

/* Copies a quoted run (string literal or identifier) starting at s[i],
 * honouring doubled quotes and, for E'...' strings, backslash escapes.
 * Returns the index just past it. */
static size_t skip_quoted(const char *s, size_t i, char q, int backslash, char *out, size_t *o) {
  out[(*o)++] = s[i++];
  while (s[i]) {
    char c = s[i];
    out[(*o)++] = c;
    i++;
    if (backslash && c == '\\' && s[i]) {
      out[(*o)++] = s[i++];
    } else if (c == q) {
      if (s[i] == q) {
        out[(*o)++] = s[i++];
      } else {
        break;
      }
    }
  }
  return i;
}

static int is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char *db_sql_to_pg(const char *sql, int *nparams) {
  size_t len = strlen(sql), marks = 0;
  for (size_t i = 0; i < len; i++) marks += sql[i] == '?';
  char *out = malloc(len + marks * 6 + 1);
  if (!out) return NULL;
  size_t i = 0, o = 0;
  int n = 0;
  while (i < len) {
    char c = sql[i];
    if (c == '\'') {
      int esc = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_ident_char(sql[i - 2]));
      i = skip_quoted(sql, i, '\'', esc, out, &o);
    } else if (c == '"') {
      i = skip_quoted(sql, i, '"', 0, out, &o);
    } else if (c == '-' && sql[i + 1] == '-') {
      while (i < len && sql[i] != '\n') out[o++] = sql[i++];
    } else if (c == '/' && sql[i + 1] == '*') {
      out[o++] = sql[i++];
      out[o++] = sql[i++];
      while (i < len && !(sql[i] == '*' && sql[i + 1] == '/')) out[o++] = sql[i++];
      if (i < len) {
        out[o++] = sql[i++];
        out[o++] = sql[i++];
      }
    } else if (c == '?' && n < 99999) {
      o += (size_t)sprintf(out + o, "$%d", ++n);
      i++;
    } else {
      out[o++] = sql[i++];
    }
  }
  out[o] = 0;
  if (nparams) *nparams = n;
  return out;
}

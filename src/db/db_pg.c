/* PostgreSQL backend: the only file that includes libpq-fe.h.
 * Statements are prepared lazily at their first step (so the parameter
 * types of that first binding are known: int -> int8, blob -> bytea,
 * text/NULL -> inferred by the server) under a generated name, once per
 * connection; results come back whole in text format. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"

#define INT8OID 20
#define BYTEAOID 17

typedef struct {
  db base;
  PGconn *c;
  unsigned gen;     /* bumped on reconnect: named statements are gone */
  unsigned next_id; /* for statement names */
  db_rc tx_fail;    /* first failure inside the open transaction */
} pg_db;

typedef struct {
  db_stmt base;
  char *sql; /* with $n placeholders */
  int n;     /* parameter count */
  char name[24];
  int prepared;
  unsigned gen;
  char **vals;
  int *lens, *fmts;
  Oid *types;
  int bind_err;
  PGresult *res;
  int row, nrows, done;
  unsigned char **blobs; /* decoded bytea of the current row, per column */
  size_t *blob_lens;
  int nblobs;
  int64_t changes;
} pg_stmt;

static pg_db *PG(db *d) { return (pg_db *)d; }
static pg_stmt *ST(db_stmt *st) { return (pg_stmt *)st; }

static void quiet_notices(void *arg, const char *msg) {}

/* Maps a failed result (or a failure with no result) to a db_rc, records
 * a one-line message (primary text and SQLSTATE, no DETAIL: that can hold
 * row data) and remembers the first failure of the transaction. */
static db_rc classify(pg_db *d, const PGresult *r) {
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (!msg) msg = PQerrorMessage(d->c);
  db_set_err(&d->base, "postgresql: %s [%s]", msg, state ? state : "-");
  db_rc rc;
  if (PQstatus(d->c) == CONNECTION_BAD)
    rc = DBR_UNAVAILABLE;
  else if (!state)
    rc = r ? DBR_ERROR : DBR_UNAVAILABLE;
  else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
    rc = DBR_BUSY;
  else if (!strncmp(state, "23", 2))
    rc = DBR_CONSTRAINT;
  else if (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4))
    rc = DBR_UNAVAILABLE;
  else
    rc = DBR_ERROR;
  if (d->base.tx_depth > 0 && d->tx_fail == DBR_DONE) d->tx_fail = rc;
  return rc;
}

static void pg_close(db *d) {
  PQfinish(PG(d)->c);
  free(d);
}

static db_rc pg_exec(db *d, const char *sql) {
  PGresult *r = PQexec(PG(d)->c, sql);
  ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  db_rc rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? DBR_DONE : classify(PG(d), r);
  PQclear(r);
  return rc;
}

static db_stmt *pg_prepare(db *d, const char *sql) {
  pg_stmt *st = calloc(1, sizeof *st);
  if (!st) goto oom;
  st->sql = db_sql_to_pg(sql, &st->n);
  if (!st->sql) goto oom;
  if (st->n > 0) {
    st->vals = calloc((size_t)st->n, sizeof *st->vals);
    st->lens = calloc((size_t)st->n, sizeof *st->lens);
    st->fmts = calloc((size_t)st->n, sizeof *st->fmts);
    st->types = calloc((size_t)st->n, sizeof *st->types);
    if (!st->vals || !st->lens || !st->fmts || !st->types) goto oom;
  }
  snprintf(st->name, sizeof st->name, "sp%u", ++PG(d)->next_id);
  st->row = -1;
  return &st->base;
oom:
  if (st) {
    free(st->sql);
    free(st->vals);
    free(st->lens);
    free(st->fmts);
    free(st->types);
    free(st);
  }
  db_set_err(d, "out of memory");
  return NULL;
}

static void free_blobs(pg_stmt *s) {
  for (int i = 0; i < s->nblobs; i++) {
    if (s->blobs[i]) PQfreemem(s->blobs[i]);
    s->blobs[i] = NULL;
  }
}

static void clear_binds(pg_stmt *s) {
  for (int i = 0; i < s->n; i++) {
    free(s->vals[i]);
    s->vals[i] = NULL;
    s->lens[i] = 0;
    s->fmts[i] = 0;
    s->types[i] = 0;
  }
  s->bind_err = 0;
}

static void pg_reset(db_stmt *st) {
  pg_stmt *s = ST(st);
  free_blobs(s);
  PQclear(s->res);
  s->res = NULL;
  s->row = -1;
  s->nrows = 0;
  s->done = 0;
  clear_binds(s);
}

static void pg_stmt_free(db_stmt *st) {
  pg_stmt *s = ST(st);
  pg_reset(st);
  free(s->blobs);
  free(s->blob_lens);
  free(s->vals);
  free(s->lens);
  free(s->fmts);
  free(s->types);
  free(s->sql);
  free(s);
}

/* Stores one parameter (value already malloc'ed, or NULL for SQL NULL). */
static void set_param(db_stmt *st, int idx, char *v, int len, int fmt, Oid type) {
  pg_stmt *s = ST(st);
  if (idx < 1 || idx > s->n) {
    free(v);
    s->bind_err = 1;
    db_set_err(st->d, "postgresql: parameter index %d out of range (statement has %d)", idx, s->n);
    return;
  }
  free(s->vals[idx - 1]);
  s->vals[idx - 1] = v;
  s->lens[idx - 1] = len;
  s->fmts[idx - 1] = fmt;
  s->types[idx - 1] = type;
}

static void pg_bind_int(db_stmt *st, int idx, int64_t v) {
  char *buf = malloc(24);
  if (!buf) {
    ST(st)->bind_err = 1;
    return;
  }
  snprintf(buf, 24, "%lld", (long long)v);
  set_param(st, idx, buf, 0, 0, INT8OID);
}

static void pg_bind_text(db_stmt *st, int idx, const char *v) {
  char *c = strdup(v);
  if (!c) {
    ST(st)->bind_err = 1;
    return;
  }
  set_param(st, idx, c, 0, 0, 0);
}

/* Blobs go in binary format, so no escaping is involved. */
static void pg_bind_blob(db_stmt *st, int idx, const void *p, size_t n) {
  char *c = malloc(n ? n : 1);
  if (!c || n > 0x7fffffff) {
    free(c);
    ST(st)->bind_err = 1;
    db_set_err(st->d, "postgresql: blob too large or out of memory");
    return;
  }
  if (n) memcpy(c, p, n);
  set_param(st, idx, c, (int)n, 1, BYTEAOID);
}

static void pg_bind_null(db_stmt *st, int idx) { set_param(st, idx, NULL, 0, 0, 0); }

/* Prepares (if this connection has not seen the statement yet) and runs it.
 * Uncached statements use the unnamed statement, re-parsed on each run. */
static PGresult *run(pg_db *d, pg_stmt *s) {
  const char *name = s->base.cached ? s->name : "";
  if (!s->base.cached || !s->prepared || s->gen != d->gen) {
    PGresult *r = PQprepare(d->c, name, s->sql, s->n, s->types);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) return r;
    PQclear(r);
    s->prepared = 1;
    s->gen = d->gen;
  }
  return PQexecPrepared(d->c, name, s->n, (const char *const *)s->vals, s->lens, s->fmts, 0);
}

/* Takes a statement's result (owning r from here): its rows for step to
 * hand out, or done for a command. DBR_ROW when rows are held. */
static db_rc take_result(pg_db *d, pg_stmt *s, PGresult *r) {
  ExecStatusType es = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK) {
    db_rc rc = classify(d, r);
    PQclear(r);
    return rc;
  }
  const char *ct = PQcmdTuples(r);
  s->changes = (ct && *ct) ? strtoll(ct, NULL, 10) : 0;
  if (es == PGRES_COMMAND_OK) {
    PQclear(r);
    s->done = 1;
    return DBR_DONE;
  }
  int nf = PQnfields(r);
  if (nf > s->nblobs) {
    unsigned char **b = calloc((size_t)nf, sizeof *b);
    size_t *l = calloc((size_t)nf, sizeof *l);
    if (!b || !l) {
      free(b);
      free(l);
      PQclear(r);
      db_set_err(&d->base, "out of memory");
      return DBR_ERROR;
    }
    free(s->blobs);
    free(s->blob_lens);
    s->blobs = b;
    s->blob_lens = l;
    s->nblobs = nf;
  }
  s->res = r;
  s->nrows = PQntuples(r);
  s->row = -1;
  return DBR_ROW;
}

static db_rc pg_step(db_stmt *st) {
  pg_stmt *s = ST(st);
  pg_db *d = PG(st->d);
  if (s->done) return DBR_DONE;
  if (!s->res) {
    if (s->bind_err) return DBR_ERROR;
    db_rc rc = take_result(d, s, run(d, s));
    if (rc != DBR_ROW) return rc;
  }
  free_blobs(s);
  if (++s->row < s->nrows) return DBR_ROW;
  s->done = 1;
  return DBR_DONE;
}

/* The current row's value, or NULL when out of range or SQL NULL. */
static const char *cell(db_stmt *st, int col) {
  pg_stmt *s = ST(st);
  if (!s->res || s->row < 0 || s->row >= s->nrows || col < 0 || col >= PQnfields(s->res)) return NULL;
  if (PQgetisnull(s->res, s->row, col)) return NULL;
  return PQgetvalue(s->res, s->row, col);
}

static int pg_col_is_null(db_stmt *st, int col) { return cell(st, col) == NULL; }

/* Text-format integers; booleans arrive as t/f and read as 1/0. */
static int64_t pg_col_int(db_stmt *st, int col) {
  const char *v = cell(st, col);
  if (!v) return 0;
  if (v[0] == 't' && v[1] == 0) return 1;
  if (v[0] == 'f' && v[1] == 0) return 0;
  return strtoll(v, NULL, 10);
}

static const char *pg_col_text(db_stmt *st, int col) { return cell(st, col); }

/* bytea comes back as text ("\x..." hex); decoded here once per row,
 * owned by the statement until the next step or finish. */
static const void *pg_col_blob(db_stmt *st, int col, size_t *n) {
  pg_stmt *s = ST(st);
  const char *v = cell(st, col);
  *n = 0;
  if (!v) return NULL;
  if (!s->blobs[col]) {
    s->blobs[col] = PQunescapeBytea((const unsigned char *)v, &s->blob_lens[col]);
    if (!s->blobs[col]) return NULL;
  }
  *n = s->blob_lens[col];
  return s->blobs[col];
}

static int64_t pg_changes(db_stmt *st) { return ST(st)->changes; }

/* The next result of a pipeline and the NULL that ends it. */
static PGresult *next_result(PGconn *c) {
  PGresult *r = PQgetResult(c);
  if (r) {
    PGresult *end;
    while ((end = PQgetResult(c)) != NULL) PQclear(end); /* only the NULL is expected */
  }
  return r;
}

/* One command of a pipeline that must succeed (BEGIN, COMMIT, a prepare)
 * after the pipeline's state so far: rc when that is a failure already
 * (this command was skipped, and the first cause stays), else DBR_DONE
 * or this command's failure. */
static db_rc command_result(pg_db *d, PGconn *c, db_rc rc) {
  PGresult *r = next_result(c);
  ExecStatusType es = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (rc == DBR_DONE && es != PGRES_COMMAND_OK) rc = classify(d, r);
  PQclear(r);
  return rc;
}

/* The batch op: every statement (prepared first where this connection
 * has not seen it) in one pipeline and one round trip. Outside a
 * transaction, when asked, the reads are wrapped in BEGIN REPEATABLE READ
 * READ ONLY / COMMIT so they see one snapshot, as one statement would. */
static db_rc pg_batch(db *db_, db_stmt **sts, int n, int snapshot) {
  pg_db *d = PG(db_);
  PGconn *c = d->c;
  int wrap = snapshot && db_->tx_depth == 0, prep[DB_BATCH_MAX];
  if (n > DB_BATCH_MAX) return DBR_ERROR;
  for (int i = 0; i < n; i++)
    if (ST(sts[i])->bind_err) return DBR_ERROR;
  if (!PQenterPipelineMode(c)) return classify(d, NULL);
  int ok = !wrap || PQsendQueryParams(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL,
                                       NULL, NULL, 0);
  for (int i = 0; ok && i < n; i++) {
    pg_stmt *s = ST(sts[i]);
    const char *name = s->base.cached ? s->name : "";
    prep[i] = !s->base.cached || !s->prepared || s->gen != d->gen;
    if (prep[i]) ok = PQsendPrepare(c, name, s->sql, s->n, s->types);
    ok = ok && PQsendQueryPrepared(c, name, s->n, (const char *const *)s->vals, s->lens, s->fmts, 0);
  }
  if (ok && wrap) ok = PQsendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
  if (!ok || !PQpipelineSync(c)) {
    db_rc rc = classify(d, NULL); /* the connection is gone: the pool reconnects */
    PQexitPipelineMode(c);
    return rc;
  }
  /* every command answers in order, even after a failure (as "aborted") */
  db_rc rc = wrap ? command_result(d, c, DBR_DONE) : DBR_DONE;
  for (int i = 0; i < n; i++) {
    pg_stmt *s = ST(sts[i]);
    if (prep[i] && (rc = command_result(d, c, rc)) == DBR_DONE) {
      s->prepared = 1;
      s->gen = d->gen;
    }
    PGresult *r = next_result(c);
    if (rc != DBR_DONE) {
      PQclear(r);
      continue;
    }
    db_rc t = take_result(d, s, r);
    if (t != DBR_ROW && t != DBR_DONE) rc = t;
  }
  if (wrap) rc = command_result(d, c, rc);
  PGresult *sync = PQgetResult(c); /* PGRES_PIPELINE_SYNC */
  PQclear(sync);
  PQexitPipelineMode(c);
  if (rc != DBR_DONE) {
    for (int i = 0; i < n; i++) pg_reset(sts[i]); /* binds too: the caller only finishes them */
    if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_INERROR) PQclear(PQexec(c, "ROLLBACK"));
  }
  return rc;
}

/* The write gate's advisory lock key (arbitrary but fixed, next to the
 * migration lock's). Every write transaction holds it shared for its
 * duration; a transaction that keeps failing on contention takes it
 * exclusively before its BEGIN (db.c) and so runs alone. */
#define WRITE_GATE "727300202"

/* A write transaction takes the gate shared in the same round trip as its
 * BEGIN; it is released at COMMIT or ROLLBACK. */
static db_rc pg_begin(db *d, int mode) {
  PG(d)->tx_fail = DBR_DONE;
  if (mode == DB_BEGIN_READ) return pg_exec(d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (mode == DB_BEGIN_ALONE) return pg_exec(d, "BEGIN ISOLATION LEVEL SERIALIZABLE");
  if (mode == DB_BEGIN_LOCKING)
    return pg_exec(d, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock_shared(" WRITE_GATE ")");
  return pg_exec(d, "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT pg_advisory_xact_lock_shared(" WRITE_GATE ")");
}

static db_rc pg_gate(db *d, int lock) {
  return pg_exec(d, lock ? "SELECT pg_advisory_lock(" WRITE_GATE ")" : "SELECT pg_advisory_unlock(" WRITE_GATE ")");
}

/* COMMIT of a transaction that already failed answers "ROLLBACK" without
 * an error: report the failure that aborted it instead of success. */
static db_rc pg_commit(db *d) {
  PGresult *r = PQexec(PG(d)->c, "COMMIT");
  db_rc rc;
  if (r && PQresultStatus(r) == PGRES_COMMAND_OK) {
    if (strcmp(PQcmdStatus(r), "COMMIT") == 0) {
      rc = DBR_DONE;
    } else {
      rc = PG(d)->tx_fail != DBR_DONE ? PG(d)->tx_fail : DBR_ERROR;
      if (rc == DBR_ERROR) db_set_err(d, "postgresql: transaction aborted by an earlier error");
    }
  } else {
    rc = classify(PG(d), r);
  }
  PQclear(r);
  return rc;
}

static void pg_rollback(db *d) {
  PGconn *c = PG(d)->c;
  if (PQstatus(c) != CONNECTION_OK || PQtransactionStatus(c) == PQTRANS_IDLE) return;
  PQclear(PQexec(c, "ROLLBACK"));
}

static int pg_broken(db *d) { return PQstatus(PG(d)->c) != CONNECTION_OK; }

static int pg_reconnect(db *d) {
  pg_db *p = PG(d);
  PQreset(p->c);
  p->gen++;
  if (PQstatus(p->c) != CONNECTION_OK) {
    db_set_err(d, "postgresql: reconnect failed: %s", PQerrorMessage(p->c));
    return -1;
  }
  return 0;
}

static void pg_set_busy_timeout(db *d, int ms) {}

static const db_ops pg_ops = {
    .kind = DB_PG,
    .close = pg_close,
    .exec_script = pg_exec,
    .prepare = pg_prepare,
    .stmt_free = pg_stmt_free,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_is_null = pg_col_is_null,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .reset = pg_reset,
    .changes = pg_changes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .broken = pg_broken,
    .reconnect = pg_reconnect,
    .set_busy_timeout = pg_set_busy_timeout,
    .gate = pg_gate,
    .batch = pg_batch,
};

/* Overwrites every occurrence of secret in buf with '*' (same length, so
 * the buffer never grows). */
static void scrub(char *buf, const char *secret, size_t slen) {
  if (!slen) return;
  char *p = buf;
  while ((p = strstr(p, secret)) != NULL) {
    memset(p, '*', slen);
    p += slen;
  }
}

/* Removes the URL's password (as written and percent-decoded) from msg. */
static void scrub_password(char *msg, const char *url) {
  const char *start = strstr(url, "://");
  if (!start) return;
  start += 3;
  const char *slash = strchr(start, '/');
  const char *end = slash ? slash : start + strlen(start);
  const char *at = NULL;
  for (const char *p = start; p < end; p++)
    if (*p == '@') at = p;
  if (!at) return;
  const char *colon = memchr(start, ':', (size_t)(at - start));
  if (!colon || colon + 1 >= at) return;
  char raw[256], dec[256];
  size_t n = (size_t)(at - colon - 1);
  if (n >= sizeof raw) n = sizeof raw - 1;
  memcpy(raw, colon + 1, n);
  raw[n] = 0;
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned hv;
    if (raw[i] == '%' && i + 2 < n && sscanf(raw + i + 1, "%2x", &hv) == 1) {
      dec[j++] = (char)hv;
      i += 2;
    } else {
      dec[j++] = raw[i];
    }
  }
  dec[j] = 0;
  scrub(msg, raw, strlen(raw));
  scrub(msg, dec, strlen(dec));
}

/* Connects with a 5 s timeout unless the URL says otherwise. */
db *db_pg_open(const char *url, char *err, size_t errlen) {
  const char *kw[] = {"connect_timeout", "application_name", "dbname", NULL};
  const char *vals[] = {"5", "sportello", url, NULL};
  PGconn *c = PQconnectdbParams(kw, vals, 1);
  if (!c || PQstatus(c) != CONNECTION_OK) {
    char msg[DB_ERRLEN];
    snprintf(msg, sizeof msg, "%s", c ? PQerrorMessage(c) : "out of memory");
    scrub_password(msg, url);
    db_errf(err, errlen, "impossibile connettersi a PostgreSQL: %s", msg);
    PQfinish(c);
    return NULL;
  }
  pg_db *d = calloc(1, sizeof *d);
  if (!d) {
    PQfinish(c);
    db_errf(err, errlen, "memoria esaurita");
    return NULL;
  }
  db_base_init(&d->base, &pg_ops);
  d->c = c;
  PQsetNoticeProcessor(c, quiet_notices, NULL);
  return &d->base;
}

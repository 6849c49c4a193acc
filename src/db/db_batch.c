/* db_batch (db.h): reads queued together and run at once, so a page that
 * needs five result sets pays one PostgreSQL round trip instead of five.
 * The statements are prepared and bound here; the backend's batch op
 * fetches every result; the rows are then read through the usual result
 * specs, so a store reads a batched list exactly as a db_list. */
#include <string.h>

#include "core/log.h"
#include "db/db_internal.h"

void db_batch_init(db_batch *b, db *d, arena *a) {
  memset(b, 0, sizeof *b);
  b->d = d;
  b->a = a;
  b->snapshot = 1;
}

/* Queues op (its outputs already emptied) for sql bound to p. */
static void add(db_batch *b, const char *name, const char *sql, const db_param *p, db_batch_op op) {
  if (b->rc != ERR_OK) return;
  if (b->n == DB_BATCH_MAX) {
    err_cause("db_batch: more than %d statements (%s)", DB_BATCH_MAX, name);
    b->rc = ERR_INTERNAL;
    return;
  }
  db_stmt *st = db_prepare_named(b->d, sql, name);
  if (!st) {
    b->rc = ERR_STORAGE;
    return;
  }
  if (st->is_write) {
    log_error("db: bug: write statement %s queued in a read batch", name);
    err_cause("db_batch: write statement %s", name);
    db_finish(st);
    b->rc = ERR_INTERNAL;
    return;
  }
  db_bind_params(st, p);
  op.st = st;
  b->op[b->n++] = op;
}

void db_batch_list_(db_batch *b, const char *name, const char *sql, const db_param *p, const db_result *spec,
                    size_t elem, void **rows, size_t *n) {
  *rows = NULL;
  *n = 0;
  add(b, name, sql, p, (db_batch_op){.spec = spec, .elem = elem, .rows = rows, .n = n});
}

void db_batch_get_into_(db_batch *b, const char *name, const char *sql, const db_param *p,
                        const db_result *spec, void *item, size_t elem, int *found) {
  memset(item, 0, elem);
  *found = 0;
  add(b, name, sql, p, (db_batch_op){.spec = spec, .elem = elem, .item = item, .found = found});
}

/* Empties what a failed batch may have filled already. */
static void clear_outputs(db_batch *b) {
  for (int i = 0; i < b->n; i++) {
    db_batch_op *op = &b->op[i];
    if (op->rows) {
      *op->rows = NULL;
      *op->n = 0;
    } else {
      memset(op->item, 0, op->elem);
      *op->found = 0;
    }
  }
}

err_code db_batch_run(db_batch *b) {
  db *d = b->d;
  err_code rc = b->rc;
  if (rc == ERR_OK && b->n > 1 && d->ops->batch) {
    db_stmt *sts[DB_BATCH_MAX];
    for (int i = 0; i < b->n; i++) sts[i] = b->op[i].st;
    db_rc r = d->ops->batch(d, sts, b->n, b->snapshot);
    if (r != DBR_DONE) {
      err_cause("batch of %d reads (%s first): %s", b->n, sts[0]->name, d->err);
      rc = db_rc_err(r);
    }
  }
  for (int i = 0; i < b->n; i++) {
    db_batch_op *op = &b->op[i];
    if (rc != ERR_OK) {
      db_finish(op->st);
      continue;
    }
    if (op->rows) {
      *op->rows = db_read_rows(op->st, b->a, op->spec, op->elem, op->n, &rc);
    } else {
      err_code g = db_step_row(op->st); /* finishes st when there is no row */
      if (g == ERR_OK) {
        db_read_row(op->st, b->a, op->spec, op->item);
        db_finish(op->st);
        *op->found = 1;
      } else if (g != ERR_NOT_FOUND) {
        rc = g;
      }
    }
  }
  if (rc != ERR_OK) clear_outputs(b);
  b->n = 0;
  b->rc = ERR_OK;
  return rc;
}

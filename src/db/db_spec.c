/* Declarative binds and results (db.h): the one place that turns a
 * parameter list into binds and a result spec into column reads, so store
 * code has no index arithmetic and one row mapper per struct. */
#include <string.h>

#include "db/db.h"

void db_bind_params(db_stmt *st, const db_param *p) {
  if (!p) return;
  for (int i = 0; p[i].type != DBP_END; i++) {
    int idx = i + 1;
    switch (p[i].type) {
      case DBP_INT:
        db_bind_int(st, idx, p[i].i);
        break;
      case DBP_TEXT:
        db_bind_text(st, idx, p[i].p);
        break;
      case DBP_BLOB:
        db_bind_blob(st, idx, p[i].p, p[i].n);
        break;
      case DBP_NULL:
      case DBP_END:
        db_bind_null(st, idx);
        break;
    }
  }
}

static void *dest(const db_result *r, void *base, int second) {
  if (base) return (char *)base + (second ? r->off2 : r->off);
  return second ? r->ptr2 : r->ptr;
}

void db_read_row(db_stmt *st, arena *a, const db_result *spec, void *base) {
  for (int col = 0; spec[col].type != DBC_END; col++) {
    const db_result *r = &spec[col];
    void *dst = dest(r, base, 0);
    if (!dst && !base) continue; /* R_*(p) with p NULL: the caller does not want it */
    switch (r->type) {
      case DBC_INT:
        *(int64_t *)dst = db_col_int(st, col);
        break;
      case DBC_I32:
        *(int *)dst = (int)db_col_int(st, col);
        break;
      case DBC_DUP:
        *(char **)dst = arena_strdup(a, db_col_text(st, col));
        break;
      case DBC_BLOB: {
        size_t n = 0;
        const void *p = db_col_blob(st, col, &n);
        void *copy = NULL;
        if (p) {
          copy = arena_alloc(a, n + 1);
          if (n) memcpy(copy, p, n);
          ((char *)copy)[n] = 0;
        }
        *(void **)dst = copy;
        *(size_t *)dest(r, base, 1) = n;
        break;
      }
      case DBC_FN:
        r->fn(st, col, a, dst);
        break;
      case DBC_SKIP:
      case DBC_END:
        break;
    }
  }
}

static db_stmt *prep(db *d, const char *name, const char *sql, const db_param *p) {
  db_stmt *st = db_prepare_named(d, sql, name);
  if (st) db_bind_params(st, p);
  return st;
}

err_code db_exec_(db *d, const char *name, const char *sql, const db_param *p, int64_t *changes) {
  db_stmt *st = prep(d, name, sql, p);
  if (!st) return ERR_STORAGE;
  return db_step_exec(st, changes);
}

err_code db_exec_one_(db *d, const char *name, const char *sql, const db_param *p) {
  db_stmt *st = prep(d, name, sql, p);
  if (!st) return ERR_STORAGE;
  return db_step_exec_one(st);
}

err_code db_insert_(db *d, const char *name, const char *sql, const db_param *p, int64_t *id) {
  db_stmt *st = prep(d, name, sql, p);
  if (!st) return ERR_STORAGE;
  return db_step_insert_id(st, id);
}

err_code db_get_(db *d, const char *name, arena *a, const char *sql, const db_param *p, const db_result *r) {
  db_stmt *st = prep(d, name, sql, p);
  if (!st) return ERR_STORAGE;
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  if (r) db_read_row(st, a, r, NULL);
  db_finish(st);
  return ERR_OK;
}

err_code db_get_into_(db *d, const char *name, arena *a, const char *sql, const db_param *p,
                      const db_result *spec, void *item, size_t elem) {
  db_stmt *st = prep(d, name, sql, p);
  if (!st) return ERR_STORAGE;
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  memset(item, 0, elem);
  db_read_row(st, a, spec, item);
  db_finish(st);
  return ERR_OK;
}

void *db_list_(db *d, const char *name, arena *a, const char *sql, const db_param *p, const db_result *spec,
               size_t elem, size_t *n, err_code *rc) {
  *n = 0;
  db_stmt *st = prep(d, name, sql, p);
  if (!st) {
    *rc = ERR_STORAGE;
    return NULL;
  }
  return db_read_rows(st, a, spec, elem, n, rc);
}

void *db_read_rows(db_stmt *st, arena *a, const db_result *spec, size_t elem, size_t *n, err_code *rc) {
  *n = 0;
  size_t cnt = 0, cap = 0;
  unsigned char *v = arena_grow(a, NULL, elem, 0, &cap);
  db_rc r;
  while ((r = db_step(st)) == DBR_ROW) {
    v = arena_grow(a, v, elem, cnt, &cap);
    memset(v + cnt * elem, 0, elem);
    db_read_row(st, a, spec, v + cnt * elem);
    cnt++;
  }
  db_finish(st);
  *rc = db_rc_err(r);
  if (*rc != ERR_OK) return NULL;
  *n = cnt;
  return v;
}

err_code db_each_(db *d, const char *name, arena *a, const char *sql, const db_param *p,
                  const db_result *spec, void *row, size_t elem, db_row_cb fn, void *ctx) {
  db_stmt *st = prep(d, name, sql, p);
  if (!st) return ERR_STORAGE;
  db_rc r;
  err_code rc = ERR_OK;
  while ((r = db_step(st)) == DBR_ROW) {
    memset(row, 0, elem);
    db_read_row(st, a, spec, row);
    rc = fn(row, ctx);
    if (rc != ERR_OK) break;
  }
  db_finish(st);
  if (rc != ERR_OK) return rc;
  return db_rc_err(r);
}

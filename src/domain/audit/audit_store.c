/* The audit trail's SQL. The head is read with FOR UPDATE on PostgreSQL;
 * SQLite has no row locks and needs none: db_tx's BEGIN IMMEDIATE already
 * makes the writer exclusive. */
#include "domain/audit/audit_store.h"

#include <stdio.h>
#include <string.h>

err_code audit_store_head(db *d, int lock, int64_t *last_id, char hash[AUDIT_HASH_HEX + 1]) {
  const char *sql = lock && db_backend(d) == DB_PG
                        ? "SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"
                        : "SELECT last_id, last_hash FROM audit_head WHERE id = 1";
  db_stmt *st = db_prepare(d, sql);
  if (!st) return ERR_STORAGE;
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  const char *h = db_col_text(st, 1);
  *last_id = db_col_int(st, 0);
  snprintf(hash, AUDIT_HASH_HEX + 1, "%s", h ? h : "");
  db_finish(st);
  return ERR_OK;
}

err_code audit_store_insert(db *d, const audit_row *r) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO audit_log (id, at, actor_kind, actor_id, ente_id, action,"
                           " object_type, object_id, before_json, after_json, prev_hash, hash)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, r->id);
  db_bind_int(st, 2, r->at);
  db_bind_text(st, 3, r->actor_kind);
  db_bind_int(st, 4, r->actor_id);
  if (r->has_ente)
    db_bind_int(st, 5, r->ente_id);
  else
    db_bind_null(st, 5);
  db_bind_text(st, 6, r->action);
  db_bind_text(st, 7, r->object_type);
  db_bind_int(st, 8, r->object_id);
  db_bind_text(st, 9, r->before_json);
  db_bind_text(st, 10, r->after_json);
  db_bind_text(st, 11, r->prev_hash);
  db_bind_text(st, 12, r->hash);
  return db_step_exec(st, NULL);
}

err_code audit_store_set_head(db *d, int64_t last_id, const char *hash) {
  db_stmt *st = db_prepare(d, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, last_id);
  db_bind_text(st, 2, hash);
  return db_step_exec_one(st);
}

err_code audit_store_scan(db *d, int64_t after_id, int limit, audit_row_fn fn, void *ctx, int *seen) {
  *seen = 0;
  db_stmt *st = db_prepare(d,
                           "SELECT id, at, actor_kind, actor_id, ente_id, action, object_type,"
                           " object_id, before_json, after_json, prev_hash, hash"
                           " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, after_id);
  db_bind_int(st, 2, limit);
  db_rc rc;
  err_code e = ERR_OK;
  while ((rc = db_step(st)) == DBR_ROW) {
    audit_row r = {
        .id = db_col_int(st, 0),
        .at = db_col_int(st, 1),
        .actor_kind = db_col_text(st, 2),
        .actor_id = db_col_int(st, 3),
        .has_ente = !db_col_is_null(st, 4),
        .ente_id = db_col_int(st, 4),
        .action = db_col_text(st, 5),
        .object_type = db_col_text(st, 6),
        .object_id = db_col_int(st, 7),
        .before_json = db_col_text(st, 8),
        .after_json = db_col_text(st, 9),
        .prev_hash = db_col_text(st, 10),
        .hash = db_col_text(st, 11),
    };
    (*seen)++;
    e = fn(&r, ctx);
    if (e != ERR_OK) break;
  }
  db_finish(st);
  if (e != ERR_OK) return e;
  return rc == DBR_DONE ? ERR_OK : db_rc_err(rc);
}

static void read_hash(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  const char *s = db_col_text(st, col);
  snprintf((char *)dst, AUDIT_HASH_HEX + 1, "%s", s ? s : "");
}

/* One chain today; ente_id names the chain once there is one per Ente. */
err_code audit_store_hash_before(db *d, int64_t ente_id, int64_t before_ts,
                                 char hash[AUDIT_HASH_HEX + 1]) {
  (void)ente_id;
  return db_get(d, NULL, "SELECT hash FROM audit_log WHERE at < ? ORDER BY id DESC LIMIT 1",
                PARAMS(P_INT(before_ts)), RESULTS(R_FN(read_hash, hash)));
}

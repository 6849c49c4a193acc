/* The audit trail's SQL. A chain's head is read with FOR UPDATE on
 * PostgreSQL; SQLite has no row locks and needs none: db_tx's BEGIN
 * IMMEDIATE already makes the writer exclusive. */
#include "domain/audit/audit_store.h"

#include <stdio.h>
#include <string.h>

err_code audit_store_head(db *d, int64_t chain, int lock, int64_t *last_seq,
                          char hash[AUDIT_HASH_HEX + 1]) {
  const char *sql = lock && db_backend(d) == DB_PG
                        ? "SELECT last_seq, last_hash FROM audit_chain WHERE chain = ? FOR UPDATE"
                        : "SELECT last_seq, last_hash FROM audit_chain WHERE chain = ?";
  db_stmt *st = db_prepare(d, sql);
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, chain);
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  const char *h = db_col_text(st, 1);
  *last_seq = db_col_int(st, 0);
  snprintf(hash, AUDIT_HASH_HEX + 1, "%s", h ? h : "");
  db_finish(st);
  return ERR_OK;
}

err_code audit_store_head_create(db *d, int64_t chain, const char *genesis) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO audit_chain (chain, last_seq, last_hash) VALUES (?, 0, ?)"
                           " ON CONFLICT (chain) DO NOTHING");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, chain);
  db_bind_text(st, 2, genesis);
  return db_step_exec(st, NULL);
}

err_code audit_store_insert(db *d, const audit_row *r) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, ente_id,"
                           " action, object_type, object_id, before_json, after_json, prev_hash,"
                           " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, r->chain);
  db_bind_int(st, 2, r->seq);
  db_bind_int(st, 3, r->at);
  db_bind_text(st, 4, r->actor_kind);
  db_bind_int(st, 5, r->actor_id);
  if (r->has_ente)
    db_bind_int(st, 6, r->ente_id);
  else
    db_bind_null(st, 6);
  db_bind_text(st, 7, r->action);
  db_bind_text(st, 8, r->object_type);
  db_bind_int(st, 9, r->object_id);
  db_bind_text(st, 10, r->before_json);
  db_bind_text(st, 11, r->after_json);
  db_bind_text(st, 12, r->prev_hash);
  db_bind_text(st, 13, r->hash);
  return db_step_exec(st, NULL);
}

err_code audit_store_set_head(db *d, int64_t chain, int64_t last_seq, const char *hash) {
  db_stmt *st = db_prepare(d, "UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE chain = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, last_seq);
  db_bind_text(st, 2, hash);
  db_bind_int(st, 3, chain);
  return db_step_exec_one(st);
}

err_code audit_store_chains(db *d, arena *a, int64_t **out, size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT chain FROM audit_chain UNION SELECT chain FROM audit_log"
                           " ORDER BY 1");
  if (!st) return ERR_STORAGE;
  err_code rc;
  *out = db_step_rows(st, a, sizeof(int64_t), db_row_int, n, &rc);
  return rc;
}

err_code audit_store_scan(db *d, int64_t chain, int64_t after_seq, int limit, audit_row_fn fn,
                          void *ctx, int *seen) {
  *seen = 0;
  db_stmt *st = db_prepare(d,
                           "SELECT seq, at, actor_kind, actor_id, ente_id, action, object_type,"
                           " object_id, before_json, after_json, prev_hash, hash"
                           " FROM audit_log WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, chain);
  db_bind_int(st, 2, after_seq);
  db_bind_int(st, 3, limit);
  db_rc rc;
  err_code e = ERR_OK;
  while ((rc = db_step(st)) == DBR_ROW) {
    audit_row r = {
        .chain = chain,
        .seq = db_col_int(st, 0),
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

/* The Ente's chain (chain = ente_id). */
err_code audit_store_hash_before(db *d, int64_t ente_id, int64_t before_ts,
                                 char hash[AUDIT_HASH_HEX + 1]) {
  return db_get(d, NULL,
                "SELECT hash FROM audit_log WHERE chain = ? AND at < ? ORDER BY seq DESC LIMIT 1",
                PARAMS(P_INT(ente_id), P_INT(before_ts)), RESULTS(R_FN(read_hash, hash)));
}

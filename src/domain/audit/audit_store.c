/* The audit trail's SQL. A chain's head is read with FOR UPDATE on
 * PostgreSQL; SQLite has no row locks and needs none: db_tx's BEGIN
 * IMMEDIATE already makes the writer exclusive. */
#include "domain/audit/audit_store.h"

#include <stdio.h>
#include <string.h>

static void read_hash(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  const char *s = db_col_text(st, col);
  snprintf((char *)dst, AUDIT_HASH_HEX + 1, "%s", s ? s : "");
}

err_code audit_store_head(db *d, int64_t chain, int lock, int64_t *last_seq,
                          char hash[AUDIT_HASH_HEX + 1]) {
  const char *sql = lock && db_backend(d) == DB_PG
                        ? "SELECT last_seq, last_hash FROM audit_chain WHERE chain = ? FOR UPDATE"
                        : "SELECT last_seq, last_hash FROM audit_chain WHERE chain = ?";
  return db_get(d, NULL, sql, PARAMS(P_INT(chain)),
                RESULTS(R_INT(last_seq), R_FN(read_hash, hash)));
}

err_code audit_store_head_create(db *d, int64_t chain, const char *genesis) {
  return db_exec(d,
                 "INSERT INTO audit_chain (chain, last_seq, last_hash) VALUES (?, 0, ?)"
                 " ON CONFLICT (chain) DO NOTHING",
                 PARAMS(P_INT(chain), P_TEXT(genesis)), NULL);
}

err_code audit_store_insert(db *d, const audit_row *r) {
  return db_exec(d,
                 "INSERT INTO audit_log (chain, seq, at, actor_kind, actor_id, ente_id,"
                 " action, object_type, object_id, before_json, after_json, prev_hash,"
                 " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 PARAMS(P_INT(r->chain), P_INT(r->seq), P_INT(r->at), P_TEXT(r->actor_kind),
                        P_INT(r->actor_id), r->has_ente ? P_INT(r->ente_id) : P_NULL,
                        P_TEXT(r->action), P_TEXT(r->object_type), P_INT(r->object_id),
                        P_TEXT(r->before_json), P_TEXT(r->after_json), P_TEXT(r->prev_hash),
                        P_TEXT(r->hash)),
                 NULL);
}

err_code audit_store_set_head(db *d, int64_t chain, int64_t last_seq, const char *hash) {
  return db_exec_one(d, "UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE chain = ?",
                     PARAMS(P_INT(last_seq), P_TEXT(hash), P_INT(chain)));
}

typedef struct {
  int64_t v;
} chain_id;
static const db_result CHAIN_ROW[] = {F_INT(chain_id, v), F_END};

err_code audit_store_chains(db *d, arena *a, int64_t **out, size_t *n) {
  err_code rc;
  chain_id *v = db_list(d, a,
                        "SELECT chain FROM audit_chain UNION SELECT chain FROM audit_log"
                        " ORDER BY 1",
                        NULL, CHAIN_ROW, sizeof(chain_id), n, &rc);
  *out = (int64_t *)v;
  return rc;
}

static const db_result AUDIT_ROW[] = {
    F_INT(audit_row, seq),         F_INT(audit_row, at),          F_DUP(audit_row, actor_kind),
    F_INT(audit_row, actor_id),    F_INT(audit_row, ente_id),     F_DUP(audit_row, action),
    F_DUP(audit_row, object_type), F_INT(audit_row, object_id),   F_DUP(audit_row, before_json),
    F_DUP(audit_row, after_json),  F_DUP(audit_row, prev_hash),   F_DUP(audit_row, hash),
    F_END};

typedef struct {
  int64_t chain;
  audit_row_fn fn;
  void *ctx;
  int *seen;
} scan_ctx;

/* Ente ids start at 1: a NULL ente_id reads as 0. */
static err_code scan_row(void *row, void *vctx) {
  scan_ctx *c = vctx;
  audit_row *r = row;
  r->chain = c->chain;
  r->has_ente = r->ente_id != 0;
  (*c->seen)++;
  return c->fn(r, c->ctx);
}

/* The rows' strings live in a scratch arena for this page only. */
err_code audit_store_scan(db *d, int64_t chain, int64_t after_seq, int limit, audit_row_fn fn,
                          void *ctx, int *seen) {
  *seen = 0;
  arena *a = arena_new();
  audit_row r;
  scan_ctx c = {chain, fn, ctx, seen};
  err_code rc = db_each(d, a,
                        "SELECT seq, at, actor_kind, actor_id, ente_id, action, object_type,"
                        " object_id, before_json, after_json, prev_hash, hash"
                        " FROM audit_log WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?",
                        PARAMS(P_INT(chain), P_INT(after_seq), P_INT(limit)), AUDIT_ROW, &r,
                        scan_row, &c);
  arena_free(a);
  return rc;
}


/* The Ente's chain (chain = ente_id). */
err_code audit_store_hash_before(db *d, int64_t ente_id, int64_t before_ts,
                                 char hash[AUDIT_HASH_HEX + 1]) {
  return db_get(d, NULL,
                "SELECT hash FROM audit_log WHERE chain = ? AND at < ? ORDER BY seq DESC LIMIT 1",
                PARAMS(P_INT(ente_id), P_INT(before_ts)), RESULTS(R_FN(read_hash, hash)));
}

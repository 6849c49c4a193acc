/* SQL for the audit trail (audit_store.c); rules live in audit.c. */
#ifndef SP_AUDIT_STORE_H
#define SP_AUDIT_STORE_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"

#define AUDIT_HASH_HEX 64

/* One audit_log row as stored; strings are borrowed (see each function). */
typedef struct {
  int64_t chain; /* AUDIT_CHAIN_EPOCH1, 0 (no Ente) or the ente_id */
  int64_t seq;   /* position in the chain, from 1 */
  int64_t at;
  const char *actor_kind;
  int64_t actor_id;
  int has_ente; /* ente_id is SQL NULL when 0 */
  int64_t ente_id;
  const char *action;
  const char *object_type;
  int64_t object_id;
  const char *before_json; /* NULL = SQL NULL */
  const char *after_json;
  const char *prev_hash;
  const char *hash;
} audit_row;

/* Reads a chain's head. lock=1 takes the row lock (PG: FOR UPDATE) so the
 * chain's writers serialise. ERR_NOT_FOUND when the chain has no head. */
err_code audit_store_head(db *d, int64_t chain, int lock, int64_t *last_seq,
                          char hash[AUDIT_HASH_HEX + 1]);
/* Creates the head of a new chain at (0, genesis); an existing head is left
 * alone. */
err_code audit_store_head_create(db *d, int64_t chain, const char *genesis);
err_code audit_store_insert(db *d, const audit_row *r);
/* hash of the last row with at < before_ts (ERR_NOT_FOUND: none). */
err_code audit_store_hash_before(db *d, int64_t ente_id, int64_t before_ts,
                                 char hash[AUDIT_HASH_HEX + 1]);
err_code audit_store_set_head(db *d, int64_t chain, int64_t last_seq, const char *hash);

/* Every chain that has a head or rows, ascending, in an arena array. */
err_code audit_store_chains(db *d, arena *a, int64_t **out, size_t *n);

/* Calls fn for up to limit rows of chain with seq > after_seq in seq order;
 * the row's strings live only during the call. A non-OK return from fn
 * stops the scan and is returned. *seen gets how many rows were passed. */
typedef err_code (*audit_row_fn)(const audit_row *r, void *ctx);
err_code audit_store_scan(db *d, int64_t chain, int64_t after_seq, int limit, audit_row_fn fn,
                          void *ctx, int *seen);

#endif

/* Tamper-evident audit trail. Every change of state writes one row, in the
 * same transaction as the change, chained by SHA-256 to the row before it
 * in its chain: one chain per Ente (chain = ente_id), one for changes about
 * no Ente (chain 0), and chain -1 for the rows written before per-Ente
 * chains existed (migration 0004). Writers of different chains never wait
 * for each other. `sportello audit verify [--ente ENTE]` recomputes one
 * chain or all and finds edited, inserted or deleted rows. */
#ifndef SP_AUDIT_H
#define SP_AUDIT_H
#include <stdint.h>
#include "core/arena.h"
#include "core/error.h"
#include "db/db.h"

/* Who did it: kind is "user", "api" (API token), "cli" or "system";
 * id is the user or token id (0 for cli/system). */
typedef struct {
  const char *kind;
  int64_t id;
} actor;

typedef struct {
  actor who;
  int64_t ente_id;         /* 0 when the change is not about one Ente */
  const char *action;      /* "taxpayer.create", "user.passwd", ... */
  const char *object_type; /* "taxpayer", "user", ... */
  int64_t object_id;
  const char *before_json; /* NULL for creations */
  const char *after_json;  /* NULL for deletions */
} audit_entry;

/* The chain of the rows written before per-Ente chains (first epoch). */
#define AUDIT_CHAIN_EPOCH1 (-1)

/* Appends e to its Ente's chain (chain 0 when ente_id is 0). Must run
 * inside db_tx (it locks that chain's head). */
err_code audit_write(db *d, const audit_entry *e);

/* audit_write with before/after given as JSON values, which it takes (and
 * frees) and serialises canonically (compact, sorted keys); who == NULL is
 * the system. before NULL (or JSON null): a creation. after is required: a
 * deletion passes json_null(); NULL means building it failed, and the
 * result is ERR_INTERNAL (cause recorded with err_cause), so the caller's transaction fails
 * instead of writing a row without its content. */
struct json_t;
err_code audit_write_json(db *d, const actor *who, int64_t ente_id, const char *action,
                          const char *object_type, int64_t object_id, struct json_t *before,
                          struct json_t *after);

/* The hash of the last audit row written before instant before_ts (the
 * chain head at that moment) for the chain of ente_id; the genesis hash
 * when there is none. */
err_code audit_head_before(db *d, int64_t ente_id, int64_t before_ts, char out[65]);

/* What verify found in one chain. */
typedef struct {
  int64_t chain;         /* AUDIT_CHAIN_EPOCH1, 0 (no Ente) or the ente_id */
  int64_t rows;          /* rows checked */
  int64_t first_bad_seq; /* position of the first break, 0 when intact */
  const char *problem;   /* Italian description of the first break, or NULL */
} audit_chain_report;

typedef struct {
  int64_t rows;         /* rows checked, all chains */
  int64_t bad_chain;    /* the first broken chain (valid when problem) */
  int64_t first_bad_id; /* its first_bad_seq; 0 when everything is intact */
  const char *problem;  /* its problem, or NULL */
  audit_chain_report *chains; /* one per chain checked, ascending */
  size_t n_chains;
} audit_report;

/* Recomputes every chain in one read snapshot, going on after a broken
 * one. ERR_OK when all are intact; ERR_CONFLICT when one is broken
 * (details in r); other codes for storage errors. */
err_code audit_verify(db *d, arena *a, audit_report *r);
/* The same for one chain (an Ente's id, 0 or AUDIT_CHAIN_EPOCH1); a chain
 * never written to is intact with 0 rows. */
err_code audit_verify_chain(db *d, arena *a, int64_t chain, audit_report *r);

#endif

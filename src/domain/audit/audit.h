/* Tamper-evident audit trail. Every change of state writes one row, in the
 * same transaction as the change, chained by SHA-256 to the row before it;
 * `sportello audit verify` recomputes the chain and finds edited, inserted
 * or deleted rows. */
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

/* Appends e to the chain. Must run inside db_tx (it locks the chain head). */
err_code audit_write(db *d, const audit_entry *e);

/* audit_write with before/after given as JSON values, which it takes (and
 * frees) and serialises canonically (compact, sorted keys); who == NULL is
 * the system. */
struct json_t;
err_code audit_write_json(db *d, const actor *who, int64_t ente_id, const char *action,
                          const char *object_type, int64_t object_id, struct json_t *before,
                          struct json_t *after);

/* The hash of the last audit row written before instant before_ts (the
 * chain head at that moment) for the chain of ente_id; the genesis hash
 * when there is none. */
err_code audit_head_before(db *d, int64_t ente_id, int64_t before_ts, char out[65]);

typedef struct {
  int64_t rows;         /* rows checked */
  int64_t first_bad_id; /* 0 when intact */
  const char *problem;  /* Italian description of the first break, or NULL */
} audit_report;

/* Recomputes the whole chain. ERR_OK when intact; ERR_CONFLICT when broken
 * (details in r); other codes for storage errors. */
err_code audit_verify(db *d, arena *a, audit_report *r);

#endif

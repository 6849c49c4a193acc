/* The job queue's SQL. States are stored by name ("queued", ...). The
 * claim locks the due row with FOR UPDATE SKIP LOCKED on PostgreSQL, so
 * concurrent workers pass over each other's rows instead of waiting;
 * SQLite has no row locks and needs none (BEGIN IMMEDIATE). */
#include "domain/jobs/jobs_store.h"

#include <string.h>

#define JOB_COLS                                                                              \
  "id, kind, ente_id, payload, dedup_key, state, attempts, run_at, locked_until, locked_by," \
  " last_error, created_at, updated_at, finished_at"

static void job_row(db_stmt *st, arena *a, void *item) {
  job *j = item;
  j->id = db_col_int(st, 0);
  j->kind = arena_strdup(a, db_col_text(st, 1));
  j->ente_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
  j->payload = arena_strdup(a, db_col_text(st, 3));
  j->dedup_key = db_col_is_null(st, 4) ? NULL : arena_strdup(a, db_col_text(st, 4));
  int s = job_state_parse(db_col_text(st, 5));
  j->state = s < 0 ? JOB_DEAD : (job_state)s;
  j->attempts = (int)db_col_int(st, 6);
  j->run_at = db_col_int(st, 7);
  j->locked_until = db_col_is_null(st, 8) ? 0 : db_col_int(st, 8);
  j->locked_by = db_col_is_null(st, 9) ? NULL : arena_strdup(a, db_col_text(st, 9));
  j->last_error = db_col_is_null(st, 10) ? NULL : arena_strdup(a, db_col_text(st, 10));
  j->created_at = db_col_int(st, 11);
  j->updated_at = db_col_int(st, 12);
  j->finished_at = db_col_is_null(st, 13) ? 0 : db_col_int(st, 13);
}

err_code js_pending_id(db *d, const char *kind, const char *dedup_key, int64_t *id) {
  db_stmt *st = db_prepare(d,
                           "SELECT id FROM job WHERE kind = ? AND dedup_key = ?"
                           " AND state IN ('queued', 'running', 'retry')");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, kind);
  db_bind_text(st, 2, dedup_key);
  return db_step_int(st, id);
}

err_code js_insert(db *d, const job *j, int64_t *id) {
  db_stmt *st = db_prepare(d,
                           "INSERT INTO job (kind, ente_id, payload, dedup_key, state, attempts,"
                           " run_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?)"
                           " RETURNING id");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, j->kind);
  if (j->ente_id)
    db_bind_int(st, 2, j->ente_id);
  else
    db_bind_null(st, 2);
  db_bind_text(st, 3, j->payload);
  db_bind_text(st, 4, j->dedup_key);
  db_bind_int(st, 5, j->run_at);
  db_bind_int(st, 6, j->created_at);
  db_bind_int(st, 7, j->created_at);
  return db_step_insert_id(st, id);
}

err_code js_next_due(db *d, int64_t now, int64_t *id, job_state *state, int *attempts) {
#define DUE                                                                                   \
  "SELECT id, state, attempts FROM job WHERE (state IN ('queued', 'retry') AND run_at <= ?)" \
  " OR (state = 'running' AND locked_until <= ?) ORDER BY run_at, id LIMIT 1"
  db_stmt *st = db_prepare(d, db_backend(d) == DB_PG ? DUE " FOR UPDATE SKIP LOCKED" : DUE);
#undef DUE
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, now);
  err_code rc = db_step_row(st);
  if (rc != ERR_OK) return rc;
  *id = db_col_int(st, 0);
  int s = job_state_parse(db_col_text(st, 1));
  *state = s < 0 ? JOB_QUEUED : (job_state)s;
  *attempts = (int)db_col_int(st, 2);
  db_finish(st);
  return ERR_OK;
}

err_code js_mark_running(db *d, int64_t id, int attempts, const char *worker, int64_t locked_until,
                         const char *last_error, int64_t now) {
  db_stmt *st = db_prepare(d,
                           "UPDATE job SET state = 'running', attempts = attempts + 1,"
                           " locked_by = ?, locked_until = ?, last_error = COALESCE(?, last_error),"
                           " updated_at = ? WHERE id = ? AND attempts = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, worker);
  db_bind_int(st, 2, locked_until);
  db_bind_text(st, 3, last_error);
  db_bind_int(st, 4, now);
  db_bind_int(st, 5, id);
  db_bind_int(st, 6, attempts);
  return db_step_exec_one(st);
}

err_code js_end_claim(db *d, int64_t id, int attempts, job_state state, int64_t run_at,
                      const char *error, int64_t finished_at, int64_t now) {
  db_stmt *st = db_prepare(d,
                           "UPDATE job SET state = ?, run_at = ?, last_error = COALESCE(?, last_error),"
                           " finished_at = ?, locked_until = NULL, updated_at = ?"
                           " WHERE id = ? AND state = 'running' AND attempts = ?");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, job_state_name(state));
  db_bind_int(st, 2, run_at);
  db_bind_text(st, 3, error);
  if (finished_at)
    db_bind_int(st, 4, finished_at);
  else
    db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, id);
  db_bind_int(st, 7, attempts);
  return db_step_exec_one(st);
}

err_code js_set_state(db *d, int64_t id, unsigned from, job_state to, int64_t run_at, int reset,
                      int64_t now) {
  /* the allowed states as bound parameters: one slot per state, unused
   * slots bound to a name no row has */
  db_stmt *st = db_prepare(d,
                           "UPDATE job SET state = ?, run_at = ?,"
                           " attempts = CASE WHEN ? = 1 THEN 0 ELSE attempts END,"
                           " finished_at = NULL, locked_until = NULL, updated_at = ?"
                           " WHERE id = ? AND state IN (?, ?, ?, ?, ?, ?)");
  if (!st) return ERR_STORAGE;
  db_bind_text(st, 1, job_state_name(to));
  db_bind_int(st, 2, run_at);
  db_bind_int(st, 3, reset ? 1 : 0);
  db_bind_int(st, 4, now);
  db_bind_int(st, 5, id);
  for (int s = 0; s < JOB__STATES; s++)
    db_bind_text(st, 6 + s, (from & (1u << s)) ? job_state_name((job_state)s) : "-");
  return db_step_exec_one(st);
}

err_code js_get(db *d, arena *a, int64_t id, job *out) {
  db_stmt *st = db_prepare(d, "SELECT " JOB_COLS " FROM job WHERE id = ?");
  if (!st) return ERR_STORAGE;
  db_bind_int(st, 1, id);
  return db_step_one(st, a, sizeof *out, job_row, out);
}

err_code js_list(db *d, arena *a, int state, int limit, job **out, size_t *n) {
  db_stmt *st = state < 0 ? db_prepare(d, "SELECT " JOB_COLS " FROM job ORDER BY id DESC LIMIT ?")
                          : db_prepare(d, "SELECT " JOB_COLS " FROM job WHERE state = ?"
                                          " ORDER BY id DESC LIMIT ?");
  if (!st) return ERR_STORAGE;
  if (state < 0) {
    db_bind_int(st, 1, limit);
  } else {
    db_bind_text(st, 1, job_state_name((job_state)state));
    db_bind_int(st, 2, limit);
  }
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, job_row, n, &rc);
  return rc;
}

static void count_row(db_stmt *st, arena *a, void *item) {
  job_count *c = item;
  c->kind = arena_strdup(a, db_col_text(st, 0));
  int s = job_state_parse(db_col_text(st, 1));
  c->state = s < 0 ? JOB_DEAD : (job_state)s;
  c->count = db_col_int(st, 2);
}

err_code js_counts(db *d, arena *a, job_count **out, size_t *n) {
  db_stmt *st = db_prepare(d,
                           "SELECT kind, state, count(*) FROM job GROUP BY kind, state"
                           " ORDER BY kind, state");
  if (!st) return ERR_STORAGE;
  err_code rc;
  *out = db_step_rows(st, a, sizeof **out, count_row, n, &rc);
  return rc;
}

/* The job queue's SQL. States are stored by name ("queued", ...). The
 * claim locks the due row with FOR UPDATE SKIP LOCKED on PostgreSQL, so
 * concurrent workers pass over each other's rows instead of waiting;
 * SQLite has no row locks and needs none (BEGIN IMMEDIATE). */
#include "domain/jobs/jobs_store.h"

#include <string.h>

#define JOB_COLS                                                                              \
  "id, kind, ente_id, payload, dedup_key, state, attempts, run_at, locked_until, locked_by," \
  " last_error, created_at, updated_at, finished_at"

/* A stored state name; an unknown one reads as dead (never run again). */
static void read_state(db_stmt *st, int col, arena *a, void *dst) {
  (void)a;
  int s = job_state_parse(db_col_text(st, col));
  *(job_state *)dst = s < 0 ? JOB_DEAD : (job_state)s;
}

/* NULL columns read as 0 / NULL. */
static const db_result JOB_ROW[] = {
    F_INT(job, id),           F_DUP(job, kind),          F_INT(job, ente_id),
    F_DUP(job, payload),      F_DUP(job, dedup_key),     F_FN(job, state, read_state),
    F_I32(job, attempts),     F_INT(job, run_at),        F_INT(job, locked_until),
    F_DUP(job, locked_by),    F_DUP(job, last_error),    F_INT(job, created_at),
    F_INT(job, updated_at),   F_INT(job, finished_at),   F_END};

err_code js_pending_id(db *d, const char *kind, const char *dedup_key, int64_t *id) {
  return db_get(d, NULL,
                "SELECT id FROM job WHERE kind = ? AND dedup_key = ?"
                " AND state IN ('queued', 'running', 'retry')",
                PARAMS(P_TEXT(kind), P_TEXT(dedup_key)), RESULTS(R_INT(id)));
}

err_code js_insert(db *d, const job *j, int64_t *id) {
  return db_insert(d,
                   "INSERT INTO job (kind, ente_id, payload, dedup_key, state, attempts,"
                   " run_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?)"
                   " RETURNING id",
                   PARAMS(P_TEXT(j->kind), P_INT_OR_NULL(j->ente_id), P_TEXT(j->payload),
                          P_TEXT(j->dedup_key), P_INT(j->run_at), P_INT(j->created_at),
                          P_INT(j->created_at)),
                   id);
}

err_code js_next_due(db *d, int64_t now, int64_t *id, job_state *state, int *attempts) {
#define DUE                                                                                   \
  "SELECT id, state, attempts FROM job WHERE (state IN ('queued', 'retry') AND run_at <= ?)" \
  " OR (state = 'running' AND locked_until <= ?) ORDER BY run_at, id LIMIT 1"
  const char *sql = db_backend(d) == DB_PG ? DUE " FOR UPDATE SKIP LOCKED" : DUE;
#undef DUE
  *state = JOB_QUEUED;
  return db_get(d, NULL, sql, PARAMS(P_INT(now), P_INT(now)),
                RESULTS(R_INT(id), R_FN(read_state, state), R_I32(attempts)));
}

err_code js_mark_running(db *d, int64_t id, int attempts, const char *worker, int64_t locked_until,
                         const char *last_error, int64_t now) {
  return db_exec_one(d,
                     "UPDATE job SET state = 'running', attempts = attempts + 1,"
                     " locked_by = ?, locked_until = ?, last_error = COALESCE(?, last_error),"
                     " updated_at = ? WHERE id = ? AND attempts = ?",
                     PARAMS(P_TEXT(worker), P_INT(locked_until), P_TEXT(last_error), P_INT(now),
                            P_INT(id), P_INT(attempts)));
}

err_code js_end_claim(db *d, int64_t id, int attempts, job_state state, int64_t run_at,
                      const char *error, int64_t finished_at, int64_t now) {
  return db_exec_one(d,
                     "UPDATE job SET state = ?, run_at = ?, last_error = COALESCE(?, last_error),"
                     " finished_at = ?, locked_until = NULL, updated_at = ?"
                     " WHERE id = ? AND state = 'running' AND attempts = ?",
                     PARAMS(P_TEXT(job_state_name(state)), P_INT(run_at), P_TEXT(error),
                            P_INT_OR_NULL(finished_at), P_INT(now), P_INT(id), P_INT(attempts)));
}

/* The allowed states as bound parameters: one slot per state, unused
 * slots bound to a name no row has. */
err_code js_set_state(db *d, int64_t id, unsigned from, job_state to, int64_t run_at, int reset,
                      int64_t now) {
  const char *f[JOB__STATES];
  for (int s = 0; s < JOB__STATES; s++)
    f[s] = (from & (1u << s)) ? job_state_name((job_state)s) : "-";
  _Static_assert(JOB__STATES == 6, "one IN slot per state");
  return db_exec_one(d,
                     "UPDATE job SET state = ?, run_at = ?,"
                     " attempts = CASE WHEN ? = 1 THEN 0 ELSE attempts END,"
                     " finished_at = NULL, locked_until = NULL, updated_at = ?"
                     " WHERE id = ? AND state IN (?, ?, ?, ?, ?, ?)",
                     PARAMS(P_TEXT(job_state_name(to)), P_INT(run_at), P_INT(reset ? 1 : 0),
                            P_INT(now), P_INT(id), P_TEXT(f[0]), P_TEXT(f[1]), P_TEXT(f[2]),
                            P_TEXT(f[3]), P_TEXT(f[4]), P_TEXT(f[5])));
}

err_code js_get(db *d, arena *a, int64_t id, job *out) {
  return db_get_into(d, a, "SELECT " JOB_COLS " FROM job WHERE id = ?", PARAMS(P_INT(id)),
                     JOB_ROW, out);
}

err_code js_list(db *d, arena *a, int state, int limit, job **out, size_t *n) {
  err_code rc;
  if (state < 0)
    *out = db_list(d, a, "SELECT " JOB_COLS " FROM job ORDER BY id DESC LIMIT ?",
                   PARAMS(P_INT(limit)), JOB_ROW, sizeof(job), n, &rc);
  else
    *out = db_list(d, a, "SELECT " JOB_COLS " FROM job WHERE state = ? ORDER BY id DESC LIMIT ?",
                   PARAMS(P_TEXT(job_state_name((job_state)state)), P_INT(limit)), JOB_ROW,
                   sizeof(job), n, &rc);
  return rc;
}

static const db_result COUNT_ROW[] = {F_DUP(job_count, kind), F_FN(job_count, state, read_state),
                                      F_INT(job_count, count), F_END};

err_code js_counts(db *d, arena *a, job_count **out, size_t *n) {
  err_code rc;
  *out = db_list(d, a,
                 "SELECT kind, state, count(*) FROM job GROUP BY kind, state ORDER BY kind, state",
                 NULL, COUNT_ROW, sizeof(job_count), n, &rc);
  return rc;
}

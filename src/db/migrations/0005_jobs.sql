-- Background jobs (src/domain/jobs, run by src/jobs): the one queue the
-- outbox, notices, mail intake, reminders and housekeeping use. A job is
-- enqueued inside the transaction of the change that needs it, claimed by
-- one worker at a time (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: BEGIN
-- IMMEDIATE serialises) under a lease, and retried with backoff until it
-- succeeds or its kind's attempts are used up ('dead').
--
-- state: 'queued' (waiting for run_at), 'running' (claimed; locked_until is
-- the lease: past it the job is claimed again), 'retry' (failed, waiting
-- for run_at), 'done', 'dead' (attempts used up), 'cancelled' (by an
-- administrator). attempts counts claims.
CREATE TABLE job (
  id @PK@,
  kind TEXT NOT NULL,
  ente_id BIGINT REFERENCES ente (id),
  payload TEXT NOT NULL,
  dedup_key TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'retry', 'done', 'dead', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at BIGINT NOT NULL,
  locked_until BIGINT,
  locked_by TEXT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);

-- what the workers look for: due jobs in run_at order
CREATE INDEX job_state_run_at ON job (state, run_at);
CREATE INDEX job_kind_state ON job (kind, state);
-- at most one pending job per kind and dedup key
CREATE UNIQUE INDEX job_dedup ON job (kind, dedup_key)
  WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running', 'retry');

-- Tamper-evident audit trail (src/domain/audit). One row per change of
-- state, written in the same transaction as the change. Each row's hash is
-- SHA-256 over prev_hash and all its columns (including id), so editing,
-- removing or inserting a row breaks the chain. Ids are assigned by
-- audit_write from audit_head (never by the sequence, which leaves gaps on
-- rollback), so a gap in ids means a deleted row.
CREATE TABLE audit_log (
  id @PK@,
  at BIGINT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  ente_id BIGINT,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_ente_at ON audit_log (ente_id, at);

-- The chain tip: exactly one row, locked by every writer (so writers
-- serialise) and compared with the last audit_log row by verify (so rows
-- deleted at the tail are detected). The genesis hash is 64 zeros.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);

INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

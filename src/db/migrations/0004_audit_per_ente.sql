-- One audit chain per Ente (src/domain/audit), so that writers of different
-- Enti no longer queue on one head row. A row belongs to chain = its
-- ente_id, or 0 when it is about no Ente (users, offices, sessions); seq is
-- its position in the chain (1, 2, ... with no gaps), assigned from the
-- chain's head in audit_chain, which every writer locks.
--
-- Rows written before this migration keep their hashes: SHA-256 cannot be
-- computed in SQL, so they are not re-chained but kept as chain -1, the
-- single chain of the first epoch, with seq = their old id (the value their
-- hash covers) and its head copied from audit_head. Verify checks chain -1
-- with the first-epoch rule and every other chain with the per-Ente rule.
-- The surrogate id is no longer part of any hash: new rows take it from
-- the table's own sequence (the copy below gives the sequence a fresh
-- start on both backends, which an in-place change would not on
-- PostgreSQL).
CREATE TABLE audit_log_v2 (
  id @PK@,
  chain BIGINT NOT NULL,
  seq BIGINT NOT NULL,
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

INSERT INTO audit_log_v2 (chain, seq, at, actor_kind, actor_id, ente_id, action, object_type,
                          object_id, before_json, after_json, prev_hash, hash)
SELECT -1, id, at, actor_kind, actor_id, ente_id, action, object_type, object_id, before_json,
       after_json, prev_hash, hash
FROM audit_log ORDER BY id;

DROP TABLE audit_log;
ALTER TABLE audit_log_v2 RENAME TO audit_log;

CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_ente_at ON audit_log (ente_id, at);

-- The tip of each chain: locked by the chain's writers (so they serialise
-- per chain, not globally) and compared with the chain's last row by
-- verify (so rows deleted at the tail are detected). A chain's head is
-- created by its first write; its genesis hash is 64 zeros.
CREATE TABLE audit_chain (
  chain BIGINT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);

-- The first-epoch head, unless nothing was ever written (a fresh database).
INSERT INTO audit_chain (chain, last_seq, last_hash)
SELECT -1, last_id, last_hash FROM audit_head WHERE id = 1 AND last_id > 0;

DROP TABLE audit_head;

-- Cessations of occupations (issue 9): the link that lets the taxpayer
-- upload the photographs of the restored site (only the SHA-256 of its
-- 128-bit token is stored; one case; an expiry; how many photos it took)
-- and the inspection record's inspector and outcome (day and report stay
-- on the occupation row).
CREATE TABLE occupation_photo_link (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  case_id BIGINT NOT NULL REFERENCES cases (id),
  token_hash TEXT NOT NULL UNIQUE,
  expires_at BIGINT NOT NULL,
  photos INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX occupation_photo_link_case ON occupation_photo_link (ente_id, case_id);

CREATE TABLE occupation_inspection (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  case_id BIGINT NOT NULL REFERENCES cases (id),
  inspector TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('restored', 'not_restored')),
  photos INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, case_id)
);

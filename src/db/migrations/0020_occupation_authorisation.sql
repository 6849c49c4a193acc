-- Occupations of public land (issue 9), the Ente's side.
-- The authorisation (concessione) the Ente uploads for an occupation: the
-- PDF stored once in blob, registered in the protocol as incoming on the
-- case, delivered to the taxpayer by mail once the notice is paid
-- (delivered_at). One per occupation: a new upload before
-- the delivery replaces it.
CREATE TABLE occupation_authorisation (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  occupation_id BIGINT NOT NULL REFERENCES occupation (id),
  case_id BIGINT NOT NULL REFERENCES cases (id),
  name TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob (sha256),
  protocol_entry_id BIGINT REFERENCES protocol_entry (id),
  uploaded_at BIGINT NOT NULL,
  uploaded_by_kind TEXT NOT NULL,
  uploaded_by BIGINT,
  delivered_at BIGINT,
  UNIQUE (occupation_id)
);
CREATE INDEX occupation_authorisation_case ON occupation_authorisation (ente_id, case_id);

-- Approval by mail: each incoming message of a variation case waiting for
-- the Ente, once looked at, with what it said (approved, refused; unclear
-- flags the case for an operator; ignored: not from the Ente's address or
-- not a reply to the approval request).
CREATE TABLE occupation_reply (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  occupation_id BIGINT NOT NULL REFERENCES occupation (id),
  case_message_id BIGINT NOT NULL REFERENCES case_message (id),
  outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'refused', 'unclear', 'ignored')),
  at BIGINT NOT NULL,
  UNIQUE (case_message_id)
);
CREATE INDEX occupation_reply_occ ON occupation_reply (ente_id, occupation_id);

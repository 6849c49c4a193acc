-- Cases (pratiche, C4): one entity for every channel (e-mail, PEC, web form,
-- counter, phone, Ente staff, intermediaries). A case is numbered per Ente
-- and year without gaps (case_counter, incremented in the case's own
-- transaction), belongs to an office, may have an assignee, moves through
-- the states below and records every transition in case_event (the iter).
-- Messages in and out, attachments (content in blob, by SHA-256) and the
-- protocol entries of its communications hang off it.
--
-- state: 'new' (da prendere in carico), 'assigned', 'in_progress',
-- 'waiting' (in attesa del richiedente), 'closed'.
-- outcome (closed only): 'accepted', 'rejected', 'archived', 'forwarded'.
-- due_date: YYYY-MM-DD, working days from the Ente's calendar.

-- The catalogue of categories an Ente configures. Built-in defaults
-- (src/domain/cases/category.c) apply to codes without a row here; a row
-- overrides a default (name, working days, active) or adds a category.
CREATE TABLE case_category (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  working_days INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, code)
);

-- Which offices serve which Enti (routing falls back on the least-loaded
-- of them).
CREATE TABLE office_ente (
  office_id BIGINT NOT NULL REFERENCES office (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (office_id, ente_id)
);
CREATE INDEX office_ente_ente ON office_ente (ente_id);

-- Routing rules: a new case of the Ente (and of the category, or of any
-- category when category_code is NULL) goes to office_id; the most
-- specific rule wins, then the lowest position.
CREATE TABLE case_rule (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  category_code TEXT,
  office_id BIGINT NOT NULL REFERENCES office (id),
  position INTEGER NOT NULL DEFAULT 100,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_rule_ente ON case_rule (ente_id, category_code);

CREATE TABLE case_counter (
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  year INTEGER NOT NULL,
  last_number BIGINT NOT NULL,
  PRIMARY KEY (ente_id, year)
);

CREATE TABLE cases (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  year INTEGER NOT NULL,
  number BIGINT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'pec', 'web', 'counter', 'phone', 'ente',
                                           'intermediary')),
  category_code TEXT NOT NULL,
  category_name TEXT NOT NULL,
  subject TEXT NOT NULL,
  description TEXT,
  priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
  state TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'in_progress', 'waiting', 'closed')),
  outcome TEXT CHECK (outcome IN ('accepted', 'rejected', 'archived', 'forwarded')),
  office_id BIGINT REFERENCES office (id),
  assignee_id BIGINT REFERENCES app_user (id),
  requester_kind TEXT NOT NULL CHECK (requester_kind IN ('taxpayer', 'intermediary', 'ente_office',
                                                         'person')),
  requester_name TEXT NOT NULL,
  requester_email TEXT,         -- lower case
  requester_pec TEXT,           -- lower case
  requester_fiscal_code TEXT,   -- upper case
  requester_phone TEXT,
  requester_contact TEXT,       -- person to contact (intermediaries)
  taxpayer_id BIGINT REFERENCES taxpayer (id),
  requester_user_id BIGINT REFERENCES app_user (id),
  act_number TEXT,              -- intermediaries: the communication or act
  act_taxpayer_cf TEXT,
  act_details TEXT,
  reason TEXT,
  agreed_office_id BIGINT REFERENCES office (id),
  protocol_entry_id BIGINT REFERENCES protocol_entry (id),
  protocol_year INTEGER,
  protocol_number BIGINT,
  thread_id TEXT,               -- Message-ID of the first message, for References
  received_at BIGINT NOT NULL,
  due_date TEXT NOT NULL,
  closed_at BIGINT,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, year, number)
);
CREATE INDEX cases_queue ON cases (ente_id, office_id, state, due_date);
CREATE INDEX cases_assignee ON cases (ente_id, assignee_id, state);
CREATE INDEX cases_requester_cf ON cases (ente_id, requester_fiscal_code);
CREATE INDEX cases_requester_email ON cases (ente_id, requester_email);
CREATE INDEX cases_protocol ON cases (ente_id, protocol_year, protocol_number);
CREATE INDEX cases_office_state ON cases (office_id, state);

-- The iter: every transition (who, when, why).
CREATE TABLE case_event (
  id @PK@,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  created_at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  office_id BIGINT REFERENCES office (id),
  assignee_id BIGINT REFERENCES app_user (id),
  reason TEXT
);
CREATE INDEX case_event_case ON case_event (case_id, id);

-- Messages in (requests, replies) and out (replies, requests for
-- information, outcomes). outbox_id: the outgoing row once the outbox
-- delivers it; message_id / in_reply_to / refs thread the conversation.
CREATE TABLE case_message (
  id @PK@,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  sender TEXT NOT NULL,
  recipient TEXT,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  message_id TEXT,
  in_reply_to TEXT,
  refs TEXT,
  outbox_id BIGINT,
  mail_message_id BIGINT,
  protocol_entry_id BIGINT REFERENCES protocol_entry (id),
  author_id BIGINT REFERENCES app_user (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX case_message_case ON case_message (case_id, id);
CREATE INDEX case_message_msgid ON case_message (ente_id, message_id);

CREATE TABLE case_attachment (
  id @PK@,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  case_message_id BIGINT REFERENCES case_message (id),
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob (sha256),
  created_at BIGINT NOT NULL
);
CREATE INDEX case_attachment_case ON case_attachment (case_id);

-- Every protocol entry of a case's communications.
CREATE TABLE case_protocol (
  case_id BIGINT NOT NULL REFERENCES cases (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  entry_id BIGINT NOT NULL REFERENCES protocol_entry (id),
  PRIMARY KEY (case_id, entry_id)
);

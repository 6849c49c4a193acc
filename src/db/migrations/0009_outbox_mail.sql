-- Outbox and mail intake (src/domain/notify, src/domain/intake, src/mail).
--
-- outbox: every outgoing message (e-mail today; PEC, SMS and App IO use the
-- same rows through channel), written in the transaction of the fact that
-- causes it together with its delivery job. message_id is ours, generated
-- and stored before the first attempt: a message sent again after a crash
-- between the SMTP transaction and the 'sent' record carries the same
-- Message-ID, so the copy can be recognised.
-- state: 'queued' (waiting for its job), 'sending' (an attempt started),
-- 'sent', 'failed' (last attempt failed, last_error; the job retries),
-- 'dead' (attempts used up).
CREATE TABLE outbox (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'pec', 'sms', 'appio')),
  from_addr TEXT NOT NULL,
  to_addr TEXT NOT NULL,
  cc TEXT,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT,
  message_id TEXT NOT NULL UNIQUE,
  in_reply_to TEXT,
  refs TEXT,
  auto_submitted TEXT,
  object_type TEXT,
  object_id BIGINT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX outbox_ente_state ON outbox (ente_id, state);
CREATE INDEX outbox_object ON outbox (object_type, object_id);

CREATE TABLE outbox_attachment (
  id @PK@,
  outbox_id BIGINT NOT NULL REFERENCES outbox (id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob (sha256),
  UNIQUE (outbox_id, position)
);

-- Mailboxes read by intake, per Ente: IMAP(S) polled by UID, or a Maildir.
-- last_uid/uidvalidity: IMAP position, advanced in the transaction of each
-- message registered. password: IMAP password, never printed or logged.
CREATE TABLE mailbox (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('imap', 'maildir')),
  url TEXT NOT NULL,
  username TEXT,
  password TEXT,
  address TEXT,
  pec INTEGER NOT NULL DEFAULT 0,
  processed_folder TEXT,
  uidvalidity BIGINT NOT NULL DEFAULT 0,
  last_uid BIGINT NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, name)
);

-- A message received and stored. kind: 'request' (a new communication),
-- 'reply' (joins an earlier case or message), 'automatic' (PEC receipt,
-- bounce, auto-reply, loop: kept, never registered, never answered).
-- state: 'unassigned' (waiting for the cases area), 'assigned' (case_id
-- set), 'kept' (automatic). Exactly once: UNIQUE (mailbox, Message-ID,
-- content hash).
CREATE TABLE mail_message (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  mailbox_id BIGINT NOT NULL REFERENCES mailbox (id),
  message_id TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  raw_sha256 TEXT NOT NULL REFERENCES blob (sha256),
  raw_size BIGINT NOT NULL,
  from_addr TEXT,
  from_name TEXT,
  to_addrs TEXT,
  subject TEXT,
  sent_date TEXT,
  body_text TEXT,
  body_html TEXT,
  in_reply_to TEXT,
  refs TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'reply', 'automatic')),
  auto_reason TEXT,
  pec INTEGER NOT NULL DEFAULT 0,
  pec_type TEXT,
  daticert_sha256 TEXT REFERENCES blob (sha256),
  outbox_id BIGINT REFERENCES outbox (id),
  reply_to_message BIGINT REFERENCES mail_message (id),
  case_tag TEXT,
  protocol_entry_id BIGINT REFERENCES protocol_entry (id),
  state TEXT NOT NULL CHECK (state IN ('unassigned', 'assigned', 'kept')),
  case_id BIGINT,
  received_at BIGINT NOT NULL,
  UNIQUE (mailbox_id, message_id, content_sha256)
);
CREATE INDEX mail_message_ente ON mail_message (ente_id, state, received_at);
CREATE INDEX mail_message_msgid ON mail_message (ente_id, message_id);
CREATE INDEX mail_message_outbox ON mail_message (outbox_id);

-- Attachments and inline parts of a stored message, content in blob.
CREATE TABLE mail_part (
  id @PK@,
  message_id BIGINT NOT NULL REFERENCES mail_message (id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('attachment', 'inline', 'daticert')),
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  content_id TEXT,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob (sha256),
  UNIQUE (message_id, position)
);

-- Messages that could not be read: kept with the reason for the
-- administrator; the ones behind them go on.
CREATE TABLE mail_quarantine (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  mailbox_id BIGINT NOT NULL REFERENCES mailbox (id),
  source_ref TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw_sha256 TEXT REFERENCES blob (sha256),
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX mail_quarantine_ente ON mail_quarantine (ente_id, created_at);

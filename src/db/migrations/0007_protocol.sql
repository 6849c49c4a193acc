-- Protocol register (C4): one register per Ente, numbered per calendar
-- year (Europe/Rome) without gaps or repeats: the number comes from
-- protocol_counter, incremented in the same transaction as the entry, so a
-- rolled-back or crashed registration leaves no hole. Entries are never
-- updated or deleted; an annulment is a row of its own. Each entry carries
-- the SHA-256 of its canonical content (documents included); the daily
-- register records the hash over the day's entries and the audit head, so a
-- later rewrite shows against registers already issued.

CREATE TABLE protocol_counter (
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  year INTEGER NOT NULL,
  last_number BIGINT NOT NULL,
  PRIMARY KEY (ente_id, year)
);

-- One fascicolo per service (category) per year.
CREATE TABLE protocol_fascicolo (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  year INTEGER NOT NULL,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, year, category)
);

CREATE TABLE protocol_entry (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  year INTEGER NOT NULL,
  number BIGINT NOT NULL,
  registered_at BIGINT NOT NULL,
  reg_day TEXT NOT NULL,             -- YYYY-MM-DD in Europe/Rome
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),
  correspondent TEXT NOT NULL,
  subject TEXT NOT NULL,
  channel TEXT NOT NULL,             -- email, pec, web, counter, phone, internal
  fascicolo_id BIGINT REFERENCES protocol_fascicolo (id),
  actor_kind TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  entry_hash TEXT NOT NULL,
  UNIQUE (ente_id, year, number)
);
CREATE INDEX protocol_entry_day ON protocol_entry (ente_id, reg_day, number);

-- Document contents, stored once by SHA-256 (shared with mail intake).
CREATE TABLE blob (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  data @BLOB@ NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE protocol_document (
  id @PK@,
  entry_id BIGINT NOT NULL REFERENCES protocol_entry (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('primary', 'attachment')),
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob (sha256),
  UNIQUE (entry_id, position)
);

CREATE TABLE protocol_annulment (
  id @PK@,
  entry_id BIGINT NOT NULL UNIQUE REFERENCES protocol_entry (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  reason TEXT NOT NULL,
  annulled_at BIGINT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id BIGINT NOT NULL
);

-- Daily registers issued: what was certified for a day.
CREATE TABLE protocol_day (
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  day TEXT NOT NULL,
  entries BIGINT NOT NULL,
  entries_sha256 TEXT NOT NULL,
  audit_head TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  PRIMARY KEY (ente_id, day)
);

-- Canone unico patrimoniale (issue 9): each Ente's fee rules, as loaded
-- from its rule file (`sportello canone import`): one row per line of the
-- file (rule, code, value as typed, validated in C), replaced as a whole.
CREATE TABLE canone_rule (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  line INTEGER NOT NULL,
  rule TEXT NOT NULL,
  code TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX canone_rule_ente ON canone_rule (ente_id, line);

-- Occupations of public land (seed 000): one row per declaration case
-- (new, variation, cessation), the structured data, the fee computed and
-- the act issued for it, and the dates of what was sent. The case (cases)
-- carries the deadline, the state and the iter.
CREATE TABLE occupation (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  case_id BIGINT NOT NULL REFERENCES cases (id),
  taxpayer_id BIGINT REFERENCES taxpayer (id),
  kind TEXT NOT NULL CHECK (kind IN ('new', 'variation', 'cessation')),
  state TEXT NOT NULL,
  place TEXT,
  zone TEXT,
  use_code TEXT,
  permanent INTEGER NOT NULL DEFAULT 0,
  surface_hundredths BIGINT,
  start_date TEXT,
  end_date TEXT,
  ente_email TEXT,              -- the Ente office that gets copies and outcomes
  amount_cents BIGINT,
  breakdown TEXT,               -- JSON array of the quote's lines
  act_id BIGINT REFERENCES debt_act (id),
  notice_sent_at BIGINT,        -- notice mailed to the taxpayer and the Ente
  paid_at BIGINT,               -- payment seen
  paid_report_due TEXT,         -- YYYY-MM-DD: the Ente is told on this working day
  paid_reported_at BIGINT,
  -- variation and cessation: the occupation they change
  parent_id BIGINT REFERENCES occupation (id),
  variation TEXT CHECK (variation IN ('holder', 'nature', 'surface')),
  ente_decision TEXT CHECK (ente_decision IN ('pending', 'approved', 'refused')),
  decided_at BIGINT,
  ceased_on TEXT,               -- no charge after this day
  photos_requested_at BIGINT,
  inspection_due TEXT,          -- cessation: the site inspection by this day
  inspection_on TEXT,
  inspection_report TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (case_id)
);
CREATE INDEX occupation_ente ON occupation (ente_id, state);
CREATE INDEX occupation_act ON occupation (act_id);

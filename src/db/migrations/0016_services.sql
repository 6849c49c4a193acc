-- Digital services (issue 9, seed 004): the per-Ente catalogue of online
-- services, each with its form defined as data (a JSON document validated
-- at import, src/domain/services/form.c), and the applications (pratiche)
-- citizens, intermediaries or Ente staff fill in: drafts kept until they
-- are submitted, then a case of the service's category (src/domain/cases)
-- with its protocol entries filed in one fascicolo per service and year.

CREATE TABLE service (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  category_code TEXT NOT NULL,
  office_id BIGINT REFERENCES office (id),
  -- the whole service document as imported (canonical JSON)
  definition TEXT NOT NULL,
  payment TEXT NOT NULL DEFAULT 'none',   -- none | advance | deferred
  revenue_code TEXT,
  amount_cents BIGINT,                    -- fixed amount, or NULL
  amount_field TEXT,                      -- or the money field that gives it
  stamp_duty INTEGER NOT NULL DEFAULT 0,  -- imposta di bollo 16 euro
  appointment INTEGER NOT NULL DEFAULT 0,
  working_days INTEGER NOT NULL,
  protocolled INTEGER NOT NULL DEFAULT 1,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, code)
);

-- An application: a draft until submitted; data is the JSON object of the
-- values typed (field name -> text), as validated at submission.
-- state: 'draft' | 'submitted'. The case carries the rest of its life.
CREATE TABLE service_application (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  service_id BIGINT NOT NULL REFERENCES service (id),
  state TEXT NOT NULL DEFAULT 'draft',
  applicant_fiscal_code TEXT,
  applicant_name TEXT,
  applicant_email TEXT,
  owner_kind TEXT NOT NULL,               -- 'citizen' | 'user'
  owner_user_id BIGINT REFERENCES app_user (id),
  owner_fiscal_code TEXT,                 -- the citizen who keeps the draft
  data TEXT NOT NULL,
  case_id BIGINT REFERENCES cases (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  submitted_at BIGINT
);
CREATE INDEX service_application_owner ON service_application (ente_id, owner_fiscal_code, state);
CREATE INDEX service_application_case ON service_application (ente_id, case_id);

-- Files uploaded with an application (file fields); content once in blob.
-- mime is what libmagic found in the content, not what the browser said.
CREATE TABLE service_application_file (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  application_id BIGINT NOT NULL REFERENCES service_application (id),
  field TEXT NOT NULL,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blob (sha256),
  created_at BIGINT NOT NULL,
  UNIQUE (application_id, field)
);

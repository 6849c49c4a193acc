-- Debt positions (C2, src/domain/debt): per-Ente pagoPA settings and the
-- IUV sequence, accounts, revenue types with their default transfer split,
-- installment brackets, acts with lines and payment options (each with its
-- NAV/IUV and up to 5 transfers), and two append-only logs: the money
-- ledger (debt_movement) and the act events (debt_event). Nothing ever
-- UPDATEs or DELETEs a row of those two; the act's and options' state and
-- amounts are derived from them and cached in debt_act / debt_option in
-- the same transaction as the row that changed them.

-- pagoPA settings of an Ente. iuv_next is the next 13-digit IUV base: it is
-- only ever advanced (UPDATE ... SET iuv_next = iuv_next + n RETURNING),
-- inside the transaction that stores the options using the bases, so a
-- rollback gives them back and a commit makes them used for ever.
CREATE TABLE debt_pagopa (
  ente_id BIGINT PRIMARY KEY REFERENCES ente (id),
  segregation_code TEXT NOT NULL,   -- 2 digits: aux digit 3 NAVs
  cbill TEXT,                       -- CBILL code (5 alphanumeric)
  broker_id TEXT,                   -- intermediary fiscal code (NULL: [pagopa] broker_id)
  station_id TEXT,                  -- station (NULL: [pagopa] station_id)
  iuv_next BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE debt_account (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  iban TEXT NOT NULL,
  postal_account TEXT,              -- c/c postale, digits
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, iban)
);

CREATE TABLE debt_revenue (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  code TEXT NOT NULL,               -- 'IMU', 'TARI', ...
  name TEXT NOT NULL,
  taxonomy TEXT NOT NULL,           -- pagoPA "dati specifici di incasso", 9/0101100IM/
  account_id BIGINT NOT NULL REFERENCES debt_account (id),
  spontaneous INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, code)
);

-- Default transfers of a revenue to other beneficiaries (TEFA to the
-- Provincia...), positions 2..5; the Ente's own transfer (position 1) gets
-- the remainder. share_kind 'permille' (of the payment), 'permille_on_top'
-- (a surcharge of share/1000 on the Ente's part) or 'fixed' (cents).
CREATE TABLE debt_revenue_split (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  revenue_id BIGINT NOT NULL REFERENCES debt_revenue (id),
  position INTEGER NOT NULL,
  beneficiary_cf TEXT NOT NULL,
  beneficiary_name TEXT NOT NULL,
  iban TEXT NOT NULL,
  taxonomy TEXT NOT NULL,
  share_kind TEXT NOT NULL,
  share BIGINT NOT NULL,
  UNIQUE (revenue_id, position)
);

-- Installment brackets (rateizzazione): rows with ente_id NULL are the
-- installation default, an Ente's own rows replace them all. The default
-- rows are L. 160/2019 art. 1 c. 796 (tests compare them with
-- ../shared/data/rateizzazione_l160_2019_c796.csv).
CREATE TABLE debt_bracket (
  id @PK@,
  ente_id BIGINT REFERENCES ente (id),
  from_cents BIGINT NOT NULL,
  to_cents BIGINT,                  -- NULL: no upper bound
  min_installments INTEGER NOT NULL,
  max_installments INTEGER NOT NULL
);
CREATE INDEX debt_bracket_ente ON debt_bracket (ente_id, from_cents);
INSERT INTO debt_bracket (ente_id, from_cents, to_cents, min_installments, max_installments) VALUES
  (NULL, 0, 10000, 0, 0),
  (NULL, 10001, 50000, 2, 4),
  (NULL, 50001, 300000, 5, 12),
  (NULL, 300001, 600000, 13, 24),
  (NULL, 600001, 2000000, 25, 36),
  (NULL, 2000001, NULL, 37, 72);

-- Automatic act numbers per Ente, act type and year.
CREATE TABLE debt_act_counter (
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  act_type TEXT NOT NULL,
  year INTEGER NOT NULL,
  next_number BIGINT NOT NULL,
  PRIMARY KEY (ente_id, act_type, year)
);

-- An act. The columns after due_date are the cache of the derivation
-- (debt_state.c) over debt_movement and debt_event, rewritten in the same
-- transaction as every movement or event of the act.
CREATE TABLE debt_act (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  taxpayer_id BIGINT NOT NULL REFERENCES taxpayer (id),
  revenue_id BIGINT NOT NULL REFERENCES debt_revenue (id),
  act_type TEXT NOT NULL,
  year INTEGER NOT NULL,
  number TEXT NOT NULL,
  description TEXT NOT NULL,
  issue_date TEXT NOT NULL,         -- YYYY-MM-DD
  notification_date TEXT,
  due_date TEXT NOT NULL,
  state TEXT NOT NULL,
  charged_cents BIGINT NOT NULL,
  paid_cents BIGINT NOT NULL,
  relieved_cents BIGINT NOT NULL,
  residual_cents BIGINT NOT NULL,   -- negative: overpaid, to refund
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, act_type, year, number)
);
CREATE INDEX debt_act_taxpayer ON debt_act (ente_id, taxpayer_id);
CREATE INDEX debt_act_number ON debt_act (ente_id, number);
CREATE INDEX debt_act_year ON debt_act (ente_id, year, id);

CREATE TABLE debt_act_line (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  act_id BIGINT NOT NULL REFERENCES debt_act (id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,               -- tax | sanction | interest | costs | other
  description TEXT,
  amount_cents BIGINT NOT NULL,
  UNIQUE (act_id, position)
);

-- Payment options. generation: options issued together; a new plan or a
-- partial relief issues a new generation and the older unpaid options are
-- replaced. kind 'single' (installment 0) or 'installment' (1..n).
-- state and paid_cents are derived (see debt_act).
CREATE TABLE debt_option (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  act_id BIGINT NOT NULL REFERENCES debt_act (id),
  generation INTEGER NOT NULL,
  kind TEXT NOT NULL,
  installment INTEGER NOT NULL,
  nav TEXT NOT NULL,
  iuv TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  due_date TEXT NOT NULL,
  valid_until TEXT,                 -- after it the notice is expired (NULL: never)
  state TEXT NOT NULL,
  paid_cents BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, iuv),
  UNIQUE (ente_id, nav)
);
CREATE INDEX debt_option_act ON debt_option (act_id);

CREATE TABLE debt_transfer (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  option_id BIGINT NOT NULL REFERENCES debt_option (id),
  position INTEGER NOT NULL,        -- 1..5
  beneficiary_cf TEXT NOT NULL,
  beneficiary_name TEXT,
  iban TEXT NOT NULL,
  postal_account TEXT,
  taxonomy TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  UNIQUE (option_id, position)
);

-- The ledger: one row per money event, append-only. amount_cents > 0; the
-- kind says which way it moves the residual (debt_state.c).
CREATE TABLE debt_movement (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  act_id BIGINT NOT NULL REFERENCES debt_act (id),
  option_id BIGINT REFERENCES debt_option (id),
  kind TEXT NOT NULL,     -- charge payment relief cancellation refund compensation credit_used
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  channel TEXT,           -- payments: pagopa f24 counter bank_transfer
  reference TEXT,         -- payment reference (receipt id, IUR, CRO): idempotency key
  value_date TEXT NOT NULL,
  note TEXT,              -- evidence, reason
  related_act_id BIGINT,  -- compensation: the other act
  actor_kind TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX debt_movement_act ON debt_movement (act_id, id);
CREATE INDEX debt_movement_ente_at ON debt_movement (ente_id, at, id);
CREATE UNIQUE INDEX debt_movement_reference ON debt_movement (ente_id, kind, channel, reference);

-- Act events that are not money, append-only: notified, plan, coattivo,
-- cancelled.
CREATE TABLE debt_event (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  act_id BIGINT NOT NULL REFERENCES debt_act (id),
  kind TEXT NOT NULL,
  event_date TEXT NOT NULL,
  note TEXT,
  actor_kind TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX debt_event_act ON debt_event (act_id, id);

-- The taxpayer portal (C3): each Ente's public portal settings, the rule
-- tables the calculators read (legal interest rates, ravvedimento bands),
-- citizens' sign-in (OpenID Connect logins in progress, citizen sessions),
-- intermediaries' delegations, payment channels and their fees, traffic
-- fines and the payments sent to pagoPA Checkout.

-- Per Ente: the host name its portal answers on, its logo, the coattivo
-- portal it sends taxpayers to, the late-interest spread over the legal
-- rate (basis points: 0..300 = 0..3 points).
CREATE TABLE portal_ente (
  ente_id BIGINT PRIMARY KEY REFERENCES ente (id),
  host TEXT UNIQUE,                 -- lower case, no port: "tributi.comune.example.it"
  logo_png @BLOB@,
  coattivo_url TEXT,                -- https://...
  spread_bp INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);

-- Tasso di interesse legale (art. 1284 c.c.) per calendar year, in basis
-- points (1/100 of a percent). Seeded from the MEF decrees 2007-2026 (the
-- values of ../shared/data/legal_interest_rates.csv); later years are added
-- with `sportello rates set`.
CREATE TABLE legal_interest_rate (
  year INTEGER PRIMARY KEY,
  rate_bp INTEGER NOT NULL,
  decree TEXT,
  updated_at BIGINT NOT NULL
);
INSERT INTO legal_interest_rate (year, rate_bp, decree, updated_at) VALUES
  (2007, 250, 'DM 1 dicembre 2003', 0),
  (2008, 300, 'DM 12 dicembre 2007', 0),
  (2009, 300, 'DM 12 dicembre 2007', 0),
  (2010, 100, 'DM 4 dicembre 2009', 0),
  (2011, 150, 'DM 7 dicembre 2010', 0),
  (2012, 250, 'DM 12 dicembre 2011', 0),
  (2013, 250, 'DM 12 dicembre 2011', 0),
  (2014, 100, 'DM 12 dicembre 2013', 0),
  (2015, 50, 'DM 11 dicembre 2014', 0),
  (2016, 20, 'DM 11 dicembre 2015', 0),
  (2017, 10, 'DM 7 dicembre 2016', 0),
  (2018, 30, 'DM 13 dicembre 2017', 0),
  (2019, 80, 'DM 12 dicembre 2018', 0),
  (2020, 5, 'DM 12 dicembre 2019', 0),
  (2021, 1, 'DM 11 dicembre 2020', 0),
  (2022, 125, 'DM 13 dicembre 2021', 0),
  (2023, 500, 'DM 13 dicembre 2022', 0),
  (2024, 250, 'DM 29 novembre 2023', 0),
  (2025, 200, 'DM 10 dicembre 2024', 0),
  (2026, 160, 'DM 10 dicembre 2025', 0);

-- Ravvedimento operoso: the reduced sanction for late payment, by regime
-- (violations from regime_from to regime_to) and delay. The first band in
-- position order whose conditions hold applies: delay in days within
-- [min_days, max_days] (NULL: open) and the payment within max_years of
-- the deadline (NULL: open). Sanction = tax x base_rate_pm/1000
-- (x days/15 when per_day) / reduction_den.
CREATE TABLE ravv_band (
  id @PK@,
  regime TEXT NOT NULL,
  regime_from TEXT NOT NULL,        -- YYYY-MM-DD, violations on or after
  regime_to TEXT,                   -- YYYY-MM-DD, violations before (NULL: open)
  position INTEGER NOT NULL,
  band TEXT NOT NULL,
  min_days INTEGER NOT NULL,
  max_days INTEGER,
  max_years INTEGER,
  base_rate_pm INTEGER NOT NULL,    -- per mille of the tax: 125 = 12.5%
  per_day INTEGER NOT NULL,         -- 1: x days/15
  reduction_den INTEGER NOT NULL,   -- 10 = 1/10
  UNIQUE (regime, position)
);
INSERT INTO ravv_band (regime, regime_from, regime_to, position, band, min_days, max_days, max_years,
                       base_rate_pm, per_day, reduction_den) VALUES
  ('post_2024-09-01', '2024-09-01', NULL, 1, 'sprint', 1, 14, NULL, 125, 1, 10),
  ('post_2024-09-01', '2024-09-01', NULL, 2, 'breve', 15, 30, NULL, 125, 0, 10),
  ('post_2024-09-01', '2024-09-01', NULL, 3, 'intermedio', 31, 90, NULL, 125, 0, 9),
  ('post_2024-09-01', '2024-09-01', NULL, 4, 'lungo', 91, NULL, 1, 250, 0, 8),
  ('post_2024-09-01', '2024-09-01', NULL, 5, 'oltre', 91, NULL, NULL, 250, 0, 7),
  ('pre_2024-09-01', '1998-01-01', '2024-09-01', 1, 'sprint', 1, 14, NULL, 150, 1, 10),
  ('pre_2024-09-01', '1998-01-01', '2024-09-01', 2, 'breve', 15, 30, NULL, 150, 0, 10),
  ('pre_2024-09-01', '1998-01-01', '2024-09-01', 3, 'intermedio', 31, 90, NULL, 150, 0, 9),
  ('pre_2024-09-01', '1998-01-01', '2024-09-01', 4, 'lungo', 91, NULL, 1, 300, 0, 8),
  ('pre_2024-09-01', '1998-01-01', '2024-09-01', 5, 'biennale', 91, NULL, 2, 300, 0, 7),
  ('pre_2024-09-01', '1998-01-01', '2024-09-01', 6, 'oltre_biennale', 91, NULL, NULL, 300, 0, 6);

-- OpenID Connect sign-ins in progress: the state (its SHA-256), the nonce
-- and the PKCE verifier, for a few minutes; the browser holds the state in
-- a cookie too, so a sign-in finishes only in the browser that began it.
CREATE TABLE oidc_pending (
  id @PK@,
  state_hash TEXT NOT NULL UNIQUE,
  nonce TEXT NOT NULL,
  verifier TEXT NOT NULL,
  ente_id BIGINT REFERENCES ente (id),
  return_path TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_pending_expiry ON oidc_pending (expires_at);

-- Citizens signed in (SPID/CIE through OpenID Connect, or the demo
-- sign-in): separate from staff sessions. Only the SHA-256 of the cookie.
CREATE TABLE citizen_session (
  id @PK@,
  token_hash TEXT NOT NULL UNIQUE,
  fiscal_code TEXT NOT NULL,
  name TEXT,
  acr TEXT,                         -- SPID level as asserted by the provider
  provider TEXT NOT NULL,           -- 'oidc' | 'demo'
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX citizen_session_expiry ON citizen_session (expires_at);

-- Intermediaries (commercialisti, CAF) delegated by a taxpayer, recorded
-- by the office: the intermediary sees these clients' situations only.
CREATE TABLE portal_delegation (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  intermediary_cf TEXT NOT NULL,
  client_cf TEXT NOT NULL,
  valid_from TEXT NOT NULL,         -- YYYY-MM-DD
  valid_to TEXT,                    -- YYYY-MM-DD inclusive (NULL: open)
  revoked_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, intermediary_cf, client_cf)
);
CREATE INDEX portal_delegation_client ON portal_delegation (ente_id, client_cf);

-- Payment channels and their fees, imported by the administrator.
CREATE TABLE payment_channel (
  id @PK@,
  psp TEXT NOT NULL,
  channel TEXT NOT NULL,            -- carta, conto, app, ...
  description TEXT,
  fee_cents BIGINT NOT NULL,
  imported_at BIGINT NOT NULL,
  UNIQUE (psp, channel)
);

-- Traffic-fine reports (verbali): the act in debt_act plus what the
-- payment bands of art. 202 CdS need.
CREATE TABLE portal_fine (
  act_id BIGINT PRIMARY KEY REFERENCES debt_act (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  report_number TEXT NOT NULL,
  plate TEXT NOT NULL,              -- upper case, no spaces
  violation_date TEXT NOT NULL,
  notification_date TEXT NOT NULL,  -- day 0 of the payment windows
  min_cents BIGINT NOT NULL,
  max_cents BIGINT NOT NULL,
  costs_cents BIGINT NOT NULL,
  reduction_allowed INTEGER NOT NULL,
  UNIQUE (ente_id, report_number)
);

-- Payments sent to pagoPA Checkout (one per click on "Paga").
CREATE TABLE portal_checkout (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  option_id BIGINT NOT NULL REFERENCES debt_option (id),
  nav TEXT NOT NULL,
  amount_cents BIGINT NOT NULL,
  email TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX portal_checkout_option ON portal_checkout (ente_id, option_id);

-- Tenancy and access: Enti, regions, offices, users and their Enti,
-- sessions, login failures, API tokens. Timestamps are BIGINT Unix seconds
-- (UTC), booleans INTEGER 0/1. Secrets are stored only as hex SHA-256.

CREATE TABLE ente (
  id @PK@,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  fiscal_code TEXT NOT NULL UNIQUE,
  population BIGINT NOT NULL DEFAULT 0,
  segregation_code TEXT,
  mail_istanze TEXT,
  mail_pec TEXT,
  mail_info TEXT,
  support_phone TEXT,
  patron_day TEXT,
  created_at BIGINT NOT NULL
);

CREATE TABLE region (
  id @PK@,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE office (
  id @PK@,
  region_id BIGINT NOT NULL REFERENCES region (id),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  city TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX office_region ON office (region_id);

CREATE TABLE app_user (
  id @PK@,
  username TEXT NOT NULL UNIQUE,
  full_name TEXT NOT NULL,
  email TEXT,
  role TEXT NOT NULL,
  region_id BIGINT REFERENCES region (id),
  office_id BIGINT REFERENCES office (id),
  password_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);

-- Enti a (non-admin) user is enabled on.
CREATE TABLE user_ente (
  user_id BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  PRIMARY KEY (user_id, ente_id)
);
CREATE INDEX user_ente_ente ON user_ente (ente_id);

CREATE TABLE session (
  id @PK@,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX session_by_user ON session (user_id);
CREATE INDEX session_by_expiry ON session (expires_at);

-- One row per failed sign-in, keyed by client address or username.
CREATE TABLE login_failure (
  id @PK@,
  throttle_key TEXT NOT NULL,
  failed_at BIGINT NOT NULL
);
CREATE INDEX login_failure_key ON login_failure (throttle_key, failed_at);
CREATE INDEX login_failure_at ON login_failure (failed_at);

CREATE TABLE api_token (
  id @PK@,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Enti an API token may act on.
CREATE TABLE api_token_ente (
  token_id BIGINT NOT NULL REFERENCES api_token (id) ON DELETE CASCADE,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  PRIMARY KEY (token_id, ente_id)
);
CREATE INDEX api_token_ente_ente ON api_token_ente (ente_id);

-- Server-wide secrets made on first use when the configuration gives none
-- (security.secret_key): the key that signs anonymous CSRF tokens and device
-- cookies. Hex text; one row per name, never rewritten.
CREATE TABLE server_secret (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Addresses each account (normalised username) has signed in from: attempts
-- from them keep their own allowance when the account is under attack from
-- elsewhere (src/domain/auth/login.c). Pruned after 30 days.
CREATE TABLE login_known (
  account TEXT NOT NULL,
  address TEXT NOT NULL,
  last_success_at BIGINT NOT NULL,
  PRIMARY KEY (account, address)
);
CREATE INDEX login_known_at ON login_known (last_success_at);

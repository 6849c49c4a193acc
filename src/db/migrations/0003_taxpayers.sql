-- Registry (C1): taxpayers of an Ente, their addresses and contacts.
-- name_norm is the upper-cased, accent-folded "SURNAME GIVEN" or company
-- name. It is a byte string (@BLOB@) so prefix searches written as ranges
-- (name_norm >= P AND name_norm < P+1) compare bytes on both backends and
-- use the (ente_id, name_norm) index, whatever the PostgreSQL collation.

CREATE TABLE taxpayer (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  kind TEXT NOT NULL,               -- 'person' | 'company'
  fiscal_code TEXT NOT NULL,
  vat_number TEXT,
  surname TEXT,
  given_name TEXT,
  company_name TEXT,
  name_norm @BLOB@ NOT NULL,
  birth_date TEXT,                  -- YYYY-MM-DD
  birth_place TEXT,
  sex TEXT,                         -- 'M' | 'F'
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, fiscal_code)
);
CREATE INDEX taxpayer_name ON taxpayer (ente_id, name_norm, id);
CREATE INDEX taxpayer_vat ON taxpayer (ente_id, vat_number);

CREATE TABLE taxpayer_address (
  id @PK@,
  taxpayer_id BIGINT NOT NULL REFERENCES taxpayer (id) ON DELETE CASCADE,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,               -- 'residenza' | 'domicilio' | 'sede_legale'
  street TEXT NOT NULL,
  postal_code TEXT,
  city TEXT NOT NULL,
  province TEXT,
  country TEXT NOT NULL,
  UNIQUE (taxpayer_id, position)
);

CREATE TABLE taxpayer_contact (
  id @PK@,
  taxpayer_id BIGINT NOT NULL REFERENCES taxpayer (id) ON DELETE CASCADE,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  position INTEGER NOT NULL,
  channel TEXT NOT NULL,            -- 'email' | 'pec' | 'mobile'
  value TEXT NOT NULL,
  consent INTEGER NOT NULL DEFAULT 0,
  consent_at BIGINT,
  source TEXT NOT NULL,
  UNIQUE (taxpayer_id, position)
);
-- Finding the taxpayer behind an incoming e-mail, PEC or phone number.
CREATE INDEX taxpayer_contact_value ON taxpayer_contact (ente_id, channel, value);

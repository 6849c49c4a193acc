-- pagoPA receipts and reconciliation (src/domain/pagopa) and the SANP
-- settings of revenue types (src/domain/debt).

-- A receipt (paSendRT / paSendRTV2) as the Nodo sent it to an Ente (idPA).
-- One row per (Ente, receiptId): the UNIQUE constraint is what makes a
-- repeated receipt, also on concurrent connections, a duplicate that books
-- nothing. id is the receipt sequence (cursor of /api/v1/receipts).
-- state: booked (paid its option), review (could not be matched: waits for
-- an operator), resolved (matched by an operator), refunded (money given
-- back, nothing booked), secondary (we are a secondary beneficiary of a
-- position of another Ente: nothing to book), ko (outcome KO).
CREATE TABLE pagopa_receipt (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  receipt_id TEXT NOT NULL,
  operation TEXT NOT NULL,            -- paSendRT | paSendRTV2
  notice_number TEXT NOT NULL,
  iuv TEXT NOT NULL,                  -- creditorReferenceId
  fiscal_code TEXT NOT NULL,          -- the creditor Ente of the position
  outcome TEXT NOT NULL,              -- OK | KO
  amount_cents BIGINT NOT NULL,
  fee_cents BIGINT,
  description TEXT,
  debtor_id TEXT,
  debtor_name TEXT,
  payer_id TEXT,
  payer_name TEXT,
  psp_id TEXT NOT NULL,
  psp_name TEXT,
  channel_id TEXT,
  payment_method TEXT,
  payment_date_time TEXT,             -- as received
  application_date TEXT,              -- YYYY-MM-DD
  transfer_date TEXT,                 -- YYYY-MM-DD
  settlement_date TEXT,               -- transfer, else application, else payment date
  stand_in INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  review_reason TEXT,
  act_id BIGINT,
  option_id BIGINT,
  movement_id BIGINT,
  received_at BIGINT NOT NULL,
  resolved_at BIGINT,
  reconciled_at BIGINT,               -- every transfer to this Ente found in an FdR
  UNIQUE (ente_id, receipt_id)
);
CREATE INDEX pagopa_receipt_iuv ON pagopa_receipt (ente_id, iuv);
CREATE INDEX pagopa_receipt_state ON pagopa_receipt (ente_id, state, id);
CREATE INDEX pagopa_receipt_settlement ON pagopa_receipt (ente_id, psp_id, settlement_date);

-- One row per Ente, updated first by every transaction that stores a
-- receipt: on PostgreSQL (READ COMMITTED) the receipts of an Ente are then
-- stored one after the other, so their ids commit in order and id is a safe
-- cursor for readers (/api/v1/receipts).
CREATE TABLE pagopa_receipt_lock (
  ente_id BIGINT PRIMARY KEY REFERENCES ente (id),
  receipts BIGINT NOT NULL
);

-- The request as received (the legal evidence), kept apart from the row
-- read by listings and reconciliation.
CREATE TABLE pagopa_receipt_raw (
  receipt_pk BIGINT PRIMARY KEY REFERENCES pagopa_receipt (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  xml TEXT NOT NULL
);

-- The receipt's transfers; fdr_flow_pk is the flow that reconciled it.
CREATE TABLE pagopa_receipt_transfer (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  receipt_pk BIGINT NOT NULL REFERENCES pagopa_receipt (id),
  id_transfer INTEGER NOT NULL,       -- 1..5 (FdR indiceDatiSingoloPagamento)
  amount_cents BIGINT NOT NULL,
  fiscal_code_pa TEXT NOT NULL,
  iban TEXT,                          -- NULL for a stamp duty transfer
  mbd @BLOB@,                         -- MBDAttachment (marcaDaBollo XML), decoded
  remittance TEXT,
  category TEXT,
  fdr_flow_pk BIGINT,
  UNIQUE (receipt_pk, id_transfer)
);

-- Flussi di Rendicontazione imported. A revision (same flow id from the
-- same PSP, later dataOraFlusso) replaces the earlier one: its entries are
-- deleted, its matches undone and its row marked replaced.
CREATE TABLE pagopa_fdr (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  flow_id TEXT NOT NULL,
  psp_id TEXT NOT NULL,
  psp_name TEXT,
  flow_date_time TEXT NOT NULL,       -- YYYY-MM-DDThh:mm:ss (UTC when a zone was given)
  regulation_id TEXT NOT NULL,        -- identificativoUnivocoRegolamento
  regulation_date TEXT NOT NULL,      -- YYYY-MM-DD
  total_count BIGINT NOT NULL,
  total_cents BIGINT NOT NULL,
  matched BIGINT NOT NULL DEFAULT 0,
  receipt_missing BIGINT NOT NULL DEFAULT 0,
  amount_mismatch BIGINT NOT NULL DEFAULT 0,
  missing_in_flow BIGINT NOT NULL DEFAULT 0,
  state TEXT NOT NULL,                -- current | replaced
  replaced_by BIGINT,
  imported_at BIGINT NOT NULL
);
CREATE INDEX pagopa_fdr_flow ON pagopa_fdr (ente_id, psp_id, flow_id, state);

-- One entry of a flow and what matching found: matched, receipt_missing,
-- amount_mismatch.
CREATE TABLE pagopa_fdr_entry (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  flow_pk BIGINT NOT NULL REFERENCES pagopa_fdr (id),
  seq BIGINT NOT NULL,
  iuv TEXT NOT NULL,
  iur TEXT NOT NULL,
  transfer_index INTEGER NOT NULL,
  amount_cents BIGINT NOT NULL,
  outcome_code INTEGER NOT NULL,      -- codiceEsitoSingoloPagamento
  outcome_date TEXT NOT NULL,
  result TEXT NOT NULL,
  transfer_pk BIGINT
);
CREATE INDEX pagopa_fdr_entry_flow ON pagopa_fdr_entry (flow_pk, seq);
CREATE INDEX pagopa_fdr_entry_transfer ON pagopa_fdr_entry (transfer_pk) WHERE transfer_pk IS NOT NULL;

-- SANP settings of a revenue type: the Catalogo Servizi service a
-- paDemandPaymentNotice names (spontaneous payments), and stamp duty (a
-- transfer of amount_cents asked as richiestaMarcaDaBollo in
-- paGetPaymentV2).
CREATE TABLE debt_revenue_sanp (
  revenue_id BIGINT PRIMARY KEY REFERENCES debt_revenue (id),
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  service_id TEXT,                    -- idServizio, 5 characters
  stamp_cents BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  UNIQUE (ente_id, service_id)
);

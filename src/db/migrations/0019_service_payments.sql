-- Online services, what an application costs and books (issue 9, seed
-- 004): the payments of an application (in advance at submission, deferred
-- when the operator requests one, the stamp duty paid with pagoPA), each an
-- act of src/domain/debt with its notice, whose state the ledger gives; the
-- stamp duty declared by the serial number of a marca da bollo, unique per
-- Ente (a serial is used once); the appointment booked for it; an answer
-- to a request for integration that came by mail.
-- kind: 'advance' | 'deferred' | 'stamp'.
CREATE TABLE service_payment (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  application_id BIGINT NOT NULL REFERENCES service_application (id),
  kind TEXT NOT NULL,
  act_id BIGINT NOT NULL REFERENCES debt_act (id),
  amount_cents BIGINT NOT NULL,
  requested_by BIGINT REFERENCES app_user (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX service_payment_app ON service_payment (ente_id, application_id);

-- mode: 'serial' (declared marca da bollo) | 'pagopa' (a service_payment
-- of kind 'stamp'); serial and issue_date only for 'serial'.
CREATE TABLE service_stamp (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  application_id BIGINT NOT NULL REFERENCES service_application (id),
  mode TEXT NOT NULL,
  serial TEXT,
  issue_date TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (application_id),
  UNIQUE (ente_id, serial)
);

-- The appointment booked for an application (services with appointment).
ALTER TABLE service_application ADD COLUMN appointment_id BIGINT REFERENCES agenda_appointment (id);

-- An applicant's answer to a request for integration that arrived by mail
-- (mail intake threaded it to the case): its step recorded once per mail
-- message, with the protocol entry of its PDF.
CREATE TABLE service_mail_answer (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  application_id BIGINT NOT NULL REFERENCES service_application (id),
  mail_message_id BIGINT NOT NULL REFERENCES mail_message (id),
  protocol_entry_id BIGINT REFERENCES protocol_entry (id),
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, mail_message_id)
);

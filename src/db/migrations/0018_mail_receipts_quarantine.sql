-- What the recipient's side says about an outgoing message (issue 7): PEC
-- receipts (accettazione, avvenuta-consegna, errore-consegna...) and RFC 3464
-- bounces received by intake update it; the receipts themselves stay in
-- mail_message (outbox_id), kept, never registered as communications.
-- delivery: NULL (nothing heard yet), 'accepted' (our PEC provider took it),
-- 'delivered' (it reached the recipient's mailbox), 'not_delivered' (refused,
-- not delivered, virus, bounce). A final state is never replaced by a late
-- acceptance. delivery_detail: the receipt type that set it.
ALTER TABLE outbox ADD COLUMN delivery TEXT CHECK (delivery IN ('accepted', 'delivered', 'not_delivered'));
ALTER TABLE outbox ADD COLUMN delivery_at BIGINT;
ALTER TABLE outbox ADD COLUMN delivery_detail TEXT;

-- Quarantine decisions (issue 7): the administrator releases a held message
-- (read again and registered; mail_message_id is the stored message) or
-- discards it; the row stays for the record.
ALTER TABLE mail_quarantine ADD COLUMN state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'discarded'));
ALTER TABLE mail_quarantine ADD COLUMN resolved_at BIGINT;
ALTER TABLE mail_quarantine ADD COLUMN resolved_by BIGINT;
ALTER TABLE mail_quarantine ADD COLUMN mail_message_id BIGINT;

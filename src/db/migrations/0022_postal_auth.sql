-- The Poste authorisation of an Ente's postal account ("AUT. DB/SSIC/E ..."),
-- printed on the bollettino postale PA of the payment notices; a postal
-- account without it gets notices without the bollettino.
ALTER TABLE debt_account ADD COLUMN postal_auth TEXT;

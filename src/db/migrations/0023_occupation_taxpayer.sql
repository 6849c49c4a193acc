-- A citizen's occupations on the portal (issue 9: variations and cessations
-- online): the rows of one taxpayer in one Ente.
CREATE INDEX occupation_taxpayer ON occupation (ente_id, taxpayer_id);

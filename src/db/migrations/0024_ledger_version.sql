-- A taxpayer's ledger version: bumped in the same transaction as every
-- change of one of their acts (debt_act_store.c ds_act_cache, which ends
-- every ledger operation), so a process may keep the acts, options and
-- movements it read for a taxpayer as long as the version is unchanged
-- (the portal's ledger cache, domain/portal/ledger_cache.c).
ALTER TABLE taxpayer ADD COLUMN ledger_version BIGINT NOT NULL DEFAULT 0;

-- Which rules and connections had runs written, corrected or removed, and by which transaction: the
-- collectors re-read only those (src/runs/change-log.ts). A row names the table, the tenant and the key
-- (ruleId or connectionId); a NULL key means every key of the table (a partition dropped).
--
-- xid is the writing transaction (xid8, PostgreSQL 13 and later). A collector remembers the snapshot it
-- read in and next time takes the rows whose writer that snapshot could not see: a transaction that got
-- its ids early and commits late is still found, which an id or time watermark would miss.
CREATE TABLE "RunChange" (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  "table" text NOT NULL CHECK ("table" IN ('RuleRun', 'ConnectorSyncRun')),
  "organizationId" text,
  key text,
  "loggedAt" timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX "RunChange_xid_idx" ON "RunChange" (xid);

-- Statement triggers with transition tables: a worker's single-row insert logs one row, a bulk insert
-- of a million runs logs one row per distinct key, not a million. They see the statements addressed to
-- the partitioned table, which is how Aperio's workers write; the exporter's own writes straight into a
-- partition (retention's deletes and drops) log their changes themselves, and the collectors' periodic
-- full read covers any other writer that bypasses the parent. SECURITY DEFINER so that writers need no
-- privilege on the log.
-- The key column is the trigger's argument. Dynamic SQL sees the transition tables like static SQL does.
CREATE FUNCTION aperio_log_run_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  log_rows text := 'INSERT INTO "RunChange" ("table", "organizationId", key) SELECT DISTINCT $1, "organizationId"::text, '
                   || quote_ident(TG_ARGV[0]) || '::text FROM ';
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO "RunChange" ("table") VALUES (TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE log_rows || 'new_rows' USING TG_TABLE_NAME;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE log_rows || 'old_rows' USING TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END $$;

-- A trigger with transition tables takes one event, hence three per table; a truncate logs "everything".
-- Each run table gets the same four triggers, named <Table>_log_<event>, with its key column.
DO $$
DECLARE
  run record;
BEGIN
  FOR run IN SELECT * FROM (VALUES ('RuleRun', 'ruleId'), ('ConnectorSyncRun', 'connectionId')) AS r(tbl, key) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION aperio_log_run_changes(%L)', run.tbl || '_log_insert', run.tbl, run.key);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION aperio_log_run_changes(%L)', run.tbl || '_log_update', run.tbl, run.key);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION aperio_log_run_changes(%L)', run.tbl || '_log_delete', run.tbl, run.key);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION aperio_log_run_changes(%L)', run.tbl || '_log_truncate', run.tbl, run.key);
  END LOOP;
END $$;

-- Runs written after their hour was rolled up (a worker reporting hours late, a run inserted unfinished
-- and updated with its outcome later) must still reach the hourly rollups and the running totals.
-- A row trigger on each run table notes the hour of such a row in "RollupDirtyHour"; the next rollup
-- (src/runs/late-hours.ts) recomputes those hours and moves the totals by the difference.
--
-- Markers are appended, one per late row, never upserted: ON CONFLICT DO NOTHING against an existing
-- marker would let a row commit after a rollup had read that marker and deleted it, and be lost; an
-- upsert would make concurrent writers of the same hour wait on each other's row lock. The rollup
-- deletes exactly the markers it read, by id.
CREATE TABLE "RollupDirtyHour" (
  id bigserial PRIMARY KEY,
  "table" text NOT NULL CHECK ("table" IN ('RuleRun', 'ConnectorSyncRun')),
  hour timestamptz NOT NULL
);

-- prunedBefore: retention may have removed raw rows before it (the greatest cutoff it ever used).
-- A late hour before it is never recomputed: with raw rows missing, the recount would lower the
-- counters. Rollups written before this migration were pruned by a retention that kept no such
-- record; what it could have removed ended at the watermark minus the 2 hours a rollup re-reads.
ALTER TABLE "RollupState" ADD COLUMN "prunedBefore" timestamptz;
UPDATE "RollupState" SET "prunedBefore" = "rolledUntil" - interval '2 hours';

-- Only rows whose hour had closed when the statement ran are marked: rows of the open hour are rolled
-- up normally. Deletes never mark (no DELETE trigger): retention removing rolled rows is no change to
-- the counters. SECURITY DEFINER so that Aperio's workers need no privilege on the marker table.
CREATE FUNCTION aperio_mark_late_run() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  open_hour timestamptz := date_trunc('hour', statement_timestamp());
BEGIN
  IF date_trunc('hour', NEW."startedAt") < open_hour THEN
    INSERT INTO "RollupDirtyHour" ("table", hour) VALUES (TG_ARGV[0], date_trunc('hour', NEW."startedAt"));
  END IF;
  IF TG_OP = 'UPDATE' AND date_trunc('hour', OLD."startedAt") < open_hour
     AND date_trunc('hour', OLD."startedAt") <> date_trunc('hour', NEW."startedAt") THEN
    INSERT INTO "RollupDirtyHour" ("table", hour) VALUES (TG_ARGV[0], date_trunc('hour', OLD."startedAt"));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "RuleRun_late_insert" AFTER INSERT ON "RuleRun"
  FOR EACH ROW EXECUTE FUNCTION aperio_mark_late_run('RuleRun');
CREATE TRIGGER "RuleRun_late_update" AFTER UPDATE ON "RuleRun"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION aperio_mark_late_run('RuleRun');
CREATE TRIGGER "ConnectorSyncRun_late_insert" AFTER INSERT ON "ConnectorSyncRun"
  FOR EACH ROW EXECUTE FUNCTION aperio_mark_late_run('ConnectorSyncRun');
CREATE TRIGGER "ConnectorSyncRun_late_update" AFTER UPDATE ON "ConnectorSyncRun"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION aperio_mark_late_run('ConnectorSyncRun');

-- Runs written after their hour was rolled up (a worker reporting hours late, a run inserted unfinished
-- and updated with its outcome later) must still reach the hourly rollups and the running totals.
-- A row trigger on each run table notes the hour of such a row in "RollupDirtyHour"; the next rollup
-- (src/runs/late-hours.ts) recomputes those hours and moves the totals by the difference.
--
-- Markers are appended (one per hour and writing transaction), never upserted: ON CONFLICT DO NOTHING against an existing
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
-- the counters. A transaction marks each hour once (remembered in a transaction-local setting, undone
-- with a rolled-back savepoint like the marker itself), so a bulk backfill of a million rows leaves one
-- marker per hour, not a million. Row triggers, not statement triggers, so that a row written straight
-- into a partition is marked too. SECURITY DEFINER so that Aperio's workers need no privilege on the
-- marker table.
CREATE FUNCTION aperio_mark_late_hour(run_table text, started timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  late_hour timestamptz := date_trunc('hour', started);
  seen text := format('aperio.late_%s_%s', lower(run_table), extract(epoch FROM late_hour)::bigint);
BEGIN
  IF late_hour >= date_trunc('hour', statement_timestamp()) OR current_setting(seen, true) = 'on' THEN
    RETURN;
  END IF;
  INSERT INTO "RollupDirtyHour" ("table", hour) VALUES (run_table, late_hour);
  PERFORM set_config(seen, 'on', true);
END $$;

-- The hour test is repeated here so that a run of the open hour, nearly every row written, costs no
-- call of the SECURITY DEFINER function (which switches user and settings).
CREATE FUNCTION aperio_mark_late_run() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  open_hour timestamptz := date_trunc('hour', statement_timestamp());
BEGIN
  IF NEW."startedAt" < open_hour THEN
    PERFORM aperio_mark_late_hour(TG_ARGV[0], NEW."startedAt");
  END IF;
  -- An update that moves a run to another hour changes both.
  IF TG_OP = 'UPDATE' AND OLD."startedAt" < open_hour THEN
    PERFORM aperio_mark_late_hour(TG_ARGV[0], OLD."startedAt");
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

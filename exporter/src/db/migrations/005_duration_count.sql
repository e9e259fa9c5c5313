-- "durationCount": the runs that have a duration (count("durationMs")), i.e. the observations of the
-- duration histograms. A run without one (SKIPPED, or not finished yet) is a run, counted in `runs` and
-- the *_total counters, but no observation: counting it in a histogram's _count and +Inf bucket would
-- make it look like a run slower than the highest bucket bound.
--
-- Backfill of the hours rolled before this migration:
--  - an hour whose raw rows are all still there (as many raw rows as its `runs`) gets the exact figure
--    counted from them;
--  - an hour whose raw rows are gone, entirely or in part (retention), keeps `runs`: the histogram
--    _count published so far stays what it was for that hour instead of dropping (which Prometheus
--    would read as a counter reset), at the price of its runs without a duration still counting as
--    observations. The last cumulative bucket is no substitute: it leaves out runs slower than the
--    highest bound, which are real observations.
-- A running total moves by what its hours moved: its runs minus the hours' runs found without a duration.

ALTER TABLE "RuleRunHourly" ADD COLUMN "durationCount" bigint;
UPDATE "RuleRunHourly" SET "durationCount" = runs;
UPDATE "RuleRunHourly" h SET "durationCount" = r.observed
FROM (SELECT date_trunc('hour', "startedAt") AS hour, "organizationId", "ruleId", count(*) AS runs, count("durationMs") AS observed
      FROM "RuleRun" GROUP BY 1, 2, 3) r
WHERE r.hour = h.hour AND r."organizationId" = h."organizationId" AND r."ruleId" = h."ruleId" AND r.runs = h.runs;
ALTER TABLE "RuleRunHourly" ALTER COLUMN "durationCount" SET NOT NULL;

ALTER TABLE "RuleRunTotal" ADD COLUMN "durationCount" bigint;
UPDATE "RuleRunTotal" t SET "durationCount" = t.runs - coalesce(
  (SELECT sum(h.runs - h."durationCount") FROM "RuleRunHourly" h
   WHERE h."organizationId" = t."organizationId" AND h."ruleId" = t."ruleId"), 0);
ALTER TABLE "RuleRunTotal" ALTER COLUMN "durationCount" SET NOT NULL;

ALTER TABLE "ConnectorSyncHourly" ADD COLUMN "durationCount" bigint;
UPDATE "ConnectorSyncHourly" SET "durationCount" = runs;
UPDATE "ConnectorSyncHourly" h SET "durationCount" = r.observed
FROM (SELECT date_trunc('hour', "startedAt") AS hour, "connectionId", count(*) AS runs, count("durationMs") AS observed
      FROM "ConnectorSyncRun" GROUP BY 1, 2) r
WHERE r.hour = h.hour AND r."connectionId" = h."connectionId" AND r.runs = h.runs;
ALTER TABLE "ConnectorSyncHourly" ALTER COLUMN "durationCount" SET NOT NULL;

ALTER TABLE "ConnectorSyncTotal" ADD COLUMN "durationCount" bigint;
UPDATE "ConnectorSyncTotal" t SET "durationCount" = t.runs - coalesce(
  (SELECT sum(h.runs - h."durationCount") FROM "ConnectorSyncHourly" h WHERE h."connectionId" = t."connectionId"), 0);
ALTER TABLE "ConnectorSyncTotal" ALTER COLUMN "durationCount" SET NOT NULL;

-- Daily run counts for the status page's history (90 days of bars): the hourly rollups summed by UTC
-- day, kept by the rollup in the same statement as the hourly rows (src/runs/rollup.ts), so that every
-- row here is the sum of the hourly rows of its day and key, late runs included. The history reads whole
-- days before the rollup watermark's day from here, that day's closed hours from the hourly tables and
-- the rest raw (src/status/history-query.ts): a few thousand rows instead of every hourly row.
-- Never pruned, like the hourly rollups they are made of.
--
-- Built from the hourly rows already rolled (CREATE TABLE AS keeps the id columns' types, which
-- 007_id_types gave the hourly tables).

CREATE TABLE "RuleRunDaily" AS
  SELECT (hour AT TIME ZONE 'UTC')::date AS day, "organizationId", sum(runs)::bigint AS runs, sum(failures)::bigint AS failures
  FROM "RuleRunHourly" GROUP BY 1, 2;
ALTER TABLE "RuleRunDaily" ALTER COLUMN runs SET NOT NULL, ALTER COLUMN failures SET NOT NULL,
  ADD PRIMARY KEY (day, "organizationId");
CREATE INDEX "RuleRunDaily_org_idx" ON "RuleRunDaily" ("organizationId", day);

CREATE TABLE "ConnectorSyncDaily" AS
  SELECT (hour AT TIME ZONE 'UTC')::date AS day, "connectionId", "organizationId", provider,
         sum(runs)::bigint AS runs, sum(failures)::bigint AS failures
  FROM "ConnectorSyncHourly" GROUP BY 1, 2, 3, 4;
ALTER TABLE "ConnectorSyncDaily" ALTER COLUMN runs SET NOT NULL, ALTER COLUMN failures SET NOT NULL,
  ADD PRIMARY KEY (day, "connectionId", "organizationId", provider);
CREATE INDEX "ConnectorSyncDaily_org_idx" ON "ConnectorSyncDaily" ("organizationId", day);

-- One row per rule evaluation and per connector sync, written by Aperio's workers (the table is the
-- contract). Partitioned by day on startedAt so retention drops whole partitions; a DEFAULT partition
-- accepts a row dated where no partition exists yet, so a writer never fails on a missing partition.

CREATE TABLE "RuleRun" (
  id bigserial NOT NULL,
  "organizationId" text NOT NULL,
  "ruleId" text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('SCHEDULE', 'MANUAL', 'EVENT')),
  "scheduledFor" timestamptz,
  "startedAt" timestamptz NOT NULL,
  "finishedAt" timestamptz,
  "durationMs" integer CHECK ("durationMs" >= 0),
  status text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED')),
  "eventsEvaluated" bigint NOT NULL DEFAULT 0,
  "findingsOpened" integer NOT NULL DEFAULT 0,
  error text,
  "traceId" text,
  PRIMARY KEY (id, "startedAt")
) PARTITION BY RANGE ("startedAt");

CREATE TABLE "RuleRun_default" PARTITION OF "RuleRun" DEFAULT;
-- The audit log's order: a tenant's runs newest first, id as the tie-breaker (keyset pagination).
CREATE INDEX "RuleRun_audit_idx" ON "RuleRun" ("organizationId", "startedAt" DESC, id DESC);
CREATE INDEX "RuleRun_rule_idx" ON "RuleRun" ("organizationId", "ruleId", "startedAt" DESC);
CREATE INDEX "RuleRun_startedAt_idx" ON "RuleRun" ("startedAt");

CREATE TABLE "ConnectorSyncRun" (
  id bigserial NOT NULL,
  "organizationId" text NOT NULL,
  "connectionId" text NOT NULL,
  provider text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('SCHEDULE', 'MANUAL', 'EVENT')),
  "scheduledFor" timestamptz,
  "startedAt" timestamptz NOT NULL,
  "finishedAt" timestamptz,
  "durationMs" integer CHECK ("durationMs" >= 0),
  status text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED')),
  "recordsIngested" bigint NOT NULL DEFAULT 0,
  error text,
  "traceId" text,
  PRIMARY KEY (id, "startedAt")
) PARTITION BY RANGE ("startedAt");

CREATE TABLE "ConnectorSyncRun_default" PARTITION OF "ConnectorSyncRun" DEFAULT;
CREATE INDEX "ConnectorSyncRun_audit_idx" ON "ConnectorSyncRun" ("organizationId", "startedAt" DESC, id DESC);
CREATE INDEX "ConnectorSyncRun_connection_idx" ON "ConnectorSyncRun" ("connectionId", "startedAt" DESC);
CREATE INDEX "ConnectorSyncRun_startedAt_idx" ON "ConnectorSyncRun" ("startedAt");

-- Creates the daily partitions of a run table for [from_day, to_day). Idempotent.
CREATE FUNCTION aperio_ensure_daily_partitions(parent text, from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day date := from_day;
  created integer := 0;
  part text;
BEGIN
  WHILE day < to_day LOOP
    part := parent || '_p' || to_char(day, 'YYYYMMDD');
    IF to_regclass(format('%I', part)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                     part, parent, day::timestamptz, (day + 1)::timestamptz);
      created := created + 1;
    END IF;
    day := day + 1;
  END LOOP;
  RETURN created;
END $$;

SELECT aperio_ensure_daily_partitions('RuleRun', current_date - 1, current_date + 7);
SELECT aperio_ensure_daily_partitions('ConnectorSyncRun', current_date - 1, current_date + 7);

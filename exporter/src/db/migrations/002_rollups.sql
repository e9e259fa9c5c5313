-- Hourly rollups outlive the raw rows (long ranges, the status page's 90-day bars), and the running
-- totals make the Prometheus counters: they only ever grow, so retention never makes a counter go back.
-- durationBuckets holds cumulative counts (runs with durationMs <= each bound of the bucket layout in
-- src/rules/buckets.ts and src/connectors/buckets.ts).

CREATE TABLE "RuleRunHourly" (
  hour timestamptz NOT NULL,
  "organizationId" text NOT NULL,
  "ruleId" text NOT NULL,
  runs bigint NOT NULL,
  failures bigint NOT NULL,
  "durationMsSum" bigint NOT NULL,
  "durationMsMax" integer NOT NULL,
  "durationBuckets" bigint[] NOT NULL,
  "eventsEvaluated" bigint NOT NULL,
  "findingsOpened" bigint NOT NULL,
  PRIMARY KEY (hour, "organizationId", "ruleId")
);
CREATE INDEX "RuleRunHourly_org_idx" ON "RuleRunHourly" ("organizationId", hour);

CREATE TABLE "RuleRunTotal" (
  "organizationId" text NOT NULL,
  "ruleId" text NOT NULL,
  runs bigint NOT NULL,
  failures bigint NOT NULL,
  "durationMsSum" bigint NOT NULL,
  "durationBuckets" bigint[] NOT NULL,
  "eventsEvaluated" bigint NOT NULL,
  "findingsOpened" bigint NOT NULL,
  "lastStartedAt" timestamptz,
  PRIMARY KEY ("organizationId", "ruleId")
);

CREATE TABLE "ConnectorSyncHourly" (
  hour timestamptz NOT NULL,
  "connectionId" text NOT NULL,
  "organizationId" text NOT NULL,
  provider text NOT NULL,
  runs bigint NOT NULL,
  failures bigint NOT NULL,
  "durationMsSum" bigint NOT NULL,
  "durationMsMax" integer NOT NULL,
  "durationBuckets" bigint[] NOT NULL,
  "recordsIngested" bigint NOT NULL,
  PRIMARY KEY (hour, "connectionId")
);
CREATE INDEX "ConnectorSyncHourly_org_idx" ON "ConnectorSyncHourly" ("organizationId", hour);

CREATE TABLE "ConnectorSyncTotal" (
  "connectionId" text PRIMARY KEY,
  "organizationId" text NOT NULL,
  provider text NOT NULL,
  runs bigint NOT NULL,
  failures bigint NOT NULL,
  "durationMsSum" bigint NOT NULL,
  "durationBuckets" bigint[] NOT NULL,
  "recordsIngested" bigint NOT NULL,
  "lastStartedAt" timestamptz
);

-- rolledUntil: every hour before it is in the rollups; the counters add the raw rows from there on.
CREATE TABLE "RollupState" (
  name text PRIMARY KEY,
  "rolledUntil" timestamptz NOT NULL
);

import { optionalColumnSql } from '../db/contract';
import { addBuckets, cumulativeBucketsSql, RULE_DURATION_BOUNDS_MS } from '../runs/buckets';
import { rolledUntil } from '../runs/rollup-state';
import { RECENT_SERVING_RUNS } from '../schedules/judge';
import { referenceTimeSql, servingLookbackSql, servingRunSql } from '../schedules/runs';
import { FAILURE_STATUS_SQL } from '../runs/statuses';
import { epochMsSql, interner, queryInBatches, type Collector } from '../snapshot/collector-types';
import type { RuleState } from '../snapshot/types';

interface Row {
  tenantId: string;
  tenant: string;
  ruleId: string;
  ruleKey: string;
  ruleName: string;
  builtIn: boolean;
  enabled: boolean;
  severity: string;
  scheduleIntervalSeconds: number | null;
  scheduleCron: string | null;
  totalRuns: number | null;
  totalFailures: number | null;
  totalDurationCount: number | null;
  totalDurationMs: number | null;
  totalBuckets: number[] | null;
  totalEvents: number | null;
  totalFindings: number | null;
  totalLastStartedAt: number | null;
  rawRuns: number | null;
  rawFailures: number | null;
  rawDurationCount: number | null;
  rawDurationMs: number | null;
  rawBuckets: number[] | null;
  rawEvents: number | null;
  rawFindings: number | null;
  rawLastStartedAt: number | null;
  servingRuns: number[] | null;
}

// One row per (tenant, rule) that should run or has run: enabled built-in rules (organizationId null)
// apply to every tenant, tenant rules to their own.
const SQL = `
WITH pairs AS (
  SELECT o.id AS "organizationId", r.id AS "ruleId"
  FROM "DetectionRule" r JOIN "Organization" o ON r."organizationId" = o.id OR r."organizationId" IS NULL
  WHERE r.enabled
  UNION
  SELECT "organizationId", "ruleId" FROM "RuleRunTotal"
), raw AS (
  SELECT "organizationId", "ruleId", count(*) AS runs,
         count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL}) AS failures, count("durationMs") AS "durationCount",
         coalesce(sum("durationMs"), 0) AS "durationMs",
         ${cumulativeBucketsSql('"durationMs"', RULE_DURATION_BOUNDS_MS)} AS buckets,
         coalesce(sum("eventsEvaluated"), 0) AS events, coalesce(sum("findingsOpened"), 0) AS findings,
         max("startedAt") AS "lastStartedAt"
  FROM "RuleRun" WHERE "startedAt" >= $1 GROUP BY "organizationId", "ruleId"
), all_pairs AS (
  SELECT "organizationId", "ruleId" FROM pairs UNION SELECT "organizationId", "ruleId" FROM raw
)
SELECT p."organizationId"::text AS "tenantId", o.slug AS tenant, p."ruleId"::text AS "ruleId", r.key AS "ruleKey", r.name AS "ruleName",
       (r."organizationId" IS NULL) AS "builtIn", r.enabled, r.severity,
       r."scheduleIntervalSeconds", ${optionalColumnSql('r', 'scheduleCron')} AS "scheduleCron",
       t.runs AS "totalRuns", t.failures AS "totalFailures", t."durationCount" AS "totalDurationCount",
       t."durationMsSum" AS "totalDurationMs",
       t."durationBuckets" AS "totalBuckets", t."eventsEvaluated" AS "totalEvents",
       t."findingsOpened" AS "totalFindings", ${epochMsSql('t."lastStartedAt"')} AS "totalLastStartedAt",
       x.runs AS "rawRuns", x.failures AS "rawFailures", x."durationCount" AS "rawDurationCount", x."durationMs" AS "rawDurationMs", x.buckets AS "rawBuckets",
       x.events AS "rawEvents", x.findings AS "rawFindings", ${epochMsSql('x."lastStartedAt"')} AS "rawLastStartedAt",
       serving.refs AS "servingRuns"
FROM all_pairs p
JOIN "Organization" o ON o.id = p."organizationId"
JOIN "DetectionRule" r ON r.id = p."ruleId"
LEFT JOIN "RuleRunTotal" t ON t."organizationId" = p."organizationId" AND t."ruleId" = p."ruleId"
LEFT JOIN raw x ON x."organizationId" = p."organizationId" AND x."ruleId" = p."ruleId"
LEFT JOIN LATERAL (
  SELECT array_agg(s.ref ORDER BY s."startedAt" DESC) AS refs
  FROM (SELECT ${epochMsSql(referenceTimeSql('s'))}::bigint AS ref, s."startedAt" FROM "RuleRun" s
        WHERE s."organizationId" = p."organizationId" AND s."ruleId" = p."ruleId" AND ${servingRunSql('s')}
          AND r.enabled AND (${optionalColumnSql('r', 'scheduleCron')} IS NOT NULL OR r."scheduleIntervalSeconds" > 0)
          AND s."startedAt" >= $2::timestamptz - ${servingLookbackSql(optionalColumnSql('r', 'scheduleCron'), 'r."scheduleIntervalSeconds"')}
        ORDER BY s."startedAt" DESC LIMIT ${RECENT_SERVING_RUNS}) s
) serving ON true
ORDER BY o.slug, r.key`;

export const rulesCollector: Collector<'rules'> = {
  name: 'rules',
  field: 'rules',
  async collect(client, now) {
    const watermark = await rolledUntil(client, 'RuleRun');
    const shared = interner();
    return queryInBatches(client, SQL, [watermark, new Date(now)], (row: Row) => toRuleState(row, shared));
  },
};

const latest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

function toRuleState(row: Row, shared: ReturnType<typeof interner>): RuleState {
  return {
    tenantId: shared(row.tenantId),
    tenant: shared(row.tenant),
    ruleId: shared(row.ruleId),
    ruleKey: shared(row.ruleKey),
    ruleName: shared(row.ruleName),
    builtIn: row.builtIn,
    enabled: row.enabled,
    severity: shared(row.severity),
    scheduleIntervalSeconds: row.scheduleIntervalSeconds,
    scheduleCron: shared(row.scheduleCron),
    lastRunAt: latest(row.totalLastStartedAt, row.rawLastStartedAt),
    recentServingRuns: row.servingRuns ?? [],
    totals: {
      runs: (row.totalRuns ?? 0) + (row.rawRuns ?? 0),
      failures: (row.totalFailures ?? 0) + (row.rawFailures ?? 0),
      durationCount: (row.totalDurationCount ?? 0) + (row.rawDurationCount ?? 0),
      durationMsSum: (row.totalDurationMs ?? 0) + (row.rawDurationMs ?? 0),
      durationBuckets: addBuckets(row.totalBuckets, row.rawBuckets, RULE_DURATION_BOUNDS_MS.length),
      eventsEvaluated: (row.totalEvents ?? 0) + (row.rawEvents ?? 0),
      findingsOpened: (row.totalFindings ?? 0) + (row.rawFindings ?? 0),
    },
  };
}

import type pg from 'pg';
import { optionalColumnSql } from '../db/contract';
import { inShardSql, type Shard } from '../metrics/shard';
import { columnsDigestSql, IncrementalRead, type Slicing, type Timed } from '../runs/incremental';
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
  digest: number;
  expiresAt: number | null;
}

// One row per (tenant, rule) that should run or has run: enabled built-in rules (organizationId null)
// apply to every tenant, tenant rules to their own; and any pair with runs counted. `scoped` limits
// every part to the tenants in $3 and the rules in $4 (the incremental read, runs/incremental.ts: the
// pairs of those tenants and rules, a superset of the pairs asked for); "expiresAt" is when the first
// serving run read here leaves the serving lookback.
// Built-in and tenant rules are joined to tenants apart: one join ON (equal OR built-in) can only be a
// nested loop over every rule and tenant (4 million pairs at 2,000 tenants).
const pairsSql = (rawPairs: string, scoped: boolean) => `
pairs AS (
  SELECT o.id AS "organizationId", r.id AS "ruleId"
  FROM "DetectionRule" r JOIN "Organization" o ON r."organizationId" = o.id
  WHERE r.enabled ${scoped ? 'AND o.id = ANY($3) AND r.id = ANY($4)' : ''}
  UNION
  SELECT o.id, r.id FROM "DetectionRule" r CROSS JOIN "Organization" o
  WHERE r."organizationId" IS NULL AND r.enabled ${scoped ? 'AND o.id = ANY($3) AND r.id = ANY($4)' : ''}
  UNION
  SELECT "organizationId", "ruleId" FROM "RuleRunTotal" ${scoped ? 'WHERE "organizationId" = ANY($3) AND "ruleId" = ANY($4)' : ''}
  UNION
  SELECT "organizationId", "ruleId" FROM ${rawPairs}
)`;

const rawRunsSql = (scoped: boolean) =>
  `"RuleRun" WHERE "startedAt" >= $1 ${scoped ? 'AND "organizationId" = ANY($3) AND "ruleId" = ANY($4)' : ''}`;

const ORDER = 'o.slug, r.key, r.id';
// The rules with their optional cron column read once per rule (to_jsonb of the row), not once per pair.
const RULES_CTE = `rules AS MATERIALIZED (
  SELECT d.id, d."organizationId", d.key, d.name, d.severity, d.enabled, d."scheduleIntervalSeconds",
         ${optionalColumnSql('d', 'scheduleCron')} AS "scheduleCron"
  FROM "DetectionRule" d
)`;
const CRON = 'r."scheduleCron"';
/** A pair's own columns (the rule's and the tenant's), as RuleState repeats them: what the incremental read compares (their digest). */
const DIGEST = columnsDigestSql([
  'p."organizationId"',
  'o.slug',
  'p."ruleId"',
  'r.key',
  'r.name',
  'r."organizationId" IS NULL',
  'r.enabled',
  'r.severity',
  'r."scheduleIntervalSeconds"',
  CRON,
]);
const LOOKBACK = servingLookbackSql(CRON, 'r."scheduleIntervalSeconds"');

const statesSql = (scoped: boolean) => `
WITH ${RULES_CTE}, raw AS (
  SELECT "organizationId", "ruleId", count(*) AS runs,
         count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL}) AS failures, count("durationMs") AS "durationCount",
         coalesce(sum("durationMs"), 0) AS "durationMs",
         ${cumulativeBucketsSql('"durationMs"', RULE_DURATION_BOUNDS_MS)} AS buckets,
         coalesce(sum("eventsEvaluated"), 0) AS events, coalesce(sum("findingsOpened"), 0) AS findings,
         max("startedAt") AS "lastStartedAt"
  FROM ${rawRunsSql(scoped)} GROUP BY "organizationId", "ruleId"
), ${pairsSql('raw', scoped)}
SELECT p."organizationId"::text AS "tenantId", o.slug AS tenant, p."ruleId"::text AS "ruleId", r.key AS "ruleKey", r.name AS "ruleName",
       (r."organizationId" IS NULL) AS "builtIn", r.enabled, r.severity,
       r."scheduleIntervalSeconds", ${CRON} AS "scheduleCron",
       t.runs AS "totalRuns", t.failures AS "totalFailures", t."durationCount" AS "totalDurationCount",
       t."durationMsSum" AS "totalDurationMs",
       t."durationBuckets" AS "totalBuckets", t."eventsEvaluated" AS "totalEvents",
       t."findingsOpened" AS "totalFindings", ${epochMsSql('t."lastStartedAt"')} AS "totalLastStartedAt",
       x.runs AS "rawRuns", x.failures AS "rawFailures", x."durationCount" AS "rawDurationCount", x."durationMs" AS "rawDurationMs", x.buckets AS "rawBuckets",
       x.events AS "rawEvents", x.findings AS "rawFindings", ${epochMsSql('x."lastStartedAt"')} AS "rawLastStartedAt",
       serving.refs AS "servingRuns", ${epochMsSql('serving.expires')} AS "expiresAt", ${DIGEST} AS digest
FROM pairs p
JOIN "Organization" o ON o.id = p."organizationId"
JOIN rules r ON r.id = p."ruleId"
LEFT JOIN "RuleRunTotal" t ON t."organizationId" = p."organizationId" AND t."ruleId" = p."ruleId"
LEFT JOIN raw x ON x."organizationId" = p."organizationId" AND x."ruleId" = p."ruleId"
LEFT JOIN LATERAL (
  SELECT array_agg(s.ref ORDER BY s."startedAt" DESC) AS refs, min(s."startedAt") + ${LOOKBACK} AS expires
  FROM (SELECT ${epochMsSql(referenceTimeSql('s'))}::bigint AS ref, s."startedAt" FROM "RuleRun" s
        WHERE s."organizationId" = p."organizationId" AND s."ruleId" = p."ruleId" AND ${servingRunSql('s')}
          AND r.enabled AND (${CRON} IS NOT NULL OR r."scheduleIntervalSeconds" > 0)
          AND s."startedAt" >= $2::timestamptz - ${LOOKBACK}
        ORDER BY s."startedAt" DESC LIMIT ${RECENT_SERVING_RUNS}) s
) serving ON true
ORDER BY ${ORDER}`;

const FULL_SQL = statesSql(false);
const SCOPED_SQL = statesSql(true);

/**
 * Every pair's key columns and the digest of its own columns: what the incremental read compares. Of
 * every tenant, or of one shard's tenants (SHARD_COLLECTION=own).
 */
const objectsSql = (shard: Shard | null) => `
WITH ${RULES_CTE}, ${pairsSql(`(SELECT DISTINCT "organizationId", "ruleId" FROM ${rawRunsSql(false)}) raw`, false)}
SELECT p."organizationId"::text AS "tenantId", p."ruleId"::text AS "ruleId", ${DIGEST} AS digest
FROM pairs p
JOIN "Organization" o ON o.id = p."organizationId"
JOIN rules r ON r.id = p."ruleId"
${shard ? `WHERE ${inShardSql('o.slug', shard)}` : ''}
ORDER BY ${ORDER}`;

interface PairDigest {
  tenantId: string;
  ruleId: string;
  digest: number;
}

const pairKey = (tenantId: string, ruleId: string) => `${tenantId}\u0000${ruleId}`;

async function readStates(client: pg.PoolClient, now: number, keys: string[] | null): Promise<Timed<RuleState>[]> {
  const watermark = await rolledUntil(client, 'RuleRun');
  const shared = interner();
  const params: unknown[] = [watermark, new Date(now)];
  if (keys) {
    const pairs = keys.map((key) => key.split('\u0000'));
    params.push([...new Set(pairs.map(([tenantId]) => tenantId))], [...new Set(pairs.map(([, ruleId]) => ruleId))]);
  }
  return queryInBatches(client, keys ? SCOPED_SQL : FULL_SQL, params, (row: Row) => ({
    state: toRuleState(row, shared),
    digest: row.digest,
    expiresAt: row.expiresAt,
  }));
}

/** Every pair read in full: `verify`, `doctor` and the bench's reference reads. */
export const rulesCollector: Collector<'rules'> = {
  name: 'rules',
  field: 'rules',
  async collect(client, now) {
    return (await readStates(client, now, null)).map((timed) => timed.state);
  },
};

/**
 * The serving exporter's collector: re-reads only the pairs whose state may have changed
 * (runs/incremental.ts); of one shard's tenants only when given a shard.
 */
export function incrementalRulesCollector(fullIntervalMs: number, slicing?: Slicing, shard: Shard | null = null): Collector<'rules'> {
  const objectsText = objectsSql(shard);
  const read = new IncrementalRead<RuleState>(
    {
      table: 'RuleRun',
      partial: shard !== null,
      readObjects: async (client) => {
        const watermark = await rolledUntil(client, 'RuleRun');
        return queryInBatches(client, objectsText, [watermark], (row: PairDigest) => ({
          key: pairKey(row.tenantId, row.ruleId),
          digest: row.digest,
        }));
      },
      readStates,
      keyOf: (state) => pairKey(state.tenantId, state.ruleId),
      changeKey: (change) => pairKey(change.organizationId, change.key),
    },
    fullIntervalMs,
    slicing,
  );
  return { name: 'rules', field: 'rules', collect: (client, now) => read.collect(client, now) };
}

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

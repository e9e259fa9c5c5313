import { RULE_DURATION_BOUNDS_MS, SYNC_DURATION_BOUNDS_MS } from '../runs/buckets';
import type { Labels } from '../metrics/family';
import { tenantFilter, type Definitions, type Recomputed, type VerifyContext } from './types';

/**
 * Run totals and duration histograms, from the definitions:
 *  - a `_total` counter counts every run row of the key, plus the runs retention removed, which survive
 *    only in the hourly rollup: the hourly rows of the key older than its oldest raw hour still present,
 *    and that oldest hour's own rollup row when it counted more runs than are left (retention's cutoff
 *    is a time, not an hour, so it cuts through an hour of every tenant with a shorter retention);
 *  - failures are status FAILED or TIMED_OUT;
 *  - the histogram counts runs with a duration: `_count` and `+Inf` = runs with a non-null durationMs,
 *    `_sum` = sum(durationMs) / 1000, `le=x` = runs with durationMs <= x * 1000.
 * For removed hours the hourly rollup has what the definitions need: runs, failures, the sums, the runs
 * with a duration ("durationCount") and cumulative bucket counts in the bounds' order (docs/schema.md).
 */
interface Spec {
  runTable: string;
  hourlyTable: string;
  /** The key column of a run (besides organizationId) and the object it names. */
  keyColumn: string;
  objectSql: string;
  sums: { column: string; family: string }[];
  bounds: readonly number[];
  runs: string;
  failures: string;
  histogram: string;
}

const RULES: Spec = {
  runTable: 'RuleRun',
  hourlyTable: 'RuleRunHourly',
  keyColumn: 'ruleId',
  // Only rules that exist, of tenants that exist: that is what /metrics can name.
  objectSql: `SELECT k.*, o.slug AS tenant, r.key AS object, NULL::text AS provider FROM keys k
              JOIN "Organization" o ON o.id = k.org JOIN "DetectionRule" r ON r.id = k.key`,
  sums: [
    { column: 'eventsEvaluated', family: 'aperio_rule_events_evaluated' },
    { column: 'findingsOpened', family: 'aperio_rule_findings_opened' },
  ],
  bounds: RULE_DURATION_BOUNDS_MS,
  runs: 'aperio_rule_runs',
  failures: 'aperio_rule_run_failures',
  histogram: 'aperio_rule_run_duration_seconds',
};

const CONNECTORS: Spec = {
  runTable: 'ConnectorSyncRun',
  hourlyTable: 'ConnectorSyncHourly',
  keyColumn: 'connectionId',
  objectSql: `SELECT k.*, o.slug AS tenant, c.id AS object, c.provider FROM keys k
              JOIN "IntegrationConnection" c ON c.id = k.key AND c."organizationId" = k.org JOIN "Organization" o ON o.id = k.org`,
  sums: [{ column: 'recordsIngested', family: 'aperio_connector_records_ingested' }],
  bounds: SYNC_DURATION_BOUNDS_MS,
  runs: 'aperio_connector_syncs',
  failures: 'aperio_connector_sync_failures',
  histogram: 'aperio_connector_sync_duration_seconds',
};

function totalsSql(spec: Spec): string {
  const key = `"${spec.keyColumn}"`;
  // The definitions over raw rows (qualified by `r.`); bounds are parameters $2.. (the bucket layout, never input).
  const rawAggregates = [
    'count(*) AS runs',
    `count(*) FILTER (WHERE r.status IN ('FAILED', 'TIMED_OUT')) AS failures`,
    'count(r."durationMs") AS timed',
    'coalesce(sum(r."durationMs"), 0) AS dsum',
    ...spec.sums.map((s, i) => `coalesce(sum(r."${s.column}"), 0) AS s${i}`),
    ...spec.bounds.map((_, i) => `count(*) FILTER (WHERE r."durationMs" <= $${i + 2}) AS b${i}`),
  ].join(', ');
  const cols = ['runs', 'failures', 'timed', 'dsum', ...spec.sums.map((_, i) => `s${i}`), ...spec.bounds.map((_, i) => `b${i}`)];
  const sameKey = (a: string, b: string) => `${a}.org = ${b}.org AND ${a}.key = ${b}.key`;
  return `
WITH raw AS (
  SELECT r."organizationId" AS org, r.${key} AS key, ${rawAggregates}, min(date_trunc('hour', r."startedAt")) AS "oldestHour"
  FROM "${spec.runTable}" r WHERE ${tenantFilter('r."organizationId"')}
  GROUP BY 1, 2
), edge AS (
  -- The raw rows of each key's oldest hour: retention's cutoff is a time, so it may have cut through it.
  SELECT raw.org, raw.key, raw."oldestHour", ${rawAggregates}
  FROM raw JOIN "${spec.runTable}" r ON r."organizationId" = raw.org AND r.${key} = raw.key
   AND r."startedAt" >= raw."oldestHour" AND r."startedAt" < raw."oldestHour" + interval '1 hour'
  GROUP BY 1, 2, 3
), cut AS (
  -- Oldest hours whose rollup row counted more runs than are left: the rollup row counts that hour.
  SELECT edge.* FROM edge JOIN "${spec.hourlyTable}" h
    ON h."organizationId" = edge.org AND h.${key} = edge.key AND h.hour = edge."oldestHour" AND h.runs > edge.runs
), gone AS (
  SELECT h."organizationId" AS org, h.${key} AS key, sum(h.runs) AS runs, sum(h.failures) AS failures,
         sum(h."durationCount") AS timed, sum(h."durationMsSum") AS dsum,
         ${spec.sums.map((s, i) => `sum(h."${s.column}") AS s${i}`).join(', ')},
         ${spec.bounds.map((_, i) => `sum(h."durationBuckets"[${i + 1}]) AS b${i}`).join(', ')}
  FROM "${spec.hourlyTable}" h
  LEFT JOIN raw ON raw.org = h."organizationId" AND raw.key = h.${key}
  LEFT JOIN cut ON cut.org = h."organizationId" AND cut.key = h.${key}
  WHERE ${tenantFilter('h."organizationId"')}
    AND (raw."oldestHour" IS NULL OR h.hour < raw."oldestHour" OR h.hour = cut."oldestHour")
  GROUP BY 1, 2
), keys AS (
  SELECT coalesce(raw.org, gone.org) AS org, coalesce(raw.key, gone.key) AS key,
         ${cols.map((c) => `coalesce(raw.${c}, 0) + coalesce(gone.${c}, 0) - coalesce(cut.${c}, 0) AS ${c}`).join(', ')}
  FROM raw FULL JOIN gone ON ${sameKey('gone', 'raw')}
  LEFT JOIN cut ON ${sameKey('cut', 'raw')}
)
${spec.objectSql}`;
}

type Row = Record<string, string | null> & { tenant: string; object: string; provider: string | null };

function valuesOf(spec: Spec, row: Row): Recomputed[] {
  const labels: Labels =
    spec === RULES ? { tenant: row.tenant, rule: row.object } : { tenant: row.tenant, connector: row.object, provider: row.provider! };
  const n = (column: string) => Number(row[column]);
  const out: Recomputed[] = [
    { family: spec.runs, series: `${spec.runs}_total`, labels, value: n('runs') },
    { family: spec.failures, series: `${spec.failures}_total`, labels, value: n('failures') },
    ...spec.sums.map((s, i) => ({ family: s.family, series: `${s.family}_total`, labels, value: n(`s${i}`) })),
  ];
  const h = spec.histogram;
  spec.bounds.forEach((bound, i) =>
    out.push({ family: h, series: `${h}_bucket`, labels: { ...labels, le: String(bound / 1000) }, value: n(`b${i}`) }),
  );
  out.push({ family: h, series: `${h}_bucket`, labels: { ...labels, le: '+Inf' }, value: n('timed') });
  out.push({ family: h, series: `${h}_count`, labels, value: n('timed') });
  out.push({ family: h, series: `${h}_sum`, labels, value: n('dsum') / 1000 });
  return out;
}

async function recompute(spec: Spec, { client, tenantIds }: VerifyContext): Promise<Recomputed[]> {
  const { rows } = await client.query<Row>(totalsSql(spec), [tenantIds, ...spec.bounds]);
  return rows.flatMap((row) => valuesOf(spec, row));
}

export const ruleRunDefinitions: Definitions = {
  domain: 'rule runs',
  families: [RULES.runs, RULES.failures, ...RULES.sums.map((s) => s.family), RULES.histogram].map((name) => ({
    name,
    compare: 'count' as const,
  })),
  recompute: (ctx) => recompute(RULES, ctx),
};

export const connectorSyncDefinitions: Definitions = {
  domain: 'connector syncs',
  families: [CONNECTORS.runs, CONNECTORS.failures, ...CONNECTORS.sums.map((s) => s.family), CONNECTORS.histogram].map((name) => ({
    name,
    compare: 'count' as const,
  })),
  recompute: (ctx) => recompute(CONNECTORS, ctx),
};

import type pg from 'pg';
import { NOW, PRUNED } from './clock';
import { seriesKey, type Value } from './compare';
import { THRESHOLDS } from './seed-objects';

/**
 * What docs/metrics.md, docs/metrics-reference.md and docs/api.md say each connector figure is, written
 * as SQL over the raw tables (plus the pruned history the test itself wrote), never through the
 * exporter's collectors or rollups.
 */
export interface ConnectorFacts {
  id: string;
  tenant: string;
  provider: string;
  name: string;
  status: string;
  lastSyncAtMs: number | null;
  lastAttemptAtMs: number | null;
  lastError: string | null;
  lastErrorAtMs: number | null;
  intervalSeconds: number;
  state: 'fresh' | 'stale' | 'critical' | 'never';
  warn: number | null;
  error: number | null;
  consecutiveFailures: number;
  runs: number;
  failures: number;
  records: number;
}

const FAILED = `('FAILED', 'TIMED_OUT')`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function connectorFacts(pool: pg.Pool): Promise<ConnectorFacts[]> {
  const thresholds = Object.entries(THRESHOLDS).map(([provider, t]) => ({ provider, warn: t.warn, error: t.error }));
  const { rows } = await pool.query(
    // A provider listed in the thresholds uses its own levels (null: off), any other the default's.
    `WITH th AS (SELECT * FROM json_to_recordset($2) AS t(provider text, warn int, error int)),
          c AS (
            SELECT c.*, o.slug AS tenant, coalesce(p.provider, 'default') AS listed,
                   extract(epoch FROM $1::timestamptz - c."lastSyncAt") AS age
              FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
              LEFT JOIN th p ON p.provider = c.provider)
     SELECT c.id, c.tenant, c.provider, c.name, c.status, c."syncIntervalSeconds" AS "intervalSeconds",
            extract(epoch FROM c."lastSyncAt") * 1000 AS "lastSyncAtMs", c."lastError", extract(epoch FROM c."lastErrorAt") * 1000 AS "lastErrorAtMs",
            (SELECT warn FROM th WHERE th.provider = c.listed) AS warn, (SELECT error FROM th WHERE th.provider = c.listed) AS error,
            (SELECT extract(epoch FROM max(r."startedAt")) * 1000 FROM "ConnectorSyncRun" r WHERE r."connectionId" = c.id) AS "lastAttemptAtMs",
            (SELECT count(*) FROM "ConnectorSyncRun" r WHERE r."connectionId" = c.id) AS runs,
            (SELECT count(*) FROM "ConnectorSyncRun" r WHERE r."connectionId" = c.id AND r.status IN ${FAILED}) AS failures,
            (SELECT coalesce(sum(r."recordsIngested"), 0) FROM "ConnectorSyncRun" r WHERE r."connectionId" = c.id) AS records,
            (SELECT count(*) FROM "ConnectorSyncRun" r
              WHERE r."connectionId" = c.id AND r.status IN ${FAILED} AND r."startedAt" >= $1::timestamptz - interval '7 days'
                AND r."startedAt" > coalesce((SELECT max(s."startedAt") FROM "ConnectorSyncRun" s
                                               WHERE s."connectionId" = c.id AND s.status = 'SUCCEEDED'), '-infinity')) AS "consecutiveFailures",
            c.age
       FROM c ORDER BY c.id`,
    [new Date(NOW), JSON.stringify(thresholds)],
  );
  return rows.map((r) => {
    const age = num(r.age);
    const error = num(r.error);
    const warn = num(r.warn);
    const state = age === null ? 'never' : error !== null && age > error ? 'critical' : warn !== null && age > warn ? 'stale' : 'fresh';
    const pruned = r.id === PRUNED.sync.connectionId;
    return {
      id: r.id,
      tenant: r.tenant,
      provider: r.provider,
      name: r.name,
      status: r.status,
      intervalSeconds: r.intervalSeconds,
      lastSyncAtMs: num(r.lastSyncAtMs),
      lastAttemptAtMs: num(r.lastAttemptAtMs),
      lastError: r.lastError,
      lastErrorAtMs: num(r.lastErrorAtMs),
      state,
      warn,
      error,
      consecutiveFailures: Number(r.consecutiveFailures),
      runs: Number(r.runs) + (pruned ? PRUNED.sync.runs : 0),
      failures: Number(r.failures) + (pruned ? PRUNED.sync.failures : 0),
      records: Number(r.records) + (pruned ? PRUNED.sync.recordsIngested : 0),
    };
  });
}

/** The connector families at object detail; the histogram's `le` grid is the one the exporter declares. */
export async function expectedConnectorSeries(pool: pg.Pool, facts: ConnectorFacts[], les: number[]): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  for (const c of facts) {
    const labels = { tenant: c.tenant, connector: c.id, provider: c.provider };
    out.set(seriesKey('aperio_connector_info', { ...labels, name: c.name, status: c.status }), 1);
    if (c.lastSyncAtMs !== null) out.set(seriesKey('aperio_connector_last_sync_timestamp_seconds', labels), c.lastSyncAtMs / 1000);
    if (c.lastAttemptAtMs !== null)
      out.set(seriesKey('aperio_connector_last_sync_attempt_timestamp_seconds', labels), c.lastAttemptAtMs / 1000);
    for (const state of ['fresh', 'stale', 'critical', 'never'])
      out.set(seriesKey('aperio_connector_freshness', { ...labels, state }), state === c.state ? 1 : 0);
    out.set(seriesKey('aperio_connector_consecutive_failures', labels), c.consecutiveFailures);
    out.set(seriesKey('aperio_connector_syncs_total', labels), c.runs);
    out.set(seriesKey('aperio_connector_sync_failures_total', labels), c.failures);
    out.set(seriesKey('aperio_connector_records_ingested_total', labels), c.records);
    if (c.warn !== null)
      out.set(seriesKey('aperio_connector_freshness_threshold_seconds', { provider: c.provider, level: 'stale' }), c.warn);
    if (c.error !== null)
      out.set(seriesKey('aperio_connector_freshness_threshold_seconds', { provider: c.provider, level: 'critical' }), c.error);
  }
  for (const [key, value] of await expectedSyncHistograms(pool, facts, les)) out.set(key, value);
  return out;
}

/** By provider; the observations are syncs with a duration (a SKIPPED or unfinished sync measured none). */
async function expectedSyncHistograms(pool: pg.Pool, facts: ConnectorFacts[], les: number[]): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  const { rows } = await pool.query(
    `SELECT c.provider, le, count(r."durationMs") FILTER (WHERE r."durationMs" <= le * 1000) AS below,
            count(r."durationMs") AS count, coalesce(sum(r."durationMs"), 0) AS "sumMs"
       FROM (SELECT DISTINCT provider FROM "IntegrationConnection") c
       CROSS JOIN unnest($1::float8[]) AS le
       LEFT JOIN "ConnectorSyncRun" r ON r."connectionId" IN (SELECT id FROM "IntegrationConnection" WHERE provider = c.provider)
      GROUP BY c.provider, le`,
    [les],
  );
  const prunedProvider = facts.find((c) => c.id === PRUNED.sync.connectionId)!.provider;
  const p = PRUNED.sync;
  for (const r of rows) {
    const pruned = r.provider === prunedProvider;
    const name = 'aperio_connector_sync_duration_seconds';
    const count = Number(r.count) + (pruned ? p.runs : 0);
    out.set(
      seriesKey(`${name}_bucket`, { provider: r.provider, le: formatLe(r.le) }),
      Number(r.below) + (pruned && p.durationMs <= r.le * 1000 ? p.runs : 0),
    );
    out.set(seriesKey(`${name}_bucket`, { provider: r.provider, le: '+Inf' }), count);
    out.set(seriesKey(`${name}_count`, { provider: r.provider }), count);
    out.set(seriesKey(`${name}_sum`, { provider: r.provider }), (Number(r.sumMs) + (pruned ? p.runs * p.durationMs : 0)) / 1000);
  }
  return out;
}

/** `le` as Prometheus clients print it: an integer keeps one decimal (1.0), a fraction its digits. */
export const formatLe = (le: number) => (Number.isInteger(le) ? le.toFixed(1) : String(le));

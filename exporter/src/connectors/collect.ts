import type pg from 'pg';
import { inShardSql, type Shard } from '../metrics/shard';
import { columnsDigestSql, IncrementalRead, type ObjectDigest, type Slicing, type Timed } from '../runs/incremental';
import { RECENT_WINDOW_MS } from '../runs/window';
import { addBuckets, cumulativeBucketsSql, SYNC_DURATION_BOUNDS_MS } from '../runs/buckets';
import { rolledUntil } from '../runs/rollup-state';
import { FAILURE_STATUS_SQL } from '../runs/statuses';
import { RECENT_SERVING_RUNS } from '../schedules/judge';
import { referenceTimeSql, servingLookbackSql, servingRunSql } from '../schedules/runs';
import { epochMsSql, interner, queryInBatches, type Collector } from '../snapshot/collector-types';
import type { ConnectorState, RecentRun } from '../snapshot/types';

interface Row {
  id: string;
  tenantId: string;
  tenant: string;
  provider: string;
  name: string;
  status: string;
  lastSyncAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  syncIntervalSeconds: number;
  totalRuns: number | null;
  totalFailures: number | null;
  totalDurationCount: number | null;
  totalDurationMs: number | null;
  totalBuckets: number[] | null;
  totalRecords: number | null;
  totalLastStartedAt: number | null;
  rawRuns: number | null;
  rawFailures: number | null;
  rawDurationCount: number | null;
  rawDurationMs: number | null;
  rawBuckets: number[] | null;
  rawRecords: number | null;
  rawLastStartedAt: number | null;
  recent: RecentRun[] | null;
  servingRuns: number[] | null;
  consecutiveFailures: number;
  digest: number;
  expiresAt: number | null;
}

/** How many of a connection's latest runs (in the recent window) the snapshot keeps. */
const RECENT_RUNS = 5;

// The recent reads are bounded to the recent window so that partition pruning keeps them to a few
// daily partitions whatever the retention; raw aggregates start at the rollup watermark. The last runs
// and the consecutive failures come from one window-function pass over the recent window (numbered per
// connection, newest first), not from two index probes per connection: at 40,000 connectors the probes
// cost 80,000 index scans on every collection. `scoped` limits every part to the connections in $4
// (the incremental read, runs/incremental.ts); "expiresAt" is when the first run counted here leaves
// the recent window or the serving lookback.
const statesSql = (scoped: boolean) => {
  const only = (column: string) => (scoped ? `AND ${column} = ANY($4)` : '');
  return `
SELECT c.id::text AS id, c."organizationId"::text AS "tenantId", o.slug AS tenant, c.provider, c.name, c.status,
       ${epochMsSql('c."lastSyncAt"')} AS "lastSyncAt", c."lastError", ${epochMsSql('c."lastErrorAt"')} AS "lastErrorAt", c."syncIntervalSeconds",
       t.runs AS "totalRuns", t.failures AS "totalFailures", t."durationCount" AS "totalDurationCount",
       t."durationMsSum" AS "totalDurationMs",
       t."durationBuckets" AS "totalBuckets", t."recordsIngested" AS "totalRecords", ${epochMsSql('t."lastStartedAt"')} AS "totalLastStartedAt",
       x.runs AS "rawRuns", x.failures AS "rawFailures", x."durationCount" AS "rawDurationCount", x."durationMs" AS "rawDurationMs",
       x.buckets AS "rawBuckets", x.records AS "rawRecords", ${epochMsSql('x."lastStartedAt"')} AS "rawLastStartedAt",
       recent.runs AS recent, serving.refs AS "servingRuns", coalesce(recent.fails, 0)::int AS "consecutiveFailures",
       ${epochMsSql(`least(recent.oldest + ${RECENT_WINDOW_MS} * interval '1 millisecond', serving.expires)`)} AS "expiresAt",
       ${DIGEST} AS digest
FROM "IntegrationConnection" c
JOIN "Organization" o ON o.id = c."organizationId"
LEFT JOIN "ConnectorSyncTotal" t ON t."connectionId" = c.id
LEFT JOIN (
  SELECT "connectionId", count(*) AS runs,
         count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL}) AS failures, count("durationMs") AS "durationCount",
         coalesce(sum("durationMs"), 0) AS "durationMs",
         ${cumulativeBucketsSql('"durationMs"', SYNC_DURATION_BOUNDS_MS)} AS buckets,
         coalesce(sum("recordsIngested"), 0) AS records, max("startedAt") AS "lastStartedAt"
  FROM "ConnectorSyncRun" WHERE "startedAt" >= $1 ${only('"connectionId"')} GROUP BY "connectionId"
) x ON x."connectionId" = c.id
LEFT JOIN (
  SELECT r."connectionId",
         json_agg(json_build_object('startedAt', ${epochMsSql('r."startedAt"')}, 'durationMs', r."durationMs", 'status', r.status)
                  ORDER BY r.n) FILTER (WHERE r.n <= ${RECENT_RUNS}) AS runs,
         count(*) FILTER (WHERE ${COUNTED_FAILURE}) AS fails,
         min(r."startedAt") FILTER (WHERE r.n <= ${RECENT_RUNS} OR ${COUNTED_FAILURE}) AS oldest
  FROM (SELECT "connectionId", "startedAt", "durationMs", status,
               row_number() OVER (PARTITION BY "connectionId" ORDER BY "startedAt" DESC) AS n
        FROM "ConnectorSyncRun" WHERE "startedAt" >= $2 ${only('"connectionId"')}) r
  JOIN "IntegrationConnection" rc ON rc.id = r."connectionId"
  GROUP BY r."connectionId"
) recent ON recent."connectionId" = c.id
LEFT JOIN LATERAL (
  SELECT array_agg(s.ref ORDER BY s."startedAt" DESC) AS refs, min(s."startedAt") + ${LOOKBACK} AS expires
  FROM (SELECT ${epochMsSql(referenceTimeSql('s'))}::bigint AS ref, s."startedAt" FROM "ConnectorSyncRun" s
        WHERE s."connectionId" = c.id AND ${servingRunSql('s')} AND c."syncIntervalSeconds" > 0
          AND s."startedAt" >= $3::timestamptz - ${LOOKBACK}
        ORDER BY s."startedAt" DESC LIMIT ${RECENT_SERVING_RUNS}) s
) serving ON true
${scoped ? 'WHERE c.id = ANY($4)' : ''}
ORDER BY ${ORDER}`;
};

/** A connection's own columns, as ConnectorState repeats them: what the incremental read compares (their digest). */
const OWN_COLUMNS = [
  'c.id',
  'c."organizationId"',
  'o.slug',
  'c.provider',
  'c.name',
  'c.status',
  'c."lastSyncAt"',
  'c."lastError"',
  'c."lastErrorAt"',
  'c."syncIntervalSeconds"',
];
const DIGEST = columnsDigestSql(OWN_COLUMNS);
const COUNTED_FAILURE = `r.status IN ${FAILURE_STATUS_SQL} AND r."startedAt" >= greatest($2, coalesce(rc."lastSyncAt", $2))`;
const LOOKBACK = servingLookbackSql('NULL', 'c."syncIntervalSeconds"');
const ORDER = 'o.slug, c.provider, c.id';
const FULL_SQL = statesSql(false);
const SCOPED_SQL = statesSql(true);

/**
 * Every connection's key and the digest of its own columns: what the incremental read compares. Of
 * every tenant's connections, or of one shard's tenants (SHARD_COLLECTION=own).
 */
const objectsSql = (shard: Shard | null) => `
SELECT c.id::text AS key, ${DIGEST} AS digest
FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
${shard ? `WHERE ${inShardSql('o.slug', shard)}` : ''}
ORDER BY ${ORDER}`;

async function readStates(client: pg.PoolClient, now: number, ids: string[] | null): Promise<Timed<ConnectorState>[]> {
  const watermark = await rolledUntil(client, 'ConnectorSyncRun');
  const shared = interner();
  const params: unknown[] = [watermark, new Date(now - RECENT_WINDOW_MS), new Date(now)];
  if (ids) params.push(ids);
  return queryInBatches(client, ids ? SCOPED_SQL : FULL_SQL, params, (row: Row) => ({
    state: toConnectorState(row, shared),
    digest: row.digest,
    expiresAt: row.expiresAt,
  }));
}

/** Every connection read in full: `verify`, `doctor` and the bench's reference reads. */
export const connectorsCollector: Collector<'connectors'> = {
  name: 'connectors',
  field: 'connectors',
  async collect(client, now) {
    return (await readStates(client, now, null)).map((timed) => timed.state);
  },
};

/**
 * The serving exporter's collector: re-reads only the connections whose state may have changed
 * (runs/incremental.ts); of one shard's tenants only when given a shard.
 */
export function incrementalConnectorsCollector(
  fullIntervalMs: number,
  slicing?: Slicing,
  shard: Shard | null = null,
): Collector<'connectors'> {
  const objectsText = objectsSql(shard);
  const read = new IncrementalRead<ConnectorState>(
    {
      table: 'ConnectorSyncRun',
      partial: shard !== null,
      readObjects: (client) => queryInBatches(client, objectsText, [], (row: ObjectDigest) => row),
      readStates,
      keyOf: (state) => state.id,
      changeKey: (change) => change.key,
    },
    fullIntervalMs,
    slicing,
  );
  return { name: 'connectors', field: 'connectors', collect: (client, now) => read.collect(client, now) };
}

function toConnectorState(row: Row, shared: ReturnType<typeof interner>): ConnectorState {
  const recentRuns = row.recent ?? [];
  const lastAttempts = [row.totalLastStartedAt, row.rawLastStartedAt, recentRuns[0]?.startedAt ?? null];
  const attempts = lastAttempts.filter((value): value is number => value !== null);
  return {
    id: row.id,
    tenantId: shared(row.tenantId),
    tenant: shared(row.tenant),
    provider: shared(row.provider),
    name: row.name,
    status: shared(row.status),
    lastSyncAt: row.lastSyncAt,
    lastAttemptAt: attempts.length ? Math.max(...attempts) : null,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt,
    syncIntervalSeconds: row.syncIntervalSeconds,
    consecutiveFailures: row.consecutiveFailures,
    recentRuns,
    recentServingRuns: row.servingRuns ?? [],
    totals: {
      runs: (row.totalRuns ?? 0) + (row.rawRuns ?? 0),
      failures: (row.totalFailures ?? 0) + (row.rawFailures ?? 0),
      durationCount: (row.totalDurationCount ?? 0) + (row.rawDurationCount ?? 0),
      durationMsSum: (row.totalDurationMs ?? 0) + (row.rawDurationMs ?? 0),
      durationBuckets: addBuckets(row.totalBuckets, row.rawBuckets, SYNC_DURATION_BOUNDS_MS.length),
      recordsIngested: (row.totalRecords ?? 0) + (row.rawRecords ?? 0),
    },
  };
}

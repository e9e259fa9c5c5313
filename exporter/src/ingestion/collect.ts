import { inShardSql, type Shard } from '../metrics/shard';
import { JOB_RETRYING_SQL } from '../queues/retries';
import { queryInBatches, ts, type Collector } from '../snapshot/collector-types';
import type { IngestionQueueState } from '../snapshot/types';

// Open and dead jobs only, through the partial index "IngestionJob_open_idx": finished jobs are never
// scanned. Counted per tenant and kind before the join: joining first made PostgreSQL sort every open
// job (200,000 at the bench's full scale, spilling past the stock work_mem) to group them by slug.
// With a shard (SHARD_COLLECTION=own), only the queues of its tenants.
const sql = (shard: Shard | null) => `
SELECT j."organizationId"::text AS "tenantId", o.slug AS tenant, j.kind, j.queued, j.running, j.retrying, j.dead, j."oldestQueuedAt"
FROM (
  SELECT "organizationId", kind,
         count(*) FILTER (WHERE status = 'QUEUED')::int AS queued,
         count(*) FILTER (WHERE status = 'RUNNING')::int AS running,
         count(*) FILTER (WHERE ${JOB_RETRYING_SQL('"IngestionJob"')})::int AS retrying,
         count(*) FILTER (WHERE status = 'DEAD')::int AS dead,
         min("createdAt") FILTER (WHERE status = 'QUEUED') AS "oldestQueuedAt"
  FROM "IngestionJob"
  WHERE status IN ('QUEUED', 'RUNNING', 'DEAD')
  GROUP BY "organizationId", kind
) j
JOIN "Organization" o ON o.id = j."organizationId"
${shard ? `WHERE ${inShardSql('o.slug', shard)}` : ''}
ORDER BY o.slug, j.kind`;

/** The ingestion queues of every tenant (null) or of one shard's tenants. */
export function ingestionCollectorOf(shard: Shard | null): Collector<'ingestion'> {
  const text = sql(shard);
  return {
    name: 'ingestion',
    field: 'ingestion',
    async collect(client) {
      return queryInBatches(client, text, [], (row: Omit<IngestionQueueState, 'oldestQueuedAt'> & { oldestQueuedAt: Date | null }) => ({
        ...row,
        oldestQueuedAt: ts(row.oldestQueuedAt),
      }));
    },
  };
}

export const ingestionCollector = ingestionCollectorOf(null);

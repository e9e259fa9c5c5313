import { JOB_RETRYING_SQL } from '../queues/retries';
import { queryInBatches, ts, type Collector } from '../snapshot/collector-types';
import type { IngestionQueueState } from '../snapshot/types';

// Open and dead jobs only, through the partial index "IngestionJob_open_idx": finished jobs are never
// scanned. Counted per tenant and kind before the join: joining first made PostgreSQL sort every open
// job (200,000 at the bench's full scale, spilling past the stock work_mem) to group them by slug.
const SQL = `
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
ORDER BY o.slug, j.kind`;

export const ingestionCollector: Collector<'ingestion'> = {
  name: 'ingestion',
  field: 'ingestion',
  async collect(client) {
    return queryInBatches(client, SQL, [], (row: Omit<IngestionQueueState, 'oldestQueuedAt'> & { oldestQueuedAt: Date | null }) => ({
      ...row,
      oldestQueuedAt: ts(row.oldestQueuedAt),
    }));
  },
};

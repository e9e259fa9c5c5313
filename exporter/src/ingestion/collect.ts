import { JOB_RETRYING_SQL } from '../queues/retries';
import { queryInBatches, ts, type Collector } from '../snapshot/collector-types';
import type { IngestionQueueState } from '../snapshot/types';

// Open and dead jobs only, through the partial index "IngestionJob_open_idx": finished jobs are never scanned.
const SQL = `
SELECT j."organizationId"::text AS "tenantId", o.slug AS tenant, j.kind,
       count(*) FILTER (WHERE j.status = 'QUEUED')::int AS queued,
       count(*) FILTER (WHERE j.status = 'RUNNING')::int AS running,
       count(*) FILTER (WHERE ${JOB_RETRYING_SQL('j')})::int AS retrying,
       count(*) FILTER (WHERE j.status = 'DEAD')::int AS dead,
       min(j."createdAt") FILTER (WHERE j.status = 'QUEUED') AS "oldestQueuedAt"
FROM "IngestionJob" j
JOIN "Organization" o ON o.id = j."organizationId"
WHERE j.status IN ('QUEUED', 'RUNNING', 'DEAD')
GROUP BY j."organizationId", o.slug, j.kind
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

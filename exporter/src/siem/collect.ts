import { inShardSql, type Shard } from '../metrics/shard';
import { DELIVERY_FIRST_ATTEMPT_SQL, DELIVERY_RETRYING_SQL } from '../queues/retries';
import { queryInBatches, ts, type Collector } from '../snapshot/collector-types';
import type { SiemDestinationState } from '../snapshot/types';

// Open deliveries only, through the partial index "SiemDelivery_open_idx": delivered history is never
// scanned. With a shard (SHARD_COLLECTION=own), only the destinations of its tenants.
const sql = (shard: Shard | null) => `
SELECT d.id::text AS id, d."organizationId"::text AS "tenantId", o.slug AS tenant, d.name, d.kind, d.enabled,
       d."deliveriesOk", d."deliveriesFail", d."lastDeliveryAt", d."lastError", d."lastErrorAt",
       coalesce(q.pending, 0)::int AS pending, coalesce(q.retrying, 0)::int AS retrying,
       coalesce(q.dead, 0)::int AS "deadLetters", q."oldestPendingAt"
FROM "SiemDestination" d
JOIN "Organization" o ON o.id = d."organizationId"
LEFT JOIN (
  SELECT "destinationId",
         count(*) FILTER (WHERE ${DELIVERY_FIRST_ATTEMPT_SQL('"SiemDelivery"')}) AS pending,
         count(*) FILTER (WHERE ${DELIVERY_RETRYING_SQL('"SiemDelivery"')}) AS retrying,
         count(*) FILTER (WHERE status = 'DEAD_LETTER') AS dead,
         min("createdAt") FILTER (WHERE status IN ('PENDING', 'RETRYING')) AS "oldestPendingAt"
  FROM "SiemDelivery" WHERE status IN ('PENDING', 'RETRYING', 'DEAD_LETTER')
  GROUP BY "destinationId"
) q ON q."destinationId" = d.id
${shard ? `WHERE ${inShardSql('o.slug', shard)}` : ''}
ORDER BY o.slug, d.kind, d.id`;

interface Row extends Omit<SiemDestinationState, 'lastDeliveryAt' | 'lastErrorAt' | 'oldestPendingAt'> {
  lastDeliveryAt: Date | null;
  lastErrorAt: Date | null;
  oldestPendingAt: Date | null;
}

/** The SIEM destinations of every tenant (null) or of one shard's tenants. */
export function siemCollectorOf(shard: Shard | null): Collector<'siemDestinations'> {
  const text = sql(shard);
  return {
    name: 'siem',
    field: 'siemDestinations',
    async collect(client) {
      return queryInBatches(client, text, [], (row: Row) => ({
        ...row,
        lastDeliveryAt: ts(row.lastDeliveryAt),
        lastErrorAt: ts(row.lastErrorAt),
        oldestPendingAt: ts(row.oldestPendingAt),
      }));
    },
  };
}

export const siemCollector = siemCollectorOf(null);

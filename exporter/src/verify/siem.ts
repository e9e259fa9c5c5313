import { epochSeconds, tenantFilter, type Definitions, type Recomputed } from './types';

/**
 * SIEM delivery, by the retry semantics: `attempts` counts starts, so a PENDING delivery with attempts 0
 * waits for its first attempt (pending) and one with attempts >= 1 was tried and failed (retrying), as is
 * every RETRYING one. Deliveries and failures are the destination's cumulative columns.
 */
const SQL = `
SELECT d.id, o.slug AS tenant, d.kind, d."deliveriesOk" + d."deliveriesFail" AS deliveries, d."deliveriesFail" AS failures,
       d."lastDeliveryAt",
       (SELECT count(*) FROM "SiemDelivery" x WHERE x."destinationId" = d.id AND x.status = 'PENDING' AND x.attempts = 0) AS pending,
       (SELECT count(*) FROM "SiemDelivery" x WHERE x."destinationId" = d.id
          AND (x.status = 'RETRYING' OR (x.status = 'PENDING' AND x.attempts >= 1))) AS retrying,
       (SELECT count(*) FROM "SiemDelivery" x WHERE x."destinationId" = d.id AND x.status = 'DEAD_LETTER') AS dead,
       (SELECT min(x."createdAt") FROM "SiemDelivery" x WHERE x."destinationId" = d.id AND x.status IN ('PENDING', 'RETRYING')) AS "oldestPending"
FROM "SiemDestination" d JOIN "Organization" o ON o.id = d."organizationId"
WHERE ${tenantFilter('d."organizationId"')}`;

interface Row {
  id: string;
  tenant: string;
  kind: string;
  deliveries: string;
  failures: string;
  lastDeliveryAt: Date | null;
  pending: string;
  retrying: string;
  dead: string;
  oldestPending: Date | null;
}

export const siemDefinitions: Definitions = {
  domain: 'siem',
  families: [
    { name: 'aperio_siem_deliveries', compare: 'count' },
    { name: 'aperio_siem_delivery_failures', compare: 'count' },
    { name: 'aperio_siem_queue_depth', compare: 'count' },
    { name: 'aperio_siem_dead_letters', compare: 'count' },
    { name: 'aperio_siem_last_delivery_timestamp_seconds', compare: 'timestamp' },
    { name: 'aperio_siem_oldest_pending_timestamp_seconds', compare: 'timestamp' },
  ],
  async recompute({ client, tenantIds }) {
    const { rows } = await client.query<Row>(SQL, [tenantIds]);
    const out: Recomputed[] = [];
    for (const d of rows) {
      const labels = { tenant: d.tenant, destination: d.id, kind: d.kind };
      const add = (family: string, series: string, value: number | null, extra: Record<string, string> = {}) => {
        if (value !== null) out.push({ family, series, labels: { ...labels, ...extra }, value });
      };
      add('aperio_siem_deliveries', 'aperio_siem_deliveries_total', Number(d.deliveries));
      add('aperio_siem_delivery_failures', 'aperio_siem_delivery_failures_total', Number(d.failures));
      add('aperio_siem_queue_depth', 'aperio_siem_queue_depth', Number(d.pending), { status: 'pending' });
      add('aperio_siem_queue_depth', 'aperio_siem_queue_depth', Number(d.retrying), { status: 'retrying' });
      add('aperio_siem_dead_letters', 'aperio_siem_dead_letters', Number(d.dead));
      add('aperio_siem_last_delivery_timestamp_seconds', 'aperio_siem_last_delivery_timestamp_seconds', epochSeconds(d.lastDeliveryAt));
      add('aperio_siem_oldest_pending_timestamp_seconds', 'aperio_siem_oldest_pending_timestamp_seconds', epochSeconds(d.oldestPending));
    }
    return out;
  },
};

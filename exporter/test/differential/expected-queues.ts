import type pg from 'pg';
import { seriesKey, type Value } from './compare';

/**
 * SIEM destinations and ingestion queues from docs/metrics-reference.md and docs/api.md. A delivery
 * waits while PENDING or RETRYING; it is `pending` before its first attempt (attempts = 0) and
 * `retrying` after a failed one (RETRYING, or PENDING with attempts >= 1). An ingestion job is on its
 * second attempt or later when it is RUNNING with attempts >= 2 or QUEUED again after one (attempts >= 1).
 */
export interface DestinationFacts {
  id: string;
  tenant: string;
  name: string;
  kind: string;
  enabled: boolean;
  ok: number;
  fail: number;
  pending: number;
  retrying: number;
  dead: number;
  oldestPendingAtMs: number | null;
  lastDeliveryAtMs: number | null;
  lastError: string | null;
  lastErrorAtMs: number | null;
}

const ms = (v: unknown) => (v === null ? null : Number(v));

export async function destinationFacts(pool: pg.Pool): Promise<DestinationFacts[]> {
  const { rows } = await pool.query(
    `SELECT d.id, o.slug AS tenant, d.name, d.kind, d.enabled, d."deliveriesOk"::text AS ok, d."deliveriesFail"::text AS fail,
            count(x.id) FILTER (WHERE x.status = 'PENDING' AND x.attempts = 0) AS pending,
            count(x.id) FILTER (WHERE x.status = 'RETRYING' OR (x.status = 'PENDING' AND x.attempts >= 1)) AS retrying,
            count(x.id) FILTER (WHERE x.status = 'DEAD_LETTER') AS dead,
            extract(epoch FROM min(x."createdAt") FILTER (WHERE x.status IN ('PENDING', 'RETRYING'))) * 1000 AS "oldestPendingAtMs",
            extract(epoch FROM d."lastDeliveryAt") * 1000 AS "lastDeliveryAtMs", d."lastError", extract(epoch FROM d."lastErrorAt") * 1000 AS "lastErrorAtMs"
       FROM "SiemDestination" d JOIN "Organization" o ON o.id = d."organizationId"
       LEFT JOIN "SiemDelivery" x ON x."destinationId" = d.id
      GROUP BY d.id, o.slug ORDER BY d.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    tenant: r.tenant,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    ok: Number(r.ok),
    fail: Number(r.fail),
    pending: Number(r.pending),
    retrying: Number(r.retrying),
    dead: Number(r.dead),
    oldestPendingAtMs: ms(r.oldestPendingAtMs),
    lastDeliveryAtMs: ms(r.lastDeliveryAtMs),
    lastError: r.lastError,
    lastErrorAtMs: ms(r.lastErrorAtMs),
  }));
}

export function expectedSiemSeries(facts: DestinationFacts[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const d of facts) {
    const labels = { tenant: d.tenant, destination: d.id, kind: d.kind };
    out.set(seriesKey('aperio_siem_destination_info', { ...labels, name: d.name, enabled: String(d.enabled) }), 1);
    out.set(seriesKey('aperio_siem_deliveries_total', labels), d.ok + d.fail);
    out.set(seriesKey('aperio_siem_delivery_failures_total', labels), d.fail);
    out.set(seriesKey('aperio_siem_queue_depth', { ...labels, status: 'pending' }), d.pending);
    out.set(seriesKey('aperio_siem_queue_depth', { ...labels, status: 'retrying' }), d.retrying);
    out.set(seriesKey('aperio_siem_dead_letters', labels), d.dead);
    if (d.lastDeliveryAtMs !== null) out.set(seriesKey('aperio_siem_last_delivery_timestamp_seconds', labels), d.lastDeliveryAtMs / 1000);
    if (d.oldestPendingAtMs !== null)
      out.set(seriesKey('aperio_siem_oldest_pending_timestamp_seconds', labels), d.oldestPendingAtMs / 1000);
  }
  return out;
}

export interface QueueFacts {
  tenant: string;
  kind: string;
  queued: number;
  running: number;
  retrying: number;
  dead: number;
  oldestQueuedAtMs: number | null;
}

/** Per tenant and kind with a job queued, running or dead (finished jobs are no queue). */
export async function queueFacts(pool: pg.Pool): Promise<QueueFacts[]> {
  const { rows } = await pool.query(
    `SELECT o.slug AS tenant, j.kind,
            count(*) FILTER (WHERE j.status = 'QUEUED') AS queued, count(*) FILTER (WHERE j.status = 'RUNNING') AS running,
            count(*) FILTER (WHERE (j.status = 'QUEUED' AND j.attempts >= 1) OR (j.status = 'RUNNING' AND j.attempts >= 2)) AS retrying,
            count(*) FILTER (WHERE j.status = 'DEAD') AS dead,
            extract(epoch FROM min(j."createdAt") FILTER (WHERE j.status = 'QUEUED')) * 1000 AS "oldestQueuedAtMs"
       FROM "IngestionJob" j JOIN "Organization" o ON o.id = j."organizationId"
      GROUP BY o.slug, j.kind
     HAVING count(*) FILTER (WHERE j.status IN ('QUEUED', 'RUNNING', 'DEAD')) > 0
      ORDER BY o.slug, j.kind`,
  );
  return rows.map((r) => ({
    tenant: r.tenant,
    kind: r.kind,
    queued: Number(r.queued),
    running: Number(r.running),
    retrying: Number(r.retrying),
    dead: Number(r.dead),
    oldestQueuedAtMs: ms(r.oldestQueuedAtMs),
  }));
}

export function expectedIngestionSeries(facts: QueueFacts[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const q of facts) {
    const labels = { tenant: q.tenant, kind: q.kind };
    out.set(seriesKey('aperio_ingestion_jobs', { ...labels, status: 'queued' }), q.queued);
    out.set(seriesKey('aperio_ingestion_jobs', { ...labels, status: 'running' }), q.running);
    out.set(seriesKey('aperio_ingestion_jobs_retrying', labels), q.retrying);
    out.set(seriesKey('aperio_ingestion_dead_jobs', labels), q.dead);
    if (q.oldestQueuedAtMs !== null)
      out.set(seriesKey('aperio_ingestion_oldest_queued_timestamp_seconds', labels), q.oldestQueuedAtMs / 1000);
  }
  return out;
}

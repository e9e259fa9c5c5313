import type { IngestionQueueState } from '../snapshot/types';
import { isoOrNull } from './instant';

interface QueueSum {
  queued: number;
  running: number;
  retrying: number;
  dead: number;
  oldestQueuedAt: number | null;
}

const emptySum = (): QueueSum => ({ queued: 0, running: 0, retrying: 0, dead: 0, oldestQueuedAt: null });

function add(into: QueueSum, q: IngestionQueueState): void {
  into.queued += q.queued;
  into.running += q.running;
  into.retrying += q.retrying;
  into.dead += q.dead;
  if (q.oldestQueuedAt !== null && (into.oldestQueuedAt === null || q.oldestQueuedAt < into.oldestQueuedAt))
    into.oldestQueuedAt = q.oldestQueuedAt;
}

const figures = (s: QueueSum, now: number) => ({
  queued: s.queued,
  running: s.running,
  retrying: s.retrying,
  dead: s.dead,
  oldestQueuedAt: isoOrNull(s.oldestQueuedAt),
  oldestQueuedAgeSeconds: s.oldestQueuedAt === null ? null : Math.max(0, Math.round((now - s.oldestQueuedAt) / 1000)),
});

/** GET /v1/health/ingestion's data and total: each tenant's queues summed, with one entry per job kind. */
export function ingestionHealth(queues: readonly IngestionQueueState[], now: number) {
  const tenants = new Map<string, { tenant: string; sum: QueueSum; kinds: unknown[] }>();
  const total = emptySum();
  for (const q of queues) {
    const entry = tenants.get(q.tenantId) ?? { tenant: q.tenant, sum: emptySum(), kinds: [] };
    tenants.set(q.tenantId, entry);
    const own = emptySum();
    add(own, q);
    entry.kinds.push({ kind: q.kind, ...figures(own, now) });
    add(entry.sum, q);
    add(total, q);
  }
  const data = [...tenants.values()]
    .sort((a, b) => a.tenant.localeCompare(b.tenant))
    .map((t) => ({ tenant: t.tenant, ...figures(t.sum, now), kinds: t.kinds }));
  return { data, total: figures(total, now) };
}

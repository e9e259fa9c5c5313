import type pg from 'pg';
import { NOW } from './clock';
import { flatten, type Value } from './compare';
import type { ConnectorFacts } from './expected-connectors';
import type { DestinationFacts, QueueFacts } from './expected-queues';

/** The health API's fields (docs/api.md), item by item, keyed by the item's id, tenant or kind. */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const LEVEL = { fresh: 'green', stale: 'yellow', critical: 'red', never: 'gray' } as const;
const ageSeconds = (ms: number | null) => (ms === null ? null : Math.round((NOW - ms) / 1000));

export async function expectedHealthConnectors(pool: pg.Pool, facts: ConnectorFacts[]): Promise<Map<string, Value>> {
  // The last five syncs of each connection, newest first.
  const { rows } = await pool.query(
    `SELECT "connectionId", extract(epoch FROM "startedAt") * 1000 AS "startedAtMs", "durationMs", status
       FROM (SELECT *, row_number() OVER (PARTITION BY "connectionId" ORDER BY "startedAt" DESC, id DESC) AS n FROM "ConnectorSyncRun") r
      WHERE n <= 5 ORDER BY "connectionId", "startedAt" DESC`,
  );
  const out = new Map<string, Value>();
  for (const c of facts) {
    const recent = rows
      .filter((r) => r.connectionId === c.id)
      .map((r) => ({ startedAt: iso(Number(r.startedAtMs)), durationMs: r.durationMs, status: r.status }));
    flatten(
      `health/connectors{id=${c.id}}`,
      {
        id: c.id,
        tenant: c.tenant,
        provider: c.provider,
        name: c.name,
        status: c.status,
        lastSuccessfulSyncAt: iso(c.lastSyncAtMs),
        lastAttemptAt: iso(c.lastAttemptAtMs),
        freshness: {
          level: LEVEL[c.state],
          state: c.state,
          ageSeconds: ageSeconds(c.lastSyncAtMs),
          thresholds: { warnAfterSeconds: c.warn, errorAfterSeconds: c.error },
        },
        consecutiveFailures: c.consecutiveFailures,
        recentSyncs: recent,
        lastError: c.lastError,
        lastErrorAt: iso(c.lastErrorAtMs),
      },
      out,
    );
  }
  return out;
}

export function expectedHealthSiem(facts: DestinationFacts[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const d of facts) {
    flatten(
      `health/siem{id=${d.id}}`,
      {
        id: d.id,
        tenant: d.tenant,
        name: d.name,
        kind: d.kind,
        enabled: d.enabled,
        successRatio: { lifetime: d.ok + d.fail === 0 ? null : d.ok / (d.ok + d.fail) },
        deliveries: { ok: d.ok, failed: d.fail },
        queue: { pending: d.pending, retrying: d.retrying },
        deadLetters: d.dead,
        oldestPendingAt: iso(d.oldestPendingAtMs),
        lastDeliveryAt: iso(d.lastDeliveryAtMs),
        lastError: d.lastError,
        lastErrorAt: iso(d.lastErrorAtMs),
      },
      out,
    );
  }
  return out;
}

type Figures = Pick<QueueFacts, 'queued' | 'running' | 'retrying' | 'dead' | 'oldestQueuedAtMs'>;
const figures = (list: Figures[]) => {
  const oldest = list.map((q) => q.oldestQueuedAtMs).filter((v): v is number => v !== null);
  const at = oldest.length ? Math.min(...oldest) : null;
  const sum = (f: 'queued' | 'running' | 'retrying' | 'dead') => list.reduce((n, q) => n + q[f], 0);
  return {
    queued: sum('queued'),
    running: sum('running'),
    retrying: sum('retrying'),
    dead: sum('dead'),
    oldestQueuedAt: iso(at),
    oldestQueuedAgeSeconds: ageSeconds(at),
  };
};

/** Per tenant (its kinds keyed by kind) and the total over every tenant. */
export function expectedHealthIngestion(facts: QueueFacts[]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const tenant of [...new Set(facts.map((q) => q.tenant))]) {
    const own = facts.filter((q) => q.tenant === tenant);
    flatten(`health/ingestion{tenant=${tenant}}`, { tenant, ...figures(own) }, out);
    for (const q of own) flatten(`health/ingestion{tenant=${tenant},kind=${q.kind}}`, { kind: q.kind, ...figures([q]) }, out);
  }
  flatten('health/ingestion{total}', figures(facts), out);
  return out;
}

/** The exporter's answer keyed the same way: items by id, tenants and kinds by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function actualHealth(connectors: any, siem: any, ingestion: any): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const c of connectors.data) flatten(`health/connectors{id=${c.id}}`, c, out);
  for (const d of siem.data) flatten(`health/siem{id=${d.id}}`, d, out);
  for (const t of ingestion.data) {
    const { kinds, ...rest } = t;
    flatten(`health/ingestion{tenant=${t.tenant}}`, rest, out);
    for (const k of kinds) flatten(`health/ingestion{tenant=${t.tenant},kind=${k.kind}}`, k, out);
  }
  flatten('health/ingestion{total}', ingestion.total, out);
  return out;
}

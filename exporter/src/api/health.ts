import type { Request, Response, Router } from 'express';
import { freshnessState, thresholdsFor, type FreshnessState } from '../connectors/freshness';
import { requireRole } from '../auth/middleware';
import { principalOf } from '../auth/principal';
import type { Snapshot } from '../snapshot/types';
import { parseQuery, shortText } from './params';
import { resolveScope } from './scope';

const HEALTH_ROLES = requireRole('ADMIN', 'OPERATOR');
const LEVELS: Record<FreshnessState, string> = { fresh: 'green', stale: 'yellow', critical: 'red', never: 'gray' };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ratio = (ok: number, fail: number) => (ok + fail === 0 ? null : Math.round((ok / (ok + fail)) * 10_000) / 10_000);

/**
 * The operators' panels, answered from the current snapshot alone: no request reaches the database,
 * so a dashboard refreshing every few seconds costs nothing. `snapshot` says how old the data is.
 */
export function mountHealthRoutes(router: Router, getSnapshot: () => Snapshot, clock: () => number): void {
  const scoped = async (req: Request, res: Response) => {
    const { tenant } = parseQuery(req.query, { tenant: shortText.optional() });
    const snapshot = getSnapshot();
    const scope = await resolveScope(principalOf(res), tenant, (slug) => snapshot.tenants.find((t) => t.slug === slug) ?? null);
    const meta = {
      tenant: scope.tenant,
      snapshot: { takenAt: iso(snapshot.takenAt), dataAsOf: iso(snapshot.dataAsOf || null), databaseReachable: snapshot.databaseReachable },
    };
    return { snapshot, meta, visible: (tenantId: string) => scope.tenantId === null || tenantId === scope.tenantId };
  };

  router.get('/v1/health/connectors', HEALTH_ROLES, async (req, res) => {
    const { snapshot, meta, visible } = await scoped(req, res);
    const now = clock();
    const data = snapshot.connectors
      .filter((c) => visible(c.tenantId))
      .map((c) => {
        const thresholds = thresholdsFor(snapshot.freshness, c.provider);
        const state = freshnessState(c.lastSyncAt, now, thresholds);
        return {
          id: c.id,
          tenant: c.tenant,
          provider: c.provider,
          name: c.name,
          status: c.status,
          lastSuccessfulSyncAt: iso(c.lastSyncAt),
          lastAttemptAt: iso(c.lastAttemptAt),
          freshness: {
            level: LEVELS[state],
            state,
            ageSeconds: c.lastSyncAt === null ? null : Math.max(0, Math.round((now - c.lastSyncAt) / 1000)),
            thresholds,
          },
          consecutiveFailures: c.consecutiveFailures,
          recentSyncs: c.recentRuns.map((r) => ({ startedAt: iso(r.startedAt), durationMs: r.durationMs, status: r.status })),
          lastError: c.lastError,
          lastErrorAt: iso(c.lastErrorAt),
        };
      });
    res.json({ ...meta, data });
  });

  router.get('/v1/health/siem', HEALTH_ROLES, async (req, res) => {
    const { snapshot, meta, visible } = await scoped(req, res);
    const data = snapshot.siemDestinations
      .filter((d) => visible(d.tenantId))
      .map((d) => ({
        id: d.id,
        tenant: d.tenant,
        name: d.name,
        kind: d.kind,
        enabled: d.enabled,
        successRatio: { lifetime: ratio(d.deliveriesOk, d.deliveriesFail) },
        deliveries: { ok: d.deliveriesOk, failed: d.deliveriesFail },
        queue: { pending: d.pending, retrying: d.retrying },
        deadLetters: d.deadLetters,
        oldestPendingAt: iso(d.oldestPendingAt),
        lastDeliveryAt: iso(d.lastDeliveryAt),
        lastError: d.lastError,
        lastErrorAt: iso(d.lastErrorAt),
      }));
    res.json({ ...meta, data });
  });

  router.get('/v1/health/ingestion', HEALTH_ROLES, async (req, res) => {
    const { snapshot, meta, visible } = await scoped(req, res);
    const now = clock();
    const empty = () => ({ queued: 0, running: 0, retrying: 0, dead: 0, oldestQueuedAt: null as number | null });
    const add = (into: ReturnType<typeof empty>, q: (typeof snapshot.ingestion)[number]) => {
      into.queued += q.queued;
      into.running += q.running;
      into.retrying += q.retrying;
      into.dead += q.dead;
      if (q.oldestQueuedAt !== null && (into.oldestQueuedAt === null || q.oldestQueuedAt < into.oldestQueuedAt))
        into.oldestQueuedAt = q.oldestQueuedAt;
    };
    const view = (s: ReturnType<typeof empty>) => ({
      queued: s.queued,
      running: s.running,
      retrying: s.retrying,
      dead: s.dead,
      oldestQueuedAt: iso(s.oldestQueuedAt),
      oldestQueuedAgeSeconds: s.oldestQueuedAt === null ? null : Math.max(0, Math.round((now - s.oldestQueuedAt) / 1000)),
    });
    const tenants = new Map<string, { tenant: string; sum: ReturnType<typeof empty>; kinds: unknown[] }>();
    const total = empty();
    for (const q of snapshot.ingestion.filter((row) => visible(row.tenantId))) {
      const entry = tenants.get(q.tenantId) ?? { tenant: q.tenant, sum: empty(), kinds: [] };
      tenants.set(q.tenantId, entry);
      const own = empty();
      add(own, q);
      entry.kinds.push({ kind: q.kind, ...view(own) });
      add(entry.sum, q);
      add(total, q);
    }
    const data = [...tenants.values()]
      .sort((a, b) => a.tenant.localeCompare(b.tenant))
      .map((t) => ({ tenant: t.tenant, ...view(t.sum), kinds: t.kinds }));
    res.json({ ...meta, data, total: view(total) });
  });
}

import { freshnessState, thresholdsFor, type FreshnessState } from '../connectors/freshness';
import type { FreshnessPolicy } from '../snapshot/connector-freshness';
import type { ConnectorState } from '../snapshot/types';
import { isoOrNull } from './instant';

const LEVELS: Record<FreshnessState, string> = { fresh: 'green', stale: 'yellow', critical: 'red', never: 'gray' };

/** One connector of GET /v1/health/connectors: its freshness judged at `now` by its provider's thresholds. */
export function connectorHealth(c: ConnectorState, policy: FreshnessPolicy, now: number) {
  const thresholds = thresholdsFor(policy, c.provider);
  const state = freshnessState(c.lastSyncAt, now, thresholds);
  return {
    id: c.id,
    tenant: c.tenant,
    provider: c.provider,
    name: c.name,
    status: c.status,
    lastSuccessfulSyncAt: isoOrNull(c.lastSyncAt),
    lastAttemptAt: isoOrNull(c.lastAttemptAt),
    freshness: {
      level: LEVELS[state],
      state,
      ageSeconds: c.lastSyncAt === null ? null : Math.max(0, Math.round((now - c.lastSyncAt) / 1000)),
      thresholds,
    },
    consecutiveFailures: c.consecutiveFailures,
    recentSyncs: c.recentRuns.map((r) => ({ startedAt: isoOrNull(r.startedAt), durationMs: r.durationMs, status: r.status })),
    lastError: c.lastError,
    lastErrorAt: isoOrNull(c.lastErrorAt),
  };
}

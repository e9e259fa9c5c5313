import { freshnessPolicy } from '../src/connectors/freshness';
import { RULE_DURATION_BOUNDS_MS, SYNC_DURATION_BOUNDS_MS } from '../src/runs/buckets';
import { emptySnapshot } from '../src/snapshot/empty';
import type { ConnectorState, IngestionQueueState, RuleState, SiemDestinationState, Snapshot, Tenant } from '../src/snapshot/types';
import type { Scale } from './args';

const PROVIDERS = ['okta', 'azure_ad', 'google_workspace', 'aws', 'github', 'crowdstrike', 'slack'];
const KINDS = ['splunk', 'sentinel', 'elastic', 'chronicle'];
const pad = (n: number) => String(n).padStart(5, '0');
const cumulative = (bounds: readonly number[], runs: number) => bounds.map((_, i) => Math.round((runs * (i + 1)) / bounds.length));

/**
 * A snapshot of the bench's scale built in memory, with the shapes the collectors produce: the views
 * (rendering, status model) are timed on it without a database, so their cost is seen on its own.
 */
export function syntheticSnapshot(scale: Pick<Scale, 'tenants' | 'connectors' | 'destinations'>, now = Date.now()): Snapshot {
  const tenants: Tenant[] = Array.from({ length: scale.tenants }, (_, i) => ({
    id: `org-${i}`,
    slug: `tenant-${pad(i)}`,
    name: `Tenant ${i}`,
    dataRetentionDays: 30,
  }));
  const connectors: ConnectorState[] = Array.from({ length: scale.connectors }, (_, i) => {
    const t = tenants[i % tenants.length];
    const runs = 50 + (i % 100);
    return {
      id: `conn-${i}`,
      tenantId: t.id,
      tenant: t.slug,
      provider: PROVIDERS[i % PROVIDERS.length],
      name: `Connection ${i}`,
      status: i % 50 === 0 ? 'PAUSED' : 'ACTIVE',
      lastSyncAt: now - (i % 9000) * 1000,
      lastAttemptAt: now - (i % 600) * 1000,
      lastError: i % 10 === 0 ? 'timeout talking to the provider' : null,
      lastErrorAt: i % 10 === 0 ? now - 3_600_000 : null,
      syncIntervalSeconds: 3600,
      consecutiveFailures: i % 7 === 0 ? 2 : 0,
      recentRuns: Array.from({ length: 5 }, (_, k) => ({
        startedAt: now - k * 3_600_000,
        durationMs: 1000 + k,
        status: 'SUCCEEDED' as const,
      })),
      recentServingRuns: Array.from({ length: 5 }, (_, k) => now - (i % 600) * 1000 - k * 3_600_000),
      totals: {
        runs,
        failures: i % 5,
        durationCount: runs,
        durationMsSum: runs * 2000,
        durationBuckets: cumulative(SYNC_DURATION_BOUNDS_MS, runs),
        recordsIngested: runs * 100,
      },
    };
  });
  const siemDestinations: SiemDestinationState[] = Array.from({ length: scale.destinations }, (_, i) => {
    const t = tenants[i % tenants.length];
    return {
      id: `dest-${i}`,
      tenantId: t.id,
      tenant: t.slug,
      name: `Destination ${i}`,
      kind: KINDS[i % KINDS.length],
      enabled: true,
      deliveriesOk: 1000 + i,
      deliveriesFail: i % 13,
      pending: i % 20,
      retrying: i % 3,
      deadLetters: i % 97 === 0 ? 4 : 0,
      oldestPendingAt: now - 30_000,
      lastDeliveryAt: now - 10_000,
      lastError: null,
      lastErrorAt: null,
    };
  });
  const ingestion: IngestionQueueState[] = tenants.flatMap((t) =>
    ['findings', 'assets', 'events'].map((kind) => ({
      tenantId: t.id,
      tenant: t.slug,
      kind,
      queued: 30,
      running: 2,
      retrying: 1,
      dead: 0,
      oldestQueuedAt: now - 60_000,
    })),
  );
  const builtIn = Array.from({ length: 20 }, (_, i) => `builtin-${i}`);
  const rules: RuleState[] = tenants.flatMap((t, ti) =>
    [...builtIn, `custom-${ti}`].map((key, k) => {
      const runs = 200 + k;
      return {
        tenantId: t.id,
        tenant: t.slug,
        ruleId: `${t.id}-${key}`,
        ruleKey: key,
        ruleName: key,
        builtIn: k < builtIn.length,
        enabled: true,
        severity: 'HIGH',
        scheduleIntervalSeconds: 3600,
        scheduleCron: null,
        lastRunAt: now - 600_000,
        recentServingRuns: [now - 600_000, now - 4_200_000],
        totals: {
          runs,
          failures: k % 3,
          durationCount: runs,
          durationMsSum: runs * 120,
          durationBuckets: cumulative(RULE_DURATION_BOUNDS_MS, runs),
          eventsEvaluated: runs * 1000,
          findingsOpened: k,
        },
      };
    }),
  );
  const base = emptySnapshot(freshnessPolicy(3600, 6 * 3600), undefined, now);
  return { ...base, dataAsOf: now, databaseReachable: true, tenants, connectors, siemDestinations, ingestion, rules };
}

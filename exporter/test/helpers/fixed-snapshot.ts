import type { FreshnessPolicy } from '../../src/snapshot/connector-freshness';
import type { MonitorStats } from '../../src/monitors/stats';
import { RULE_DURATION_BOUNDS_MS, SYNC_DURATION_BOUNDS_MS } from '../../src/runs/buckets';
import type { VerifyStatus } from '../../src/server/self-metrics';
import { emptySnapshot } from '../../src/snapshot/empty';
import type {
  CollectionStatus,
  CollectorName,
  ConnectorState,
  IngestionQueueState,
  RuleState,
  RunTotals,
  SiemDestinationState,
  Snapshot,
  Tenant,
} from '../../src/snapshot/types';

/**
 * One snapshot, the same on every run: a fixed clock and a small hand-written platform (two tenants,
 * four connectors, two SIEM destinations, three queues, three rules, two open platform findings, one
 * failing collector). Every metric family has samples in it, including the ones that only appear in
 * some states (a switched-off freshness level, a failing collector, a running monitors engine, a
 * periodic verify). The golden exposition tests render it (test/metrics/golden.test.ts).
 */
export const FIXED_NOW = Date.parse('2026-11-30T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ago = (ms: number) => FIXED_NOW - ms;

/** Run totals from the individual runs' durations (null: a run without one), bucketed the way the rollups count them. */
function totalsOf(bounds: readonly number[], durations: (number | null)[], failures: number): RunTotals {
  const timed = durations.filter((d): d is number => d !== null);
  return {
    runs: durations.length,
    failures,
    durationCount: timed.length,
    durationMsSum: timed.reduce((sum, d) => sum + d, 0),
    durationBuckets: bounds.map((bound) => timed.filter((d) => d <= bound).length),
  };
}

const tenants: Tenant[] = [
  { id: 'org_acme', slug: 'acme', name: 'Acme', dataRetentionDays: 30 },
  { id: 'org_globex', slug: 'globex', name: 'Globex', dataRetentionDays: 90 },
];

/** Default: stale after 1 h, critical after 6 h; GitHub: stale after 30 min, never critical (level switched off). */
export const FIXED_FRESHNESS: FreshnessPolicy = {
  default: { warnAfterSeconds: 3600, errorAfterSeconds: 21600 },
  providers: { github: { warnAfterSeconds: 1800, errorAfterSeconds: null } },
};

const connectors: ConnectorState[] = [
  {
    // Fresh (synced 10 min ago), hourly: the due 11:00 slot (12:00 is within its 30 min grace) served at 11:00;
    // 3 syncs of 0.5 s, 2 s and 20 s, one failed.
    id: 'c-okta-acme',
    tenantId: 'org_acme',
    tenant: 'acme',
    provider: 'okta',
    name: 'Okta "prod"',
    status: 'ACTIVE',
    lastSyncAt: ago(10 * MINUTE),
    lastAttemptAt: ago(10 * MINUTE),
    lastError: null,
    lastErrorAt: null,
    syncIntervalSeconds: 3600,
    consecutiveFailures: 0,
    recentRuns: [{ startedAt: ago(10 * MINUTE), durationMs: 2_000, status: 'SUCCEEDED' }],
    recentServingRuns: [ago(10 * MINUTE), ago(HOUR)],
    totals: { ...totalsOf(SYNC_DURATION_BOUNDS_MS, [500, 2_000, 20_000], 1), recordsIngested: 1_200 },
  },
  {
    // Stale (2 h), hourly, no scheduler-started sync: a missed slot; 2 failures in a row, one without a duration.
    id: 'c-okta-acme-2',
    tenantId: 'org_acme',
    tenant: 'acme',
    provider: 'okta',
    name: 'Okta staging',
    status: 'ACTIVE',
    lastSyncAt: ago(2 * HOUR),
    lastAttemptAt: ago(5 * MINUTE),
    lastError: 'timeout',
    lastErrorAt: ago(5 * MINUTE),
    syncIntervalSeconds: 3600,
    consecutiveFailures: 2,
    recentRuns: [{ startedAt: ago(5 * MINUTE), durationMs: null, status: 'FAILED' }],
    recentServingRuns: [],
    totals: { ...totalsOf(SYNC_DURATION_BOUNDS_MS, [45_000, null], 2), recordsIngested: 0 },
  },
  {
    // Critical (7 h), no schedule.
    id: 'c-aws-globex',
    tenantId: 'org_globex',
    tenant: 'globex',
    provider: 'aws',
    name: 'AWS',
    status: 'ACTIVE',
    lastSyncAt: ago(7 * HOUR),
    lastAttemptAt: ago(7 * HOUR),
    lastError: null,
    lastErrorAt: null,
    syncIntervalSeconds: 0,
    consecutiveFailures: 0,
    recentRuns: [{ startedAt: ago(7 * HOUR), durationMs: 700_000, status: 'SUCCEEDED' }],
    recentServingRuns: [],
    totals: { ...totalsOf(SYNC_DURATION_BOUNDS_MS, [700_000], 0), recordsIngested: 50 },
  },
  {
    // Never synced, paused.
    id: 'c-github-globex',
    tenantId: 'org_globex',
    tenant: 'globex',
    provider: 'github',
    name: 'GitHub',
    status: 'PAUSED',
    lastSyncAt: null,
    lastAttemptAt: null,
    lastError: null,
    lastErrorAt: null,
    syncIntervalSeconds: 0,
    consecutiveFailures: 0,
    recentRuns: [],
    recentServingRuns: [],
    totals: { ...totalsOf(SYNC_DURATION_BOUNDS_MS, [], 0), recordsIngested: 0 },
  },
];

const siemDestinations: SiemDestinationState[] = [
  {
    id: 'd-splunk',
    tenantId: 'org_acme',
    tenant: 'acme',
    name: 'Splunk',
    kind: 'SPLUNK_HEC',
    enabled: true,
    deliveriesOk: 120,
    deliveriesFail: 5,
    pending: 4,
    retrying: 1,
    deadLetters: 2,
    oldestPendingAt: ago(3 * MINUTE),
    lastDeliveryAt: ago(MINUTE),
    lastError: 'HTTP 503',
    lastErrorAt: ago(2 * MINUTE),
  },
  {
    // Never delivered, nothing pending: its timestamps are absent.
    id: 'd-sentinel',
    tenantId: 'org_globex',
    tenant: 'globex',
    name: 'Sentinel',
    kind: 'SENTINEL',
    enabled: false,
    deliveriesOk: 0,
    deliveriesFail: 0,
    pending: 0,
    retrying: 0,
    deadLetters: 0,
    oldestPendingAt: null,
    lastDeliveryAt: null,
    lastError: null,
    lastErrorAt: null,
  },
];

const ingestion: IngestionQueueState[] = [
  { tenantId: 'org_acme', tenant: 'acme', kind: 'events', queued: 6, running: 2, retrying: 1, dead: 0, oldestQueuedAt: ago(9 * MINUTE) },
  { tenantId: 'org_acme', tenant: 'acme', kind: 'findings', queued: 0, running: 1, retrying: 0, dead: 0, oldestQueuedAt: null },
  {
    tenantId: 'org_globex',
    tenant: 'globex',
    kind: 'events',
    queued: 3,
    running: 0,
    retrying: 0,
    dead: 1,
    oldestQueuedAt: ago(90 * MINUTE),
  },
];

const rules: RuleState[] = [
  {
    // Built-in, every 5 min: the due 11:55 slot (12:00 is within its 150 s grace) served; 0.04 s, 0.3 s, 70 s (timed out).
    tenantId: 'org_acme',
    tenant: 'acme',
    ruleId: 'r-mfa',
    ruleKey: 'mfa_disabled',
    ruleName: 'MFA disabled',
    builtIn: true,
    enabled: true,
    severity: 'HIGH',
    scheduleIntervalSeconds: 300,
    scheduleCron: null,
    lastRunAt: ago(2 * MINUTE),
    recentServingRuns: [ago(5 * MINUTE)],
    totals: { ...totalsOf(RULE_DURATION_BOUNDS_MS, [40, 300, 70_000], 1), eventsEvaluated: 1_000, findingsOpened: 3 },
  },
  {
    // The same built-in rule for globex, which never ran it: a missed slot.
    tenantId: 'org_globex',
    tenant: 'globex',
    ruleId: 'r-mfa',
    ruleKey: 'mfa_disabled',
    ruleName: 'MFA disabled',
    builtIn: true,
    enabled: true,
    severity: 'HIGH',
    scheduleIntervalSeconds: 300,
    scheduleCron: null,
    lastRunAt: null,
    recentServingRuns: [],
    totals: { ...totalsOf(RULE_DURATION_BOUNDS_MS, [], 0), eventsEvaluated: 0, findingsOpened: 0 },
  },
  {
    // Acme's own hourly cron rule, served at 11:00; the 12:00 slot is still within its grace.
    tenantId: 'org_acme',
    tenant: 'acme',
    ruleId: 'r-watch',
    ruleKey: 'watchlist',
    ruleName: 'Watchlist',
    builtIn: false,
    enabled: true,
    severity: 'LOW',
    scheduleIntervalSeconds: null,
    scheduleCron: '0 * * * *',
    lastRunAt: ago(HOUR),
    recentServingRuns: [ago(HOUR)],
    totals: { ...totalsOf(RULE_DURATION_BOUNDS_MS, [1_200, null], 0), eventsEvaluated: 50, findingsOpened: 0 },
  },
];

const COLLECTORS: CollectorName[] = ['tenants', 'connectors', 'siem', 'ingestion', 'rules', 'status', 'findings'];
/** Every collector succeeded at FIXED_NOW but `siem`, which failed and serves its data of 5 minutes ago. */
const collections: CollectionStatus[] = COLLECTORS.map((collector, i) =>
  collector === 'siem'
    ? {
        collector,
        success: false,
        durationSeconds: 5,
        lastSuccessAt: ago(5 * MINUTE),
        error: 'canceling statement due to statement timeout',
      }
    : { collector, success: true, durationSeconds: (i + 1) / 100, lastSuccessAt: FIXED_NOW, error: null },
);

export function fixedSnapshot(): Snapshot {
  const base = emptySnapshot(FIXED_FRESHNESS, undefined, FIXED_NOW);
  return {
    ...base,
    dataAsOf: ago(5 * MINUTE),
    databaseReachable: true,
    collections,
    tenants,
    connectors,
    siemDestinations,
    ingestion,
    rules,
    statusHistory: {
      ...base.statusHistory,
      days: [
        { source: 'connector', key: 'okta', day: '2026-11-29', runs: 24, failures: 0 },
        { source: 'connector', key: 'okta', day: '2026-11-30', runs: 12, failures: 6 },
        { source: 'rule', key: '*', day: '2026-11-30', runs: 144, failures: 1 },
      ],
      recent: [
        { source: 'connector', key: 'okta', runs: 4, failures: 2 },
        { source: 'rule', key: '*', runs: 12, failures: 0 },
      ],
    },
    platformFindings: [
      {
        id: '1',
        check: 'aperio.platform.connector_stale',
        dedupKey: 'connector_stale:c-okta-acme-2',
        tenantId: 'org_acme',
        severity: 'MEDIUM',
        title: 'Okta staging is stale',
        createdAt: ago(HOUR),
        updatedAt: ago(MINUTE),
      },
      {
        id: '2',
        check: 'aperio.platform.siem_dead_letter',
        dedupKey: 'siem_dead_letter:d-splunk',
        tenantId: 'org_acme',
        severity: 'HIGH',
        title: 'Splunk has dead letters',
        createdAt: ago(30 * MINUTE),
        updatedAt: ago(MINUTE),
      },
    ],
  };
}

/** A monitors engine that has run: leader, 42 evaluations, one failed, two schedule checks suppressed. */
export function fixedMonitorStats(): MonitorStats {
  return {
    evaluations: 42,
    evaluationFailures: 1,
    leader: true,
    lastEvaluationAt: ago(30_000),
    lastDurationSeconds: 0.25,
    opened: 3,
    resolved: 1,
    suppressed: {
      'aperio.platform.connector_stale': 0,
      'aperio.platform.connector_failing': 0,
      'aperio.platform.siem_dead_letter': 0,
      'aperio.platform.ingestion_backlog': 0,
      'aperio.platform.rule_failing': 0,
      'aperio.platform.rule_slow': 0,
      'aperio.platform.schedule_missed': 2,
      'aperio.platform.exporter_stale_data': 0,
    },
  };
}

/** A periodic verify that completed a minute before the snapshot, with one difference in one family. */
export const FIXED_VERIFY: VerifyStatus = {
  lastRunAt: ago(MINUTE),
  success: true,
  families: [
    { family: 'aperio_connector_syncs', compared: 4, differences: 1 },
    { family: 'aperio_rule_runs', compared: 3, differences: 0 },
  ],
};

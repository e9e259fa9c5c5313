import type { RunStatus } from '../runs/statuses';
import type { FreshnessPolicy } from './connector-freshness';
import type { PlatformFinding } from './platform-findings';
import type { ScheduleSettings } from './schedule-settings';
import type { StatusConfig } from './status-config';
import type { StatusHistory } from './status-history';

/**
 * The spine of the exporter: everything the views need, read from PostgreSQL in one collection.
 * Immutable once built; /metrics, /status, the health API and the monitors are pure functions of it.
 * Times are Unix epoch milliseconds; null where the database has none.
 */
export interface Snapshot {
  /** When the collection that produced this snapshot finished. */
  takenAt: number;
  /** When the newest collection in which every collector succeeded finished (data age = now - this). */
  dataAsOf: number;
  databaseReachable: boolean;
  collections: CollectionStatus[];
  tenants: Tenant[];
  connectors: ConnectorState[];
  siemDestinations: SiemDestinationState[];
  ingestion: IngestionQueueState[];
  rules: RuleState[];
  freshness: FreshnessPolicy;
  /** Status-page thresholds and maintenance windows: configuration the views judge the data by. */
  statusConfig: StatusConfig;
  /** How schedule slots are judged (time zone of cron schedules, grace): the same for every view. */
  scheduleSettings: ScheduleSettings;
  /** Daily and recent run counts by provider and for rules: the status page's uptime bars and failure ratios. */
  statusHistory: StatusHistory;
  /** Open self-monitoring findings (aperio.platform.* categories), oldest first. */
  platformFindings: PlatformFinding[];
}

export interface CollectionStatus {
  collector: CollectorName;
  success: boolean;
  durationSeconds: number;
  /** When this collector last succeeded; its data in the snapshot is that old. */
  lastSuccessAt: number | null;
  error: string | null;
}

export type CollectorName = 'tenants' | 'connectors' | 'siem' | 'ingestion' | 'rules' | 'status' | 'findings';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  dataRetentionDays: number;
}

/** Cumulative figures: hourly rollups that are never pruned plus the raw rows not yet rolled up. */
export interface RunTotals {
  /** Every run, with or without a duration: the *_total counters. */
  runs: number;
  failures: number;
  /** Runs with a duration: the observations of the duration histogram (its _count and +Inf bucket). */
  durationCount: number;
  durationMsSum: number;
  /** Cumulative bucket counts, aligned with the domain's bucket bounds. */
  durationBuckets: number[];
}

export interface RecentRun {
  startedAt: number;
  durationMs: number | null;
  status: RunStatus;
}

export interface ConnectorState {
  id: string;
  tenantId: string;
  tenant: string;
  provider: string;
  name: string;
  status: string;
  lastSyncAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  syncIntervalSeconds: number;
  /** Failed syncs since the last successful one (within the recent window). */
  consecutiveFailures: number;
  /** The last five syncs, newest first. */
  recentRuns: RecentRun[];
  /** Reference times of the latest scheduler-started syncs (schedules/runs.ts), newest start first. */
  recentServingRuns: number[];
  totals: RunTotals & { recordsIngested: number };
}

export interface SiemDestinationState {
  id: string;
  tenantId: string;
  tenant: string;
  name: string;
  kind: string;
  enabled: boolean;
  deliveriesOk: number;
  deliveriesFail: number;
  pending: number;
  retrying: number;
  deadLetters: number;
  oldestPendingAt: number | null;
  lastDeliveryAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface IngestionQueueState {
  tenantId: string;
  tenant: string;
  kind: string;
  queued: number;
  running: number;
  retrying: number;
  dead: number;
  oldestQueuedAt: number | null;
}

export interface RuleState {
  tenantId: string;
  tenant: string;
  ruleId: string;
  ruleKey: string;
  ruleName: string;
  builtIn: boolean;
  enabled: boolean;
  severity: string;
  scheduleIntervalSeconds: number | null;
  scheduleCron: string | null;
  lastRunAt: number | null;
  /** Reference times of the latest scheduler-started runs (schedules/runs.ts), newest start first. */
  recentServingRuns: number[];
  totals: RunTotals & { eventsEvaluated: number; findingsOpened: number };
}

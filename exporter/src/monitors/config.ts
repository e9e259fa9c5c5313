import { loadYamlConfig, parseYamlConfig } from '../config/yaml-file';
import type { CheckName, Severity } from '../snapshot/platform-findings';
import { fileSchema, type FileChecks } from './config-file';

/**
 * The monitors' configuration: built-in defaults, overridden per check by the YAML file named in
 * MONITORS_CONFIG (docs/monitors.md). Durations are `30s`, `5m`, `2h`, `1d` or a number of seconds.
 */
export interface CommonConfig {
  enabled: boolean;
  severity: Severity;
  /** How long the condition must hold before a finding opens. */
  forSeconds: number;
  /** How long the condition must stay clear before the finding resolves (against flapping). */
  recoverySeconds: number;
}

export interface MonitorsConfig {
  connector_stale: CommonConfig;
  connector_failing: CommonConfig & { consecutiveFailures: number };
  siem_dead_letter: CommonConfig & { windowSeconds: number; newDeadLetters: number; failureRatio: number; minDeliveries: number };
  ingestion_backlog: CommonConfig & { oldestQueuedSeconds: number; depth: number };
  rule_failing: CommonConfig & { windowSeconds: number; failureRatio: number; minRuns: number };
  rule_slow: CommonConfig & { windowSeconds: number; p95Seconds: number; minRuns: number };
  schedule_missed: CommonConfig & { timezone: string; graceSeconds: number | null; suppressDuringBacklog: 'platform' | 'tenant' | 'off' };
  exporter_stale_data: CommonConfig & { maxAgeSeconds: number };
}
export type CheckKey = keyof MonitorsConfig;
export const checkKey = (check: CheckName): CheckKey => check.slice('aperio.platform.'.length) as CheckKey;

const common = (severity: Severity, forSeconds = 0, recoverySeconds = 120): CommonConfig => ({
  enabled: true,
  severity,
  forSeconds,
  recoverySeconds,
});

export const DEFAULT_MONITORS_CONFIG: MonitorsConfig = {
  connector_stale: common('HIGH'),
  connector_failing: { ...common('HIGH'), consecutiveFailures: 3 },
  siem_dead_letter: { ...common('HIGH'), windowSeconds: 900, newDeadLetters: 1, failureRatio: 0.5, minDeliveries: 10 },
  ingestion_backlog: { ...common('MEDIUM', 60), oldestQueuedSeconds: 120, depth: 500 },
  rule_failing: { ...common('HIGH'), windowSeconds: 900, failureRatio: 0.5, minRuns: 3 },
  rule_slow: { ...common('MEDIUM'), windowSeconds: 900, p95Seconds: 60, minRuns: 3 },
  schedule_missed: { ...common('MEDIUM'), timezone: 'UTC', graceSeconds: null, suppressDuringBacklog: 'platform' },
  exporter_stale_data: { ...common('HIGH', 0, 60), maxAgeSeconds: 300 },
};

const MONITORS_EXPECTED = 'see docs/monitors.md for the checks and their fields';

/** The built-in defaults, or the defaults overridden by the YAML file at `path`. */
export function loadMonitorsConfig(path?: string): MonitorsConfig {
  if (!path) return DEFAULT_MONITORS_CONFIG;
  return merge(loadYamlConfig(path, fileSchema, 'MONITORS_CONFIG', MONITORS_EXPECTED).checks ?? {});
}

export function parseMonitorsConfig(text: string, source = '(inline)'): MonitorsConfig {
  return merge(parseYamlConfig(text, fileSchema, 'MONITORS_CONFIG', source, MONITORS_EXPECTED).checks ?? {});
}

type CommonFields = { enabled?: boolean; severity?: Severity; for?: number; recovery?: number };

/** The fields every check has: the file's value where it gives one, else the check's default. */
const mergeCommon = (f: CommonFields | undefined, d: CommonConfig): CommonConfig => ({
  enabled: f?.enabled ?? d.enabled,
  severity: f?.severity ?? d.severity,
  forSeconds: f?.for ?? d.forSeconds,
  recoverySeconds: f?.recovery ?? d.recoverySeconds,
});

/** One merger per check: the file's section over that check's defaults. */
const MERGERS: { [K in CheckKey]: (f: FileChecks[K], d: MonitorsConfig[K]) => MonitorsConfig[K] } = {
  connector_stale: (f, d) => mergeCommon(f, d),
  connector_failing: (f, d) => ({ ...mergeCommon(f, d), consecutiveFailures: f?.consecutive_failures ?? d.consecutiveFailures }),
  siem_dead_letter: (f, d) => ({
    ...mergeCommon(f, d),
    windowSeconds: f?.window ?? d.windowSeconds,
    newDeadLetters: f?.new_dead_letters ?? d.newDeadLetters,
    failureRatio: f?.failure_ratio ?? d.failureRatio,
    minDeliveries: f?.min_deliveries ?? d.minDeliveries,
  }),
  ingestion_backlog: (f, d) => ({
    ...mergeCommon(f, d),
    oldestQueuedSeconds: f?.oldest_queued ?? d.oldestQueuedSeconds,
    depth: f?.depth ?? d.depth,
  }),
  rule_failing: (f, d) => ({
    ...mergeCommon(f, d),
    windowSeconds: f?.window ?? d.windowSeconds,
    failureRatio: f?.failure_ratio ?? d.failureRatio,
    minRuns: f?.min_runs ?? d.minRuns,
  }),
  rule_slow: (f, d) => ({
    ...mergeCommon(f, d),
    windowSeconds: f?.window ?? d.windowSeconds,
    p95Seconds: f?.p95 ?? d.p95Seconds,
    minRuns: f?.min_runs ?? d.minRuns,
  }),
  schedule_missed: (f, d) => ({
    ...mergeCommon(f, d),
    timezone: f?.timezone ?? d.timezone,
    // `grace: null` is a value (half the period), not an absent field.
    graceSeconds: f?.grace === undefined ? d.graceSeconds : f.grace,
    suppressDuringBacklog: f?.suppress_during_backlog ?? d.suppressDuringBacklog,
  }),
  exporter_stale_data: (f, d) => ({ ...mergeCommon(f, d), maxAgeSeconds: f?.max_age ?? d.maxAgeSeconds }),
};

const mergeCheck = <K extends CheckKey>(key: K, file: FileChecks): MonitorsConfig[K] =>
  MERGERS[key](file[key], DEFAULT_MONITORS_CONFIG[key]);

function merge(file: FileChecks): MonitorsConfig {
  return {
    connector_stale: mergeCheck('connector_stale', file),
    connector_failing: mergeCheck('connector_failing', file),
    siem_dead_letter: mergeCheck('siem_dead_letter', file),
    ingestion_backlog: mergeCheck('ingestion_backlog', file),
    rule_failing: mergeCheck('rule_failing', file),
    rule_slow: mergeCheck('rule_slow', file),
    schedule_missed: mergeCheck('schedule_missed', file),
    exporter_stale_data: mergeCheck('exporter_stale_data', file),
  };
}

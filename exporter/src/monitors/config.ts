import { z } from 'zod';
import { loadYamlConfig, parseYamlConfig } from '../config/yaml-file';
import { SEVERITIES, type CheckName, type Severity } from './types';

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

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const match = typeof v === 'string' ? /^(\d+(?:\.\d+)?)([smhd])$/.exec(v) : null;
  const seconds = typeof v === 'number' ? v : match ? Number(match[1]) * UNIT_SECONDS[match[2]] : NaN;
  if (Number.isNaN(seconds) || seconds < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, 5m, 2h or 1d, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return seconds;
});
const ratio = z.number().gt(0).max(1);
const count = z.number().int().min(1);
const commonFields = {
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  for: duration.optional(),
  recovery: duration.optional(),
};
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone (e.g. UTC, Europe/Berlin)');

const fileSchema = z
  .object({
    checks: z
      .object({
        connector_stale: z.object(commonFields).strict(),
        connector_failing: z.object({ ...commonFields, consecutive_failures: count.optional() }).strict(),
        siem_dead_letter: z
          .object({
            ...commonFields,
            window: duration.optional(),
            new_dead_letters: count.optional(),
            failure_ratio: ratio.optional(),
            min_deliveries: count.optional(),
          })
          .strict(),
        ingestion_backlog: z.object({ ...commonFields, oldest_queued: duration.optional(), depth: count.optional() }).strict(),
        rule_failing: z
          .object({ ...commonFields, window: duration.optional(), failure_ratio: ratio.optional(), min_runs: count.optional() })
          .strict(),
        rule_slow: z
          .object({ ...commonFields, window: duration.optional(), p95: duration.optional(), min_runs: count.optional() })
          .strict(),
        schedule_missed: z
          .object({
            ...commonFields,
            timezone: timezone.optional(),
            grace: duration.nullable().optional(),
            suppress_during_backlog: z.enum(['platform', 'tenant', 'off']).optional(),
          })
          .strict(),
        exporter_stale_data: z.object({ ...commonFields, max_age: duration.optional() }).strict(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
type FileConfig = z.infer<typeof fileSchema>;

const MONITORS_EXPECTED = 'see docs/monitors.md for the checks and their fields';

/** The built-in defaults, or the defaults overridden by the YAML file at `path`. */
export function loadMonitorsConfig(path?: string): MonitorsConfig {
  if (!path) return DEFAULT_MONITORS_CONFIG;
  return merge(loadYamlConfig(path, fileSchema, 'MONITORS_CONFIG', MONITORS_EXPECTED).checks ?? {});
}

export function parseMonitorsConfig(text: string, source = '(inline)'): MonitorsConfig {
  return merge(parseYamlConfig(text, fileSchema, 'MONITORS_CONFIG', source, MONITORS_EXPECTED).checks ?? {});
}

function merge(file: NonNullable<FileConfig['checks']>): MonitorsConfig {
  const d = DEFAULT_MONITORS_CONFIG;
  const c = <K extends CheckKey>(
    key: K,
    f: { enabled?: boolean; severity?: Severity; for?: number; recovery?: number } | undefined,
  ): CommonConfig => ({
    enabled: f?.enabled ?? d[key].enabled,
    severity: f?.severity ?? d[key].severity,
    forSeconds: f?.for ?? d[key].forSeconds,
    recoverySeconds: f?.recovery ?? d[key].recoverySeconds,
  });
  const f = file;
  return {
    connector_stale: c('connector_stale', f.connector_stale),
    connector_failing: {
      ...c('connector_failing', f.connector_failing),
      consecutiveFailures: f.connector_failing?.consecutive_failures ?? d.connector_failing.consecutiveFailures,
    },
    siem_dead_letter: {
      ...c('siem_dead_letter', f.siem_dead_letter),
      windowSeconds: f.siem_dead_letter?.window ?? d.siem_dead_letter.windowSeconds,
      newDeadLetters: f.siem_dead_letter?.new_dead_letters ?? d.siem_dead_letter.newDeadLetters,
      failureRatio: f.siem_dead_letter?.failure_ratio ?? d.siem_dead_letter.failureRatio,
      minDeliveries: f.siem_dead_letter?.min_deliveries ?? d.siem_dead_letter.minDeliveries,
    },
    ingestion_backlog: {
      ...c('ingestion_backlog', f.ingestion_backlog),
      oldestQueuedSeconds: f.ingestion_backlog?.oldest_queued ?? d.ingestion_backlog.oldestQueuedSeconds,
      depth: f.ingestion_backlog?.depth ?? d.ingestion_backlog.depth,
    },
    rule_failing: {
      ...c('rule_failing', f.rule_failing),
      windowSeconds: f.rule_failing?.window ?? d.rule_failing.windowSeconds,
      failureRatio: f.rule_failing?.failure_ratio ?? d.rule_failing.failureRatio,
      minRuns: f.rule_failing?.min_runs ?? d.rule_failing.minRuns,
    },
    rule_slow: {
      ...c('rule_slow', f.rule_slow),
      windowSeconds: f.rule_slow?.window ?? d.rule_slow.windowSeconds,
      p95Seconds: f.rule_slow?.p95 ?? d.rule_slow.p95Seconds,
      minRuns: f.rule_slow?.min_runs ?? d.rule_slow.minRuns,
    },
    schedule_missed: {
      ...c('schedule_missed', f.schedule_missed),
      timezone: f.schedule_missed?.timezone ?? d.schedule_missed.timezone,
      graceSeconds: f.schedule_missed?.grace === undefined ? d.schedule_missed.graceSeconds : f.schedule_missed.grace,
      suppressDuringBacklog: f.schedule_missed?.suppress_during_backlog ?? d.schedule_missed.suppressDuringBacklog,
    },
    exporter_stale_data: {
      ...c('exporter_stale_data', f.exporter_stale_data),
      maxAgeSeconds: f.exporter_stale_data?.max_age ?? d.exporter_stale_data.maxAgeSeconds,
    },
  };
}

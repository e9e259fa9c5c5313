/**
 * The fixed instant the static database is built around and the exporter is started at, so every age,
 * freshness state and schedule slot is the same on every run.
 */
export const NOW = Date.UTC(2026, 10, 30, 12, 20, 0);
export const MINUTE = 60_000;
export const HOUR = 3600_000;
export const at = (offsetMs: number) => new Date(NOW + offsetMs);

/** Runs of the history that retention already pruned: only the rollups remember them (see seed-history.ts). */
export const PRUNED = {
  hour: new Date(NOW - 40 * 24 * HOUR - 20 * MINUTE),
  rule: {
    tenant: 'acme',
    ruleId: 'rule_mfa_disabled',
    runs: 4_294_967_301,
    failures: 70_001,
    /** Every pruned run took this long: longer than any duration bucket, so they all fall in +Inf only. */
    durationMs: 400_000,
    eventsEvaluated: 5_000_000_000_123,
    findingsOpened: 4_294_967_300,
  },
  sync: {
    connectionId: 'conn_azure_fresh',
    runs: 4_294_967_298,
    failures: 9,
    durationMs: 1_900_000,
    recordsIngested: 1_099_511_627_776,
  },
} as const;

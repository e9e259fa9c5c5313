/**
 * The vocabulary of RuleRun and ConnectorSyncRun rows, written once: the recorder, the snapshot, the
 * audit filters and the OpenAPI document (and through it the Grafana plugin's types and lists) read it.
 */
export const RUN_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What started a run: its schedule, a person, or an event. */
export const RUN_TRIGGERS = ['SCHEDULE', 'MANUAL', 'EVENT'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** Run outcomes that count as failures in every ratio, counter and check. SKIPPED is neither. */
export const FAILURE_STATUSES = ['FAILED', 'TIMED_OUT'] as const satisfies readonly RunStatus[];
export const FAILURE_STATUS_SQL = `(${FAILURE_STATUSES.map((status) => `'${status}'`).join(', ')})`;

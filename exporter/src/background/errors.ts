/**
 * The exporter's background loops, by the name they carry in logs and in the `task` label of
 * aperio_exporter_background_errors_total: a closed list, so the label can never grow unbounded.
 */
export const BACKGROUND_TASKS = ['collector', 'monitors', 'telemetry', 'maintenance', 'status', 'demo', 'verify'] as const;
export type BackgroundTaskName = (typeof BACKGROUND_TASKS)[number];

// Per process, like the loops themselves: metric families only see the snapshot, so the counts live here.
const errors = new Map<BackgroundTaskName, number>();

/** A loop that exists in this process shows its counter from 0, before its first failure. */
export function registerBackgroundTask(task: BackgroundTaskName): void {
  if (!errors.has(task)) errors.set(task, 0);
}

export function countBackgroundError(task: BackgroundTaskName): void {
  errors.set(task, (errors.get(task) ?? 0) + 1);
}

/** Failed steps so far, per loop created in this process. */
export function backgroundErrors(): ReadonlyMap<BackgroundTaskName, number> {
  return errors;
}

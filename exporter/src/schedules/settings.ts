import type { ScheduleSettings } from '../snapshot/schedule-settings';

/** A scheduler needs a moment to start a job; a slot is never judged missed sooner than this. */
export const MIN_GRACE_MS = 60_000;

/** The one grace rule: the configured grace, or half the period (at least a minute). */
export function graceMs(settings: ScheduleSettings, periodMs: number): number {
  return settings.graceSeconds !== null ? settings.graceSeconds * 1000 : Math.max(MIN_GRACE_MS, periodMs / 2);
}

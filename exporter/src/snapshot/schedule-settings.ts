/**
 * How slots are judged, everywhere: the time zone of cron schedules and the grace after a slot before
 * it counts as missed. Read from the schedule_missed section of MONITORS_CONFIG (monitors/config.ts) and
 * carried in the snapshot, so the metric, the finding, the status page and the API use the same values.
 */
export interface ScheduleSettings {
  timezone: string;
  /** Fixed grace for every slot; null: half the slot's period, at least MIN_GRACE_MS (schedules/settings.ts). */
  graceSeconds: number | null;
}

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = { timezone: 'UTC', graceSeconds: null };

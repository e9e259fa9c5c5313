import { logger } from '../log';
import { DEFAULT_MONITORS_CONFIG, loadMonitorsConfig, type MonitorsConfig } from '../monitors/config';
import type { ScheduleSettings } from '../snapshot/schedule-settings';

export const scheduleSettingsOf = (config: MonitorsConfig): ScheduleSettings => ({
  timezone: config.schedule_missed.timezone,
  graceSeconds: config.schedule_missed.graceSeconds,
});

/**
 * The schedule settings of MONITORS_CONFIG, read once at start into the snapshot. A bad file is the
 * monitors' to report (they refuse to start); the views keep judging slots with the defaults.
 */
export function loadScheduleSettings(path: string | undefined): ScheduleSettings {
  try {
    return scheduleSettingsOf(loadMonitorsConfig(path));
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'MONITORS_CONFIG cannot be read; schedules are judged with the default settings');
    return scheduleSettingsOf(DEFAULT_MONITORS_CONFIG);
  }
}

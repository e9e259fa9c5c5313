import type { Settings } from '../config/settings';
import { freshnessPolicy } from '../connectors/freshness';
import { loadMonitorsConfig } from '../monitors/config';
import { scheduleSettingsOf } from '../schedules/settings-file';
import { emptySnapshot } from '../snapshot/empty';
import { statusConfigFromSettings } from '../status/config';
import type { VerifyOptions } from './verify';

/**
 * The verify options from the settings: the snapshot queries' statement_timeout, and the time zone and
 * grace of the schedule_missed monitor, so verify judges slots as the exporter is configured to.
 */
export function verifyOptions(settings: Settings): VerifyOptions {
  // Strict here (a bad MONITORS_CONFIG is a usage error of verify), where the views fall back to defaults.
  const schedule = scheduleSettingsOf(loadMonitorsConfig(settings.MONITORS_CONFIG));
  return {
    statementTimeoutMs: settings.STATEMENT_TIMEOUT_MS,
    sampleTenants: settings.VERIFY_SAMPLE_TENANTS,
    timezone: schedule.timezone,
    graceSeconds: schedule.graceSeconds,
    base: emptySnapshot(
      freshnessPolicy(settings.FRESHNESS_WARN_SECONDS, settings.FRESHNESS_ERROR_SECONDS, settings.FRESHNESS_CONFIG),
      statusConfigFromSettings(settings),
      Date.now(),
      schedule,
    ),
  };
}

import type { Settings } from '../config/settings';
import { freshnessPolicy } from '../connectors/freshness';
import { loadMonitorsConfig } from '../monitors/config';
import { emptySnapshot } from '../snapshot/empty';
import { statusConfigFromSettings } from '../status/config';
import type { VerifyOptions } from './verify';

/**
 * The verify options from the settings: the snapshot queries' statement_timeout, and the time zone and
 * grace of the schedule_missed monitor, so verify judges slots as the exporter is configured to.
 */
export function verifyOptions(settings: Settings): VerifyOptions {
  const schedule = loadMonitorsConfig(settings.MONITORS_CONFIG).schedule_missed;
  return {
    statementTimeoutMs: settings.STATEMENT_TIMEOUT_MS,
    sampleTenants: settings.VERIFY_SAMPLE_TENANTS,
    timezone: schedule.timezone,
    graceSeconds: schedule.graceSeconds,
    base: emptySnapshot(freshnessPolicy(settings.FRESHNESS_WARN_SECONDS, settings.FRESHNESS_ERROR_SECONDS, settings.FRESHNESS_CONFIG), statusConfigFromSettings(settings)),
  };
}

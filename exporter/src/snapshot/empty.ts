import type { FreshnessPolicy } from './connector-freshness';
import { DEFAULT_SCHEDULE_SETTINGS, type ScheduleSettings } from './schedule-settings';
import { DEFAULT_STATUS_CONFIG, type StatusConfig } from './status-config';
import { emptyStatusHistory } from './status-history';
import type { Snapshot } from './types';

/** The snapshot before the first collection: no data, nothing reachable yet. */
export function emptySnapshot(
  freshness: FreshnessPolicy,
  statusConfig: StatusConfig = DEFAULT_STATUS_CONFIG,
  now = Date.now(),
  scheduleSettings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): Snapshot {
  return {
    takenAt: now,
    dataAsOf: 0,
    databaseReachable: false,
    collections: [],
    tenants: [],
    connectors: [],
    siemDestinations: [],
    ingestion: [],
    rules: [],
    freshness,
    statusConfig,
    scheduleSettings,
    statusHistory: emptyStatusHistory(),
    platformFindings: [],
  };
}

import type { FreshnessPolicy } from '../connectors/freshness';
import { emptyStatusHistory } from '../status/history-types';
import { DEFAULT_STATUS_CONFIG, type StatusConfig } from '../status/active';
import type { Snapshot } from './types';

/** The snapshot before the first collection: no data, nothing reachable yet. */
export function emptySnapshot(freshness: FreshnessPolicy, statusConfig: StatusConfig = DEFAULT_STATUS_CONFIG, now = Date.now()): Snapshot {
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
    statusHistory: emptyStatusHistory(),
    platformFindings: [],
  };
}

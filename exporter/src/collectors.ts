import { connectorsCollector, incrementalConnectorsCollector } from './connectors/collect';
import { ingestionCollector } from './ingestion/collect';
import { platformFindingsCollector } from './monitors/collect';
import { incrementalRulesCollector, rulesCollector } from './rules/collect';
import { siemCollector } from './siem/collect';
import type { AnyCollector } from './snapshot/collector-types';
import { tenantsCollector } from './snapshot/tenants';
import { incrementalStatusCollector, statusCollector } from './status/collect';

/**
 * Every domain's collector; a new domain is a new row here. It lives above the domain folders, not in
 * snapshot/, because it names them all: snapshot/ only defines what a collector is.
 */
export const ALL_COLLECTORS: AnyCollector[] = [
  tenantsCollector,
  connectorsCollector,
  siemCollector,
  ingestionCollector,
  rulesCollector,
  statusCollector,
  platformFindingsCollector,
];

/**
 * The serving exporter's collectors: the same, except that connectors and rules keep their states
 * between collections and re-read only what changed (runs/incremental.ts), and the status history keeps
 * its closed days (status/history-read.ts), reading everything every `fullIntervalMs` (0: every time).
 * New instances for each exporter: they hold state.
 */
export function liveCollectors(fullIntervalMs: number): AnyCollector[] {
  return ALL_COLLECTORS.map((collector) => {
    if (collector.field === 'connectors') return incrementalConnectorsCollector(fullIntervalMs);
    if (collector.field === 'rules') return incrementalRulesCollector(fullIntervalMs);
    if (collector.field === 'statusHistory') return incrementalStatusCollector(fullIntervalMs);
    return collector;
  });
}

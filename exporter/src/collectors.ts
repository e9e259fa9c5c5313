import { connectorsCollector, incrementalConnectorsCollector } from './connectors/collect';
import { ingestionCollector, ingestionCollectorOf } from './ingestion/collect';
import type { Shard } from './metrics/shard';
import { platformFindingsCollector } from './monitors/collect';
import { incrementalRulesCollector, rulesCollector } from './rules/collect';
import { siemCollector, siemCollectorOf } from './siem/collect';
import type { AnyCollector } from './snapshot/collector-types';
import { tenantsCollector, tenantsCollectorOf } from './tenants/collect';
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
 *
 * Given a shard (SHARD_COLLECTION=own), only that shard's tenants and their objects, and neither the
 * status history nor the platform findings: what only the status page, the monitors and the
 * platform-wide families read, which such a replica does not serve (docs/sharding.md).
 */
export function liveCollectors(fullIntervalMs: number, shard: Shard | null = null): AnyCollector[] {
  if (shard) {
    return [
      tenantsCollectorOf(shard),
      incrementalConnectorsCollector(fullIntervalMs, undefined, shard),
      siemCollectorOf(shard),
      ingestionCollectorOf(shard),
      incrementalRulesCollector(fullIntervalMs, undefined, shard),
    ];
  }
  return ALL_COLLECTORS.map((collector) => {
    if (collector.field === 'connectors') return incrementalConnectorsCollector(fullIntervalMs);
    if (collector.field === 'rules') return incrementalRulesCollector(fullIntervalMs);
    if (collector.field === 'statusHistory') return incrementalStatusCollector(fullIntervalMs);
    return collector;
  });
}

import { connectorsCollector } from './connectors/collect';
import { ingestionCollector } from './ingestion/collect';
import { platformFindingsCollector } from './monitors/collect';
import { rulesCollector } from './rules/collect';
import { siemCollector } from './siem/collect';
import type { AnyCollector } from './snapshot/collector-types';
import { tenantsCollector } from './snapshot/tenants';
import { statusCollector } from './status/collect';

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

import { connectorsCollector } from '../connectors/collect';
import { ingestionCollector } from '../ingestion/collect';
import { platformFindingsCollector } from '../monitors/collect';
import { rulesCollector } from '../rules/collect';
import { siemCollector } from '../siem/collect';
import { statusCollector } from '../status/collect';
import type { Collector } from './collector-types';
import { tenantsCollector } from './tenants';

/** Every domain's collector; a new domain is a new row here. */
export const ALL_COLLECTORS: Collector[] = [
  tenantsCollector,
  connectorsCollector,
  siemCollector,
  ingestionCollector,
  rulesCollector,
  statusCollector,
  platformFindingsCollector,
] as Collector[];

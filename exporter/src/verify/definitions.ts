import { connectorDefinitions } from './connectors';
import { ingestionDefinitions } from './ingestion';
import { connectorSyncDefinitions, ruleRunDefinitions } from './runs';
import { scheduleDefinitions } from './schedules';
import { siemDefinitions } from './siem';
import type { Definitions } from './types';

/** Every domain's plain definitions, in the order the report lists them. */
export const ALL_DEFINITIONS: Definitions[] = [
  ruleRunDefinitions,
  connectorSyncDefinitions,
  scheduleDefinitions,
  connectorDefinitions,
  siemDefinitions,
  ingestionDefinitions,
];

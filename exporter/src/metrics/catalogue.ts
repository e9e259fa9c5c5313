import { connectorFamilies } from '../connectors/metrics';
import { ingestionFamilies } from '../ingestion/metrics';
import { monitorFamilies } from '../monitors/metrics';
import { ruleFamilies } from '../rules/metrics';
import { siemFamilies } from '../siem/metrics';
import { statusFamilies } from '../status/metrics';
import type { MetricFamily } from './family';

/** Every domain's families, in exposition order. docs/metrics.md is checked against this list by a test. */
export const DOMAIN_FAMILIES: MetricFamily[] = [
  ...connectorFamilies,
  ...siemFamilies,
  ...ingestionFamilies,
  ...ruleFamilies,
  ...statusFamilies,
  ...monitorFamilies,
];

import type pg from 'pg';
import { parseExposition } from '../helpers/exposition';
import { Comparison, type Value } from './compare';
import { connectorFacts, expectedConnectorSeries, type ConnectorFacts } from './expected-connectors';
import {
  destinationFacts,
  expectedIngestionSeries,
  expectedSiemSeries,
  queueFacts,
  type DestinationFacts,
  type QueueFacts,
} from './expected-queues';
import { expectedMissedSeries, expectedRuleSeries, ruleFacts, type RuleFacts } from './expected-rules';
import { latestDueSlots, scheduledJobs, type DueSlot, type ScheduledJob } from './expected-schedules';
import { expectedComponents, expectedStatusSeries, type ExpectedComponent } from './expected-status';

/**
 * The metric families docs/metrics-reference.md lists that are computable from the database alone, as
 * rendered (`_total`, `_info`, histogram suffixes). The exporter's own families (aperio_exporter_*,
 * aperio_monitor_*) describe the process, and aperio_status_indicator and the status components not
 * listed in expected-status.ts depend on it too; those are not compared here.
 */
export const COMPARED_FAMILIES = [
  'aperio_connector_info',
  'aperio_connector_last_sync_timestamp_seconds',
  'aperio_connector_last_sync_attempt_timestamp_seconds',
  'aperio_connector_freshness',
  'aperio_connector_freshness_threshold_seconds',
  'aperio_connector_consecutive_failures',
  'aperio_connector_syncs_total',
  'aperio_connector_sync_failures_total',
  'aperio_connector_records_ingested_total',
  'aperio_connector_sync_duration_seconds_bucket',
  'aperio_connector_sync_duration_seconds_sum',
  'aperio_connector_sync_duration_seconds_count',
  'aperio_siem_destination_info',
  'aperio_siem_deliveries_total',
  'aperio_siem_delivery_failures_total',
  'aperio_siem_queue_depth',
  'aperio_siem_dead_letters',
  'aperio_siem_last_delivery_timestamp_seconds',
  'aperio_siem_oldest_pending_timestamp_seconds',
  'aperio_ingestion_jobs',
  'aperio_ingestion_jobs_retrying',
  'aperio_ingestion_dead_jobs',
  'aperio_ingestion_oldest_queued_timestamp_seconds',
  'aperio_rule_runs_total',
  'aperio_rule_run_failures_total',
  'aperio_rule_events_evaluated_total',
  'aperio_rule_findings_opened_total',
  'aperio_rule_last_run_timestamp_seconds',
  'aperio_rule_run_duration_seconds_bucket',
  'aperio_rule_run_duration_seconds_sum',
  'aperio_rule_run_duration_seconds_count',
  'aperio_scheduled_run_missed',
  'aperio_status_component',
];

export interface Facts {
  connectors: ConnectorFacts[];
  rules: RuleFacts[];
  destinations: DestinationFacts[];
  queues: QueueFacts[];
  jobs: ScheduledJob[];
  /** Whether each job's latest due slot was missed. */
  due: DueSlot[];
  components: ExpectedComponent[];
}

/** The facts every surface is checked against, read once from the static database. */
export async function expectedFacts(pool: pg.Pool): Promise<Facts> {
  const connectors = await connectorFacts(pool);
  const rules = await ruleFacts(pool);
  const queues = await queueFacts(pool);
  const jobs = await scheduledJobs(pool);
  const due = await latestDueSlots(pool, jobs);
  const destinations = await destinationFacts(pool);
  return {
    connectors,
    rules,
    destinations,
    queues,
    jobs,
    due,
    components: await expectedComponents(pool, { connectors, destinations, queues }, due),
  };
}

export async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

const nameOf = (key: string) => key.slice(0, key.indexOf('{'));

/** The bucket bounds a histogram declares (seconds), +Inf aside: the grid the expected counts are read on. */
export function declaredBounds(actual: Map<string, number>, family: string): number[] {
  const les = [...actual.keys()].filter((k) => nameOf(k) === `${family}_bucket`).map((k) => /le="([^"]+)"/.exec(k)![1]);
  return [...new Set(les.filter((le) => le !== '+Inf').map(Number))].sort((a, b) => a - b);
}

/** The expected series at object detail; histogram buckets on the bounds the exporter declares in `actual`. */
export async function expectedSeries(pool: pg.Pool, facts: Facts, actual: Map<string, number>): Promise<Map<string, Value>> {
  return new Map<string, Value>([
    ...(await expectedConnectorSeries(pool, facts.connectors, declaredBounds(actual, 'aperio_connector_sync_duration_seconds'))),
    ...expectedSiemSeries(facts.destinations),
    ...expectedIngestionSeries(facts.queues),
    ...(await expectedRuleSeries(pool, facts.rules, declaredBounds(actual, 'aperio_rule_run_duration_seconds'))),
    ...expectedMissedSeries(facts.due),
    ...expectedStatusSeries(facts.components),
  ]);
}

/** The exporter's series of the compared families (status components: those computed here, and every connector and SIEM one). */
export function comparedSeries(actual: Map<string, number>, facts: Facts): Map<string, Value> {
  const components = new Set(facts.components.map((c) => c.id));
  return new Map<string, Value>(
    [...actual].filter(([key]) => {
      if (!COMPARED_FAMILIES.includes(nameOf(key))) return false;
      if (nameOf(key) !== 'aperio_status_component') return true;
      const component = /component="([^"]+)"/.exec(key)![1];
      return components.has(component) || /^(connector|siem)-/.test(component);
    }),
  );
}

/** Compares the families and returns the expected series, so a caller can check that none is empty. */
export async function compareMetrics(
  comparison: Comparison,
  pool: pg.Pool,
  facts: Facts,
  actual: Map<string, number>,
): Promise<Map<string, Value>> {
  const expected = await expectedSeries(pool, facts, actual);
  comparison.maps(expected, comparedSeries(actual, facts));
  return expected;
}

/** Families with no expected series: a comparison of them would pass whatever the exporter shows. */
export const familiesWithoutSeries = (expected: Map<string, Value>) =>
  COMPARED_FAMILIES.filter((f) => ![...expected.keys()].some((k) => nameOf(k) === f));

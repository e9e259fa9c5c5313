import { connectorFamilies } from '../connectors/metrics';
import { ingestionFamilies } from '../ingestion/metrics';
import { monitorFamilies } from '../monitors/metrics';
import { ruleFamilies } from '../rules/metrics';
import { siemFamilies } from '../siem/metrics';
import { statusFamilies } from '../status/metrics';
import type { MetricFamily } from './family';

/** Every domain's families, in exposition order. docs/metrics-reference.md is generated from this list (npm run docs -w exporter) and checked by a test. */
export const DOMAIN_FAMILIES: MetricFamily[] = [
  ...connectorFamilies,
  ...siemFamilies,
  ...ingestionFamilies,
  ...ruleFamilies,
  ...statusFamilies,
  ...monitorFamilies,
];

/**
 * Where a family's series are exposed when the tenants are sharded (SHARD, TOTAL_SHARDS; docs/sharding.md):
 * - `tenant`: every sample has a tenant label; each shard exposes the samples of its own tenants.
 * - `platform`: one figure over all tenants (no tenant label), the same on every replica: shard 0 only.
 * - `replica`: about the replica that exposes it (its collections, renderings, evaluator): every replica,
 *   told apart by Prometheus's target labels, as process_* are.
 * Together the shards' `tenant` and `platform` series are exactly one unsharded exporter's.
 */
export type Scope = 'tenant' | 'platform' | 'replica';

/** Every family's scope, domain and self-metrics alike; a family missing here fails rendering and a test. */
export const FAMILY_SCOPES: Readonly<Record<string, Scope>> = {
  aperio_connector: 'tenant',
  aperio_connector_last_sync_timestamp_seconds: 'tenant',
  aperio_connector_last_sync_attempt_timestamp_seconds: 'tenant',
  aperio_connector_freshness: 'tenant',
  aperio_connector_freshness_threshold_seconds: 'platform',
  aperio_connector_consecutive_failures: 'tenant',
  aperio_connector_syncs: 'tenant',
  aperio_connector_sync_failures: 'tenant',
  aperio_connector_records_ingested: 'tenant',
  aperio_connector_sync_duration_seconds: 'platform',
  aperio_siem_destination: 'tenant',
  aperio_siem_deliveries: 'tenant',
  aperio_siem_delivery_failures: 'tenant',
  aperio_siem_queue_depth: 'tenant',
  aperio_siem_dead_letters: 'tenant',
  aperio_siem_last_delivery_timestamp_seconds: 'tenant',
  aperio_siem_oldest_pending_timestamp_seconds: 'tenant',
  aperio_ingestion_jobs: 'tenant',
  aperio_ingestion_jobs_retrying: 'tenant',
  aperio_ingestion_dead_jobs: 'tenant',
  aperio_ingestion_oldest_queued_timestamp_seconds: 'tenant',
  aperio_rule_runs: 'tenant',
  aperio_rule_run_failures: 'tenant',
  aperio_rule_events_evaluated: 'tenant',
  aperio_rule_findings_opened: 'tenant',
  aperio_rule_last_run_timestamp_seconds: 'tenant',
  aperio_rule_run_duration_seconds: 'platform',
  aperio_scheduled_run_missed: 'tenant',
  aperio_status_component: 'platform',
  aperio_status_indicator: 'platform',
  aperio_platform_findings_open: 'platform',
  aperio_monitor_evaluations: 'replica',
  aperio_monitor_evaluation_failures: 'replica',
  aperio_monitor_leader: 'replica',
  aperio_monitor_last_evaluation_timestamp_seconds: 'replica',
  aperio_monitor_suppressed: 'replica',
  aperio_exporter_build: 'replica',
  aperio_exporter_shard: 'replica',
  aperio_exporter_collect_duration_seconds: 'replica',
  aperio_exporter_collect_success: 'replica',
  aperio_exporter_collector_last_success_timestamp_seconds: 'replica',
  aperio_exporter_snapshot_timestamp_seconds: 'replica',
  aperio_exporter_database_reachable: 'replica',
  aperio_exporter_series: 'replica',
  aperio_exporter_series_limited: 'replica',
  aperio_exporter_verify_success: 'replica',
  aperio_exporter_verify_last_run_timestamp_seconds: 'replica',
  aperio_exporter_verify_values_compared: 'replica',
  aperio_exporter_verify_differences: 'replica',
  aperio_exporter_background_errors: 'replica',
};

export function scopeOf(family: MetricFamily): Scope {
  const scope = FAMILY_SCOPES[family.name];
  if (!scope)
    throw new Error(`metric family ${family.name} has no sharding scope: classify it in FAMILY_SCOPES (src/metrics/catalogue.ts)`);
  return scope;
}

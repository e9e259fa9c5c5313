import { redFrom, GREEN_ONLY, stat, steps, table, TENANT, timeseries, type DashboardSpec } from './lib';
import { toHealth } from './grafana-plugin';

export const connectors: DashboardSpec = {
  uid: 'aperio-connectors',
  title: 'Aperio connectors & freshness',
  description: 'When each connector last synced, whether its data is fresh, and how syncs are doing.',
  revision: 3,
  tags: ['connectors'],
  variables: 'datasource-and-tenant',
  rows: [
    {
      title: 'Freshness',
      panels: [
        stat(
          'Fresh',
          'Connectors synced within their stale threshold.',
          `sum(aperio_connector_freshness{state="fresh",${TENANT}})`,
          'short',
          GREEN_ONLY,
          { noValue: '0' },
        ),
        stat(
          'Stale',
          'Connectors past their stale threshold but not yet critical.',
          `sum(aperio_connector_freshness{state="stale",${TENANT}})`,
          'short',
          steps(1, 5),
          { noValue: '0' },
        ),
        stat(
          'Critical',
          'Connectors past their critical threshold.',
          `sum(aperio_connector_freshness{state="critical",${TENANT}})`,
          'short',
          redFrom(1),
          { noValue: '0' },
        ),
        stat(
          'Never synced',
          'Connectors without any successful sync.',
          `sum(aperio_connector_freshness{state="never",${TENANT}})`,
          'short',
          steps(1, 5),
          { noValue: '0' },
        ),
        table(
          'Time since last successful sync',
          'Per connector: age of the data from the last successful sync, stalest first. Colours follow the default thresholds; per-provider ones are in the thresholds table.',
          [{ expr: `sort_desc(time() - aperio_connector_last_sync_timestamp_seconds{${TENANT}})` }],
          's',
          steps(3600, 21600),
          { span: 16, height: 10, links: [toHealth('tenant', 'provider', 'connector')] },
        ),
        table(
          'Freshness thresholds',
          'Age beyond which each provider counts as stale or critical (FRESHNESS_CONFIG).',
          'aperio_connector_freshness_threshold_seconds',
          's',
          GREEN_ONLY,
          { span: 8, height: 10 },
        ),
      ],
    },
    {
      title: 'Syncs',
      panels: [
        timeseries(
          'Syncs by provider',
          'Connector syncs per second, of any outcome.',
          [{ expr: `sum by (provider) (rate(aperio_connector_syncs_total{${TENANT}}[$__rate_interval]))`, legend: '{{provider}}' }],
          'ops',
        ),
        timeseries(
          'Sync failures by connector',
          'Failed or timed-out syncs per second.',
          [
            {
              expr: `sum by (tenant, connector) (rate(aperio_connector_sync_failures_total{${TENANT}}[$__rate_interval]))`,
              legend: '{{tenant}} {{connector}}',
            },
          ],
          'ops',
          steps(0.001, 0.01),
        ),
        timeseries(
          'Sync duration p95 by provider',
          '95th percentile of sync duration.',
          [
            {
              expr: 'histogram_quantile(0.95, sum by (provider, le) (rate(aperio_connector_sync_duration_seconds_bucket[$__rate_interval])))',
              legend: '{{provider}}',
            },
          ],
          's',
          steps(60, 300),
        ),
        timeseries(
          'Mean sync duration by provider',
          'Total sync time divided by syncs.',
          [
            {
              expr: 'sum by (provider) (rate(aperio_connector_sync_duration_seconds_sum[$__rate_interval])) / sum by (provider) (rate(aperio_connector_sync_duration_seconds_count[$__rate_interval]))',
              legend: '{{provider}}',
            },
          ],
          's',
          steps(60, 300),
        ),
        timeseries(
          'Records ingested',
          'Records ingested by connector syncs, per second.',
          [
            {
              expr: `sum by (provider) (rate(aperio_connector_records_ingested_total{${TENANT}}[$__rate_interval]))`,
              legend: '{{provider}}',
            },
          ],
          'rps',
        ),
        table(
          'Consecutive failures',
          'Failed syncs since the last successful one, worst first.',
          `sort_desc(aperio_connector_consecutive_failures{${TENANT}} > 0)`,
          'short',
          steps(1, 5),
          { noValue: 'No connector is failing', links: [toHealth('tenant', 'provider', 'connector')] },
        ),
        table(
          'Time since last sync attempt',
          'Age of the last attempt, successful or not: a large value means the connector is not even being tried.',
          `sort_desc(time() - aperio_connector_last_sync_attempt_timestamp_seconds{${TENANT}})`,
          's',
          steps(3600, 21600),
          { links: [toHealth('tenant', 'provider', 'connector')] },
        ),
        table(
          'Connectors',
          'Static properties: name, provider and status of every connection.',
          `aperio_connector_info{${TENANT}}`,
          'short',
          GREEN_ONLY,
          { links: [toHealth('tenant', 'provider', 'connector')] },
        ),
      ],
    },
  ],
};

import { stat, steps, table, TENANT, timeseries, type DashboardSpec } from './lib';
import { toHealth } from './grafana-plugin';
import { siemDeadLetters, siemFailureRatio1h, siemRetrying } from './siem-panels';

export const siem: DashboardSpec = {
  uid: 'aperio-siem',
  title: 'Aperio SIEM delivery',
  description: 'Whether findings reach each SIEM destination: attempts, failures, retries and dead letters.',
  revision: 2,
  tags: ['siem'],
  variables: 'datasource-and-tenant',
  rows: [
    {
      title: 'Now',
      panels: [
        stat(
          'Pending',
          'Deliveries waiting for their first attempt.',
          `sum(aperio_siem_queue_depth{status="pending",${TENANT}})`,
          'short',
          steps(100, 1000),
          { noValue: '0' },
        ),
        siemRetrying('Retrying'),
        siemDeadLetters(),
        siemFailureRatio1h('Failure ratio (1h)', 'Failed attempts divided by all attempts in the last hour.'),
      ],
    },
    {
      title: 'Per destination',
      panels: [
        timeseries(
          'Delivery attempts by kind',
          'Delivery attempts per second, successful or not.',
          [{ expr: `sum by (kind) (rate(aperio_siem_deliveries_total{${TENANT}}[$__rate_interval]))`, legend: '{{kind}}' }],
          'ops',
        ),
        timeseries(
          'Failure ratio by destination',
          'Failed attempts divided by all attempts, per destination.',
          [
            {
              expr: `sum by (tenant, destination) (rate(aperio_siem_delivery_failures_total{${TENANT}}[$__rate_interval])) / sum by (tenant, destination) (rate(aperio_siem_deliveries_total{${TENANT}}[$__rate_interval]))`,
              legend: '{{tenant}} {{destination}}',
            },
          ],
          'percentunit',
          steps(0.05, 0.2),
          { min: 0, max: 1 },
        ),
        timeseries(
          'Queue depth',
          'Deliveries waiting, by status.',
          [{ expr: `sum by (status) (aperio_siem_queue_depth{${TENANT}})`, legend: '{{status}}' }],
          'short',
        ),
        timeseries(
          'Dead letters by destination',
          'Dead-lettered deliveries per destination.',
          [{ expr: `sum by (tenant, destination) (aperio_siem_dead_letters{${TENANT}})`, legend: '{{tenant}} {{destination}}' }],
          'short',
          steps(1, 100),
        ),
        table(
          'Time since last successful delivery',
          'Per destination, stalest first.',
          `sort_desc(time() - aperio_siem_last_delivery_timestamp_seconds{${TENANT}})`,
          's',
          steps(900, 3600),
          { links: [toHealth('tenant')] },
        ),
        table(
          'Oldest waiting delivery',
          'Per destination: age of the oldest pending or retrying delivery (only destinations with a queue).',
          `sort_desc(time() - aperio_siem_oldest_pending_timestamp_seconds{${TENANT}})`,
          's',
          steps(300, 1800),
          { noValue: 'Nothing waiting', links: [toHealth('tenant')] },
        ),
        table(
          'Destinations',
          'Static properties: name, kind and whether the destination is enabled.',
          `aperio_siem_destination_info{${TENANT}}`,
          'short',
          undefined,
          { span: 24, links: [toHealth('tenant')] },
        ),
      ],
    },
  ],
};

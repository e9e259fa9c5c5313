import { healthy, redFrom, stat, steps, table, type DashboardSpec } from './lib';
import { COMPONENT_NAMES, GROUP_NAMES, STATUS_WORDS } from './status-names';

/**
 * For a public dashboard or a snapshot: Grafana shares dashboards publicly only without template
 * variables, so this one has none and reads the provisioned data source directly. Every panel is a
 * platform-wide number: nothing here names a tenant.
 */
export const status: DashboardSpec = {
  uid: 'aperio-status',
  title: 'Aperio status',
  description: 'Platform-wide health of Aperio, safe to share publicly: no tenant names, no variables.',
  revision: 2,
  tags: ['status', 'public'],
  variables: 'none',
  rows: [
    {
      title: 'Aperio status',
      panels: [
        stat(
          'Overall status',
          'The status page indicator (the same model as /status.json): the worst component decides it.',
          'max(aperio_status_indicator{indicator="minor"}) + 2 * max(aperio_status_indicator{indicator="major"}) + 3 * max(aperio_status_indicator{indicator="critical"})',
          'none',
          [
            { value: null, color: 'green' },
            { value: 1, color: 'yellow' },
            { value: 2, color: 'orange' },
            { value: 3, color: 'red' },
          ],
          {
            span: 8,
            mappings: {
              '0': { text: 'All systems operational', color: 'green' },
              '1': { text: 'Minor problems', color: 'yellow' },
              '2': { text: 'Major outage', color: 'orange' },
              '3': { text: 'Critical outage', color: 'red' },
            },
          },
        ),
        table(
          'Components',
          'Every status-page component that is not operational, with its current status.',
          'max by (group, component, status) (aperio_status_component{status!="operational"} == 1)',
          'none',
          redFrom(1),
          {
            span: 16,
            noValue: 'All components operational',
            columns: { group: 'Group', component: 'Component', status: 'Status' },
            columnMappings: { group: GROUP_NAMES, component: COMPONENT_NAMES, status: STATUS_WORDS },
          },
        ),
        stat(
          'Connector data freshness',
          'Share of connectors whose data is fresh.',
          'sum(aperio_connector_freshness{state="fresh"}) / clamp_min(sum(aperio_connector_freshness), 1)',
          'percentunit',
          healthy(0.95),
          { min: 0, max: 1, span: 8 },
        ),
        stat(
          'SIEM delivery success (1h)',
          'Share of SIEM delivery attempts in the last hour that succeeded.',
          '1 - ((sum(increase(aperio_siem_delivery_failures_total[1h])) or vector(0)) / clamp_min(sum(increase(aperio_siem_deliveries_total[1h])), 1))',
          'percentunit',
          healthy(0.95),
          { min: 0, max: 1, span: 8 },
        ),
        stat(
          'Detection rule success (1h)',
          'Share of detection rule evaluations in the last hour that succeeded.',
          '1 - ((sum(increase(aperio_rule_run_failures_total[1h])) or vector(0)) / clamp_min(sum(increase(aperio_rule_runs_total[1h])), 1))',
          'percentunit',
          healthy(0.95),
          { min: 0, max: 1, span: 8 },
        ),
        stat(
          'Scheduled jobs overdue',
          'Scheduled rules and connector syncs whose latest due slot passed its grace with no run.',
          'sum(aperio_scheduled_run_missed)',
          'short',
          steps(1, 10),
          { noValue: '0', span: 8 },
        ),
        stat(
          'Ingestion delay',
          'Age of the oldest queued ingestion job (0 when nothing waits).',
          'max(time() - aperio_ingestion_oldest_queued_timestamp_seconds)',
          's',
          steps(300, 900),
          { noValue: 'None waiting', span: 8 },
        ),
        stat(
          'Monitoring data age',
          "How current this page is: time since the exporter's last complete snapshot.",
          'max(time() - aperio_exporter_snapshot_timestamp_seconds)',
          's',
          steps(60, 300),
          { span: 8 },
        ),
      ],
    },
  ],
};

import { redFrom, healthy, stat, steps, table, TENANT, type DashboardSpec } from './lib';
import { toHealth } from './grafana-plugin';
import { siemDeadLetters, siemFailureRatio1h, siemRetrying } from './siem-panels';

/** The five operator questions from the README, one row each, on one screen. */
export const overview: DashboardSpec = {
  uid: 'aperio-overview',
  title: 'Aperio overview',
  description: 'Is Aperio working? Connector freshness, SIEM delivery, rule runs, scheduled jobs and the ingestion queue at a glance.',
  revision: 2,
  tags: ['overview'],
  variables: 'datasource-and-tenant',
  rows: [
    {
      title: 'When did each connector last sync, and is the data fresh?',
      panels: [
        stat(
          'Connectors not fresh',
          'Connectors whose last successful sync is older than their stale threshold, or that never synced.',
          `sum(aperio_connector_freshness{state!="fresh",${TENANT}})`,
          'short',
          steps(1, 5),
          { noValue: '0' },
        ),
        stat(
          'Critical connectors',
          'Connectors past their critical freshness threshold.',
          `sum(aperio_connector_freshness{state="critical",${TENANT}})`,
          'short',
          redFrom(1),
          { noValue: '0' },
        ),
        stat(
          'Oldest successful sync',
          'Age of the stalest connector data (time since its last successful sync).',
          `max(time() - aperio_connector_last_sync_timestamp_seconds{${TENANT}})`,
          's',
          steps(3600, 21600),
        ),
        stat(
          'Connector sync failures (1h)',
          'Failed or timed-out connector syncs in the last hour.',
          `sum(increase(aperio_connector_sync_failures_total{${TENANT}}[1h]))`,
          'short',
          steps(1, 10),
          { noValue: '0' },
        ),
      ],
    },
    {
      title: 'Are SIEM deliveries succeeding, retrying or dead-lettered?',
      panels: [
        siemFailureRatio1h('SIEM failure ratio (1h)', 'Failed delivery attempts divided by all attempts in the last hour.'),
        siemDeadLetters(),
        siemRetrying('Retrying deliveries'),
        stat(
          'Oldest pending delivery',
          'Age of the oldest delivery still waiting to be sent (0 when the queue is empty).',
          `max(time() - aperio_siem_oldest_pending_timestamp_seconds{${TENANT}})`,
          's',
          steps(300, 1800),
          { noValue: 'None waiting' },
        ),
      ],
    },
    {
      title: 'Which detection rules ran in the last hour, and how long did each take?',
      panels: [
        stat(
          'Rule runs (1h)',
          'Detection rule evaluations in the last hour, of any outcome.',
          `sum(increase(aperio_rule_runs_total{${TENANT}}[1h]))`,
          'short',
          healthy(1),
          { noValue: '0' },
        ),
        stat(
          'Rule failure ratio (1h)',
          'Failed or timed-out evaluations divided by all evaluations in the last hour.',
          `(sum(increase(aperio_rule_run_failures_total{${TENANT}}[1h])) or vector(0)) / clamp_min(sum(increase(aperio_rule_runs_total{${TENANT}}[1h])), 1)`,
          'percentunit',
          steps(0.05, 0.1),
          { min: 0, max: 1 },
        ),
        table(
          'Slowest rules (1h, mean duration)',
          'Mean evaluation time per rule over the last hour, slowest first (across tenants).',
          [
            {
              expr: 'topk(5, sum by (rule) (increase(aperio_rule_run_duration_seconds_sum[1h])) / clamp_min(sum by (rule) (increase(aperio_rule_run_duration_seconds_count[1h])), 1))',
              legend: '{{rule}}',
            },
          ],
          's',
          steps(30, 60),
        ),
      ],
    },
    {
      title: 'Did the scheduled jobs for each tenant run?',
      panels: [
        stat(
          'Missed scheduled slots',
          'Scheduled rules (cron or interval) and active connectors whose latest due slot had no scheduler-started run; /api/v1/schedules shows each slot.',
          `sum(aperio_scheduled_run_missed{${TENANT}})`,
          'short',
          steps(1, 5),
          { noValue: '0' },
        ),
        table(
          'Missed slots by tenant and kind',
          'Which tenant has overdue scheduled work, split into rules and connector syncs.',
          `sum by (tenant, kind) (aperio_scheduled_run_missed{${TENANT}})`,
          'short',
          steps(1, 5),
          { span: 18, noValue: 'No missed slots', links: [toHealth('tenant')] },
        ),
      ],
    },
    {
      title: 'Is the ingestion queue backing up?',
      panels: [
        stat(
          'Queued jobs',
          'Ingestion jobs waiting for a worker.',
          `sum(aperio_ingestion_jobs{status="queued",${TENANT}})`,
          'short',
          steps(50, 500),
          { noValue: '0' },
        ),
        stat(
          'Oldest queued job',
          'Age of the oldest queued ingestion job (0 when nothing is queued).',
          `max(time() - aperio_ingestion_oldest_queued_timestamp_seconds{${TENANT}})`,
          's',
          steps(300, 900),
          { noValue: 'None waiting' },
        ),
        stat(
          'Dead jobs',
          'Ingestion jobs that exhausted their attempts.',
          `sum(aperio_ingestion_dead_jobs{${TENANT}})`,
          'short',
          steps(1, 10),
          { noValue: '0' },
        ),
        stat(
          'Exporter data age',
          "How old the data behind these panels is (time since the exporter's last complete snapshot).",
          'max(time() - aperio_exporter_snapshot_timestamp_seconds)',
          's',
          steps(60, 300),
        ),
      ],
    },
  ],
};

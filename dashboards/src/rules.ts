import { GREEN_ONLY, stat, steps, table, TENANT, timeseries, type DashboardSpec } from './lib';
import { toAudit, toHealth } from './grafana-plugin';

export const rules: DashboardSpec = {
  uid: 'aperio-rules',
  title: 'Aperio rule runs',
  description: 'Detection rule evaluations: how many ran, how long they took, which failed and which findings they opened.',
  revision: 2,
  tags: ['rules'],
  variables: 'datasource-and-tenant',
  rows: [
    {
      title: 'Last hour',
      panels: [
        stat(
          'Runs (1h)',
          'Evaluations in the last hour, of any outcome.',
          `sum(increase(aperio_rule_runs_total{${TENANT}}[1h]))`,
          'short',
          GREEN_ONLY,
          { noValue: '0' },
        ),
        stat(
          'Failure ratio (1h)',
          'Failed or timed-out evaluations divided by all evaluations.',
          `(sum(increase(aperio_rule_run_failures_total{${TENANT}}[1h])) or vector(0)) / clamp_min(sum(increase(aperio_rule_runs_total{${TENANT}}[1h])), 1)`,
          'percentunit',
          steps(0.05, 0.1),
          { min: 0, max: 1 },
        ),
        stat(
          'Findings opened (1h)',
          'Findings opened by detection rules in the last hour.',
          `sum(increase(aperio_rule_findings_opened_total{${TENANT}}[1h]))`,
          'short',
          GREEN_ONLY,
          { noValue: '0' },
        ),
        stat(
          'Missed rule slots',
          'Scheduled rules (cron or interval) whose latest due slot had no scheduler-started run; /api/v1/schedules shows each slot.',
          `sum(aperio_scheduled_run_missed{kind="rule",${TENANT}})`,
          'short',
          steps(1, 5),
          { noValue: '0' },
        ),
      ],
    },
    {
      title: 'Durations and failures',
      panels: [
        timeseries(
          'Duration p95 by rule',
          '95th percentile of evaluation time, across tenants.',
          [
            {
              expr: 'histogram_quantile(0.95, sum by (rule, le) (rate(aperio_rule_run_duration_seconds_bucket[$__rate_interval])))',
              legend: '{{rule}}',
            },
          ],
          's',
          steps(30, 60),
        ),
        table(
          'Slowest rules (1h, mean duration)',
          'Mean evaluation time per rule over the last hour, slowest first.',
          'topk(10, sum by (rule) (increase(aperio_rule_run_duration_seconds_sum[1h])) / clamp_min(sum by (rule) (increase(aperio_rule_run_duration_seconds_count[1h])), 1))',
          's',
          steps(30, 60),
        ),
        timeseries(
          'Runs by rule',
          'Evaluations per second.',
          [{ expr: `sum by (rule) (rate(aperio_rule_runs_total{${TENANT}}[$__rate_interval]))`, legend: '{{rule}}' }],
          'ops',
        ),
        timeseries(
          'Failures by rule',
          'Failed or timed-out evaluations per second.',
          [{ expr: `sum by (rule) (rate(aperio_rule_run_failures_total{${TENANT}}[$__rate_interval]))`, legend: '{{rule}}' }],
          'ops',
          steps(0.001, 0.01),
        ),
        timeseries(
          'Events evaluated',
          'Events evaluated by detection rules, per second.',
          [{ expr: `sum by (rule) (rate(aperio_rule_events_evaluated_total{${TENANT}}[$__rate_interval]))`, legend: '{{rule}}' }],
          'ops',
        ),
        timeseries(
          'Findings opened',
          'Findings opened per rule, per hour window.',
          [{ expr: `sum by (rule) (increase(aperio_rule_findings_opened_total{${TENANT}}[1h]))`, legend: '{{rule}}' }],
          'short',
        ),
        table(
          'Time since last run',
          'Per tenant and rule: how long ago it last started, stalest first.',
          `sort_desc(time() - aperio_rule_last_run_timestamp_seconds{${TENANT}})`,
          's',
          steps(3600, 7200),
          { links: [toAudit('tenant', 'rule')] },
        ),
        table(
          'Missed schedule slots by tenant',
          'Overdue scheduled rules and connector syncs per tenant.',
          `sum by (tenant, kind) (aperio_scheduled_run_missed{${TENANT}})`,
          'short',
          steps(1, 5),
          { noValue: 'No missed slots', links: [toHealth('tenant')] },
        ),
      ],
    },
  ],
};

import { redFrom, GREEN_ONLY, healthy, stat, steps, table, timeseries, type DashboardSpec } from './lib';

/** The exporter watching itself: is the data it serves current, and is it healthy as a process? */
export const exporterHealth: DashboardSpec = {
  uid: 'aperio-exporter',
  title: 'Aperio exporter self-health',
  description:
    'Age of the served data, database reachability, per-collector success and duration, series budget, background loop errors and the process.',
  revision: 4,
  tags: ['exporter'],
  variables: 'datasource',
  rows: [
    {
      title: 'Data',
      panels: [
        stat(
          'Snapshot age',
          'Time since the newest complete snapshot: how old every other number is.',
          'max(time() - aperio_exporter_snapshot_timestamp_seconds)',
          's',
          steps(60, 300),
        ),
        stat(
          'Database reachable',
          '1 if the last collection reached PostgreSQL.',
          'min(aperio_exporter_database_reachable)',
          'bool_yes_no',
          healthy(1),
        ),
        stat(
          'Failing collectors',
          'Collectors whose last collection failed (their previous data is still served).',
          'count(aperio_exporter_collect_success == 0)',
          'short',
          redFrom(1),
          { noValue: '0' },
        ),
        stat(
          'Series limited',
          '1 if the series budget forced a coarser detail than METRICS_DETAIL.',
          'max(aperio_exporter_series_limited)',
          'bool_yes_no',
          redFrom(1),
        ),
        timeseries(
          'Collection duration by collector',
          'How long the last collection of each collector took.',
          [{ expr: 'max by (collector) (aperio_exporter_collect_duration_seconds)', legend: '{{collector}}' }],
          's',
          steps(5, 10),
        ),
        timeseries(
          'Collector data age',
          'Time since each collector last succeeded.',
          [{ expr: 'max by (collector) (time() - aperio_exporter_collector_last_success_timestamp_seconds)', legend: '{{collector}}' }],
          's',
          steps(60, 300),
        ),
        timeseries(
          'Collector success',
          '1 if the last collection succeeded, 0 if it failed.',
          [{ expr: 'min by (collector) (aperio_exporter_collect_success)', legend: '{{collector}}' }],
          'short',
          healthy(1),
          { min: 0, max: 1 },
        ),
        timeseries(
          'Series',
          'Series in the last exposition, by the detail it was rendered at.',
          [{ expr: 'sum by (detail) (aperio_exporter_series)', legend: '{{detail}}' }],
          'short',
        ),
        timeseries(
          'Background loop errors',
          'Failed steps of each background loop (collector, monitors, telemetry, maintenance, status, demo, verify); the loop tries again after its interval and the exporter log says why.',
          [{ expr: 'sum by (task) (increase(aperio_exporter_background_errors_total[$__rate_interval]))', legend: '{{task}}' }],
          'short',
          redFrom(1),
        ),
      ],
    },
    {
      title: 'Verification',
      panels: [
        stat(
          'Verify differences',
          'Values that differed from their recomputed definition in the last verify (docs/verification.md); 0 is healthy.',
          'sum(aperio_exporter_verify_differences)',
          'short',
          redFrom(1),
        ),
        stat(
          'Values verified',
          'Values the last verify recomputed from the database and compared with /metrics.',
          'sum(aperio_exporter_verify_values_compared)',
          'short',
          GREEN_ONLY,
        ),
        stat(
          'Last verify age',
          'Time since the snapshot the last completed verify checked (VERIFY_INTERVAL_SECONDS); empty when verify is off.',
          'max(time() - aperio_exporter_verify_last_run_timestamp_seconds)',
          's',
          steps(7200, 14400),
        ),
        stat(
          'Verify completing',
          '1 if the last verify run completed, 0 if it failed (statement timeout, database unreachable).',
          'min(aperio_exporter_verify_success)',
          'bool_yes_no',
          healthy(1),
        ),
        timeseries(
          'Differences by family',
          'Values of each metric family that differed from their definition in the last verify.',
          [{ expr: 'sum by (family) (aperio_exporter_verify_differences)', legend: '{{family}}' }],
          'short',
          redFrom(1),
        ),
      ],
    },
    {
      title: 'Self-monitoring',
      panels: [
        stat(
          'Platform findings open',
          'Open aperio.platform.* findings raised by the self-monitoring checks.',
          'sum(aperio_platform_findings_open)',
          'short',
          redFrom(1),
          { noValue: '0' },
        ),
        stat(
          'Evaluator leaders',
          'Replicas holding the self-monitoring lock: exactly 1 is healthy.',
          'sum(aperio_monitor_leader)',
          'short',
          [
            { value: null, color: 'red' },
            { value: 1, color: 'green' },
            { value: 2, color: 'red' },
          ],
        ),
        stat(
          'Last evaluation age',
          'Time since the self-monitoring checks last ran.',
          'min(time() - aperio_monitor_last_evaluation_timestamp_seconds)',
          's',
          steps(120, 600),
        ),
        timeseries(
          'Open findings by check',
          'Open platform findings per check and severity.',
          [{ expr: 'sum by (check, severity) (aperio_platform_findings_open)', legend: '{{check}} {{severity}}' }],
          'short',
        ),
        timeseries(
          'Evaluations and failures',
          'Self-monitoring evaluation cycles per second, and the failed ones.',
          [
            { expr: 'sum(rate(aperio_monitor_evaluations_total[$__rate_interval]))', legend: 'evaluations' },
            { expr: 'sum(rate(aperio_monitor_evaluation_failures_total[$__rate_interval]))', legend: 'failures' },
          ],
          'ops',
        ),
        timeseries(
          'Suppressed checks',
          'Checks held back, e.g. missed schedules while the ingestion queue is backlogged.',
          [{ expr: 'max by (check) (aperio_monitor_suppressed)', legend: '{{check}}' }],
          'short',
        ),
      ],
    },
    {
      title: 'Process',
      panels: [
        timeseries(
          'Resident memory',
          'Resident set size of the exporter process.',
          [{ expr: 'process_resident_memory_bytes and on (job, instance) aperio_exporter_build_info', legend: '{{instance}}' }],
          'bytes',
        ),
        timeseries(
          'CPU',
          'CPU seconds used per second.',
          [
            {
              expr: 'rate(process_cpu_seconds_total[$__rate_interval]) and on (job, instance) aperio_exporter_build_info',
              legend: '{{instance}}',
            },
          ],
          'percentunit',
        ),
        table('Build', 'Version of each running exporter and its Node.js.', 'aperio_exporter_build_info', 'short', GREEN_ONLY, {
          span: 12,
          height: 5,
        }),
        table(
          'Shards',
          'Which shard of the tenants each exporter exposes (SHARD of TOTAL_SHARDS, or platform) and whether it collects every tenant or only its own (collection, docs/sharding.md); shard 0 of 1 is unsharded.',
          'aperio_exporter_shard_info',
          'short',
          GREEN_ONLY,
          { span: 12, height: 5 },
        ),
      ],
    },
  ],
};

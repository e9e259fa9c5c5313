import type { MetricFamily, Sample } from '../metrics/family';
import { activeStats, type MonitorStats } from './stats';
import { CHECKS, SEVERITIES } from '../snapshot/platform-findings';

const fromStats = (pick: (s: MonitorStats) => Sample[]) => (): Sample[] => {
  const stats = activeStats();
  return stats ? pick(stats) : [];
};

/** Self-monitoring: open platform findings (from the snapshot) and the evaluator's own figures. */
export const monitorFamilies: MetricFamily[] = [
  {
    name: 'aperio_platform_findings_open',
    type: 'gauge',
    help: 'Open self-monitoring findings (Finding rows in the aperio.platform.* categories) by check and severity.',
    merge: 'sum',
    samples: (s) =>
      CHECKS.flatMap((check) =>
        SEVERITIES.map((severity) => ({
          labels: { check, severity },
          value: s.platformFindings.filter((f) => f.check === check && f.severity === severity).length,
        })),
      ),
  },
  {
    name: 'aperio_monitor_evaluations',
    type: 'counter',
    help: 'Evaluations of the self-monitoring checks by this replica (leader or not).',
    merge: 'sum',
    samples: fromStats((s) => [{ labels: {}, value: s.evaluations }]),
  },
  {
    name: 'aperio_monitor_evaluation_failures',
    type: 'counter',
    help: 'Evaluations that failed to write their findings (the replica stepped down as leader).',
    merge: 'sum',
    samples: fromStats((s) => [{ labels: {}, value: s.evaluationFailures }]),
  },
  {
    name: 'aperio_monitor_leader',
    type: 'gauge',
    help: '1 if this replica holds the monitors leader lock and writes platform findings, 0 otherwise.',
    merge: 'max',
    samples: fromStats((s) => [{ labels: {}, value: s.leader ? 1 : 0 }]),
  },
  {
    name: 'aperio_monitor_last_evaluation_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last evaluation of the self-monitoring checks.',
    merge: 'max',
    samples: fromStats((s) => (s.lastEvaluationAt === null ? [] : [{ labels: {}, value: s.lastEvaluationAt / 1000 }])),
  },
  {
    name: 'aperio_monitor_suppressed',
    type: 'gauge',
    help: 'Subjects whose check was suppressed in the last evaluation (schedule_missed while ingestion is backlogged).',
    merge: 'sum',
    samples: fromStats((s) => CHECKS.map((check) => ({ labels: { check }, value: s.suppressed[check] }))),
  },
];

import { eachItem, perItem, summedHistograms, type Labels, type MetricFamily } from '../metrics/family';
import { RULE_DURATION_BOUNDS_MS } from '../runs/buckets';
import type { RuleState, Snapshot } from '../snapshot/types';
import { missedBy, scheduledJobs } from '../schedules/jobs';

const OBJECT = ['rule'] as const;
const labelsOf = (r: RuleState): Labels => ({ tenant: r.tenant, rule: r.ruleKey });
const perRule = (snapshot: Snapshot, value: (r: RuleState) => number | null) => perItem(snapshot.rules, labelsOf, value);

export const ruleFamilies: MetricFamily[] = [
  {
    name: 'aperio_rule_runs',
    type: 'counter',
    help: 'Detection rule evaluations recorded in RuleRun, of any outcome.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perRule(s, (r) => r.totals.runs),
  },
  {
    name: 'aperio_rule_run_failures',
    type: 'counter',
    help: 'Detection rule evaluations that failed or timed out.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perRule(s, (r) => r.totals.failures),
  },
  {
    name: 'aperio_rule_events_evaluated',
    type: 'counter',
    help: 'Events evaluated by detection rules.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perRule(s, (r) => r.totals.eventsEvaluated),
  },
  {
    name: 'aperio_rule_findings_opened',
    type: 'counter',
    help: 'Findings opened by detection rules.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => perRule(s, (r) => r.totals.findingsOpened),
  },
  {
    name: 'aperio_rule_last_run_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time the rule last started for the tenant. Absent if it never ran.',
    objectLabels: OBJECT,
    merge: 'min',
    samples: (s) => perRule(s, (r) => (r.lastRunAt === null ? null : r.lastRunAt / 1000)),
  },
  {
    name: 'aperio_rule_run_duration_seconds',
    type: 'histogram',
    help: 'Duration of detection rule evaluations that have one, by rule across tenants; runs without a duration (skipped, unfinished) are only in aperio_rule_runs_total.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) =>
      summedHistograms(
        s.rules,
        'rule',
        (r) => r.ruleKey,
        (r) => r.totals,
        RULE_DURATION_BOUNDS_MS,
      ),
  },
  {
    name: 'aperio_scheduled_run_missed',
    type: 'gauge',
    help: 'Scheduled rules (cron or interval) and active connectors whose latest due slot had no scheduler-started run (docs/metrics.md, Schedules).',
    merge: 'sum',
    samples: (s) => {
      // Keyed by the snapshot's own tenant strings (hashed once), not by a string built per item.
      const counts = new Map<string, { rule: number | null; connector: number | null }>();
      for (const job of scheduledJobs(s)) {
        let entry = counts.get(job.tenant);
        if (!entry) counts.set(job.tenant, (entry = { rule: null, connector: null }));
        entry[job.kind] = (entry[job.kind] ?? 0) + (missedBy(job, s.scheduleSettings, s.takenAt) ? 1 : 0);
      }
      return eachItem([...counts], ([tenant, entry]) =>
        (['rule', 'connector'] as const).flatMap((kind) =>
          entry[kind] === null ? [] : [{ labels: { tenant, kind }, value: entry[kind] }],
        ),
      );
    },
  },
];

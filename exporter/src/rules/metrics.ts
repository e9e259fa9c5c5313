import { histogramSamples, type Labels, type MetricFamily, type Sample } from '../metrics/family';
import { RULE_DURATION_BOUNDS_MS } from '../runs/buckets';
import type { RuleState, Snapshot } from '../snapshot/types';
import { connectorOverdue, ruleOverdue } from './schedule';
import { groupBy } from '../util/group-by';

const OBJECT = ['rule'] as const;
const labelsOf = (r: RuleState): Labels => ({ tenant: r.tenant, rule: r.ruleKey });
function* perRule(snapshot: Snapshot, value: (r: RuleState) => number | null): Generator<Sample> {
  for (const r of snapshot.rules) {
    const v = value(r);
    if (v !== null) yield { labels: labelsOf(r), value: v };
  }
}

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
    help: 'Duration of detection rule evaluations, by rule across tenants.',
    objectLabels: OBJECT,
    merge: 'sum',
    samples: (s) => {
      const byRule = groupBy(s.rules, (r) => r.ruleKey);
      return [...byRule.keys()].sort().flatMap((rule) => {
        const list = byRule.get(rule)!;
        const buckets = RULE_DURATION_BOUNDS_MS.map((_, i) => list.reduce((sum, r) => sum + (r.totals.durationBuckets[i] ?? 0), 0));
        const count = list.reduce((sum, r) => sum + r.totals.runs, 0);
        const sumMs = list.reduce((sum, r) => sum + r.totals.durationMsSum, 0);
        return histogramSamples({ rule }, RULE_DURATION_BOUNDS_MS, buckets, count, sumMs);
      });
    },
  },
  {
    name: 'aperio_scheduled_run_missed',
    type: 'gauge',
    help: 'Scheduled rules and connector syncs whose last run is older than their interval plus grace.',
    merge: 'sum',
    samples: (s) => {
      const counts = new Map<string, { tenant: string; kind: string; value: number }>();
      const bump = (tenant: string, kind: string, missed: boolean) => {
        const key = `${tenant}\u0000${kind}`;
        const entry = counts.get(key) ?? { tenant, kind, value: 0 };
        entry.value += missed ? 1 : 0;
        counts.set(key, entry);
      };
      for (const r of s.rules) if (r.scheduleIntervalSeconds) bump(r.tenant, 'rule', ruleOverdue(r, s.takenAt));
      for (const c of s.connectors) bump(c.tenant, 'connector', connectorOverdue(c, s.takenAt));
      return [...counts.values()].map(({ tenant, kind, value }) => ({ labels: { tenant, kind }, value }));
    },
  },
];

import { RULE_DURATION_BOUNDS_MS } from '../../runs/buckets';
import type { Check } from '../types';
import { bucketQuantile } from './percentile';
import { ruleKey, ruleSubject } from './rule-failing';

const bucketsKey = (key: string) => `${key}:buckets`;
export const ruleBucketsKey = bucketsKey;

/**
 * An enabled rule whose p95 run duration within the window is above the threshold. The p95 comes from
 * the deltas of the cumulative duration histogram (interpolated within its bucket, as Prometheus does),
 * not from the mean, so one very slow run in twenty is enough to show.
 */
export const ruleSlow: Check = ({ snapshot, config, history }) => {
  const c = config.rule_slow;
  const observations = snapshot.rules
    .filter((r) => r.enabled)
    .flatMap((r) => {
      const key = bucketsKey(ruleKey(r));
      const delta = history.delta(key, snapshot.takenAt, c.windowSeconds * 1000, [r.totals.durationCount, ...r.totals.durationBuckets]);
      if (!delta) return [];
      // Runs with a duration, not every run: a skipped run is no observation and would pull the p95 to the top bound.
      const [runs, ...buckets] = delta.deltas;
      if (runs < c.minRuns) return [];
      const p95 = bucketQuantile(0.95, RULE_DURATION_BOUNDS_MS, buckets, runs);
      if (p95 === null || p95 <= c.p95Seconds * 1000) return [];
      const minutes = Math.round(delta.spanMs / 60_000);
      return [
        {
          check: 'aperio.platform.rule_slow' as const,
          subject: ruleSubject(r),
          tenantId: r.tenantId,
          severity: c.severity,
          title: `Detection rule ${r.ruleName} is slow for ${r.tenant} (p95 ${(p95 / 1000).toFixed(1)} s)`,
          description:
            `The p95 duration of ${runs} runs of rule ${r.ruleKey} (${r.ruleId}) for tenant ${r.tenant} in the last ${minutes} min is ` +
            `${(p95 / 1000).toFixed(1)} s (threshold ${c.p95Seconds} s; estimated from the duration histogram). ` +
            `Look at the rule's query and the events it evaluates (aperio_rule_run_duration_seconds).`,
        },
      ];
    });
  return { observations, suppressed: [] };
};

import { ruleDurationKey } from '../rule-durations';
import type { Check, Suppression } from '../types';
import { ruleSubject } from './rule-failing';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * An enabled rule whose p95 run duration within the window is above the threshold, judged on the real
 * durations of the runs that finished in the window (RuleRun, read by the engine each cycle), not on an
 * interpolation inside a histogram bucket: a p95 of 77.5 s is reported as 77.5 s, so one very slow run
 * in twenty is enough to show and the title's figure is one a run really took. Unreadable durations
 * make every rule unknown, never clear.
 */
export const ruleSlow: Check = ({ snapshot, config, ruleDurations }) => {
  const c = config.rule_slow;
  const rules = snapshot.rules.filter((r) => r.enabled);
  if (!ruleDurations) {
    const unknown: Suppression[] = rules.map((r) => ({
      check: 'aperio.platform.rule_slow',
      subject: ruleSubject(r),
      reason: 'run durations could not be read',
    }));
    return { observations: [], suppressed: [], unknown };
  }
  const minutes = Math.round(c.windowSeconds / 60);
  const observations = rules.flatMap((r) => {
    const facts = ruleDurations.get(ruleDurationKey(r.tenantId, r.ruleId));
    if (!facts || facts.runs < c.minRuns || facts.p95Ms <= c.p95Seconds * 1000) return [];
    return [
      {
        check: 'aperio.platform.rule_slow' as const,
        subject: ruleSubject(r),
        tenantId: r.tenantId,
        severity: c.severity,
        title: `Detection rule ${r.ruleName} is slow for ${r.tenant} (p95 ${seconds(facts.p95Ms)}, max ${seconds(facts.maxMs)})`,
        description:
          `The p95 duration of the ${facts.runs} runs of rule ${r.ruleKey} (${r.ruleId}) for tenant ${r.tenant} that finished in the last ${minutes} min is ` +
          `${seconds(facts.p95Ms)}, the longest ${seconds(facts.maxMs)} (threshold ${c.p95Seconds} s). ` +
          `Look at the rule's query and the events it evaluates (aperio_rule_run_duration_seconds).`,
      },
    ];
  });
  return { observations, suppressed: [] };
};

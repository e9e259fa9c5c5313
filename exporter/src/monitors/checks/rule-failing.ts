import type { RuleState } from '../../snapshot/types';
import type { Check, Suppression } from '../types';

export const ruleKey = (r: RuleState) => `rule:${r.tenantId}:${r.ruleId}`;
export const ruleSubject = ruleKey;

/**
 * An enabled rule whose failed runs within the window are above the ratio (with at least min_runs runs).
 * Until the counter history covers the whole window (a process that just started) a rule that is not
 * failing in what was seen is unknown, not clear.
 */
export const ruleFailing: Check = ({ snapshot, config, history }) => {
  const c = config.rule_failing;
  const unknown: Suppression[] = [];
  const observations = snapshot.rules
    .filter((r) => r.enabled)
    .flatMap((r) => {
      const delta = history.delta(ruleKey(r), snapshot.takenAt, c.windowSeconds * 1000, [r.totals.runs, r.totals.failures]);
      const [runs, failures] = delta?.deltas ?? [0, 0];
      if (!delta || runs < c.minRuns || failures / runs <= c.failureRatio) {
        if (!delta?.complete)
          unknown.push({ check: 'aperio.platform.rule_failing', subject: ruleSubject(r), reason: 'less history than the window' });
        return [];
      }
      const minutes = Math.round(delta.spanMs / 60_000);
      return [
        {
          check: 'aperio.platform.rule_failing' as const,
          subject: ruleSubject(r),
          tenantId: r.tenantId,
          severity: c.severity,
          title: `Detection rule ${r.ruleName} failed ${failures} of ${runs} runs for ${r.tenant}`,
          description:
            `${failures} of ${runs} runs of rule ${r.ruleKey} (${r.ruleId}) for tenant ${r.tenant} failed or timed out in the last ${minutes} min ` +
            `(threshold ${Math.round(c.failureRatio * 100)}%). Look at the rule's recent runs and their errors (/api/v1/rule-runs?status=FAILED).`,
        },
      ];
    });
  return { observations, suppressed: [], unknown };
};

import { connectorFailing } from './checks/connector-failing';
import { connectorStale } from './checks/connector-stale';
import { exporterStaleData } from './checks/exporter-stale';
import { ingestionBacklog } from './checks/ingestion-backlog';
import { ruleFailing, ruleKey } from './checks/rule-failing';
import { ruleSlow } from './checks/rule-slow';
import { scheduleMissed } from './checks/schedule-missed';
import { siemDeadLetter, siemKey } from './checks/siem-dead-letter';
import { checkKey, type MonitorsConfig } from './config';
import type { CounterHistory } from './history';
import type { RuleDurations } from './rule-durations';
import type { Snapshot } from '../snapshot/types';
import type { CheckName } from '../snapshot/platform-findings';
import type { Check, CheckResult } from './types';

/** Every check, by name; a new check is a new row here and in CHECKS. */
export const ALL_CHECKS: Record<CheckName, Check> = {
  'aperio.platform.connector_stale': connectorStale,
  'aperio.platform.connector_failing': connectorFailing,
  'aperio.platform.siem_dead_letter': siemDeadLetter,
  'aperio.platform.ingestion_backlog': ingestionBacklog,
  'aperio.platform.rule_failing': ruleFailing,
  'aperio.platform.rule_slow': ruleSlow,
  'aperio.platform.schedule_missed': scheduleMissed,
  'aperio.platform.exporter_stale_data': exporterStaleData,
};

/**
 * Runs the enabled checks: a pure function of the snapshot, the config, the clock, the counter history
 * and the rules' real run durations of rule_slow's window (null: they could not be read).
 */
export function evaluateChecks(
  snapshot: Snapshot,
  config: MonitorsConfig,
  now: number,
  history: CounterHistory,
  ruleDurations: RuleDurations | null = null,
): Required<CheckResult> {
  const out: Required<CheckResult> = { observations: [], suppressed: [], unknown: [] };
  for (const [name, check] of Object.entries(ALL_CHECKS) as [CheckName, Check][]) {
    if (!config[checkKey(name)].enabled) continue;
    const result = check({ snapshot, config, now, history, ruleDurations });
    out.observations.push(...result.observations);
    out.suppressed.push(...result.suppressed);
    out.unknown.push(...(result.unknown ?? []));
  }
  return out;
}

/** Records the cumulative counters of a snapshot, once per snapshot, after the checks have read the history. */
export function recordCounters(snapshot: Snapshot, config: MonitorsConfig, history: CounterHistory): void {
  const at = snapshot.takenAt;
  for (const d of snapshot.siemDestinations) history.record(siemKey(d.id), at, [d.deadLetters, d.deliveriesOk, d.deliveriesFail]);
  for (const r of snapshot.rules) {
    history.record(ruleKey(r), at, [r.totals.runs, r.totals.failures]);
  }
  const longest = Math.max(config.siem_dead_letter.windowSeconds, config.rule_failing.windowSeconds);
  history.prune(at, longest * 1000);
}

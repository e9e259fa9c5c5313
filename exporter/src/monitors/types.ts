import type { CheckName, Severity } from '../snapshot/platform-findings';
import type { Snapshot } from '../snapshot/types';
import type { MonitorsConfig } from './config';
import type { CounterHistory } from './history';
import type { RuleDurations } from './rule-durations';

/** One failing subject seen by one check in one evaluation. */
export interface Observation {
  check: CheckName;
  /** Stable id of what failed (a connector, destination, queue, rule); with the check it is the dedupKey. */
  subject: string;
  /** The tenant it concerns; null for the platform itself. */
  tenantId: string | null;
  severity: Severity;
  title: string;
  description: string;
  /** When the condition began according to the data (a missed slot); the finding is dated there. */
  since?: number;
}

/**
 * A subject whose condition cannot be judged this cycle (a schedule check while ingestion is
 * backlogged): its pending and open state is frozen rather than raised or cleared.
 */
export interface Suppression {
  check: CheckName;
  subject: string;
  reason: string;
}

export interface CheckResult {
  observations: Observation[];
  suppressed: Suppression[];
  /**
   * Subjects the check cannot judge yet (a windowed check with less history than its window, or data it
   * could not read): "unknown" is neither failing nor clear, so the engine neither opens nor resolves
   * their findings, and a restarted exporter leaves an open incident as it found it.
   */
  unknown?: Suppression[];
}

export interface CheckContext {
  snapshot: Snapshot;
  config: MonitorsConfig;
  now: number;
  /** Cumulative counters seen in previous evaluations, for deltas over a window. */
  history: CounterHistory;
  /** Real durations of each rule's runs within rule_slow's window, read from RuleRun; null when unreadable. */
  ruleDurations?: RuleDurations | null;
}

export type Check = (ctx: CheckContext) => CheckResult;

export const dedupKey = (check: CheckName, subject: string): string => `${check}:${subject}`;
export const iso = (ms: number): string => new Date(ms).toISOString();
export const ageText = (ms: number): string => {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};

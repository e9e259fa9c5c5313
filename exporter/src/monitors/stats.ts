import { CHECKS, type CheckName } from '../snapshot/platform-findings';

/**
 * The evaluator's own figures for /metrics. Metric families only see the snapshot, so the running
 * engine publishes its figures here (one engine per process).
 */
export interface MonitorStats {
  evaluations: number;
  evaluationFailures: number;
  leader: boolean;
  lastEvaluationAt: number | null;
  lastDurationSeconds: number;
  opened: number;
  resolved: number;
  suppressed: Record<CheckName, number>;
}

export const newStats = (): MonitorStats => ({
  evaluations: 0,
  evaluationFailures: 0,
  leader: false,
  lastEvaluationAt: null,
  lastDurationSeconds: 0,
  opened: 0,
  resolved: 0,
  suppressed: Object.fromEntries(CHECKS.map((c) => [c, 0])) as Record<CheckName, number>,
});

let active: MonitorStats | null = null;

export const publishStats = (stats: MonitorStats | null): void => {
  active = stats;
};
/** Null when no engine runs in this process (the self-metrics are then absent). */
export const activeStats = (): MonitorStats | null => active;

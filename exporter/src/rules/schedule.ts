import type { ConnectorState, RuleState } from '../snapshot/types';

/**
 * A scheduled job is missed when its last run is older than its interval plus a grace period: the slot
 * it should have served came and went with no run. A scheduled job that never ran counts as missed.
 * Cron schedules are evaluated by the self-monitoring checks; here only interval schedules count.
 */
export const SCHEDULE_GRACE_RATIO = 0.5;
export const SCHEDULE_GRACE_MIN_SECONDS = 60;

export function isOverdue(lastRunAt: number | null, intervalSeconds: number | null, now: number): boolean {
  if (!intervalSeconds) return false;
  if (lastRunAt === null) return true;
  const graceMs = Math.max(SCHEDULE_GRACE_MIN_SECONDS, intervalSeconds * SCHEDULE_GRACE_RATIO) * 1000;
  return now - lastRunAt > intervalSeconds * 1000 + graceMs;
}

export const ruleOverdue = (rule: RuleState, now: number) =>
  rule.enabled && isOverdue(rule.lastRunAt, rule.scheduleIntervalSeconds, now);

export const connectorOverdue = (c: ConnectorState, now: number) =>
  c.status === 'ACTIVE' && isOverdue(c.lastAttemptAt, c.syncIntervalSeconds, now);

import { ACTIVE_CONNECTOR } from '../connectors/connection-status';
import type { ConnectorState, RuleState, Snapshot } from '../snapshot/types';
import { missedSlot, type DueSlot } from './judge';
import { scheduleOf, type Schedule } from './schedule';
import type { ScheduleSettings } from '../snapshot/schedule-settings';

/**
 * The scheduled jobs of a snapshot: every enabled rule with a cron or interval schedule, once per tenant
 * it applies to, and every active connector with a sync interval. The metric, the finding and the status
 * page count these same jobs, judged by the same rule (judge.ts).
 */
export type JobKind = 'rule' | 'connector';

export interface ScheduledJob {
  kind: JobKind;
  tenantId: string;
  tenant: string;
  /** Stable across collections: the finding's subject. */
  subject: string;
  /** Human name for titles: `rule hourly_access_review (rule_review)`. */
  what: string;
  schedule: Schedule;
  recentServingRuns: readonly number[];
}

export const isScheduledRule = (r: RuleState) => r.enabled && (Boolean(r.scheduleCron) || (r.scheduleIntervalSeconds ?? 0) > 0);
export const isScheduledConnector = (c: ConnectorState) => c.status === ACTIVE_CONNECTOR && c.syncIntervalSeconds > 0;

export type InvalidSchedule = (rule: RuleState, error: Error) => void;

/** The rule's job in its tenant, or null when it is not scheduled or its cron cannot be read (then `onInvalid` hears why). */
export function ruleJob(r: RuleState, timezone: string, onInvalid: InvalidSchedule = () => undefined): ScheduledJob | null {
  if (!isScheduledRule(r)) return null;
  let schedule: Schedule | null;
  try {
    schedule = scheduleOf({ cron: r.scheduleCron, intervalSeconds: r.scheduleIntervalSeconds }, timezone);
  } catch (err) {
    onInvalid(r, err as Error);
    return null;
  }
  if (!schedule) return null;
  return {
    kind: 'rule',
    tenantId: r.tenantId,
    tenant: r.tenant,
    subject: `rule:${r.tenantId}:${r.ruleId}`,
    what: `rule ${r.ruleKey} (${r.ruleId})`,
    schedule,
    recentServingRuns: r.recentServingRuns,
  };
}

export function connectorJob(c: ConnectorState): ScheduledJob | null {
  if (!isScheduledConnector(c)) return null;
  return {
    kind: 'connector',
    tenantId: c.tenantId,
    tenant: c.tenant,
    subject: `connector:${c.id}`,
    what: `${c.provider} connection ${c.id}`,
    schedule: { kind: 'interval', periodMs: c.syncIntervalSeconds * 1000 },
    recentServingRuns: c.recentServingRuns,
  };
}

/** Every scheduled job of the given rules and connectors (a whole snapshot, or one tenant's part). */
export function* scheduledJobs(
  source: Pick<Snapshot, 'rules' | 'connectors' | 'scheduleSettings'>,
  onInvalid?: InvalidSchedule,
): Generator<ScheduledJob> {
  for (const r of source.rules) {
    const job = ruleJob(r, source.scheduleSettings.timezone, onInvalid);
    if (job) yield job;
  }
  for (const c of source.connectors) {
    const job = connectorJob(c);
    if (job) yield job;
  }
}

/** The job's missed latest due slot at `now`, or null when it was served or is not due. */
export const missedBy = (job: ScheduledJob, settings: ScheduleSettings, now: number): DueSlot | null =>
  missedSlot(job.schedule, settings, job.recentServingRuns, now);

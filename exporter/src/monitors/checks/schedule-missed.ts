import { logger } from '../../log';
import { describeSchedule } from '../../schedules/schedule';
import { missedBy, scheduledJobs, type ScheduledJob } from '../../schedules/jobs';
import type { DueSlot } from '../../schedules/judge';
import type { Observation, Suppression } from '../types';
import { iso, type Check } from '../types';
import { isBacklogged } from './ingestion-backlog';

const CHECK = 'aperio.platform.schedule_missed' as const;

/**
 * A scheduled job (schedules/jobs.ts) whose latest due slot no scheduler-started run served: the same
 * jobs and the same rule as aperio_scheduled_run_missed, the status page and /api/v1/schedules. The miss
 * is dated at that slot. While ingestion is backlogged (platform-wide or in the tenant, per
 * `suppress_during_backlog`) misses are suppressed, not raised: a stalled queue makes every job look
 * late, and the ingestion_backlog finding already says why.
 */
export const scheduleMissed: Check = ({ snapshot, config, now }) => {
  const c = config.schedule_missed;
  const settings = snapshot.scheduleSettings;
  const missed: { job: ScheduledJob; slot: DueSlot }[] = [];
  const invalid = (rule: { ruleId: string; scheduleCron: string | null }, err: Error) =>
    logger.warn(
      { ruleId: rule.ruleId, cron: rule.scheduleCron, err: err.message },
      'schedule_missed: cannot parse the rule schedule; skipped',
    );
  for (const job of scheduledJobs(snapshot, invalid)) {
    const slot = missedBy(job, settings, now);
    if (slot) missed.push({ job, slot });
  }

  const backlogged = snapshot.ingestion.filter((q) => isBacklogged(q, config, now));
  const suppressedTenants = new Set(backlogged.map((q) => q.tenantId));
  const isSuppressed = (job: ScheduledJob) =>
    c.suppressDuringBacklog === 'platform'
      ? backlogged.length > 0
      : c.suppressDuringBacklog === 'tenant' && suppressedTenants.has(job.tenantId);
  const reason = `ingestion backlogged (${backlogged.map((q) => `${q.tenant}/${q.kind}`).join(', ')})`;

  const observations: Observation[] = [];
  const suppressed: Suppression[] = [];
  for (const { job, slot } of missed) {
    if (isSuppressed(job)) {
      suppressed.push({ check: CHECK, subject: job.subject, reason });
      continue;
    }
    const lastRun = job.recentServingRuns.length ? iso(Math.max(...job.recentServingRuns)) : 'never';
    observations.push({
      check: CHECK,
      subject: job.subject,
      tenantId: job.tenantId,
      severity: c.severity,
      since: slot.at,
      title: `Scheduled run missed: ${job.what} for ${job.tenant} at ${iso(slot.at)}`,
      description:
        `${job.what} for tenant ${job.tenant} is scheduled ${describeSchedule(job.schedule)}; the slot at ${iso(slot.at)} passed its grace of ` +
        `${Math.round(slot.graceMs / 1000)} s with no scheduler-started run (latest scheduled run for ${lastRun}). ` +
        `Look at the scheduler and the job's recent runs (/api/v1/schedules).`,
    });
  }
  return { observations, suppressed };
};

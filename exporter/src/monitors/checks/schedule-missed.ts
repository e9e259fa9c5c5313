import { logger } from '../../log';
import type { Observation, Suppression } from '../types';
import { iso, type Check } from '../types';
import { ACTIVE_CONNECTOR } from './connector-stale';
import { isBacklogged } from './ingestion-backlog';
import { dueCronSlot, dueIntervalSlot, earlyToleranceMs, type DueSlot } from './schedule-slots';

const CHECK = 'aperio.platform.schedule_missed' as const;

interface Candidate {
  subject: string;
  tenantId: string;
  tenant: string;
  what: string;
  lastRunAt: number | null;
  slot: DueSlot;
}

/**
 * A scheduled rule (cron with time zone, or interval) or an active connector (interval) with no run for
 * its latest due slot. The miss is dated at that slot. While ingestion is backlogged (platform-wide or
 * in the tenant, per `suppress_during_backlog`) misses are suppressed, not raised: a stalled queue makes
 * every job look late, and the ingestion_backlog finding already says why.
 */
export const scheduleMissed: Check = ({ snapshot, config, now }) => {
  const c = config.schedule_missed;
  const candidates: Candidate[] = [];
  for (const r of snapshot.rules) {
    if (!r.enabled) continue;
    let slot: DueSlot | null = null;
    try {
      if (r.scheduleCron) slot = dueCronSlot(r.scheduleCron, c.timezone, now, c.graceSeconds);
      else if (r.scheduleIntervalSeconds) slot = dueIntervalSlot(r.lastRunAt, r.scheduleIntervalSeconds, now, c.graceSeconds);
    } catch (err) {
      logger.warn({ ruleId: r.ruleId, cron: r.scheduleCron, err: (err as Error).message }, 'schedule_missed: cannot parse the rule schedule; skipped');
    }
    if (slot) candidates.push({ subject: `rule:${r.tenantId}:${r.ruleId}`, tenantId: r.tenantId, tenant: r.tenant, what: `rule ${r.ruleKey} (${r.ruleId})`, lastRunAt: r.lastRunAt, slot });
  }
  for (const conn of snapshot.connectors) {
    if (conn.status !== ACTIVE_CONNECTOR || !conn.syncIntervalSeconds) continue;
    const slot = dueIntervalSlot(conn.lastAttemptAt, conn.syncIntervalSeconds, now, c.graceSeconds);
    if (slot) candidates.push({ subject: `connector:${conn.id}`, tenantId: conn.tenantId, tenant: conn.tenant, what: `${conn.provider} connection ${conn.id}`, lastRunAt: conn.lastAttemptAt, slot });
  }
  const missed = candidates.filter((m) => m.lastRunAt === null || m.lastRunAt < m.slot.slotAt - earlyToleranceMs(m.slot.graceMs));

  const backlogged = snapshot.ingestion.filter((q) => isBacklogged(q, config, now));
  const suppressedTenants = new Set(backlogged.map((q) => q.tenantId));
  const isSuppressed = (m: Candidate) =>
    c.suppressDuringBacklog === 'platform' ? backlogged.length > 0 : c.suppressDuringBacklog === 'tenant' && suppressedTenants.has(m.tenantId);
  const reason = `ingestion backlogged (${backlogged.map((q) => `${q.tenant}/${q.kind}`).join(', ')})`;

  const observations: Observation[] = [];
  const suppressed: Suppression[] = [];
  for (const m of missed) {
    if (isSuppressed(m)) {
      suppressed.push({ check: CHECK, subject: m.subject, reason });
      continue;
    }
    observations.push({
      check: CHECK,
      subject: m.subject,
      tenantId: m.tenantId,
      severity: c.severity,
      since: m.slot.slotAt,
      title: `Scheduled run missed: ${m.what} for ${m.tenant} at ${iso(m.slot.slotAt)}`,
      description:
        `${m.what} for tenant ${m.tenant} is scheduled ${m.slot.schedule}; the slot at ${iso(m.slot.slotAt)} passed its grace of ` +
        `${Math.round(m.slot.graceMs / 1000)} s with no run (last run ${m.lastRunAt === null ? 'never' : iso(m.lastRunAt)}). ` +
        `Look at the scheduler and the job's recent runs.`,
    });
  }
  return { observations, suppressed };
};

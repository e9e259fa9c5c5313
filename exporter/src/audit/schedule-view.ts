import { isoOrNull } from '../api/instant';
import type { JudgedSlot } from '../schedules/judge';
import type { ScheduleSettings } from '../snapshot/schedule-settings';
import type { Planned } from './schedule-plan';
import type { RunRow } from './schedule-reads';

function runView(run: RunRow) {
  return {
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    scheduledFor: isoOrNull(run.scheduledFor),
    startedAt: isoOrNull(run.startedAt),
    finishedAt: isoOrNull(run.finishedAt),
    durationMs: run.durationMs,
  };
}

/** One job of the answer (the Schedule schema of the OpenAPI document). */
export function jobView(p: Planned, slots: JudgedSlot<RunRow>[], settings: ScheduleSettings) {
  const { job } = p;
  const counts = { ran: 0, missed: 0, pending: 0 };
  for (const slot of slots) counts[slot.state] += 1;
  const fallbackGrace =
    p.schedule?.kind === 'interval' ? (settings.graceSeconds ?? Math.max(60, p.schedule.periodMs / 2000)) : (settings.graceSeconds ?? 0);
  return {
    kind: job.kind,
    tenant: job.tenant,
    id: job.id,
    key: job.key,
    name: job.name,
    provider: job.provider,
    schedule: job.cron
      ? { cron: job.cron, timezone: settings.timezone, intervalSeconds: null }
      : { cron: null, timezone: null, intervalSeconds: job.intervalSeconds },
    graceSeconds: Math.round(slots.length ? slots[slots.length - 1].graceMs / 1000 : fallbackGrace),
    error: p.error,
    counts,
    slots: slots.map((slot) => ({ at: isoOrNull(slot.at), state: slot.state, run: slot.run ? runView(slot.run) : null })),
  };
}

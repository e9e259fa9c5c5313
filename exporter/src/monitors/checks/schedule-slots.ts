import { CronExpressionParser } from 'cron-parser';

/**
 * The slot a scheduled job should have served by `now`, Healthchecks/Sentry Crons style: the latest
 * expected start whose grace period has already passed. Null when no slot is due yet.
 */
export interface DueSlot {
  slotAt: number;
  graceMs: number;
  /** Human description of the schedule, for the finding. */
  schedule: string;
}

const MIN_GRACE_MS = 60_000;
const defaultGrace = (periodMs: number) => Math.max(MIN_GRACE_MS, periodMs / 2);

export function dueCronSlot(expression: string, timezone: string, now: number, graceSeconds: number | null): DueSlot | null {
  const cron = CronExpressionParser.parse(expression, { currentDate: new Date(now), tz: timezone });
  const slots: number[] = [];
  // Walk back from now: the newest slot is often still inside its grace period, the one before is due.
  for (let i = 0; i < 50 && cron.hasPrev(); i++) {
    slots.push(cron.prev().getTime());
    if (slots.length < 2) continue;
    const graceMs = graceSeconds !== null ? graceSeconds * 1000 : defaultGrace(slots[0] - slots[1]);
    const due = slots.find((slot) => now - slot >= graceMs);
    if (due !== undefined) return { slotAt: due, graceMs, schedule: `cron '${expression}' in ${timezone}` };
  }
  return null;
}

export function dueIntervalSlot(lastRunAt: number | null, intervalSeconds: number, now: number, graceSeconds: number | null): DueSlot | null {
  if (lastRunAt === null) return null;
  const periodMs = intervalSeconds * 1000;
  const graceMs = graceSeconds !== null ? graceSeconds * 1000 : defaultGrace(periodMs);
  const slotAt = lastRunAt + periodMs;
  return now - slotAt >= graceMs ? { slotAt, graceMs, schedule: `every ${intervalSeconds} s` } : null;
}

/** A run a little before its slot (clock skew, a scheduler that starts early) still serves it. */
export const earlyToleranceMs = (graceMs: number) => Math.min(MIN_GRACE_MS, graceMs / 4);

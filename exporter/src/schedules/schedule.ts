import { CronExpressionParser } from 'cron-parser';

/**
 * When a job is expected to start. Interval schedules start on multiples of the interval since the Unix
 * epoch (UTC), whatever the job's history; cron schedules at the expression's times in a time zone.
 * Both are fixed grids, so a slot exists whether or not anything ran, and jitter never moves it.
 */
export type Schedule = { kind: 'interval'; periodMs: number } | { kind: 'cron'; expression: string; timezone: string };

/** What a job's row says about its schedule: a cron expression wins over an interval. */
export interface ScheduleSource {
  intervalSeconds: number | null;
  cron: string | null;
}

/** The job's schedule, or null when it has none (no cron and no positive interval). Throws on a bad cron. */
export function scheduleOf(source: ScheduleSource, timezone: string): Schedule | null {
  if (source.cron) {
    validateCron(source.cron, timezone); // so that every later call can trust the expression
    return { kind: 'cron', expression: source.cron, timezone };
  }
  if (source.intervalSeconds && source.intervalSeconds > 0) return { kind: 'interval', periodMs: source.intervalSeconds * 1000 };
  return null;
}

// Thousands of tenants share a few expressions: each is parsed once (the map is bounded by clearing).
const cronErrors = new Map<string, Error | null>();
function validateCron(expression: string, timezone: string): void {
  const key = `${expression}\u0000${timezone}`;
  let error = cronErrors.get(key);
  if (error === undefined) {
    try {
      CronExpressionParser.parse(expression, { tz: timezone }).next();
      error = null;
    } catch (err) {
      error = err as Error;
    }
    if (cronErrors.size >= 10_000) cronErrors.clear();
    cronErrors.set(key, error);
  }
  if (error) throw error;
}

export function describeSchedule(schedule: Schedule): string {
  return schedule.kind === 'cron' ? `cron '${schedule.expression}' in ${schedule.timezone}` : `every ${schedule.periodMs / 1000} s`;
}

const cronFrom = (schedule: Extract<Schedule, { kind: 'cron' }>, at: number) =>
  CronExpressionParser.parse(schedule.expression, { currentDate: new Date(at), tz: schedule.timezone });

/** The latest slot at or before `t`. */
export function slotAtOrBefore(schedule: Schedule, t: number): number {
  if (schedule.kind === 'interval') return Math.floor(t / schedule.periodMs) * schedule.periodMs;
  return cronFrom(schedule, t + 1)
    .prev()
    .getTime();
}

/** The first slot strictly after `t`. */
export function slotAfter(schedule: Schedule, t: number): number {
  if (schedule.kind === 'interval') return (Math.floor(t / schedule.periodMs) + 1) * schedule.periodMs;
  return cronFrom(schedule, t).next().getTime();
}

/** The slot strictly before `t`. */
export function slotBefore(schedule: Schedule, t: number): number {
  if (schedule.kind === 'interval') return (Math.ceil(t / schedule.periodMs) - 1) * schedule.periodMs;
  return cronFrom(schedule, t).prev().getTime();
}

/**
 * Slots in [fromMs, toMs) with one slot on each side (`before`, `after`), which the matcher needs to
 * know where the first and last slots' catchments end. `null` when more than `cap` slots fall inside.
 */
export function slotsAround(
  schedule: Schedule,
  fromMs: number,
  toMs: number,
  cap: number,
): { before: number; slots: number[]; after: number } | null {
  const before = slotBefore(schedule, fromMs);
  const slots: number[] = [];
  let at = slotAfter(schedule, before);
  while (at < toMs) {
    if (slots.length >= cap) return null;
    slots.push(at);
    at = slotAfter(schedule, at);
  }
  return { before, slots, after: at };
}

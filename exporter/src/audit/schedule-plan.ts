import { badRequest } from '../api/errors';
import { judgeSlots, type JudgedSlot } from '../schedules/judge';
import { referenceTime } from '../schedules/runs';
import { scheduleOf, slotAfter, slotBefore, type Schedule } from '../schedules/schedule';
import type { ScheduleSettings } from '../snapshot/schedule-settings';
import { jobKey, type JobRow, type RunRow } from './schedule-reads';

/** More slots than this in one answer means the window or the filters are too wide to be useful. */
export const MAX_SLOTS = 20_000;

export interface Planned {
  job: JobRow;
  schedule: Schedule | null;
  error: string | null;
  /** The reference times that can serve a slot of the window. */
  reach: { from: number; to: number } | null;
}

export interface SlotWindow {
  fromMs: number;
  toMs: number;
  now: number;
}

/** Each job's schedule and the span of reference times its window's slots can be served by. */
export function plan(jobs: readonly JobRow[], settings: ScheduleSettings, fromMs: number, toMs: number): Planned[] {
  return jobs.map((job) => {
    try {
      const schedule = scheduleOf(job, settings.timezone);
      if (!schedule) return { job, schedule, error: null, reach: null };
      const first = slotAfter(schedule, fromMs - 1);
      const last = slotBefore(schedule, toMs);
      return { job, schedule, error: null, reach: { from: slotBefore(schedule, first), to: slotAfter(schedule, last) } };
    } catch (err) {
      return { job, schedule: null, error: `the schedule cannot be read: ${(err as Error).message}`, reach: null };
    }
  });
}

/** Counts the slots first (cheap, no runs), so that an oversized request is refused before any run is read. */
export function refuseTooManySlots(planned: readonly Planned[], settings: ScheduleSettings, window: SlotWindow): void {
  let total = 0;
  for (const p of planned) {
    if (!p.schedule) continue;
    const slots = judgeSlots(p.schedule, settings, [], () => 0, { ...window, cap: MAX_SLOTS - total });
    if (!slots) {
      throw badRequest(
        'from',
        `the window holds more than ${MAX_SLOTS} expected slots; narrow from..to or filter by tenant, kind, rule or connector`,
        'window_too_long',
      );
    }
    total += slots.length;
  }
}

const reference = (run: RunRow) => referenceTime({ scheduledFor: run.scheduledFor?.getTime() ?? null, startedAt: run.startedAt.getTime() });

/** Each planned job's slots in the window, with the run that served each (runs keyed by jobKey). */
export function judgePlanned(
  planned: readonly Planned[],
  settings: ScheduleSettings,
  runsOf: ReadonlyMap<string, RunRow[]>,
  window: SlotWindow,
): Map<Planned, JudgedSlot<RunRow>[]> {
  const judged = new Map<Planned, JudgedSlot<RunRow>[]>();
  for (const p of planned) {
    if (!p.schedule) continue;
    const runs = runsOf.get(jobKey(p.job.kind, p.job.tenantId, p.job.id)) ?? [];
    // refuseTooManySlots has bounded the total, so the cap is never reached here.
    judged.set(p, judgeSlots(p.schedule, settings, runs, reference, { ...window, cap: MAX_SLOTS }) ?? []);
  }
  return judged;
}

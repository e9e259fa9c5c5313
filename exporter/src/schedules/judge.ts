import { graceMs, type ScheduleSettings } from './settings';
import { slotAfter, slotAtOrBefore, slotBefore, slotsAround, type Schedule } from './schedule';

/**
 * Matching runs to slots, and judging slots: the one rule behind the metric, the finding, the status
 * page and the schedules API.
 *
 * A run serves the one slot nearest its reference time (runs.ts): each slot's catchment reaches half-way
 * to its neighbours, so jitter, early starts and late starts of up to half a period all land on the
 * slot they were meant for, and a run never serves two slots. A tie half-way goes to the later slot.
 * A slot served by no run is `missed` once its grace (settings.ts) has passed, `pending` before.
 */
export type SlotState = 'ran' | 'missed' | 'pending';

export interface JudgedSlot<R> {
  at: number;
  graceMs: number;
  state: SlotState;
  /** The serving run nearest the slot (the earliest of equally near ones); null when none served it. */
  run: R | null;
}

/** [from, to) of reference times that serve `slot`, given its neighbours. */
export function catchment(previous: number, slot: number, next: number): { from: number; to: number } {
  return { from: slot - (slot - previous) / 2, to: slot + (next - slot) / 2 };
}

const stateOf = (served: boolean, slot: number, grace: number, now: number): SlotState =>
  served ? 'ran' : now >= slot + grace ? 'missed' : 'pending';

/**
 * Every slot in [fromMs, toMs), each with the run that served it. `runs` are serving runs with their
 * reference times, in any order. Null when the window holds more than `cap` slots.
 */
export function judgeSlots<R>(
  schedule: Schedule,
  settings: ScheduleSettings,
  runs: readonly R[],
  referenceOf: (run: R) => number,
  window: { fromMs: number; toMs: number; now: number; cap: number },
): JudgedSlot<R>[] | null {
  const around = slotsAround(schedule, window.fromMs, window.toMs, window.cap);
  if (!around) return null;
  const grid = [around.before, ...around.slots, around.after];
  const servedBy = new Map<number, R>();
  const sorted = runs.map((run) => ({ run, ref: referenceOf(run) })).sort((a, b) => a.ref - b.ref);
  let i = 1; // grid[i] is the slot whose catchment is being filled
  for (const { run, ref } of sorted) {
    while (i < grid.length - 1 && ref >= catchment(grid[i - 1], grid[i], grid[i + 1]).to) i++;
    if (i >= grid.length - 1) break;
    const { from, to } = catchment(grid[i - 1], grid[i], grid[i + 1]);
    if (ref < from || ref >= to) continue;
    const current = servedBy.get(grid[i]);
    if (current === undefined || Math.abs(ref - grid[i]) < Math.abs(referenceOf(current) - grid[i])) servedBy.set(grid[i], run);
  }
  return around.slots.map((at, k) => {
    const grace = graceMs(settings, grid[k + 2] - at);
    const run = servedBy.get(at) ?? null;
    return { at, graceMs: grace, state: stateOf(run !== null, at, grace, window.now), run };
  });
}

export interface DueSlot {
  at: number;
  graceMs: number;
  /** The reference times that would serve it. */
  catchment: { from: number; to: number };
}

/** The latest slot whose grace has passed at `now`: the one a job is judged by. */
export function latestDueSlot(schedule: Schedule, settings: ScheduleSettings, now: number): DueSlot {
  let slot = slotAtOrBefore(schedule, now);
  let next = slotAfter(schedule, slot);
  // A short grace leaves the newest slot due; a longer one means walking back. Grace is at most what is
  // configured or half a period, so a handful of steps always suffices; the bound guards odd crons.
  for (let step = 0; step < 1000 && now < slot + graceMs(settings, next - slot); step++) {
    next = slot;
    slot = slotBefore(schedule, slot);
  }
  return { at: slot, graceMs: graceMs(settings, next - slot), catchment: catchment(slotBefore(schedule, slot), slot, next) };
}

/** How many of a job's latest serving runs the snapshot keeps to judge its latest due slot. */
export const RECENT_SERVING_RUNS = 8;

/**
 * The job's latest due slot when no run served it, else null. `recentReferences` are the reference
 * times of the job's RECENT_SERVING_RUNS latest serving runs: if all of them are newer than the slot's
 * catchment, runs for later slots crowded out the ones that served it, and the slot is taken as served.
 * A job that never ran has missed its latest due slot.
 */
export function missedSlot(
  schedule: Schedule,
  settings: ScheduleSettings,
  recentReferences: readonly number[],
  now: number,
): DueSlot | null {
  const due = sharedDueSlot(schedule, settings, now);
  const served = recentReferences.some((ref) => ref >= due.catchment.from && ref < due.catchment.to);
  const crowdedOut = recentReferences.length >= RECENT_SERVING_RUNS && recentReferences.every((ref) => ref >= due.catchment.to);
  return served || crowdedOut ? null : due;
}

// Built-in rules share one schedule across thousands of tenants: a cron's due slot is worked out once per `now`.
const dueSlots = { now: NaN, bySchedule: new Map<string, DueSlot>() };
function sharedDueSlot(schedule: Schedule, settings: ScheduleSettings, now: number): DueSlot {
  if (schedule.kind === 'interval') return latestDueSlot(schedule, settings, now);
  if (dueSlots.now !== now) {
    dueSlots.now = now;
    dueSlots.bySchedule.clear();
  }
  const key = `${schedule.expression}\u0000${schedule.timezone}\u0000${settings.graceSeconds}`;
  let due = dueSlots.bySchedule.get(key);
  if (!due) dueSlots.bySchedule.set(key, (due = latestDueSlot(schedule, settings, now)));
  return due;
}

import { catchment, judgeSlots, latestDueSlot, missedSlot, RECENT_SERVING_RUNS } from '../../src/schedules/judge';
import { referenceTime, servesSlots } from '../../src/schedules/runs';
import { scheduleOf, slotsAround, type Schedule } from '../../src/schedules/schedule';
import { DEFAULT_SCHEDULE_SETTINGS, graceMs } from '../../src/schedules/settings';

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const hourly: Schedule = { kind: 'interval', periodMs: HOUR };
const settings = DEFAULT_SCHEDULE_SETTINGS;

interface Run {
  id: string;
  trigger: string;
  scheduledFor: number | null;
  startedAt: number;
}
const run = (id: string, startedAt: number, scheduledFor: number | null = null, trigger = 'SCHEDULE'): Run => ({
  id,
  trigger,
  scheduledFor,
  startedAt,
});
const judge = (schedule: Schedule, runs: Run[], fromMs: number, toMs: number, now: number) =>
  judgeSlots(schedule, settings, runs.filter(servesSlots), referenceTime, { fromMs, toMs, now, cap: 1000 })!.map((s) => ({
    at: new Date(s.at).toISOString().slice(11, 16),
    state: s.state,
    run: s.run?.id ?? null,
  }));

describe('slots', () => {
  it('interval slots are multiples of the interval since the epoch, whatever the window', () => {
    const around = slotsAround(hourly, T0 + 20 * MIN, T0 + 3 * HOUR + 20 * MIN, 100)!;
    expect(around.slots).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(around.before).toBe(T0);
    expect(around.after).toBe(T0 + 4 * HOUR);
    expect(slotsAround(hourly, T0, T0 + 10 * HOUR, 5)).toBeNull();
  });

  it('cron slots follow the time zone across a daylight-saving change', () => {
    // Europe/Berlin springs forward on 2026-03-29: 09:00 local is 08:00 UTC before and 07:00 UTC after.
    const daily = scheduleOf({ cron: '0 9 * * *', intervalSeconds: null }, 'Europe/Berlin')!;
    const around = slotsAround(daily, Date.parse('2026-03-28T00:00:00Z'), Date.parse('2026-03-30T00:00:00Z'), 10)!;
    expect(around.slots.map((s) => new Date(s).toISOString())).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });

  it('a cron expression wins over an interval, and a bad one is refused', () => {
    expect(scheduleOf({ cron: '0 * * * *', intervalSeconds: 300 }, 'UTC')).toEqual({
      kind: 'cron',
      expression: '0 * * * *',
      timezone: 'UTC',
    });
    expect(scheduleOf({ cron: null, intervalSeconds: 0 }, 'UTC')).toBeNull();
    expect(() => scheduleOf({ cron: 'not a cron', intervalSeconds: null }, 'UTC')).toThrow();
  });

  it('grace is half the period, at least a minute, unless configured', () => {
    expect(graceMs(settings, HOUR)).toBe(30 * MIN);
    expect(graceMs(settings, MIN)).toBe(MIN);
    expect(graceMs({ timezone: 'UTC', graceSeconds: 600 }, HOUR)).toBe(10 * MIN);
  });
});

describe('matching runs to slots', () => {
  const now = T0 + 10 * HOUR;
  const window = [T0 + HOUR, T0 + 5 * HOUR] as const;

  it('jitter and early starts land on the slot they were meant for', () => {
    const runs = [
      run('late', T0 + HOUR + 40_000),
      run('early', T0 + 2 * HOUR - 40_000),
      run('half-late', T0 + 3 * HOUR + 29 * MIN),
      run('named', T0 + 4 * HOUR + 50 * MIN, T0 + 4 * HOUR),
    ];
    expect(judge(hourly, runs, ...window, now)).toEqual([
      { at: '01:00', state: 'ran', run: 'late' },
      { at: '02:00', state: 'ran', run: 'early' },
      { at: '03:00', state: 'ran', run: 'half-late' },
      { at: '04:00', state: 'ran', run: 'named' },
    ]);
  });

  it('a run serves one slot only: two slots and one run between them leave one missed', () => {
    const runs = [run('between', T0 + HOUR + 20 * MIN)];
    expect(judge(hourly, runs, T0 + HOUR, T0 + 3 * HOUR, now)).toEqual([
      { at: '01:00', state: 'ran', run: 'between' },
      { at: '02:00', state: 'missed', run: null },
    ]);
  });

  it('a tie half-way goes to the later slot', () => {
    expect(judge(hourly, [run('tie', T0 + HOUR + 30 * MIN)], T0 + HOUR, T0 + 3 * HOUR, now)).toEqual([
      { at: '01:00', state: 'missed', run: null },
      { at: '02:00', state: 'ran', run: 'tie' },
    ]);
  });

  it('manual and event runs never serve a slot; failed or skipped scheduled ones do', () => {
    const runs = [run('manual', T0 + HOUR, null, 'MANUAL'), run('event', T0 + 2 * HOUR, null, 'EVENT'), run('skipped', T0 + 3 * HOUR)];
    expect(judge(hourly, runs, T0 + HOUR, T0 + 4 * HOUR, now).map((s) => s.state)).toEqual(['missed', 'missed', 'ran']);
  });

  it('of several runs for one slot the nearest is shown, and the slot counts once', () => {
    const runs = [run('retry', T0 + HOUR + 10 * MIN), run('first', T0 + HOUR + MIN), run('again', T0 + HOUR + 5 * MIN)];
    expect(judge(hourly, runs, T0 + HOUR, T0 + 2 * HOUR, now)).toEqual([{ at: '01:00', state: 'ran', run: 'first' }]);
  });

  it('a slot inside its grace is pending, after it missed', () => {
    const at = T0 + HOUR;
    expect(judge(hourly, [], at, at + 1, at + 29 * MIN)[0].state).toBe('pending');
    expect(judge(hourly, [], at, at + 1, at + 30 * MIN)[0].state).toBe('missed');
  });

  it('catchments reach half-way to the neighbours, also for uneven cron gaps', () => {
    expect(catchment(T0, T0 + 8 * HOUR, T0 + 10 * HOUR)).toEqual({ from: T0 + 4 * HOUR, to: T0 + 9 * HOUR });
    const twiceDaily = scheduleOf({ cron: '0 9,17 * * *', intervalSeconds: null }, 'UTC')!;
    const day = Date.parse('2026-03-02T00:00:00Z');
    // 12:59 belongs to 09:00 (the half-way point to 17:00 is 13:00); 13:00 to 17:00.
    const runs = [run('a', day + 12 * HOUR + 59 * MIN), run('b', day + 13 * HOUR)];
    expect(judge(twiceDaily, runs, day, day + 24 * HOUR, day + 30 * HOUR)).toEqual([
      { at: '09:00', state: 'ran', run: 'a' },
      { at: '17:00', state: 'ran', run: 'b' },
    ]);
  });
});

describe('the latest due slot: what the metric, the finding and the status page judge', () => {
  it('is the newest slot whose grace has passed', () => {
    expect(latestDueSlot(hourly, settings, T0 + 5 * HOUR + 29 * MIN).at).toBe(T0 + 4 * HOUR);
    expect(latestDueSlot(hourly, settings, T0 + 5 * HOUR + 30 * MIN).at).toBe(T0 + 5 * HOUR);
    const berlin = scheduleOf({ cron: '0 9 * * *', intervalSeconds: null }, 'Europe/Berlin')!;
    // 09:45 in Berlin in summer is 07:45 UTC; with a 10 min grace the 09:00 slot (07:00 UTC) is due.
    expect(latestDueSlot(berlin, { timezone: 'Europe/Berlin', graceSeconds: 600 }, Date.parse('2025-07-01T07:45:00Z')).at).toBe(
      Date.parse('2025-07-01T07:00:00Z'),
    );
  });

  it('is missed when no recent serving run sits in its catchment, and when the job never ran', () => {
    const now = T0 + 5 * HOUR + 40 * MIN; // latest due: 05:00
    expect(missedSlot(hourly, settings, [T0 + 5 * HOUR + 20_000, T0 + 4 * HOUR], now)).toBeNull();
    expect(missedSlot(hourly, settings, [T0 + 4 * HOUR - 30_000], now)?.at).toBe(T0 + 5 * HOUR);
    expect(missedSlot(hourly, settings, [], now)?.at).toBe(T0 + 5 * HOUR);
    // Jitter before the slot still serves it.
    expect(missedSlot(hourly, settings, [T0 + 5 * HOUR - 40_000], now)).toBeNull();
  });

  it('is taken as served when runs of later slots crowd its runs out of the recent list', () => {
    const now = T0 + 5 * HOUR + 40 * MIN;
    const later = Array.from({ length: RECENT_SERVING_RUNS }, (_, i) => T0 + 5 * HOUR + 31 * MIN + i * 1000);
    expect(missedSlot(hourly, settings, later, now)).toBeNull();
    expect(missedSlot(hourly, settings, later.slice(1), now)?.at).toBe(T0 + 5 * HOUR);
  });
});

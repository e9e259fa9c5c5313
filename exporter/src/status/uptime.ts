import { HISTORY_DAYS, type StatusHistory } from './history-types';
import type { ComponentStatus } from './levels';
import type { StatusComponent } from './model';

/** One cell of a 90-day bar. `uptime` is the share of runs that did not fail; null on a day without runs. */
export interface UptimeDay {
  date: string;
  runs: number;
  failures: number;
  uptime: number | null;
  status: ComponentStatus | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** A day's colour from its uptime: documented in docs/status.md next to the component thresholds. */
export function dayStatus(uptime: number): ComponentStatus {
  if (uptime >= 0.995) return 'operational';
  if (uptime >= 0.95) return 'degraded_performance';
  if (uptime >= 0.8) return 'partial_outage';
  return 'major_outage';
}

/** The 90 days up to `at` of a component, from the history its view was judged with (null: not readable). */
export function uptimeDays(at: number, history: StatusHistory | null, c: StatusComponent): UptimeDay[] {
  const today = Math.floor(at / DAY_MS) * DAY_MS;
  const counts = new Map<string, { runs: number; failures: number }>();
  if (c.history && history) {
    for (const d of history.days) {
      if (d.source === c.history.source && d.key === c.history.key) counts.set(d.day, d);
    }
  }
  const out: UptimeDay[] = [];
  for (let i = HISTORY_DAYS - 1; i >= 0; i--) {
    const date = new Date(today - i * DAY_MS).toISOString().slice(0, 10);
    const count = counts.get(date);
    if (count && count.runs > 0) {
      const uptime = 1 - count.failures / count.runs;
      out.push({ date, runs: count.runs, failures: count.failures, uptime, status: dayStatus(uptime) });
    } else {
      out.push({ date, runs: 0, failures: 0, uptime: null, status: null });
    }
  }
  // Components without run history still show what they are now on today's cell.
  const last = out[out.length - 1]!;
  if (!c.history || last.status === null) last.status = c.status;
  return out;
}

/** Run-weighted uptime over the days with runs; null when there were none. */
export function overallUptime(days: readonly UptimeDay[]): number | null {
  const runs = days.reduce((sum, d) => sum + d.runs, 0);
  if (!runs) return null;
  return 1 - days.reduce((sum, d) => sum + d.failures, 0) / runs;
}

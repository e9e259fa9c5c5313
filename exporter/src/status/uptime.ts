import { HISTORY_DAYS, type StatusHistory } from '../snapshot/status-history';
import { worst, type ComponentStatus } from './levels';
import type { StatusComponent } from './model-types';
import type { StatusThresholds } from '../snapshot/status-config';

/** One cell of a 90-day bar. `uptime` is the share of runs that did not fail; null on a day without runs. */
export interface UptimeDay {
  date: string;
  runs: number;
  failures: number;
  uptime: number | null;
  status: ComponentStatus | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * A day's colour from its failure ratio, by the same thresholds that judge a component's recent runs
 * (judge.ts recentRatio), so a bar never shows a day worse or better than the component would be.
 */
export function dayStatus(runs: number, failures: number, t: StatusThresholds): ComponentStatus {
  const ratio = failures / runs;
  if (ratio >= 1) return 'major_outage';
  if (ratio >= t.failureRatioMajor) return 'partial_outage';
  if (ratio >= t.failureRatioMinor) return 'degraded_performance';
  return 'operational';
}

/** The 90 days up to `at` of a component, from the history its view was judged with (null: not readable). */
export function uptimeDays(at: number, history: StatusHistory | null, c: StatusComponent, t: StatusThresholds): UptimeDay[] {
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
      out.push({ date, runs: count.runs, failures: count.failures, uptime, status: dayStatus(count.runs, count.failures, t) });
    } else {
      out.push({ date, runs: 0, failures: 0, uptime: null, status: null });
    }
  }
  // Today's cell shows at least what the component is now: an outage never sits beside a green today.
  const last = out[out.length - 1]!;
  last.status = !c.history || last.status === null ? c.status : worst([last.status, c.status]);
  return out;
}

/** Run-weighted uptime over the days with runs; null when there were none. */
export function overallUptime(days: readonly UptimeDay[]): number | null {
  const runs = days.reduce((sum, d) => sum + d.runs, 0);
  if (!runs) return null;
  return 1 - days.reduce((sum, d) => sum + d.failures, 0) / runs;
}

/**
 * What the status page needs from run history, read by the status collector (status/collect.ts).
 * Days are UTC calendar days `YYYY-MM-DD`. Aggregated by provider (connectors) or for all rules: the
 * status page never shows tenants or individual connectors, so the snapshot does not carry them here.
 */
export type HistorySource = 'connector' | 'rule';

export interface DailyRunCount {
  source: HistorySource;
  /** The connector provider; `*` for rules (one component for all detection rules). */
  key: string;
  day: string;
  runs: number;
  failures: number;
}

export interface RecentRunCount {
  source: HistorySource;
  key: string;
  runs: number;
  failures: number;
}

export interface StatusHistory {
  /** The last HISTORY_DAYS days, oldest first; days without runs are absent. */
  days: DailyRunCount[];
  /** Runs started within RECENT_WINDOW_MS before the collection: the failure ratios the status uses. */
  recent: RecentRunCount[];
  recentWindowMs: number;
}

export const HISTORY_DAYS = 90;
/** The failure-ratio window: short enough that a recovered provider turns green within the hour. */
export const RECENT_WINDOW_MS = 60 * 60 * 1000;

export const emptyStatusHistory = (): StatusHistory => ({ days: [], recent: [], recentWindowMs: RECENT_WINDOW_MS });

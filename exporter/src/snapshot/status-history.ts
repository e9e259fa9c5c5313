/**
 * What the status page needs from run history (status/history-query.ts). Days are UTC calendar days
 * `YYYY-MM-DD`. The snapshot carries the platform-wide counts, by provider (connectors) or for all
 * rules: the public page never shows tenants or individual connections. A tenant's token view reads
 * its own counts by connection on request (status/tenant-history.ts); they never enter the snapshot.
 */
export type HistorySource = 'connector' | 'rule';

export interface DailyRunCount {
  source: HistorySource;
  /** The connector provider (platform) or connection id (tenant); `*` for rules (one component for all detection rules). */
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

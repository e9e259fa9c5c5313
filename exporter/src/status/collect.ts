import { rolledUntil } from '../runs/rollup-state';
import { FAILURE_STATUS_SQL } from '../runs/statuses';
import type { Collector } from '../snapshot/collector-types';
import { HISTORY_DAYS, RECENT_WINDOW_MS, type DailyRunCount, type HistorySource, type RecentRunCount } from './history-types';

const DAY_MS = 24 * 3600 * 1000;
const day = (column: string) => `to_char((${column} AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')`;

// Closed hours come from the hourly rollups (small, primary key leads with hour); the hours since the
// rollup watermark come from the raw runs through their startedAt index, so today is complete too.
// $1: since (start of the oldest day), $2: rollup watermark, $3: start of the recent window.
const SQL = {
  connector: `
SELECT provider AS key, ${day('hour')} AS day, sum(runs)::int AS runs, sum(failures)::int AS failures
FROM "ConnectorSyncHourly" WHERE hour >= $1 AND hour < $2 GROUP BY 1, 2
UNION ALL
SELECT provider, ${day('"startedAt"')}, count(*)::int, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::int
FROM "ConnectorSyncRun" WHERE "startedAt" >= greatest($1, $2) GROUP BY 1, 2`,
  rule: `
SELECT '*' AS key, ${day('hour')} AS day, sum(runs)::int AS runs, sum(failures)::int AS failures
FROM "RuleRunHourly" WHERE hour >= $1 AND hour < $2 GROUP BY 2
UNION ALL
SELECT '*', ${day('"startedAt"')}, count(*)::int, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::int
FROM "RuleRun" WHERE "startedAt" >= greatest($1, $2) GROUP BY 2`,
};
const RECENT_SQL = {
  connector: `SELECT provider AS key, count(*)::int AS runs, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::int AS failures
FROM "ConnectorSyncRun" WHERE "startedAt" >= $1 GROUP BY 1`,
  rule: `SELECT '*' AS key, count(*)::int AS runs, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::int AS failures
FROM "RuleRun" WHERE "startedAt" >= $1`,
};
const TABLES: Record<HistorySource, 'ConnectorSyncRun' | 'RuleRun'> = { connector: 'ConnectorSyncRun', rule: 'RuleRun' };

export const statusCollector: Collector<'statusHistory'> = {
  name: 'status',
  field: 'statusHistory',
  async collect(client, now) {
    const since = new Date(Math.floor(now / DAY_MS) * DAY_MS - (HISTORY_DAYS - 1) * DAY_MS);
    const recentSince = new Date(now - RECENT_WINDOW_MS);
    const days: DailyRunCount[] = [];
    const recent: RecentRunCount[] = [];
    for (const source of ['connector', 'rule'] as const) {
      const watermark = await rolledUntil(client, TABLES[source]);
      const daily = await client.query<{ key: string; day: string; runs: number; failures: number }>(SQL[source], [since, watermark]);
      days.push(...mergeDays(source, daily.rows));
      const window = await client.query<{ key: string; runs: number; failures: number }>(RECENT_SQL[source], [recentSince]);
      recent.push(...window.rows.filter((row) => row.runs > 0).map((row) => ({ source, ...row })));
    }
    days.sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source) || a.key.localeCompare(b.key));
    return { days, recent, recentWindowMs: RECENT_WINDOW_MS };
  },
};

/** A day split across the rollups and the raw rows arrives as two rows; they add up. */
function mergeDays(source: HistorySource, rows: { key: string; day: string; runs: number; failures: number }[]): DailyRunCount[] {
  const merged = new Map<string, DailyRunCount>();
  for (const row of rows) {
    const id = `${row.key}\u0000${row.day}`;
    const entry = merged.get(id) ?? { source, key: row.key, day: row.day, runs: 0, failures: 0 };
    entry.runs += row.runs;
    entry.failures += row.failures;
    merged.set(id, entry);
  }
  return [...merged.values()];
}

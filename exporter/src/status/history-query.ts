import type pg from 'pg';
import { rolledUntil, type RunTable } from '../runs/rollup-state';
import { FAILURE_STATUS_SQL } from '../runs/statuses';
import {
  HISTORY_DAYS,
  RECENT_WINDOW_MS,
  type DailyRunCount,
  type HistorySource,
  type RecentRunCount,
  type StatusHistory,
} from '../snapshot/status-history';

/**
 * Whose run history to read: the whole platform keyed by provider (the public page), or one tenant
 * keyed by connection (its token view). Rules are one component either way, so their key is `*`.
 */
export type HistoryScope = { kind: 'platform' } | { kind: 'tenant'; tenantId: string };

const DAY_MS = 24 * 3600 * 1000;
const day = (column: string) => `to_char((${column} AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')`;

const SOURCES: Record<HistorySource, { daily: string; hourly: string; raw: RunTable; key: Record<HistoryScope['kind'], string> }> = {
  connector: {
    daily: 'ConnectorSyncDaily',
    hourly: 'ConnectorSyncHourly',
    raw: 'ConnectorSyncRun',
    key: { platform: 'provider', tenant: '"connectionId"' },
  },
  rule: { daily: 'RuleRunDaily', hourly: 'RuleRunHourly', raw: 'RuleRun', key: { platform: `'*'`, tenant: `'*'` } },
};
/** The start of the UTC day of a timestamptz parameter. */
const utcDayStart = (param: string) => `(date_trunc('day', ${param}::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

interface HistorySql {
  daily: string;
  recent: string;
}

/**
 * Whole days before the rollup watermark's day come from the daily rollups (each the sum of its day's
 * hourly rows, kept by the rollup), that day's closed hours from the hourly rollups, the hours since the
 * watermark from the raw runs, so today is complete too: three ranges that meet exactly, a day split
 * across them arriving as up to three rows that add up. A tenant's read adds `"organizationId" = $n`,
 * which the rollups' ("organizationId", day or hour) and the raw tables' ("organizationId", "startedAt"
 * DESC, id DESC) indexes serve; the platform read goes through the day and hour primary keys and the
 * startedAt indexes.
 * Daily: $1 since (start of the oldest day), $2 rollup watermark, $3 tenant. Recent: $1 window start, $2 tenant.
 */
export function historySql(source: HistorySource, scope: HistoryScope): HistorySql {
  const { daily, hourly, raw, key: keys } = SOURCES[source];
  const key = keys[scope.kind];
  const constantKey = key.startsWith("'");
  const tenant = (n: number) => (scope.kind === 'tenant' ? ` AND "organizationId" = $${n}` : '');
  const failures = `count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::bigint`;
  const groupBy = constantKey ? '2' : '1, 2';
  return {
    daily: `
SELECT ${key} AS key, to_char(day, 'YYYY-MM-DD') AS day, sum(runs)::bigint AS runs, sum(failures)::bigint AS failures
FROM "${daily}" WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day < ($2::timestamptz AT TIME ZONE 'UTC')::date${tenant(3)}
GROUP BY ${groupBy}
UNION ALL
SELECT ${key}, ${day('hour')}, sum(runs)::bigint, sum(failures)::bigint
FROM "${hourly}" WHERE hour >= greatest($1, ${utcDayStart('$2')}) AND hour < $2${tenant(3)} GROUP BY ${groupBy}
UNION ALL
SELECT ${key}, ${day('"startedAt"')}, count(*)::bigint, ${failures}
FROM "${raw}" WHERE "startedAt" >= greatest($1, $2)${tenant(3)} GROUP BY ${groupBy}`,
    recent: `SELECT ${key} AS key, count(*)::bigint AS runs, ${failures} AS failures
FROM "${raw}" WHERE "startedAt" >= $1${tenant(2)}${constantKey ? '' : ' GROUP BY 1'}`,
  };
}

/** The daily and recent run counts of a scope, read inside the caller's repeatable-read transaction. */
export async function readStatusHistory(client: pg.PoolClient, now: number, scope: HistoryScope): Promise<StatusHistory> {
  const since = new Date(Math.floor(now / DAY_MS) * DAY_MS - (HISTORY_DAYS - 1) * DAY_MS);
  const recentSince = new Date(now - RECENT_WINDOW_MS);
  const tenant = scope.kind === 'tenant' ? [scope.tenantId] : [];
  const days: DailyRunCount[] = [];
  const recent: RecentRunCount[] = [];
  for (const source of ['connector', 'rule'] as const) {
    const sql = historySql(source, scope);
    const watermark = await rolledUntil(client, SOURCES[source].raw);
    const daily = await client.query<{ key: string; day: string; runs: number; failures: number }>(sql.daily, [
      since,
      watermark,
      ...tenant,
    ]);
    days.push(...mergeDays(source, daily.rows));
    const window = await client.query<{ key: string; runs: number; failures: number }>(sql.recent, [recentSince, ...tenant]);
    recent.push(...window.rows.filter((row) => row.runs > 0).map((row) => ({ source, ...row })));
  }
  days.sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source) || a.key.localeCompare(b.key));
  return { days, recent, recentWindowMs: RECENT_WINDOW_MS };
}

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

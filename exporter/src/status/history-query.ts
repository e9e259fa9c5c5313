import type pg from 'pg';
import { DAILY_TABLE, rolledUntil, type DailyTable, type RunTable } from '../runs/rollup-state';
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

const SOURCES: Record<HistorySource, { raw: RunTable; key: Record<HistoryScope['kind'], string> }> = {
  connector: { raw: 'ConnectorSyncRun', key: { platform: 'provider', tenant: '"connectionId"' } },
  rule: { raw: 'RuleRun', key: { platform: `'*'`, tenant: `'*'` } },
};

interface HistorySql {
  closed: string;
  open: string;
  recent: string;
}

/** A source's runs and failures on one day of one key, as a query returns them (a day may come in parts). */
export interface DayRow {
  key: string;
  day: string;
  runs: number;
  failures: number;
}

/**
 * The days come from two places that meet exactly at the rollup watermark: the daily rollups (each day
 * the sum of its hourly rows, kept by the rollup, so the watermark's own day holds its hours before the
 * watermark) and the raw runs from the watermark on, so today is complete too; a day split between them
 * arrives as two rows that add up. The daily rows are read in two parts: the closed days, before the
 * watermark's day, which only a rollup of late runs changes (and logs: the incremental read keeps
 * them, history-read.ts), and the watermark's day with the raw runs, read every time.
 * A tenant's read adds `"organizationId" = $n`, which the daily rollups' ("organizationId", day) and the
 * raw tables' ("organizationId", "startedAt" DESC, id DESC) indexes serve; the platform read goes
 * through the day primary keys and the startedAt indexes.
 * Closed and open: $1 since (start of the oldest day), $2 rollup watermark, $3 tenant. Recent: $1 window start, $2 tenant.
 */
export function historySql(source: HistorySource, scope: HistoryScope): HistorySql {
  const { raw, key: keys } = SOURCES[source];
  const daily = DAILY_TABLE[raw];
  const key = keys[scope.kind];
  const constantKey = key.startsWith("'");
  const tenant = (n: number) => (scope.kind === 'tenant' ? ` AND "organizationId" = $${n}` : '');
  const failures = `count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::bigint`;
  const groupBy = constantKey ? '2' : '1, 2';
  const utcDay = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')::date`;
  const dailyRows = (days: string) => `
SELECT ${key} AS key, to_char(day, 'YYYY-MM-DD') AS day, sum(runs)::bigint AS runs, sum(failures)::bigint AS failures
FROM "${daily}" WHERE day >= ${utcDay('$1')} AND ${days}${tenant(3)}
GROUP BY ${groupBy}`;
  return {
    closed: dailyRows(`day < ${utcDay('$2')}`),
    open: `${dailyRows(`day = ${utcDay('$2')}`)}
UNION ALL
SELECT ${key}, ${day('"startedAt"')}, count(*)::bigint, ${failures}
FROM "${raw}" WHERE "startedAt" >= greatest($1, $2)${tenant(3)} GROUP BY ${groupBy}`,
    recent: `SELECT ${key} AS key, count(*)::bigint AS runs, ${failures} AS failures
FROM "${raw}" WHERE "startedAt" >= $1${tenant(2)}${constantKey ? '' : ' GROUP BY 1'}`,
  };
}

/** Where a source's closed days stand: the days from `sinceDay` up to, not including, `watermarkDay`. */
export interface ClosedDays {
  source: HistorySource;
  /** The daily rollup they are read from. */
  table: DailyTable;
  sinceDay: string;
  watermarkDay: string;
}

/** Gives a source's closed days: read them (`read`), or return the rows kept from an earlier read of the same days. */
export type ClosedDaysReader = (days: ClosedDays, read: () => Promise<DayRow[]>) => Promise<DayRow[]>;

const utcDate = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The daily and recent run counts of a scope, read inside the caller's repeatable-read transaction.
 * `closedDays` may answer the closed days from what it kept (the serving exporter's incremental read).
 */
export async function readStatusHistory(
  client: pg.PoolClient,
  now: number,
  scope: HistoryScope,
  closedDays: ClosedDaysReader = (_, read) => read(),
): Promise<StatusHistory> {
  const since = new Date(Math.floor(now / DAY_MS) * DAY_MS - (HISTORY_DAYS - 1) * DAY_MS);
  const recentSince = new Date(now - RECENT_WINDOW_MS);
  const tenant = scope.kind === 'tenant' ? [scope.tenantId] : [];
  const days: DailyRunCount[] = [];
  const recent: RecentRunCount[] = [];
  for (const source of ['connector', 'rule'] as const) {
    const sql = historySql(source, scope);
    const watermark = await rolledUntil(client, SOURCES[source].raw);
    const params = [since, watermark, ...tenant];
    const range = { source, table: DAILY_TABLE[SOURCES[source].raw], sinceDay: utcDate(since), watermarkDay: utcDate(watermark) };
    const closed = await closedDays(range, async () => {
      const { rows } = await client.query<DayRow>(sql.closed, params);
      return rows;
    });
    const open = await client.query<DayRow>(sql.open, params);
    days.push(...mergeDays(source, [...closed, ...open.rows]));
    const window = await client.query<{ key: string; runs: number; failures: number }>(sql.recent, [recentSince, ...tenant]);
    recent.push(...window.rows.filter((row) => row.runs > 0).map((row) => ({ source, ...row })));
  }
  days.sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source) || a.key.localeCompare(b.key));
  return { days, recent, recentWindowMs: RECENT_WINDOW_MS };
}

/** A day split across the rollups and the raw rows arrives as two rows; they add up. */
function mergeDays(source: HistorySource, rows: DayRow[]): DailyRunCount[] {
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

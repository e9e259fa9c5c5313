import type pg from 'pg';
import type { RunTable } from './rollup-state';

/**
 * Closed hours that got runs after they were rolled up, as noted by the run tables' triggers
 * (migration 006_late_runs.sql): a run written hours late, or a rolled run updated with its outcome.
 * Read at the start of a rollup transaction, before any raw row: a marker read means its row is
 * committed, so every later read of the transaction sees the row. A marker committed after this read
 * is not deleted and waits for the next rollup.
 */
const HOUR_MS = 3600_000;

export interface LateHours {
  /** The markers read; deleted by id once their hours are recomputed, never by a range. */
  ids: string[];
  /** Contiguous [from, to) ranges (epoch ms) of the hours to recompute. */
  ranges: [number, number][];
  /** Hours left alone because retention may have removed raw rows of them (before prunedBefore). */
  skipped: number;
}

/**
 * The marked hours before `until` that this transaction does not roll anyway (outside [rollFrom,
 * rollTo)) and that are whole: at or after `prunedBefore`. Recomputing an hour whose raw rows retention
 * removed would lower the counters, so such a late run stays out of them (documented in docs/retention.md).
 * Markers of hours from `until` on are not read: the normal roll reaches those hours later.
 */
export async function readLateHours(
  client: pg.PoolClient,
  table: RunTable,
  window: { rollFrom: number; rollTo: number; until: number; prunedBefore: number | null },
): Promise<LateHours> {
  const { rows } = await client.query<{ id: string; hour: Date }>(
    `SELECT id, hour FROM "RollupDirtyHour" WHERE "table" = $1 AND hour < $2`,
    [table, new Date(window.until)],
  );
  const hours = new Set<number>();
  const skipped = new Set<number>();
  for (const row of rows) {
    const hour = row.hour.getTime();
    if (hour >= window.rollFrom && hour < window.rollTo) continue;
    if (window.prunedBefore !== null && hour < window.prunedBefore) skipped.add(hour);
    else hours.add(hour);
  }
  const ranges: [number, number][] = [];
  for (const hour of [...hours].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === hour) last[1] = hour + HOUR_MS;
    else ranges.push([hour, hour + HOUR_MS]);
  }
  return { ids: rows.map((row) => row.id), ranges, skipped: skipped.size };
}

export async function deleteMarkers(client: pg.PoolClient, ids: string[]): Promise<void> {
  if (ids.length) await client.query(`DELETE FROM "RollupDirtyHour" WHERE id = ANY($1::bigint[])`, [ids]);
}

import type pg from 'pg';
import { REROLL_HOURS } from '../runs/rollup';
import type { RunTable } from '../runs/rollup-state';
import { planRetention, RUN_TABLES, type RetentionResult } from './retention';
import { PARTITION_DAYS_AHEAD } from './runner';

/**
 * What one maintenance run would do at `now`, read without changing anything: the partitions it would
 * create, the hours each rollup would (re)compute, the partitions retention would drop and the rows it
 * would delete. `aperio-exporter maintenance --dry-run` prints it.
 */
const HOUR_MS = 3600_000;

export interface MaintenancePlan {
  partitionsToCreate: string[];
  rollups: { table: RunTable; hours: number; from: Date | null; until: Date }[];
  retention: RetentionResult[];
}

export async function planMaintenance(pool: pg.Pool, now = Date.now()): Promise<MaintenancePlan> {
  const partitionsToCreate: string[] = [];
  for (const table of RUN_TABLES) {
    // The names aperio_ensure_daily_partitions gives, for the days it covers, in the server's time zone.
    const { rows } = await pool.query<{ name: string }>(
      `SELECT $1 || '_p' || to_char(day, 'YYYYMMDD') AS name
       FROM generate_series(($2::timestamptz)::date, ($2::timestamptz)::date + $3::int - 1, interval '1 day') AS day
       WHERE to_regclass(format('%I', $1 || '_p' || to_char(day, 'YYYYMMDD'))) IS NULL ORDER BY day`,
      [table, new Date(now), PARTITION_DAYS_AHEAD],
    );
    partitionsToCreate.push(...rows.map((row) => row.name));
  }
  const target = Math.floor(now / HOUR_MS) * HOUR_MS; // only closed hours are rolled up
  const rollups: MaintenancePlan['rollups'] = [];
  for (const table of RUN_TABLES) {
    const state = await pool.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`, [table]);
    let from: number | null;
    if (state.rows[0]) from = state.rows[0].rolledUntil.getTime() - REROLL_HOURS * HOUR_MS;
    else {
      const first = await pool.query<{ min: Date | null }>(`SELECT min("startedAt") AS min FROM "${table}"`);
      from = first.rows[0].min ? Math.floor(first.rows[0].min.getTime() / HOUR_MS) * HOUR_MS : null;
    }
    const hours = from === null ? 0 : Math.max(0, (target - from) / HOUR_MS);
    rollups.push({ table, hours, from: from === null ? null : new Date(from), until: new Date(target) });
  }
  const retention: RetentionResult[] = [];
  // Retention runs after the rollups, so it is planned from the watermark they will have reached.
  for (const rollup of rollups) {
    const state = await pool.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`, [rollup.table]);
    const rolledUntil = Math.max(target, state.rows[0]?.rolledUntil.getTime() ?? 0);
    retention.push(await planRetention(pool, rollup.table, now, rolledUntil));
  }
  return { partitionsToCreate, rollups, retention };
}

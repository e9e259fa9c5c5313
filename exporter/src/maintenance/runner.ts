import type pg from 'pg';
import { PeriodicTask } from '../background/periodic-task';
import { rollUp, type RollupResult } from '../runs/rollup';
import { allOrFirstError } from '../util/all-settled';
import { withMaintenanceLock } from './lock';
import { applyRetention, RUN_TABLES, type RetentionResult } from './retention';

/**
 * Keeps the run tables in shape: daily partitions a week ahead, closed hours rolled up, then raw rows
 * past retention removed (retention runs after the rollups, and only below their watermark, so what it
 * deletes is already counted). Safe on every replica at once: partition creation is idempotent, each
 * rollup holds an advisory lock, and retention only removes what another run would remove too.
 */
export const PARTITION_DAYS_AHEAD = 7;

export async function ensurePartitions(pool: pg.Pool, now = Date.now()): Promise<number> {
  let created = 0;
  for (const table of ['RuleRun', 'ConnectorSyncRun']) {
    const { rows } = await pool.query<{ created: number }>(
      `SELECT aperio_ensure_daily_partitions($1, ($2::timestamptz)::date, ($2::timestamptz)::date + $3::int) AS created`,
      [table, new Date(now), PARTITION_DAYS_AHEAD],
    );
    created += rows[0].created;
  }
  return created;
}

export interface MaintenanceReport {
  partitionsCreated: number;
  rollups: RollupResult[];
  retention: RetentionResult[];
  durationMs: number;
}

/** The steps of one run, in order; `onStep` hears of each as it starts and ends (the CLI's progress bar). */
export const MAINTENANCE_STEPS = ['partitions', ...RUN_TABLES.map((t) => `rollup ${t}`), ...RUN_TABLES.map((t) => `retention ${t}`)];
export type StepListener = (event: { step: string; index: number; phase: 'start' | 'end'; ms?: number }) => void;

export async function runMaintenance(pool: pg.Pool, now = Date.now(), onStep: StepListener = () => undefined): Promise<MaintenanceReport> {
  const started = performance.now();
  let ended = 0;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    onStep({ step: name, index: ended, phase: 'start' });
    try {
      const value = await run();
      onStep({ step: name, index: ended++, phase: 'end', ms: performance.now() - t0 });
      return value;
    } catch (err) {
      throw Object.assign(err as Error, { step: name });
    }
  };
  const partitionsCreated = await step('partitions', () => ensurePartitions(pool, now));
  // The two tables roll up at once, each under its own lock: on a first rollup of a long history they are
  // minutes of work each, and the database has the cores for both.
  const rollups = await allOrFirstError(RUN_TABLES.map((table) => step(`rollup ${table}`, () => rollUp(pool, table, now))));
  const retention: RetentionResult[] = [];
  for (const table of RUN_TABLES) retention.push(await step(`retention ${table}`, () => applyRetention(pool, table, now)));
  return { partitionsCreated, rollups, retention, durationMs: performance.now() - started };
}

/**
 * Maintenance every minute: partitions ahead, rollups, retention. A replica that finds another run
 * (another replica's, or `aperio-exporter maintenance`) holding the lock skips its turn.
 */
export class MaintenanceLoop extends PeriodicTask {
  constructor(pool: pg.Pool, intervalSeconds = 60) {
    super({
      name: 'maintenance',
      intervalMs: intervalSeconds * 1000,
      step: () => withMaintenanceLock(pool, 0, () => runMaintenance(pool)),
    });
  }
}

import type pg from 'pg';
import { logger } from '../log';
import { rollUp, type RollupResult } from '../runs/rollup';
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

export async function runMaintenance(pool: pg.Pool, now = Date.now()): Promise<MaintenanceReport> {
  const started = performance.now();
  const partitionsCreated = await ensurePartitions(pool, now);
  const rollups: RollupResult[] = [];
  for (const table of RUN_TABLES) rollups.push(await rollUp(pool, table, now));
  const retention: RetentionResult[] = [];
  for (const table of RUN_TABLES) retention.push(await applyRetention(pool, table, now));
  return { partitionsCreated, rollups, retention, durationMs: performance.now() - started };
}

export class MaintenanceLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly intervalSeconds = 60,
  ) {}

  start(): void {
    const loop = () => {
      this.running = runMaintenance(this.pool)
        .then(() => undefined)
        .catch((err) => logger.warn({ err: (err as Error).message }, 'maintenance failed; retrying next cycle'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(loop, this.intervalSeconds * 1000);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

import type pg from 'pg';
import { logger } from '../log';
import { rollUp } from '../runs/rollup';

/**
 * Keeps the run tables in shape: daily partitions a week ahead, and closed hours rolled up. Safe on
 * every replica at once: partition creation is idempotent and each rollup holds an advisory lock.
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

export async function runMaintenance(pool: pg.Pool, now = Date.now()): Promise<void> {
  await ensurePartitions(pool, now);
  await rollUp(pool, 'RuleRun', now);
  await rollUp(pool, 'ConnectorSyncRun', now);
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

import type pg from 'pg';
import { logger } from '../log';
import { advance, type Frontier } from './frontier';
import { loadPosition, readRuns, RUN_TABLES, savePosition, type RunTable } from './source';
import { emitRunSpan } from './spans';
import type { RunTracing } from './tracing';

const LOCK_KEY = 0x61707474; // 'aptt': one run tailer per database

export interface RunTailerOptions {
  pollMs?: number;
  batchSize?: number;
  /** How long a gap in the ids is waited for before it is skipped (see frontier.ts). */
  gapWindowMs?: number;
}

/**
 * Tails RuleRun and ConnectorSyncRun and emits one span per new row. Only the replica holding the
 * advisory lock tails; the others retry the lock every poll and take over when the holder goes away.
 * Every query runs on the lock's own session, so a leader that lost its session cannot move the
 * position. Per batch: read, emit, flush to the endpoint, and only then save the position; a failed
 * export leaves the position where it was, and the same rows are sent again (with the same ids) later.
 */
export class RunTailer {
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly gapWindowMs: number;
  private client: pg.PoolClient | null = null;
  private frontiers = new Map<RunTable, Frontier>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly tracing: RunTracing,
    options: RunTailerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 2_000;
    // The batch span processor drops spans beyond its queue (2048 by default): a batch stays well below.
    this.batchSize = options.batchSize ?? 500;
    this.gapWindowMs = options.gapWindowMs ?? 10_000;
  }

  start(): void {
    const loop = () => {
      this.running = this.poll()
        .catch((err) => logger.warn({ err: (err as Error).message }, 'run telemetry: tail failed; retrying next poll'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(loop, this.pollMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.releaseLeadership(false);
  }

  /** One cycle: take or keep the lock, then emit every row that can be emitted. Returns the spans emitted. */
  async poll(now = () => Date.now()): Promise<number> {
    const client = await this.leadership();
    if (!client) return 0;
    let emitted = 0;
    try {
      for (const table of RUN_TABLES) emitted += await this.drain(client, table, now);
    } catch (err) {
      // Start over from the saved position on a fresh session: closing this one also frees the lock,
      // whatever state the session was left in.
      await this.releaseLeadership(true);
      throw err;
    }
    return emitted;
  }

  private async drain(client: pg.PoolClient, table: RunTable, now: () => number): Promise<number> {
    let frontier = this.frontiers.get(table);
    if (!frontier) {
      frontier = { lastId: await loadPosition(client, table), barrier: null };
      this.frontiers.set(table, frontier);
    }
    let emitted = 0;
    while (!this.stopping) {
      const rows = await readRuns(client, table, frontier.lastId, this.batchSize);
      const { count, barrier } = advance(
        frontier,
        rows.map((row) => row.id),
        now(),
        this.gapWindowMs,
      );
      frontier.barrier = barrier;
      if (count === 0) break;
      const batch = rows.slice(0, count);
      for (const row of batch) emitRunSpan(this.tracing, table, row);
      await this.tracing.flush();
      const lastId = batch[batch.length - 1].id;
      await savePosition(client, table, lastId);
      frontier.lastId = lastId;
      emitted += count;
      if (count < rows.length || rows.length < this.batchSize) break;
    }
    return emitted;
  }

  private async leadership(): Promise<pg.PoolClient | null> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY]);
      if (!rows[0].locked) {
        client.release();
        return null;
      }
    } catch (err) {
      client.release(true);
      throw err;
    }
    this.client = client;
    // Positions are read again under the lock: another replica may have moved them.
    this.frontiers.clear();
    logger.info('run telemetry: this replica tails the run tables');
    return client;
  }

  private async releaseLeadership(broken: boolean): Promise<void> {
    const client = this.client;
    this.client = null;
    this.frontiers.clear();
    if (!client) return;
    if (!broken) await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release(broken);
  }
}

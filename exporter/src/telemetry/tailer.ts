import type pg from 'pg';
import { LeaderLock } from '../background/leader-lock';
import { PeriodicTask } from '../background/periodic-task';
import { advance, type Frontier } from './frontier';
import { loadPosition, readRuns, RUN_TABLES, savePosition, type RunTable } from './source';
import { emitRunSpan } from './spans';
import type { RunTracing } from './tracing';

const LOCK_KEY = String(0x61707474); // 'aptt': one run tailer per database

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
  private readonly lock: LeaderLock;
  private readonly task: PeriodicTask;
  private frontiers = new Map<RunTable, Frontier>();
  /** The lock's term the frontiers were read in. */
  private frontiersTerm = -1;
  private stopping = false;

  constructor(
    pool: pg.Pool,
    private readonly tracing: RunTracing,
    options: RunTailerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 2_000;
    // The batch span processor drops spans beyond its queue (2048 by default): a batch stays well below.
    this.batchSize = options.batchSize ?? 500;
    this.gapWindowMs = options.gapWindowMs ?? 10_000;
    this.lock = new LeaderLock(pool, { key: LOCK_KEY, role: 'run telemetry' });
    this.task = new PeriodicTask({ name: 'telemetry', intervalMs: this.pollMs, step: () => this.poll() });
  }

  start(): void {
    this.stopping = false;
    this.task.start();
  }

  async stop(): Promise<void> {
    // A drain in progress ends after its current batch, whose position is saved.
    this.stopping = true;
    await this.task.stop();
    await this.lock.release();
  }

  /** One cycle: take or keep the lock, then emit every row that can be emitted. Returns the spans emitted. */
  async poll(now = () => Date.now()): Promise<number> {
    const client = await this.lock.acquire();
    if (!client) return 0;
    if (this.frontiersTerm !== this.lock.term) {
      // Positions are read again under a new lock (after a stop, a lost session or a failed batch):
      // another replica may have moved them, or this one's last batch may not have been saved.
      this.frontiers.clear();
      this.frontiersTerm = this.lock.term;
    }
    let emitted = 0;
    try {
      for (const table of RUN_TABLES) emitted += await this.drain(client, table, now);
    } catch (err) {
      // Start over from the saved position on a fresh session: closing this one also frees the lock,
      // whatever state the session was left in.
      this.lock.drop(`tail failed: ${(err as Error).message}`);
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
}

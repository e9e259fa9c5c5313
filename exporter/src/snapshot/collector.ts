import type pg from 'pg';
import { PeriodicTask } from '../background/periodic-task';
import { JIT_OFF_SQL } from '../db/read-only';
import { logger } from '../log';
import { collectWrite, type AnyCollector } from './collector-types';
import type { CollectionStatus, Snapshot } from './types';

export interface SnapshotCollectorOptions {
  pool: pg.Pool;
  intervalSeconds: number;
  statementTimeoutMs: number;
  initial: Snapshot;
  /** Every domain's collector in production (ALL_COLLECTORS, src/collectors.ts). */
  collectors: AnyCollector[];
  clock?: () => number;
  /** Called with every new snapshot (the renderers subscribe here, off the request path). */
  onSnapshot?: (snapshot: Snapshot) => void | Promise<void>;
}

/**
 * Rebuilds the snapshot on a timer. One collection at a time: callers of `refresh()` that arrive during
 * a collection share the one that follows it. Each collector runs in its own read-only transaction under statement_timeout; a
 * collector that fails keeps its part of the previous snapshot, and says so in `collections`.
 */
export class SnapshotCollector {
  private current: Snapshot;
  private inFlight: Promise<Snapshot> | null = null;
  /** The one collection queued behind the one in flight, for the callers that arrived during it. */
  private followUp: Promise<Snapshot> | null = null;
  private stopped = false;
  private readonly task: PeriodicTask;
  private readonly collectors: AnyCollector[];
  private readonly clock: () => number;

  constructor(private readonly options: SnapshotCollectorOptions) {
    this.current = options.initial;
    this.collectors = options.collectors;
    this.clock = options.clock ?? Date.now;
    // The first collection is the caller's (startExporter awaits it before serving); the timer follows it.
    this.task = new PeriodicTask({
      name: 'collector',
      intervalMs: options.intervalSeconds * 1000,
      firstRunAfterMs: options.intervalSeconds * 1000,
      step: () => this.refresh(),
    });
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  /** Collects every `intervalSeconds` after each collection ends, the first an interval from now. */
  start(): void {
    this.task.start();
  }

  /** Stops the timer and waits for the collections in flight or queued, the timer's or a caller's `refresh()`. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
    await this.followUp?.catch(() => undefined);
    await this.inFlight?.catch(() => undefined);
  }

  /**
   * A snapshot collected after this call: what a caller wrote before it is in there. A collection already
   * in flight began earlier and may have missed that write, so callers arriving meanwhile share one
   * follow-up collection, which starts when the one in flight ends: never two at once, never more than
   * one waiting.
   */
  refresh(): Promise<Snapshot> {
    if (!this.inFlight) return this.begin();
    this.followUp ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.followUp = null;
        // A collection another caller began after the one awaited ended also began after these callers.
        if (this.stopped) return this.current;
        return this.inFlight ?? this.begin();
      });
    return this.followUp;
  }

  private begin(): Promise<Snapshot> {
    this.inFlight = this.collect().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async collect(): Promise<Snapshot> {
    const previous = this.current;
    const startedAt = this.clock();
    const next: Snapshot = { ...previous, collections: [] };
    const results = await Promise.all(this.collectors.map((collector) => this.runOne(collector, startedAt)));
    for (const { collector, status, write } of results) {
      const before = previous.collections.find((c) => c.collector === collector.name);
      next.collections.push({ ...status, lastSuccessAt: status.success ? status.lastSuccessAt : (before?.lastSuccessAt ?? null) });
      if (write) write(next);
    }
    const allSucceeded = results.every((result) => result.status.success);
    next.takenAt = this.clock();
    next.dataAsOf = allSucceeded ? next.takenAt : previous.dataAsOf;
    next.databaseReachable = results.some((result) => result.status.success) || !results.some((r) => r.unreachable);
    this.current = Object.freeze(next);
    if (!allSucceeded) {
      const failed = results.filter((r) => !r.status.success).map((r) => `${r.collector.name}: ${r.status.error}`);
      logger.warn({ failed }, 'collection incomplete; serving the previous data for these collectors');
    }
    await this.options.onSnapshot?.(this.current);
    return this.current;
  }

  private async runOne(collector: AnyCollector, now: number) {
    const started = performance.now();
    let client: pg.PoolClient | undefined;
    let broken = false;
    try {
      client = await this.options.pool.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // One round trip for both settings (JIT_OFF_SQL: see db/read-only.ts).
      await client.query(`SET LOCAL statement_timeout = ${Math.trunc(this.options.statementTimeoutMs)}; ${JIT_OFF_SQL}`);
      const write = await collectWrite(collector, client, now);
      await client.query('COMMIT');
      const status: CollectionStatus = {
        collector: collector.name,
        success: true,
        durationSeconds: (performance.now() - started) / 1000,
        lastSuccessAt: this.clock(),
        error: null,
      };
      return { collector, status, write, unreachable: false };
    } catch (err) {
      broken = true; // never hand a connection in an unknown state back to the pool
      const code = (err as { code?: string }).code ?? '';
      // Connection-level failures (refused, reset, admin shutdown) mean the database is unreachable;
      // a statement timeout or a missing column means it answered.
      const unreachable =
        !client || /^(ECONN|ETIMEDOUT|EPIPE|57P0[1-3]|08)/.test(code) || /terminat|Connection/.test(String((err as Error).message));
      const status: CollectionStatus = {
        collector: collector.name,
        success: false,
        durationSeconds: (performance.now() - started) / 1000,
        lastSuccessAt: null,
        error: (err as Error).message || code || 'unknown error',
      };
      return { collector, status, write: null, unreachable };
    } finally {
      client?.release(broken);
    }
  }
}

/**
 * One collection by the same collectors on a client the caller holds in its own transaction: `verify`
 * reads the snapshot and its independent definitions in one repeatable-read transaction, so both see
 * the same state of a database that is being written meanwhile.
 */
export async function collectOn(client: pg.PoolClient, now: number, base: Snapshot, collectors: AnyCollector[]): Promise<Snapshot> {
  const next: Snapshot = { ...base, takenAt: now, dataAsOf: now, databaseReachable: true, collections: [] };
  for (const collector of collectors) (await collectWrite(collector, client, now))(next);
  return Object.freeze(next);
}

import type pg from 'pg';
import { JIT_OFF_SQL } from '../db/read-only';
import { logger } from '../log';
import type { Collector } from './collector-types';
import { ALL_COLLECTORS } from './collectors';
import type { CollectionStatus, Snapshot } from './types';

export interface SnapshotCollectorOptions {
  pool: pg.Pool;
  intervalSeconds: number;
  statementTimeoutMs: number;
  initial: Snapshot;
  collectors?: Collector[];
  clock?: () => number;
  /** Called with every new snapshot (the renderers subscribe here, off the request path). */
  onSnapshot?: (snapshot: Snapshot) => void | Promise<void>;
}

/**
 * Rebuilds the snapshot on a timer. One collection at a time: concurrent `refresh()` calls share the
 * one in flight. Each collector runs in its own read-only transaction under statement_timeout; a
 * collector that fails keeps its part of the previous snapshot, and says so in `collections`.
 */
export class SnapshotCollector {
  private current: Snapshot;
  private inFlight: Promise<Snapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly collectors: Collector[];
  private readonly clock: () => number;

  constructor(private readonly options: SnapshotCollectorOptions) {
    this.current = options.initial;
    this.collectors = options.collectors ?? ALL_COLLECTORS;
    this.clock = options.clock ?? Date.now;
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.refresh().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalSeconds * 1000);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits for a collection in flight to finish, or the last one. */
  async drain(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  refresh(): Promise<Snapshot> {
    if (!this.inFlight) {
      this.inFlight = this.collect().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async collect(): Promise<Snapshot> {
    const previous = this.current;
    const startedAt = this.clock();
    const next: Snapshot = { ...previous, collections: [] };
    const results = await Promise.all(this.collectors.map((collector) => this.runOne(collector, startedAt)));
    for (const { collector, status, value } of results) {
      const before = previous.collections.find((c) => c.collector === collector.name);
      next.collections.push({ ...status, lastSuccessAt: status.success ? status.lastSuccessAt : (before?.lastSuccessAt ?? null) });
      if (status.success) (next as unknown as Record<string, unknown>)[collector.field] = value;
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

  private async runOne(collector: Collector, now: number) {
    const started = performance.now();
    let client: pg.PoolClient | undefined;
    let broken = false;
    try {
      client = await this.options.pool.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // One round trip for both settings (JIT_OFF_SQL: see db/read-only.ts).
      await client.query(`SET LOCAL statement_timeout = ${Math.trunc(this.options.statementTimeoutMs)}; ${JIT_OFF_SQL}`);
      const value = await collector.collect(client, now);
      await client.query('COMMIT');
      const status: CollectionStatus = {
        collector: collector.name,
        success: true,
        durationSeconds: (performance.now() - started) / 1000,
        lastSuccessAt: this.clock(),
        error: null,
      };
      return { collector, status, value, unreachable: false };
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
      return { collector, status, value: undefined, unreachable };
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
export async function collectOn(
  client: pg.PoolClient,
  now: number,
  base: Snapshot,
  collectors: Collector[] = ALL_COLLECTORS,
): Promise<Snapshot> {
  const next: Snapshot = { ...base, takenAt: now, dataAsOf: now, databaseReachable: true, collections: [] };
  for (const collector of collectors) (next as unknown as Record<string, unknown>)[collector.field] = await collector.collect(client, now);
  return Object.freeze(next);
}

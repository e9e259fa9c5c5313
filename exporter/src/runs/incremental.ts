import type pg from 'pg';
import { logger } from '../log';
import { CHANGE_LOG_KEEP_MS, readChanges, readPosition, type ReadPosition } from './change-log';
import type { RunTable } from './rollup-state';

/** A collected object with the time (epoch ms) from which one of its windowed reads drops a run; null: never. */
export interface Timed<T> {
  state: T;
  expiresAt: number | null;
}

/**
 * What a domain tells the incremental read. `O` is an object's own columns (its row in Aperio's table,
 * read whole every time: cheap), `T` the collected state, which repeats those columns under the same
 * names and adds what is derived from the run table (expensive: totals, recent runs, serving runs).
 */
export interface IncrementalSpec<O extends object, T extends O> {
  table: RunTable;
  /** Every object's own columns, in the snapshot's order (of one shard's tenants when `partial`). */
  readObjects(client: pg.PoolClient, now: number): Promise<O[]>;
  /**
   * The objects are some of the table's (SHARD_COLLECTION=own): a whole read names their keys instead
   * of reading every object's state.
   */
  partial?: boolean;
  /** The full states of the objects with the given keys (null: of every object), in the snapshot's order. */
  readStates(client: pg.PoolClient, now: number, keys: string[] | null): Promise<Timed<T>[]>;
  keyOf(object: O): string;
  /** The object key a logged change (tenant, ruleId or connectionId) belongs to. */
  changeKey(change: { organizationId: string; key: string }): string;
}

/**
 * The most objects a whole read asks for in one statement. Above it (10 times the bench's full scale:
 * 400,000 connectors) the read goes in slices of this many keys.
 */
export const FULL_READ_SLICE = 50_000;

/** Where a kept read stands: its position in the change log, and the collector's clock at it and at the last full read. */
export interface KeptRead {
  position: ReadPosition;
  readAt: number;
  fullAt: number;
}

interface Kept<T> extends KeptRead {
  states: Map<string, Timed<T>>;
}

/**
 * Whether a kept read may no longer be trusted and everything must be read again: every
 * `fullIntervalMs` (0: always), when the clock went back, and when the read is older than half the
 * change log's retention (the log may no longer hold all that changed since).
 */
export function mustReadAgain(kept: KeptRead, now: number, position: ReadPosition, fullIntervalMs: number): boolean {
  return (
    fullIntervalMs <= 0 ||
    now - kept.fullAt >= fullIntervalMs ||
    now < kept.readAt ||
    position.databaseTime - kept.position.databaseTime >= CHANGE_LOG_KEEP_MS / 2
  );
}

/**
 * Keeps a domain's collected states between collections and re-reads from the run table only the
 * objects whose state may have changed since the previous read. The invariants, each of which the
 * property test (test/runs/incremental.test.ts) checks against a full read after random writes:
 *
 * - an object's state is a function of its own columns, the run rows of its key, the rollup's running
 *   totals and watermark, and the clock (through the recent window and the serving lookback);
 * - every write to a run table and every move of a running total is in the change log with its key,
 *   and an object's key is re-read when the log shows a change the previous read's snapshot could not
 *   see (change-log.ts); the rollup watermark moving on its own changes no state (raw rows become
 *   totals in the same transaction);
 * - an object whose own columns differ from its kept state, or that is new, is re-read;
 * - an object is re-read once the clock passes its `expiresAt`: the earliest moment a run it counted
 *   leaves one of its windows (new runs entering a window come through the log);
 * - everything is read again every `fullIntervalMs`, after a read older than half the log's retention,
 *   when the log says "everything" (a dropped partition), when the clock goes back, and when an object
 *   marked for re-reading does not come back (which the invariants say cannot happen).
 */
export class IncrementalRead<O extends object, T extends O> {
  private kept: Kept<T> | null = null;

  constructor(
    private readonly spec: IncrementalSpec<O, T>,
    private readonly fullIntervalMs: number,
    /** The most keys one statement asks for (FULL_READ_SLICE; the tests make it small). */
    private readonly sliceSize = FULL_READ_SLICE,
  ) {}

  /** Collects in the caller's repeatable-read transaction: all reads see the same snapshot. */
  async collect(client: pg.PoolClient, now: number): Promise<T[]> {
    const position = await readPosition(client);
    const kept = this.kept;
    if (!kept || this.mustReadAll(kept, now, position)) return this.readAll(client, now, position);
    const changes = await readChanges(client, this.spec.table, kept.position);
    if (changes.everything) return this.readAll(client, now, position);

    const objects = await this.spec.readObjects(client, now);
    const dirty = this.dirtyKeys(kept, objects, changes.changes, now);
    const fresh = dirty.size > 0 ? await this.readKeys(client, now, [...dirty]) : new Map<string, Timed<T>>();

    const states = new Map<string, Timed<T>>();
    const out: T[] = [];
    for (const object of objects) {
      const key = this.spec.keyOf(object);
      const timed = fresh.get(key) ?? (dirty.has(key) ? undefined : kept.states.get(key));
      if (!timed) {
        logger.warn({ table: this.spec.table, key }, 'an object to re-read did not come back; reading everything');
        return this.readAll(client, now, position);
      }
      states.set(key, timed);
      out.push(timed.state);
    }
    this.kept = { position, readAt: now, fullAt: kept.fullAt, states };
    return out;
  }

  private mustReadAll(kept: Kept<T>, now: number, position: ReadPosition): boolean {
    return mustReadAgain(kept, now, position, this.fullIntervalMs);
  }

  /**
   * The keys to re-read: objects with logged changes, and objects that are new, edited, or past their
   * expiry. A change to a key that is not an object here (another shard's) is not read.
   */
  private dirtyKeys(kept: Kept<T>, objects: O[], changes: { organizationId: string; key: string }[], now: number): Set<string> {
    const changed = new Set(changes.map((change) => this.spec.changeKey(change)));
    const dirty = new Set<string>();
    for (const object of objects) {
      const key = this.spec.keyOf(object);
      const known = kept.states.get(key);
      if (changed.has(key) || !known || (known.expiresAt !== null && now >= known.expiresAt) || !sameColumns(object, known.state))
        dirty.add(key);
    }
    return dirty;
  }

  /**
   * Reads every object's state. Up to `sliceSize` objects in one statement; more in slices of that
   * many keys with the scoped statement, each under its own statement_timeout, all in the caller's
   * transaction (one snapshot): a whole read of 400,000 connectors in one statement takes longer than
   * the default timeout, so it would never succeed. A partial read (one shard's objects) always names
   * its keys. A key missing from its slice (which the invariants say cannot happen) is read again in one
   * statement, of which a partial read keeps its own objects.
   */
  private async readAll(client: pg.PoolClient, now: number, position: ReadPosition): Promise<T[]> {
    const objects = await this.spec.readObjects(client, now);
    const all =
      objects.length <= this.sliceSize && !this.spec.partial
        ? await this.spec.readStates(client, now, null)
        : ((await this.readInSlices(client, now, objects)) ?? (await this.readEveryState(client, now, objects)));
    const states = new Map<string, Timed<T>>();
    for (const timed of all) states.set(this.spec.keyOf(timed.state), timed);
    this.kept = { position, readAt: now, fullAt: now, states };
    return all.map((timed) => timed.state);
  }

  /** Every object's state in one statement; of a partial read's objects only. */
  private async readEveryState(client: pg.PoolClient, now: number, objects: O[]): Promise<Timed<T>[]> {
    const all = await this.spec.readStates(client, now, null);
    if (!this.spec.partial) return all;
    const keys = new Set(objects.map((object) => this.spec.keyOf(object)));
    return all.filter((timed) => keys.has(this.spec.keyOf(timed.state)));
  }

  /** The states of `objects`, in their order, read in slices; null if one did not come back. */
  private async readInSlices(client: pg.PoolClient, now: number, objects: O[]): Promise<Timed<T>[] | null> {
    const keys = objects.map((object) => this.spec.keyOf(object));
    const found = await this.readKeys(client, now, keys);
    const out: Timed<T>[] = [];
    for (const key of keys) {
      const timed = found.get(key);
      if (!timed) {
        logger.warn({ table: this.spec.table, key }, 'an object of a sliced whole read did not come back; reading it in one statement');
        return null;
      }
      out.push(timed);
    }
    return out;
  }

  /** The states of the objects with these keys (and of others the scoped statement brings), `sliceSize` keys per statement. */
  private async readKeys(client: pg.PoolClient, now: number, keys: string[]): Promise<Map<string, Timed<T>>> {
    const found = new Map<string, Timed<T>>();
    for (let start = 0; start < keys.length; start += this.sliceSize)
      for (const timed of await this.spec.readStates(client, now, keys.slice(start, start + this.sliceSize)))
        found.set(this.spec.keyOf(timed.state), timed);
    return found;
  }
}

/** Whether every own column of the object equals the kept state's (the state repeats them by name). */
function sameColumns<O extends object>(object: O, state: O): boolean {
  for (const name of Object.keys(object) as (keyof O)[]) if (object[name] !== state[name]) return false;
  return true;
}

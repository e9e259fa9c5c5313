import type pg from 'pg';
import { logger } from '../log';
import { CHANGE_LOG_KEEP_MS, readChanges, readPosition, type ReadPosition } from './change-log';
import type { RunTable } from './rollup-state';

/**
 * A collected object with the digest of its own columns when it was read (`columnsDigestSql`) and the
 * time (epoch ms) from which one of its windowed reads drops a run; null: never.
 */
export interface Timed<T> {
  state: T;
  digest: number;
  expiresAt: number | null;
}

/** An object as every collection lists it: its key and the digest of its own columns. */
export interface ObjectDigest {
  key: string;
  digest: number;
}

/**
 * The digest of an object's own columns (its row in Aperio's table and its tenant's slug), computed by
 * PostgreSQL from the same expressions in the list of objects and in the read of their states: the
 * first 52 bits of the MD5 of the row's text, a number JavaScript holds exactly. Every collection lists
 * every object; a digest instead of the columns keeps that list to a key and a number per object,
 * rather than a copy of every column to parse and drop (some 200,000 objects in one of 4 shards at 10
 * times the bench's full scale). Two different rows share a digest with a probability of 2^-52; such
 * an edit would still be read within `COLLECT_FULL_INTERVAL_SECONDS`, by the next whole or rolling re-read.
 */
export const columnsDigestSql = (columns: string[]) => `('x' || left(md5(row(${columns.join(', ')})::text), 13))::bit(52)::bigint::float8`;

/**
 * What a domain tells the incremental read. An object is listed by its key and the digest of its own
 * columns (read every time: cheap); `T` is the collected state, which repeats those columns and adds
 * what is derived from the run table (expensive: totals, recent runs, serving runs).
 */
export interface IncrementalSpec<T> {
  table: RunTable;
  /** Every object's key and digest, in the snapshot's order (of one shard's tenants when `partial`). */
  readObjects(client: pg.PoolClient, now: number): Promise<ObjectDigest[]>;
  /**
   * The objects are some of the table's (SHARD_COLLECTION=own): a whole read names their keys instead
   * of reading every object's state.
   */
  partial?: boolean;
  /** The full states of the objects with the given keys (null: of every object), in the snapshot's order. */
  readStates(client: pg.PoolClient, now: number, keys: string[] | null): Promise<Timed<T>[]>;
  keyOf(state: T): string;
  /** The object key a logged change (tenant, ruleId or connectionId) belongs to. */
  changeKey(change: { organizationId: string; key: string }): string;
}

/** How a read splits into statements. */
export interface Slicing {
  /** A whole read of every object (not of one shard's) goes in one unscoped statement up to this many objects. */
  oneStatementUpTo: number;
  /** The most keys one scoped statement names: whole reads above that, a shard's reads, re-reads. */
  slice: number;
}

/**
 * Up to 50,000 objects (the bench's full scale has 40,000 connectors) a whole read is one statement.
 * Above that (10 times: 400,000) and for a shard's own objects it goes in slices of 20,000 keys. Each
 * slice scans the recent window again, but its sort and window pass stay in memory: on Debian's
 * PostgreSQL 15 at 10x, a shard's 98,020 connectors took 2.2 to 3.4 s a statement and 13.4 s in all in
 * slices of 20,000, against 7 to 9 s a statement (16.4 s) in slices of 50,000, close to the default
 * 10 s timeout, and 15.4 s in slices of 10,000.
 */
export const FULL_READ_SLICING: Slicing = { oneStatementUpTo: 50_000, slice: 20_000 };

/** Slices of `n` keys above `n` objects: the tests' small slicing. */
export const slicesOf = (n: number): Slicing => ({ oneStatementUpTo: n, slice: n });

/** Where a kept read stands: its position in the change log, and the collector's clock at it and at the last full read. */
export interface KeptRead {
  position: ReadPosition;
  readAt: number;
  fullAt: number;
}

/** A kept state and when the rolling re-read reads it again (Infinity: only with the next whole read). */
interface KeptState<T> extends Timed<T> {
  rereadAt: number;
}

interface Kept<T> extends KeptRead {
  states: Map<string, KeptState<T>>;
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
 * - an object whose own columns' digest differs from its kept state's, or that is new, is re-read;
 * - an object is re-read once the clock passes its `expiresAt`: the earliest moment a run it counted
 *   leaves one of its windows (new runs entering a window come through the log);
 * - every object is read again within `fullIntervalMs` of its last read: all at once when a whole read
 *   fits one statement, otherwise in a rolling re-read, each collection taking the objects due (see
 *   `rolls`);
 * - everything is read again after a read older than half the log's retention,
 *   when the log says "everything" (a dropped partition), when the clock goes back, and when an object
 *   marked for re-reading does not come back (which the invariants say cannot happen).
 */
export class IncrementalRead<T> {
  private kept: Kept<T> | null = null;

  constructor(
    private readonly spec: IncrementalSpec<T>,
    private readonly fullIntervalMs: number,
    /** FULL_READ_SLICING; the tests make it small. */
    private readonly slicing = FULL_READ_SLICING,
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

    const rolling = this.rolls(objects.length);
    const states = new Map<string, KeptState<T>>();
    const out: T[] = [];
    for (const { key } of objects) {
      const read = fresh.get(key);
      const entry = read
        ? keepState(read, rolling ? now + this.fullIntervalMs : Infinity)
        : dirty.has(key)
          ? undefined
          : kept.states.get(key);
      if (!entry) {
        logger.warn({ table: this.spec.table, key }, 'an object to re-read did not come back; reading everything');
        return this.readAll(client, now, position);
      }
      states.set(key, entry);
      out.push(entry.state);
    }
    this.kept = { position, readAt: now, fullAt: kept.fullAt, states };
    return out;
  }

  /**
   * Whether the whole read every `fullIntervalMs` is spread over that interval (a rolling re-read)
   * instead of made at once: when it needs slices (more objects than one statement takes, or one
   * shard's). Such a read at once outlasts a collection interval (at 10 times the bench's full scale, a
   * shard's took 18 to 23 s against 15 s) and holds two copies of every state meanwhile; spread, each
   * collection re-reads its share along with the changed objects, in the same statement. A whole read
   * that fits one statement stays whole: one pass over the run table's recent window costs less than
   * the shares' passes.
   */
  private rolls(objects: number): boolean {
    return this.fullIntervalMs > 0 && (this.spec.partial === true || objects > this.slicing.oneStatementUpTo);
  }

  private mustReadAll(kept: Kept<T>, now: number, position: ReadPosition): boolean {
    // A rolling re-read is never due at once; the other reasons to read everything stand.
    return mustReadAgain(kept, now, position, this.rolls(kept.states.size) ? Infinity : this.fullIntervalMs);
  }

  /**
   * The keys to re-read: objects with logged changes, and objects that are new, edited, past their
   * expiry or due in the rolling re-read. A change to a key that is not an object here (another shard's) is not read.
   */
  private dirtyKeys(kept: Kept<T>, objects: ObjectDigest[], changes: { organizationId: string; key: string }[], now: number): Set<string> {
    const changed = new Set(changes.map((change) => this.spec.changeKey(change)));
    const dirty = new Set<string>();
    for (const { key, digest } of objects) {
      const known = kept.states.get(key);
      if (
        changed.has(key) ||
        !known ||
        now >= known.rereadAt ||
        (known.expiresAt !== null && now >= known.expiresAt) ||
        known.digest !== digest
      )
        dirty.add(key);
    }
    return dirty;
  }

  /**
   * Reads every object's state. Up to `slicing.oneStatementUpTo` objects in one statement; more in
   * slices of `slicing.slice` keys with the scoped statement, each under its own statement_timeout, all in the caller's
   * transaction (one snapshot): a whole read of 400,000 connectors in one statement takes longer than
   * the default timeout, so it would never succeed. A partial read (one shard's objects) always names
   * its keys. A key missing from its slice (which the invariants say cannot happen) is read again in one
   * statement, of which a partial read keeps its own objects.
   */
  private async readAll(client: pg.PoolClient, now: number, position: ReadPosition): Promise<T[]> {
    const objects = await this.spec.readObjects(client, now);
    const all =
      objects.length <= this.slicing.oneStatementUpTo && !this.spec.partial
        ? await this.spec.readStates(client, now, null)
        : ((await this.readInSlices(client, now, objects)) ?? (await this.readEveryState(client, now, objects)));
    // A rolling re-read starts staggered: the i-th of n objects is due i/n of the way through the interval.
    const rolling = this.rolls(all.length);
    const states = new Map<string, KeptState<T>>();
    all.forEach((timed, i) =>
      states.set(this.spec.keyOf(timed.state), keepState(timed, rolling ? now + (this.fullIntervalMs * (i + 1)) / all.length : Infinity)),
    );
    this.kept = { position, readAt: now, fullAt: now, states };
    return all.map((timed) => timed.state);
  }

  /** Every object's state in one statement; of a partial read's objects only. */
  private async readEveryState(client: pg.PoolClient, now: number, objects: ObjectDigest[]): Promise<Timed<T>[]> {
    const all = await this.spec.readStates(client, now, null);
    if (!this.spec.partial) return all;
    const keys = new Set(objects.map((object) => object.key));
    return all.filter((timed) => keys.has(this.spec.keyOf(timed.state)));
  }

  /** The states of `objects`, in their order, read in slices; null if one did not come back. */
  private async readInSlices(client: pg.PoolClient, now: number, objects: ObjectDigest[]): Promise<Timed<T>[] | null> {
    const keys = objects.map((object) => object.key);
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

  /** The states of the objects with these keys (and of others the scoped statement brings), `slicing.slice` keys per statement. */
  private async readKeys(client: pg.PoolClient, now: number, keys: string[]): Promise<Map<string, Timed<T>>> {
    const found = new Map<string, Timed<T>>();
    for (let start = 0; start < keys.length; start += this.slicing.slice)
      for (const timed of await this.spec.readStates(client, now, keys.slice(start, start + this.slicing.slice)))
        found.set(this.spec.keyOf(timed.state), timed);
    return found;
  }
}

/** A read state as kept: one object per key, the read's fields and when it is due again. */
const keepState = <T>(timed: Timed<T>, rereadAt: number): KeptState<T> => ({
  state: timed.state,
  digest: timed.digest,
  expiresAt: timed.expiresAt,
  rereadAt,
});

import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { CollectorName, Snapshot } from './types';

/** One domain's read of the database: runs inside its own read-only, repeatable-read transaction. */
export interface Collector<K extends keyof Snapshot> {
  name: CollectorName;
  field: K;
  collect(client: pg.PoolClient, now: number): Promise<Snapshot[K]>;
}

/** Any domain's collector: a union over the snapshot's fields, so each one's field and value stay paired. */
export type AnyCollector = { [K in keyof Snapshot]: Collector<K> }[keyof Snapshot];

/** A collector's result as a write into the snapshot being built, applied only once the collection keeps it. */
export type SnapshotWrite = (target: Snapshot) => void;

/** Runs one collector; the write it returns puts the value into the field the collector owns, typed by K. */
export async function collectWrite<K extends keyof Snapshot>(
  collector: Collector<K>,
  client: pg.PoolClient,
  now: number,
): Promise<SnapshotWrite> {
  const value = await collector.collect(client, now);
  return (target) => {
    target[collector.field] = value;
  };
}

export const ts = (value: Date | null | undefined): number | null => (value ? value.getTime() : null);

/**
 * A timestamp column as Unix epoch milliseconds (truncated, as a JavaScript Date would be), for results
 * of tens of thousands of rows: the driver then reads a number instead of parsing a date string into a
 * Date per value, which at 40,000 connectors is most of a collection's parsing and garbage.
 */
export const epochMsSql = (column: string): string => `floor(date_part('epoch', ${column}) * 1000)`;

/**
 * One string object per distinct value within a collection. The driver creates a new string for every
 * value of every row: at 40,000 connectors of 2,000 tenants the same tenant, provider and status strings
 * (and, for rules, the names of the built-in rules once per tenant) would be kept tens of thousands of
 * times over, in memory and as objects for every full garbage collection to trace.
 */
export function interner(): <T extends string | null>(value: T) => T {
  const seen = new Map<string, string>();
  return <T extends string | null>(value: T): T => {
    if (value === null) return value;
    const known = seen.get(value);
    if (known !== undefined) return known as T;
    seen.set(value, value);
    return value;
  };
}

const BATCH_ROWS = 500;

/**
 * A large result read through a cursor BATCH_ROWS rows at a time, each batch mapped as it arrives. Read
 * in one go, a result of tens of thousands of rows reaches the driver in bursts of megabytes that it
 * parses in one turn of the event loop (a stall of tens of milliseconds for the scrapes served
 * meanwhile); a batch is parsed in a few milliseconds. The statement runs once: later batches are
 * fetched from the open portal.
 */
export async function queryInBatches<R, T>(client: pg.PoolClient, text: string, values: unknown[], map: (row: R) => T): Promise<T[]> {
  const cursor = client.query(new Cursor<R & pg.QueryResultRow>(text, values));
  const out: T[] = [];
  try {
    for (;;) {
      const rows = await cursor.read(BATCH_ROWS);
      for (const row of rows) out.push(map(row));
      if (rows.length < BATCH_ROWS) break;
    }
  } finally {
    await cursor.close();
  }
  return out;
}

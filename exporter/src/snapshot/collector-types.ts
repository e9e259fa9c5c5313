import type pg from 'pg';
import type { CollectorName, Snapshot } from './types';

/** One domain's read of the database: runs inside its own read-only, repeatable-read transaction. */
export interface Collector<K extends keyof Snapshot = keyof Snapshot> {
  name: CollectorName;
  field: K;
  collect(client: pg.PoolClient, now: number): Promise<Snapshot[K]>;
}

export const ts = (value: Date | null | undefined): number | null => (value ? value.getTime() : null);

const MAP_SLICE_ROWS = 2_000;

/**
 * rows.map(fn) with a yield to the event loop every MAP_SLICE_ROWS rows: tens of thousands of rows
 * mapped in one go would hold up the scrapes served meanwhile. Same result as rows.map(fn).
 */
export async function mapInSlices<R, T>(rows: readonly R[], fn: (row: R) => T): Promise<T[]> {
  const out: T[] = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % MAP_SLICE_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    out[i] = fn(rows[i]);
  }
  return out;
}

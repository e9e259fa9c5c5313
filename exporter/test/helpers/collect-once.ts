import type pg from 'pg';
import type { Collector } from '../../src/snapshot/collector-types';
import type { Snapshot } from '../../src/snapshot/types';

/** One collector's read in a read-only, repeatable-read transaction of its own, as the snapshot collector runs it. */
export async function collectOnce<K extends keyof Snapshot>(pool: pg.Pool, collector: Collector<K>, now: number): Promise<Snapshot[K]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const value = await collector.collect(client, now);
    await client.query('COMMIT');
    return value;
  } finally {
    client.release();
  }
}

import type pg from 'pg';
import type { CollectorName, Snapshot } from './types';

/** One domain's read of the database: runs inside its own read-only, repeatable-read transaction. */
export interface Collector<K extends keyof Snapshot = keyof Snapshot> {
  name: CollectorName;
  field: K;
  collect(client: pg.PoolClient, now: number): Promise<Snapshot[K]>;
}

export const ts = (value: Date | null | undefined): number | null => (value ? value.getTime() : null);

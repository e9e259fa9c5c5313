import type pg from 'pg';
import type { Labels } from '../metrics/family';

/**
 * One value recomputed from the database by a plain definition, at the finest detail the definition has
 * (per tenant and object). `series` is the name as /metrics writes it (`_total`, `_bucket`, ...), so a
 * difference names exactly the line an operator would look at.
 */
export interface Recomputed {
  family: string;
  series: string;
  labels: Labels;
  value: number;
}

/** A family that verify compares, and how its values are compared. */
export interface ComparedFamily {
  name: string;
  /**
   * `count`: a missing series counts as 0 (a family may leave out an object with nothing to count);
   * `timestamp`: present or absent must agree, values to the millisecond (the collectors read epoch ms).
   */
  compare: 'count' | 'timestamp';
}

export interface VerifyContext {
  client: pg.PoolClient;
  /** The snapshot's takenAt (epoch ms): `now` of every time-dependent definition. */
  now: number;
  /** Organization ids verified; null: every tenant. */
  tenantIds: string[] | null;
  /** The schedule_missed monitor's settings: the time zone of cron schedules and the grace. */
  timezone: string;
  graceSeconds: number | null;
}

/** A domain's plain definitions: the families it covers and their values recomputed in the verify transaction. */
export interface Definitions {
  domain: string;
  families: ComparedFamily[];
  recompute(ctx: VerifyContext): Promise<Recomputed[]>;
}

/** SQL condition restricting `column` (an organization id) to the verified tenants; $1 is the id array or null. */
export const tenantFilter = (column: string) => `($1::text[] IS NULL OR ${column} = ANY($1::text[]))`;

export const epochSeconds = (value: Date | null): number | null => (value === null ? null : value.getTime() / 1000);

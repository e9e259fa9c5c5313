import type pg from 'pg';

export type RunTable = 'RuleRun' | 'ConnectorSyncRun';
export type DailyTable = 'RuleRunDaily' | 'ConnectorSyncDaily';

/** Each run table's daily rollup: runs and failures per UTC day, the sum of the day's hourly rows. */
export const DAILY_TABLE: Record<RunTable, DailyTable> = { RuleRun: 'RuleRunDaily', ConnectorSyncRun: 'ConnectorSyncDaily' };

/**
 * The advisory lock (per run table) under which the rollup state changes: rollups hold it for their
 * transaction, and retention takes it to move `prunedBefore`, so a rollup never recomputes an hour
 * while retention is removing its raw rows.
 */
export const ROLLUP_LOCK_KEYS: Record<RunTable, number> = { RuleRun: 0x726f6c01, ConnectorSyncRun: 0x726f6c02 };

/**
 * Every hour before `rolledUntil` is in the running totals; rows from there on are read raw. Read in the
 * same repeatable-read transaction as the totals so a concurrent rollup can never count a run twice.
 * Before the first rollup the whole table is raw.
 */
export async function rolledUntil(client: pg.PoolClient, table: RunTable): Promise<Date> {
  const { rows } = await client.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`, [table]);
  return rows[0]?.rolledUntil ?? new Date(0);
}

/**
 * Records, before retention removes anything, that raw rows before `cutoff` may be gone. It only ever
 * moves forward: a retention shortened and lengthened again must not make a pruned hour look whole.
 */
export async function recordPrunedBefore(pool: pg.Pool, table: RunTable, cutoff: Date): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEYS[table]]);
    await client.query(`UPDATE "RollupState" SET "prunedBefore" = greatest("prunedBefore", $2) WHERE name = $1`, [table, cutoff]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

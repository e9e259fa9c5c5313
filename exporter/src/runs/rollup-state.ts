import type pg from 'pg';

export type RunTable = 'RuleRun' | 'ConnectorSyncRun';

/**
 * Every hour before `rolledUntil` is in the running totals; rows from there on are read raw. Read in the
 * same repeatable-read transaction as the totals so a concurrent rollup can never count a run twice.
 * Before the first rollup the whole table is raw.
 */
export async function rolledUntil(client: pg.PoolClient, table: RunTable): Promise<Date> {
  const { rows } = await client.query<{ rolledUntil: Date }>(
    `SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`,
    [table],
  );
  return rows[0]?.rolledUntil ?? new Date(0);
}

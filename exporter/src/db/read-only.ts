import type pg from 'pg';

/**
 * Runs `read` in a read-only, repeatable-read transaction under statement_timeout, like a snapshot
 * collector: the reads see one consistent state (a rollup committing meanwhile cannot count a run
 * twice) and a slow plan is cut off. A connection that failed is discarded, never handed back.
 */
export async function inReadOnlyTransaction<T>(
  pool: pg.Pool,
  statementTimeoutMs: number,
  read: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(statementTimeoutMs)}`);
    const value = await read(client);
    await client.query('COMMIT');
    return value;
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}

import type pg from 'pg';

/**
 * No JIT in the collectors' reads: they are short aggregates over indexed ranges, where compiling costs
 * more than it saves. On stock PostgreSQL 15 at full scale (jit on, jit_above_cost 100000) JIT spent
 * ~3.3 s of the connectors read's 5.9 s compiling, and collections ran into their statement_timeout.
 * Local to the transaction; a server without JIT support accepts the setting too.
 */
export const JIT_OFF_SQL = 'SET LOCAL jit = off';

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
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(statementTimeoutMs)}; ${JIT_OFF_SQL}`);
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

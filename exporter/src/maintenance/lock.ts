import type pg from 'pg';

/**
 * One maintenance run at a time across every exporter replica and `aperio-exporter maintenance`: a
 * session advisory lock held on a connection of its own for the whole run. The exporter's loop only
 * tries it (a replica that finds it taken skips its turn); the CLI waits for it, up to a bound.
 */
export const MAINTENANCE_LOCK_KEY = 0x6d61696e; // 'main'

/** Runs `job` under the lock, or returns null when the lock was not granted within `waitMs` (0: no wait). */
export async function withMaintenanceLock<T>(pool: pg.Pool, waitMs: number, job: () => Promise<T>): Promise<{ value: T } | null> {
  const client = await pool.connect();
  let locked = false;
  try {
    if (waitMs <= 0) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [MAINTENANCE_LOCK_KEY]);
      locked = rows[0].ok;
    } else {
      // lock_timeout bounds the wait for an advisory lock like any other lock.
      await client.query(`SET lock_timeout = ${Math.trunc(waitMs)}`);
      locked = await client.query('SELECT pg_advisory_lock($1)', [MAINTENANCE_LOCK_KEY]).then(
        () => true,
        (err: { code?: string }) => {
          if (err.code === '55P03') return false; // lock_not_available
          throw err;
        },
      );
      await client.query('RESET lock_timeout');
    }
    if (!locked) return null;
    return { value: await job() };
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [MAINTENANCE_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}

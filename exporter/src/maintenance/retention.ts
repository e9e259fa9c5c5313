import type pg from 'pg';
import { REROLL_HOURS } from '../runs/rollup';
import type { RunTable } from '../runs/rollup-state';

/**
 * Raw run rows live as long as their tenant's dataRetentionDays; hourly rollups and running totals are
 * never pruned here. Two mechanisms, cheapest first:
 *  - whole daily partitions (<Table>_pYYYYMMDD) that end before the longest retention of any tenant are
 *    dropped: no row-by-row delete, no table rewrite, no bloat;
 *  - rows of tenants with a shorter retention, and old rows that landed in the DEFAULT partition, are
 *    deleted in bounded batches, one short transaction each, so no lock is held for long.
 * Nothing at or after the rollup watermark (minus the hours a rollup re-reads) is ever removed: a row is
 * only deleted once it is counted in the rollups, so no counter can go backwards. Re-running is a no-op.
 */
export const RUN_TABLES: RunTable[] = ['RuleRun', 'ConnectorSyncRun'];
export const DELETE_BATCH_ROWS = 10_000;
const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

export interface RetentionResult {
  table: RunTable;
  partitionsDropped: string[];
  rowsDeleted: number;
}

export interface RetentionOptions {
  batchRows?: number;
  /** A partition whose lock is not granted within this time is left for the next run. */
  lockTimeoutMs?: number;
}

export async function applyRetention(pool: pg.Pool, table: RunTable, now = Date.now(), options: RetentionOptions = {}): Promise<RetentionResult> {
  const result: RetentionResult = { table, partitionsDropped: [], rowsDeleted: 0 };
  const safeUntil = await deletableUntil(pool, table);
  if (safeUntil === null) return result; // never rolled up: every row still feeds the counters
  const tenants = await pool.query<{ id: string; days: number }>(`SELECT id, "dataRetentionDays" AS days FROM "Organization"`);
  if (!tenants.rows.length) return result;
  const longest = Math.max(...tenants.rows.map((t) => t.days));
  const cutoff = (days: number) => new Date(Math.min(now - days * DAY_MS, safeUntil));
  const batch = options.batchRows ?? DELETE_BATCH_ROWS;

  result.partitionsDropped = await dropPartitionsBefore(pool, table, cutoff(longest), options.lockTimeoutMs ?? 5_000);
  for (const tenant of tenants.rows) {
    if (tenant.days >= longest) continue; // its rows leave with whole partitions
    result.rowsDeleted += await deleteInBatches(pool, table, cutoff(tenant.days), batch, tenant.id);
  }
  // Rows dated where no daily partition existed sit in the DEFAULT partition; partition drops never reach them.
  result.rowsDeleted += await deleteInBatches(pool, `${table}_default`, cutoff(longest), batch, null);
  return result;
}

/** The end of what the rollups hold and will not re-read, or null before the first rollup. */
async function deletableUntil(pool: pg.Pool, table: RunTable): Promise<number | null> {
  const { rows } = await pool.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`, [table]);
  return rows[0] ? rows[0].rolledUntil.getTime() - REROLL_HOURS * HOUR_MS : null;
}

async function dropPartitionsBefore(pool: pg.Pool, table: RunTable, cutoff: Date, lockTimeoutMs: number): Promise<string[]> {
  // A partition's upper bound is the next day in the session time zone, as aperio_ensure_daily_partitions made it.
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass(format('%I', $1::text)) AND c.relname ~ ('^' || $1 || '_p[0-9]{8}$')
       AND (to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamptz <= $2
     ORDER BY c.relname`,
    [table, cutoff],
  );
  const dropped: string[] = [];
  for (const { name } of rows) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // DROP needs an exclusive lock on the parent: wait briefly rather than queue every writer behind it.
      await client.query(`SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
      await client.query(`DROP TABLE IF EXISTS "${name.replace(/"/g, '""')}"`);
      await client.query('COMMIT');
      dropped.push(name);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if ((err as { code?: string }).code !== '55P03') throw err; // lock_not_available: retried next run
    } finally {
      client.release();
    }
  }
  return dropped;
}

/** Deletes rows before `cutoff` (of one tenant, or all), `batch` rows per statement, until none are left. */
async function deleteInBatches(pool: pg.Pool, table: string, cutoff: Date, batch: number, tenantId: string | null): Promise<number> {
  const sql = `
    DELETE FROM "${table}" r USING (
      SELECT id, "startedAt" FROM "${table}"
      WHERE "startedAt" < $1 AND ($2::text IS NULL OR "organizationId" = $2)
      LIMIT $3
    ) d
    WHERE r.id = d.id AND r."startedAt" = d."startedAt"`;
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(sql, [cutoff, tenantId, batch]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return total;
  }
}

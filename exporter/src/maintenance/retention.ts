import type pg from 'pg';
import { REROLL_HOURS } from '../runs/rollup';
import { CHANGE_KEY_COLUMN, logEverythingChanged, pruneChanges } from '../runs/change-log';
import { recordPrunedBefore, type RunTable } from '../runs/rollup-state';

/**
 * Raw run rows live as long as their tenant's dataRetentionDays; hourly rollups and running totals are
 * never pruned here. Two mechanisms, cheapest first:
 *  - whole daily partitions (<Table>_pYYYYMMDD) that end before the longest retention of any tenant are
 *    dropped: no row-by-row delete, no table rewrite, no bloat;
 *  - rows of tenants with a shorter retention, and old rows that landed in the DEFAULT partition, are
 *    deleted in bounded batches, one short transaction each, so no lock is held for long.
 * Nothing at or after the rollup watermark (minus the hours a rollup re-reads) is ever removed: a row is
 * only deleted once it is counted in the rollups, so no counter can go backwards. Deletes leave no
 * late-run marker (the run tables' triggers fire on INSERT and UPDATE only), and the rollup never
 * recomputes an hour before the recorded `prunedBefore`. Re-running is a no-op.
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

/** What retention removes for one run table at `now`: the cutoffs per tenant retention, or null before the first rollup. */
interface RetentionScope {
  longestCutoff: Date;
  /** The shortest retention's cutoff, the latest: no raw row at or after it is removed. */
  shortestCutoff: Date;
  /** Tenants with a shorter retention than the longest, by retention value. */
  shorter: { days: number; cutoff: Date }[];
}

async function retentionScope(pool: pg.Pool, table: RunTable, now: number, rolledUntil?: number): Promise<RetentionScope | null> {
  const safeUntil = rolledUntil === undefined ? await deletableUntil(pool, table) : rolledUntil - REROLL_HOURS * HOUR_MS;
  if (safeUntil === null) return null; // never rolled up: every row still feeds the counters
  // Tenants are handled per distinct retention (a handful of values), not one by one: thousands of
  // tenants would otherwise cost thousands of statements on every run, even with nothing to delete.
  const retentions = await pool.query<{ days: number }>(`SELECT DISTINCT "dataRetentionDays" AS days FROM "Organization" ORDER BY 1`);
  if (!retentions.rows.length) return null;
  const longest = retentions.rows[retentions.rows.length - 1].days;
  const cutoff = (days: number) => new Date(Math.min(now - days * DAY_MS, safeUntil));
  return {
    longestCutoff: cutoff(longest),
    shortestCutoff: cutoff(retentions.rows[0].days),
    // The longest-retention tenants' rows leave with whole partitions.
    shorter: retentions.rows.filter(({ days }) => days < longest).map(({ days }) => ({ days, cutoff: cutoff(days) })),
  };
}

export async function applyRetention(
  pool: pg.Pool,
  table: RunTable,
  now = Date.now(),
  options: RetentionOptions = {},
): Promise<RetentionResult> {
  const result: RetentionResult = { table, partitionsDropped: [], rowsDeleted: 0 };
  await pruneChanges(pool, table);
  const scope = await retentionScope(pool, table, now);
  if (!scope) return result;
  const batch = options.batchRows ?? DELETE_BATCH_ROWS;
  // The shortest retention has the latest cutoff: no raw row at or after it is removed by this run. Said
  // before anything is removed, so a rollup never recomputes a late hour that lost raw rows.
  await recordPrunedBefore(pool, table, scope.shortestCutoff);

  const droppable = await partitionsEndingBefore(pool, table, scope.longestCutoff);
  result.partitionsDropped = await dropPartitions(pool, table, droppable, options.lockTimeoutMs ?? 5_000);
  for (const { days, cutoff } of scope.shorter) {
    const partitions = await partitionsStartingBefore(pool, table, cutoff);
    result.rowsDeleted += await deleteInBatches(pool, table, partitions, cutoff, batch, days);
  }
  // Rows dated where no daily partition existed sit in the DEFAULT partition; partition drops never reach them.
  result.rowsDeleted += await deleteInBatches(pool, table, [`${table}_default`], scope.longestCutoff, batch, null);
  return result;
}

/**
 * What applyRetention would remove at `now`, without removing anything (`maintenance --dry-run`);
 * `rolledUntil` is the watermark the rollups will have reached by then.
 */
export async function planRetention(pool: pg.Pool, table: RunTable, now: number, rolledUntil: number): Promise<RetentionResult> {
  const plan: RetentionResult = { table, partitionsDropped: [], rowsDeleted: 0 };
  const scope = await retentionScope(pool, table, now, rolledUntil);
  if (!scope) return plan;
  plan.partitionsDropped = await partitionsEndingBefore(pool, table, scope.longestCutoff);
  const dropped = new Set(plan.partitionsDropped);
  const earliest = new Date(Math.max(scope.longestCutoff.getTime(), ...scope.shorter.map((s) => s.cutoff.getTime())));
  for (const partition of await partitionsStartingBefore(pool, table, earliest)) {
    if (dropped.has(partition)) continue;
    const isDefault = partition === `${table}_default`;
    // The same rows the deletes pick: a shorter-retention tenant's rows before its cutoff, and in the
    // DEFAULT partition also every row before the longest retention's cutoff.
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${partition.replace(/"/g, '""')}" p
       LEFT JOIN "Organization" o ON o.id = p."organizationId"
       LEFT JOIN unnest($1::int[], $2::timestamptz[]) AS r(days, cutoff) ON r.days = o."dataRetentionDays"
       WHERE p."startedAt" < r.cutoff OR ($3 AND p."startedAt" < $4)`,
      [scope.shorter.map((s) => s.days), scope.shorter.map((s) => s.cutoff), isDefault, scope.longestCutoff],
    );
    plan.rowsDeleted += Number(rows[0].n);
  }
  return plan;
}

/** The end of what the rollups hold and will not re-read, or null before the first rollup. */
async function deletableUntil(pool: pg.Pool, table: RunTable): Promise<number | null> {
  const { rows } = await pool.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = $1`, [table]);
  return rows[0] ? rows[0].rolledUntil.getTime() - REROLL_HOURS * HOUR_MS : null;
}

async function partitionsEndingBefore(pool: pg.Pool, table: RunTable, cutoff: Date): Promise<string[]> {
  // A partition's upper bound is the next day in the session time zone, as aperio_ensure_daily_partitions made it.
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass(format('%I', $1::text)) AND c.relname ~ ('^' || $1 || '_p[0-9]{8}$')
       AND (to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamptz <= $2
     ORDER BY c.relname`,
    [table, cutoff],
  );
  return rows.map((row) => row.name);
}

async function dropPartitions(pool: pg.Pool, table: RunTable, names: string[], lockTimeoutMs: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const name of names) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // DROP needs an exclusive lock on the parent: wait briefly rather than queue every writer behind it.
      await client.query(`SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
      await client.query(`DROP TABLE IF EXISTS "${name.replace(/"/g, '""')}"`);
      // No trigger sees a drop: the collectors re-read the whole table once this commits.
      await logEverythingChanged(client, table);
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

/**
 * Deletes rows before `cutoff` from the given partitions, of the tenants with `retentionDays` (or of
 * every tenant when null), one partition at a time and `batch` rows per statement, until none are left. Working on each partition
 * directly keeps every statement a plain index probe plus a TID scan: a delete through the parent
 * would join back across all partitions.
 */
async function deleteInBatches(
  pool: pg.Pool,
  table: RunTable,
  partitions: string[],
  cutoff: Date,
  batch: number,
  retentionDays: number | null,
): Promise<number> {
  let total = 0;
  for (const partition of partitions) {
    const name = `"${partition.replace(/"/g, '""')}"`;
    // Per tenant through a lateral probe, so the plan stays an index range scan per tenant: a plain
    // IN (...) filter may be planned as a scan of every old row, costly when nothing is left to delete.
    const picked =
      retentionDays === null
        ? `SELECT ctid FROM ${name} WHERE "startedAt" < $1 LIMIT $2`
        : `SELECT x.ctid FROM "Organization" o
           CROSS JOIN LATERAL (SELECT ctid FROM ${name} WHERE "organizationId" = o.id AND "startedAt" < $1 LIMIT $2) x
           WHERE o."dataRetentionDays" = $3 LIMIT $2`;
    const params = retentionDays === null ? [cutoff, batch] : [cutoff, batch, retentionDays];
    // A delete straight from a partition fires no trigger of the parent's: the change log is written here,
    // in the same statement, for the collectors whose recent reads may have held these rows.
    const key = `"${CHANGE_KEY_COLUMN[table]}"`;
    for (;;) {
      const { rows } = await pool.query<{ deleted: number }>(
        `WITH gone AS (DELETE FROM ${name} WHERE ctid = ANY(ARRAY(${picked})) RETURNING "organizationId", ${key}),
         logged AS (INSERT INTO "RunChange" ("table", "organizationId", key)
                    SELECT DISTINCT '${table}', "organizationId"::text, ${key}::text FROM gone)
         SELECT count(*)::int AS deleted FROM gone`,
        params,
      );
      total += rows[0].deleted;
      if (rows[0].deleted < batch) break;
    }
  }
  return total;
}

/** The partitions of a run table (the DEFAULT one included) that may hold rows before `cutoff`. */
async function partitionsStartingBefore(pool: pg.Pool, table: string, cutoff: Date): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass(format('%I', $1::text))
       AND (c.relname !~ ('^' || $1 || '_p[0-9]{8}$') OR to_date(right(c.relname, 8), 'YYYYMMDD')::timestamptz < $2)
     ORDER BY c.relname`,
    [table, cutoff],
  );
  return rows.map((row) => row.name);
}

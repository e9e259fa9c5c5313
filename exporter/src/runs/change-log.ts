import type pg from 'pg';
import { DAILY_TABLE, type DailyTable, type RunTable } from './rollup-state';

/**
 * The run change log ("RunChange", migration 010): which rules and connections had runs written,
 * corrected or removed, and by which transaction. Triggers on the run tables write it for Aperio's
 * workers; the exporter writes it where it changes what a collector reads without going through those
 * triggers (a rollup moving a running total, retention removing rows straight from a partition).
 *
 * Rows are kept CHANGE_LOG_KEEP_MS; a collector whose previous read is older than half that reads
 * everything again instead of trusting the log.
 */
export const CHANGE_LOG_KEEP_MS = 3600_000;

/** The key column each run table logs beside the tenant. */
export const CHANGE_KEY_COLUMN: Record<RunTable, string> = { RuleRun: 'ruleId', ConnectorSyncRun: 'connectionId' };

export interface RunChanges {
  /** Some change names no key (a partition dropped): every key of the table may have changed. */
  everything: boolean;
  /** Distinct (tenant, key) pairs, as text. */
  changes: { organizationId: string; key: string }[];
}

/** Where a read stands in the transaction history: the next read of changes starts from it. */
export interface ReadPosition {
  /** pg_current_snapshot() of the reading transaction, as text. */
  snapshot: string;
  /** The database's clock at the read (transaction start): the log's retention is on that clock. */
  databaseTime: number;
}

/** The position of the caller's (repeatable-read) transaction: its snapshot, the one every read in it uses. */
export async function readPosition(client: pg.PoolClient): Promise<ReadPosition> {
  const { rows } = await client.query<{ snapshot: string; at: number }>(
    `SELECT pg_current_snapshot()::text AS snapshot, floor(date_part('epoch', now()) * 1000)::float8 AS at`,
  );
  return { snapshot: rows[0].snapshot, databaseTime: rows[0].at };
}

/**
 * The changes to `table` that the transaction at `since` could not see and the caller's transaction
 * can: written by a transaction that was still running, or not yet begun, when `since` was taken.
 * Every transaction older than the snapshot's xmin had ended by then, so the index range starts there.
 */
export async function readChanges(client: pg.PoolClient, table: RunTable, since: ReadPosition): Promise<RunChanges> {
  const { rows } = await client.query<{ organizationId: string | null; key: string | null }>(
    `SELECT DISTINCT "organizationId", key FROM "RunChange"
     WHERE xid >= pg_snapshot_xmin($2::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $2::pg_snapshot) AND "table" = $1`,
    [table, since.snapshot],
  );
  const changes: RunChanges['changes'] = [];
  let everything = false;
  for (const row of rows) {
    if (row.key === null || row.organizationId === null) everything = true;
    else changes.push({ organizationId: row.organizationId, key: row.key });
  }
  return { everything, changes };
}

/**
 * The earliest day of `table` (a daily rollup) that a rollup changed in a transaction the read at
 * `since` could not see and the caller's can, as YYYY-MM-DD; '' for a row naming no day; null: none.
 */
export async function earliestChangedDay(client: pg.PoolClient, table: DailyTable, since: ReadPosition): Promise<string | null> {
  const { rows } = await client.query<{ day: string | null }>(
    `SELECT min(coalesce(key, '')) AS day FROM "RunChange"
     WHERE xid >= pg_snapshot_xmin($2::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $2::pg_snapshot) AND "table" = $1`,
    [table, since.snapshot],
  );
  return rows[0].day;
}

/**
 * A CTE (for a statement with a CTE `source` returning the daily rollup rows it wrote, with their
 * `day`) that logs the earliest of those days, when there is one (migration 011).
 */
export function changedDaysLogSql(table: DailyTable, source: string): string {
  return `INSERT INTO "RunChange" ("table", key) SELECT '${table}', to_char(min(day), 'YYYY-MM-DD') FROM ${source} HAVING count(*) > 0`;
}

/** Logs that any key of `table` may have changed (a partition dropped), in the caller's transaction. */
export async function logEverythingChanged(client: pg.PoolClient, table: RunTable): Promise<void> {
  await client.query(`INSERT INTO "RunChange" ("table") VALUES ($1)`, [table]);
}

/**
 * Removes log rows of a run table and of its daily rollup that no collector still needs: older than
 * CHANGE_LOG_KEEP_MS on the database's clock.
 */
export async function pruneChanges(pool: pg.Pool, table: RunTable): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM "RunChange" WHERE "table" IN ($1, $2) AND "loggedAt" < now() - $3::int * interval '1 millisecond'`,
    [table, DAILY_TABLE[table], CHANGE_LOG_KEEP_MS],
  );
  return rowCount ?? 0;
}

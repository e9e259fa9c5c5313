import type pg from 'pg';
import { UserError } from '../config/user-error';
import { Progress } from '../util/progress';

/**
 * Adopting run tables that an earlier phase of Aperio created itself: a plain `RuleRun` or
 * `ConnectorSyncRun` that `migrate` did not make. The migration that creates the partitioned tables
 * renames such a table to `<Table>_adopted` (with its indexes and sequences) in its own transaction, so
 * the workers' next insert lands in the new table; the old rows are then copied over in batches of
 * physical blocks, each batch committed with its progress in "_aperio_adoptions", so an interrupted copy
 * resumes where it stopped and nothing is copied twice. The old table is only read, and kept until the
 * operator drops it.
 */
export const ADOPTABLE_TABLES = ['RuleRun', 'ConnectorSyncRun'] as const;
type RunTableName = (typeof ADOPTABLE_TABLES)[number];

/** The columns of the partitioned tables (001_run_tables.sql); `required`: NOT NULL without a default. */
export const RUN_TABLE_COLUMNS: Record<RunTableName, { required: string[]; optional: string[] }> = {
  RuleRun: {
    required: ['organizationId', 'ruleId', 'trigger', 'startedAt', 'status'],
    optional: ['id', 'scheduledFor', 'finishedAt', 'durationMs', 'eventsEvaluated', 'findingsOpened', 'error', 'traceId'],
  },
  ConnectorSyncRun: {
    required: ['organizationId', 'connectionId', 'provider', 'trigger', 'startedAt', 'status'],
    optional: ['id', 'scheduledFor', 'finishedAt', 'durationMs', 'recordsIngested', 'error', 'traceId'],
  },
};

const adoptedName = (table: string) => `${table}_adopted`;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const BATCH_BLOCKS = 256;

export interface ForeignRunTable {
  table: RunTableName;
  columns: string[];
  /** Required columns of the partitioned table the old one lacks: adoption is refused without them. */
  missing: string[];
  /** Columns only the old table has: they stay there, not copied. */
  extra: string[];
  integerIds: boolean;
}

/** Run tables present before the migration that creates them has run, i.e. not made by `migrate`. */
export async function findForeignRunTables(client: pg.ClientBase): Promise<ForeignRunTable[]> {
  const found: ForeignRunTable[] = [];
  for (const table of ADOPTABLE_TABLES) {
    const { rows } = await client.query<{ column_name: string; udt_name: string }>(
      `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [table],
    );
    if (!rows.length) continue;
    const columns = rows.map((r) => r.column_name);
    const spec = RUN_TABLE_COLUMNS[table];
    found.push({
      table,
      columns,
      missing: spec.required.filter((c) => !columns.includes(c)),
      extra: columns.filter((c) => !spec.required.includes(c) && !spec.optional.includes(c)),
      integerIds: ['int2', 'int4', 'int8'].includes(rows.find((r) => r.column_name === 'id')?.udt_name ?? ''),
    });
  }
  return found;
}

/** Refuses, with the exact remedy, unless `--adopt` was given and every table can be adopted. */
export function assertAdoptable(foreign: ForeignRunTable[], adopt: boolean): void {
  if (!foreign.length) return;
  const names = foreign.map((f) => `"${f.table}"`).join(' and ');
  const unfit = foreign.filter((f) => f.missing.length);
  if (unfit.length) {
    throw new UserError(
      `${names} already exist${foreign.length > 1 ? '' : 's'} and ${unfit.map((f) => `"${f.table}" lacks ${f.missing.map((c) => `"${c}"`).join(', ')}`).join('; ')}, which the exporter's run tables require`,
      `add the missing column(s) with their values, e.g. ${unfit
        .flatMap((f) =>
          f.missing.map(
            (c) =>
              `ALTER TABLE "${f.table}" ADD COLUMN "${c}" ${c === 'startedAt' ? 'timestamptz' : 'text'} NOT NULL DEFAULT ${c === 'trigger' ? `'SCHEDULE'` : '...'}`,
          ),
        )
        .join('; ')}, then run \`aperio-exporter migrate --adopt\`; or rename the table if it is not Aperio's run table`,
    );
  }
  if (!adopt) {
    const extra = foreign.filter((f) => f.extra.length).map((f) => ` ("${f.table}" columns not copied: ${f.extra.join(', ')})`);
    throw new UserError(
      `${names} already exist${foreign.length > 1 ? '' : 's'} but ${foreign.length > 1 ? 'were' : 'was'} not created by aperio-exporter migrate; the columns fit${extra.join('')}`,
      `run \`aperio-exporter migrate --adopt\`: it renames ${foreign.map((f) => `"${f.table}" to "${adoptedName(f.table)}"`).join(', ')} and copies the rows into the partitioned table in batches, with progress, resumable if interrupted; writers keep writing to "${foreign[0].table}" throughout`,
    );
  }
}

/** In the migration's transaction, before it creates the tables: the old table and its relations step aside. */
export async function renameForeignRunTables(client: pg.ClientBase, foreign: ForeignRunTable[]): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS "_aperio_adoptions" (
    name text PRIMARY KEY, source text NOT NULL, "integerIds" boolean NOT NULL, columns text[] NOT NULL,
    "nextBlock" bigint NOT NULL DEFAULT 0, copied bigint NOT NULL DEFAULT 0, "finishedAt" timestamptz)`);
  for (const f of foreign) {
    // Indexes and sequences keep their names through a table rename; the new table needs those names.
    const { rows } = await client.query<{ relname: string; relkind: string }>(
      `SELECT c.relname, c.relkind FROM pg_class c
       WHERE c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = to_regclass($1))
          OR c.oid IN (SELECT objid FROM pg_depend WHERE refobjid = to_regclass($1) AND classid = 'pg_class'::regclass AND deptype IN ('a', 'i') AND objid <> refobjid)`,
      [q(f.table)],
    );
    for (const { relname, relkind } of rows) {
      if (!relname.startsWith(f.table) || !['i', 'S'].includes(relkind)) continue;
      await client.query(`ALTER ${relkind === 'S' ? 'SEQUENCE' : 'INDEX'} ${q(relname)} RENAME TO ${q(`${relname}_adopted`)}`);
    }
    await client.query(`ALTER TABLE ${q(f.table)} RENAME TO ${q(adoptedName(f.table))}`);
    const copied = f.columns.filter(
      (c) =>
        RUN_TABLE_COLUMNS[f.table].required.includes(c) ||
        (RUN_TABLE_COLUMNS[f.table].optional.includes(c) && (c !== 'id' || f.integerIds)),
    );
    await client.query(`INSERT INTO "_aperio_adoptions" (name, source, "integerIds", columns) VALUES ($1, $2, $3, $4)`, [
      f.table,
      adoptedName(f.table),
      f.integerIds,
      copied,
    ]);
  }
}

export interface AdoptionReport {
  table: string;
  source: string;
  copied: number;
}

/** Copies what is left of every unfinished adoption; `stopAfterBatches` interrupts on purpose (tests). */
export async function copyAdoptedRows(
  pool: pg.Pool,
  options: { stopAfterBatches?: number; progress?: boolean } = {},
): Promise<AdoptionReport[]> {
  const exists = await pool.query<{ ok: boolean }>(`SELECT to_regclass('"_aperio_adoptions"') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return [];
  const { rows: pending } = await pool.query<{
    name: RunTableName;
    source: string;
    integerIds: boolean;
    columns: string[];
    nextBlock: string;
  }>(`SELECT name, source, "integerIds", columns, "nextBlock" FROM "_aperio_adoptions" WHERE "finishedAt" IS NULL ORDER BY name`);
  const reports: AdoptionReport[] = [];
  let batches = 0;
  for (const adoption of pending) {
    const source = q(adoption.source);
    const target = q(adoption.name);
    const cols = adoption.columns.map(q).join(', ');
    // The old table gets no more writes (renamed away), so its blocks and row addresses are fixed.
    const size = await pool.query<{ blocks: string }>(
      `SELECT pg_relation_size($1::regclass) / current_setting('block_size')::bigint AS blocks`,
      [source],
    );
    const blocks = Number(size.rows[0].blocks);
    if (Number(adoption.nextBlock) === 0) {
      // Daily partitions for the whole old range first: a row in the DEFAULT partition would block them later.
      await pool.query(
        `SELECT aperio_ensure_daily_partitions($1, (SELECT min("startedAt") FROM ${source})::date, (SELECT max("startedAt") FROM ${source})::date + 1)
         WHERE EXISTS (SELECT 1 FROM ${source})`,
        [adoption.name],
      );
    }
    const progress = options.progress ? new Progress(`adopt ${adoption.name}`, blocks) : null;
    for (let next = Number(adoption.nextBlock); next < blocks; next += BATCH_BLOCKS) {
      if (options.stopAfterBatches !== undefined && batches++ >= options.stopAfterBatches) return reports;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // A TID range scan reads just these blocks (PostgreSQL 14 and later).
        const moved = await client.query(
          `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${source} WHERE ctid >= format('(%s,0)', $1::bigint)::tid AND ctid < format('(%s,0)', $2::bigint)::tid`,
          [next, next + BATCH_BLOCKS],
        );
        await client.query(`UPDATE "_aperio_adoptions" SET "nextBlock" = $2, copied = copied + $3 WHERE name = $1`, [
          adoption.name,
          next + BATCH_BLOCKS,
          moved.rowCount ?? 0,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new UserError(
          `adopting "${adoption.source}" failed at block ${next}: ${(err as Error).message}`,
          'fix the row(s) it names in the old table, then run `aperio-exporter migrate --adopt` again: it resumes there',
        );
      } finally {
        client.release();
      }
      progress?.update(Math.min(blocks, next + BATCH_BLOCKS));
    }
    if (adoption.integerIds)
      await pool.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), greatest((SELECT max(id) FROM ${target}), 1))`, [target]);
    const done = await pool.query<{ copied: string }>(
      `UPDATE "_aperio_adoptions" SET "finishedAt" = now() WHERE name = $1 RETURNING copied`,
      [adoption.name],
    );
    reports.push({ table: adoption.name, source: adoption.source, copied: Number(done.rows[0].copied) });
  }
  return reports;
}

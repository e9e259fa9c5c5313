import type pg from 'pg';
import { CORE_CONTRACT, indexDdl, OWNED_TABLES, RECOMMENDED_INDEXES, TYPE_FAMILIES, type RecommendedIndex } from './contract';
import { findForeignRunTables } from './adopt';
import { loadMigrations } from './migrate';

export interface Check {
  name: string;
  ok: boolean;
  /** A failing check that does not stop the exporter (a missing optional column or recommended index). */
  warning?: boolean;
  detail?: string;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  udt_name: string;
  data_type: string;
}

/** Checks a database against the contract: tables, columns and their types, privileges, migrations, indexes. */
export async function checkSchema(pool: pg.Pool): Promise<Check[]> {
  const checks: Check[] = [];
  const { rows } = await pool.query<ColumnRow>(
    `SELECT table_name, column_name, udt_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  const columns = new Map<string, Map<string, ColumnRow>>();
  for (const row of rows) columns.set(row.table_name, (columns.get(row.table_name) ?? new Map()).set(row.column_name, row));

  for (const [table, wanted] of Object.entries(CORE_CONTRACT)) {
    const have = columns.get(table);
    if (!have) {
      checks.push({ name: `table "${table}"`, ok: false, detail: `missing: the exporter reads ${wanted.map((c) => c.name).join(', ')}` });
      continue;
    }
    const missing = wanted.filter((c) => !have.has(c.name) && !c.withoutIt);
    const wrongType = wanted.flatMap((c) => {
      const found = have.get(c.name);
      // Enum types (data_type USER-DEFINED) count as text: Prisma maps its enums to them.
      const accepted =
        found && (TYPE_FAMILIES[c.type].includes(found.udt_name) || (c.type === 'text' && found.data_type === 'USER-DEFINED'));
      return found && !accepted
        ? [
            `"${table}"."${c.name}" is ${found.udt_name}, the exporter needs ${c.type === 'id' ? 'an id (text, uuid or integer)' : c.type === 'integer' ? 'an integer' : `a ${c.type}`}`,
          ]
        : [];
    });
    const problems = [
      ...(missing.length
        ? [`missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${table}"."${c.name}"`).join(', ')}`]
        : []),
      ...wrongType,
    ];
    checks.push({
      name: `table "${table}"`,
      ok: problems.length === 0,
      detail: problems.length ? problems.join('; ') : `${wanted.length} columns`,
    });
    for (const optional of wanted.filter((c) => c.withoutIt && !have.has(c.name))) {
      checks.push({
        name: `column "${table}"."${optional.name}"`,
        ok: false,
        warning: true,
        detail: `missing (optional): ${optional.withoutIt}`,
      });
    }
    if (problems.length === 0) {
      const priv = await pool.query<{ ok: boolean }>(`SELECT has_table_privilege(format('%I', $1::text), 'SELECT') AS ok`, [table]);
      checks.push({
        name: `SELECT on "${table}"`,
        ok: priv.rows[0].ok,
        detail: priv.rows[0].ok ? undefined : `GRANT SELECT ON "${table}" TO ${'<exporter user>'}`,
      });
    }
  }

  const applied = await pool
    .query<{ version: number }>(`SELECT version FROM "_aperio_migrations"`)
    .then((r) => new Set(r.rows.map((row) => row.version)))
    .catch(() => new Set<number>());
  const pending = loadMigrations().filter((m) => !applied.has(m.version));
  checks.push({
    name: 'migrations',
    ok: pending.length === 0,
    detail: pending.length
      ? `not applied: ${pending.map((m) => m.name).join(', ')} (run: aperio-exporter migrate)`
      : `${applied.size} applied`,
  });
  if (pending.some((m) => m.version === 1)) {
    for (const f of await findForeignRunTables(pool as unknown as pg.ClientBase)) {
      checks.push({
        name: `table "${f.table}"`,
        ok: false,
        detail: `exists but was not created by aperio-exporter migrate: ${f.missing.length ? `it lacks ${f.missing.join(', ')}; see \`aperio-exporter migrate\` for the remedy` : 'run `aperio-exporter migrate --adopt` to move its rows into the partitioned table'}`,
      });
    }
  }
  for (const table of OWNED_TABLES) {
    if (!columns.has(table)) continue;
    const priv = await pool.query<{ ok: boolean }>(`SELECT has_table_privilege(format('%I', $1::text), 'INSERT') AS ok`, [table]);
    if (!priv.rows[0].ok)
      checks.push({ name: `INSERT on "${table}"`, ok: false, detail: `GRANT INSERT, UPDATE, DELETE ON "${table}" TO <exporter user>` });
  }
  for (const index of RECOMMENDED_INDEXES) {
    if (!columns.has(index.table) || !index.columns.every((c) => columns.get(index.table)!.has(c))) continue;
    const match = await findEquivalentIndex(pool, index);
    checks.push({
      name: `index "${index.name}"`,
      ok: match !== null,
      warning: match === null,
      detail:
        match === null ? `recommended for fast collection: ${indexDdl(index)}` : match === index.name ? undefined : `present as "${match}"`,
    });
  }
  return checks;
}

/**
 * The name of a valid index with the recommended index's columns (in order) and predicate, or null.
 * The predicate is compared in PostgreSQL's own words: the recommended index is built on an empty
 * temporary copy of the table, in a transaction that is rolled back, and both predicates deparsed.
 */
async function findEquivalentIndex(pool: pg.Pool, index: RecommendedIndex): Promise<string | null> {
  const client = await pool.connect();
  try {
    const existing = await client.query<{ name: string; columns: string[]; predicate: string | null }>(
      `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate,
              ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = to_regclass(format('%I', $1::text)) AND i.indisvalid`,
      [index.table],
    );
    const sameColumns = existing.rows.filter((row) => row.columns.join(',') === index.columns.join(','));
    if (!sameColumns.length) return null;
    let wanted: string | null;
    try {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE aperio_doctor_probe (LIKE "${index.table}")`);
      await client.query(
        `CREATE INDEX aperio_doctor_probe_idx ON aperio_doctor_probe (${index.columns.map((c) => `"${c}"`).join(', ')}) WHERE ${index.predicate}`,
      );
      const probe = await client.query<{ predicate: string }>(
        `SELECT pg_get_expr(indpred, indrelid) AS predicate FROM pg_index WHERE indexrelid = 'pg_temp.aperio_doctor_probe_idx'::regclass`,
      );
      wanted = probe.rows[0].predicate;
    } catch {
      // No TEMP privilege (or a predicate this table cannot take): fall back to the name.
      return sameColumns.some((row) => row.name === index.name) ? index.name : null;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
    const same = sameColumns.filter((row) => row.predicate === wanted);
    return same.find((row) => row.name === index.name)?.name ?? same[0]?.name ?? null;
  } finally {
    client.release();
  }
}

export const blockingFailures = (checks: Check[]) => checks.filter((check) => !check.ok && !check.warning);

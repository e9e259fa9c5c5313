import type pg from 'pg';
import { CORE_CONTRACT, OWNED_TABLES, RECOMMENDED_INDEXES } from './contract';
import { loadMigrations } from './migrate';

export interface Check {
  name: string;
  ok: boolean;
  /** A failing check that does not stop the exporter (a missing recommended index). */
  warning?: boolean;
  detail?: string;
}

/** Checks a database against the contract: tables, columns, privileges, migrations, indexes. */
export async function checkSchema(pool: pg.Pool): Promise<Check[]> {
  const checks: Check[] = [];
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  const columns = new Map<string, Set<string>>();
  for (const row of rows) columns.set(row.table_name, (columns.get(row.table_name) ?? new Set()).add(row.column_name));

  for (const [table, wanted] of Object.entries(CORE_CONTRACT)) {
    const have = columns.get(table);
    if (!have) {
      checks.push({ name: `table "${table}"`, ok: false, detail: `missing: the exporter reads ${wanted.join(', ')}` });
      continue;
    }
    const missing = wanted.filter((column) => !have.has(column));
    checks.push({
      name: `table "${table}"`,
      ok: missing.length === 0,
      detail: missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${table}"."${c}"`).join(', ')}` : `${wanted.length} columns`,
    });
    if (missing.length === 0) {
      const priv = await pool.query<{ ok: boolean }>(`SELECT has_table_privilege(format('%I', $1::text), 'SELECT') AS ok`, [table]);
      checks.push({ name: `SELECT on "${table}"`, ok: priv.rows[0].ok, detail: priv.rows[0].ok ? undefined : `GRANT SELECT ON "${table}" TO ${'<exporter user>'}` });
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
    detail: pending.length ? `not applied: ${pending.map((m) => m.name).join(', ')} (run: aperio-exporter migrate)` : `${applied.size} applied`,
  });
  for (const table of OWNED_TABLES) {
    if (!columns.has(table)) continue;
    const priv = await pool.query<{ ok: boolean }>(`SELECT has_table_privilege(format('%I', $1::text), 'INSERT') AS ok`, [table]);
    if (!priv.rows[0].ok) checks.push({ name: `INSERT on "${table}"`, ok: false, detail: `GRANT INSERT, UPDATE, DELETE ON "${table}" TO <exporter user>` });
  }
  const indexes = await pool.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`);
  const present = new Set(indexes.rows.map((r) => r.indexname));
  for (const index of RECOMMENDED_INDEXES) {
    if (!columns.has(index.table)) continue;
    const ok = present.has(index.name);
    checks.push({ name: `index "${index.name}"`, ok, warning: !ok, detail: ok ? undefined : `recommended for fast collection: ${index.ddl}` });
  }
  return checks;
}

export const blockingFailures = (checks: Check[]) => checks.filter((check) => !check.ok && !check.warning);

import type pg from 'pg';
import type { CapturedStatement } from './statement-capture';

const DATA_STATEMENT = /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)\b/i;
const IDENT = '"[^"]+"|[A-Za-z_][A-Za-z0-9_]*';
const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1) : name);

interface PlanNode {
  'Relation Name'?: string;
  Alias?: string;
  Plans?: PlanNode[];
  [field: string]: unknown;
}

function aliasesOf(node: PlanNode, into: Map<string, string>): Map<string, string> {
  if (node['Relation Name'] && node.Alias) into.set(node.Alias, node['Relation Name']);
  for (const child of node.Plans ?? []) aliasesOf(child, into);
  return into;
}

/** Every string in a plan node's fields (its expressions), without the child plans. */
function expressions(fields: Record<string, unknown>): string[] {
  return Object.values(fields).flatMap((v) =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [],
  );
}

/**
 * Columns the plan reads: `alias.column` in any expression, `to_jsonb(alias.*) ->> 'column'` (the
 * optional columns), and, in a plan over one table (which EXPLAIN prints unqualified), that table's
 * column names. A scan that emits its table's whole row (PostgreSQL's physical target list, or a
 * whole-row reference above it) names every column without reading them: its output is left out, and
 * the columns are counted where the nodes above it use them.
 */
function columnsRead(plan: PlanNode, tableColumns: Map<string, string[]>, into: Set<string>): void {
  const aliases = aliasesOf(plan, new Map());
  const only = aliases.size === 1 ? [...aliases.values()][0] : null;
  const refer = (alias: string, column: string) => {
    const table = aliases.get(alias);
    // Only the table's own columns: a join's UPDATE or DELETE also names system columns (`f.ctid`).
    if (table && tableColumns.get(table)?.includes(column)) into.add(`${table}.${column}`);
  };
  const visit = (node: PlanNode) => {
    const table = node['Relation Name'];
    const wholeRow = table !== undefined && Array.isArray(node.Output) && node.Output.length === tableColumns.get(table)?.length;
    const { Plans: children, ...fields } = node;
    if (wholeRow) delete fields.Output;
    for (const text of expressions(fields)) {
      for (const m of text.matchAll(new RegExp(`(?<![\\w.])(${IDENT})\\.(${IDENT})`, 'g'))) refer(unquote(m[1]), unquote(m[2]));
      for (const m of text.matchAll(new RegExp(`to_jsonb\\((${IDENT})\\.\\*\\) ->> '([^']+)'`, 'g'))) refer(unquote(m[1]), m[2]);
      if (only && tableColumns.has(only)) {
        const tokens = new Set([...text.matchAll(new RegExp(`(?<![\\w.'])(${IDENT})(?![\\w'])`, 'g'))].map((m) => unquote(m[1])));
        for (const column of tableColumns.get(only)!) if (tokens.has(column)) into.add(`${only}.${column}`);
      }
    }
    for (const child of children ?? []) visit(child);
  };
  visit(plan);
}

/** Columns a statement writes, which plans do not name: the INSERT column list and the SET targets of an UPDATE. */
function columnsWritten(sql: string, tables: Set<string>, into: Set<string>): void {
  for (const m of sql.matchAll(new RegExp(`INSERT INTO (${IDENT})(?: AS \\w+)?\\s*\\(([^)]*)\\)`, 'gi'))) {
    const table = unquote(m[1]);
    if (tables.has(table)) for (const column of m[2].split(',')) into.add(`${table}.${unquote(column.trim())}`);
  }
  for (const m of sql.matchAll(new RegExp(`UPDATE (${IDENT})(?: AS \\w+)? SET ([\\s\\S]*?)(?: WHERE | FROM | RETURNING |$)`, 'gi'))) {
    const table = unquote(m[1]);
    if (!tables.has(table)) continue;
    for (const target of m[2].matchAll(new RegExp(`(${IDENT})\\s*=`, 'g'))) into.add(`${table}.${unquote(target[1])}`);
  }
}

/**
 * Which columns of `tables` the captured statements read or write, from PostgreSQL's own verbose plans
 * (EXPLAIN resolves every column an expression, a join or a filter uses) plus the write targets in the
 * statement text. Statements that cannot be explained on their own (a cursor's FETCH, a transaction
 * command) are skipped; their reads are in the statement that opened them.
 */
export async function columnsUsed(
  pool: pg.Pool,
  statements: readonly CapturedStatement[],
  tables: Set<string>,
): Promise<{ columns: Set<string>; explained: number }> {
  const columns = new Set<string>();
  const { rows: described } = await pool.query<{ table: string; columns: string[] }>(
    `SELECT table_name AS table, array_agg(column_name::text) AS columns FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1) GROUP BY 1`,
    [[...tables]],
  );
  const tableColumns = new Map(described.map((r) => [r.table, r.columns]));
  const seen = new Set<string>();
  let explained = 0;
  for (const { text, values } of statements) {
    if (!DATA_STATEMENT.test(text) || /^\s*EXPLAIN/i.test(text)) continue;
    const key = `${text}\u0000${JSON.stringify(values)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    columnsWritten(text, tables, columns);
    const client = await pool.connect();
    try {
      // Inside a rolled-back transaction: EXPLAIN of a write plans it without running it, and nothing stays.
      await client.query('BEGIN');
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (VERBOSE, FORMAT JSON) ${text}`, values);
      columnsRead(rows[0]['QUERY PLAN'][0].Plan, tableColumns, columns);
      explained += 1;
    } catch {
      // A statement of the test's own setup or one that needs its transaction's state: not the exporter's reads.
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
  return { columns, explained };
}

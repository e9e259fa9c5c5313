import pg from 'pg';
import { UserError } from '../config/user-error';

// Run tables hold bigint counters; JavaScript numbers are exact up to 2^53, far beyond any count here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
const INT8_ARRAY_OID = 1016 as Parameters<typeof pg.types.getTypeParser>[0]; // bigint[]: not in pg.types.builtins
pg.types.setTypeParser(INT8_ARRAY_OID, parseBigintArray);

/**
 * A one-dimensional bigint[] in PostgreSQL's text form (`{1,2,NULL}`) as numbers, NULL as 0. The run
 * tables' duration buckets arrive as two such arrays per connector and per rule, tens of thousands per
 * collection: read digit by digit, without the string per element (and array of them) that the
 * driver's generic array parser makes before each is turned into a number.
 */
export function parseBigintArray(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let negative = false;
  let element = false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      element = true;
    } else if (c === 45 /* - */) {
      negative = true;
    } else if (c === 44 /* , */ || c === 125 /* } */) {
      if (element) out.push(negative ? -value : value);
      value = 0;
      negative = false;
      element = false;
    } else {
      element = true; // the N of NULL: an element whose value stays 0
    }
  }
  return out;
}

export type Pool = pg.Pool;

export function createPool(
  url: string,
  options: { max?: number; applicationName?: string; connectionTimeoutMillis?: number } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    application_name: options.applicationName ?? 'aperio-exporter',
    // Also the longest a query waits for a free connection of the pool (then: 503 for a request).
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (database restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Same for a checked-out client between two queries (inside a transaction): without a listener its
  // 'error' event would be thrown; the error reaches the caller through its next query instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Connects once to say precisely why a database cannot be used, for startup and `doctor`. */
export async function checkConnection(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    const safeUrl = redactUrl(url);
    const code = (err as { code?: string }).code;
    const hint =
      code === 'ECONNREFUSED'
        ? 'is PostgreSQL running and listening there?'
        : code === '28P01' || code === '28000'
          ? 'check the user name and password in DATABASE_URL'
          : code === '3D000'
            ? 'the database in DATABASE_URL does not exist'
            : code === 'ENOTFOUND'
              ? 'the host name in DATABASE_URL does not resolve'
              : 'check DATABASE_URL';
    throw new UserError(`cannot connect to PostgreSQL at ${safeUrl}: ${(err as Error).message || code}`, hint);
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

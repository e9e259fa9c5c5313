import { fork } from 'node:child_process';
import path from 'node:path';
import type pg from 'pg';
import { startBenchExporter } from './exporter';

export const STATUS_CLIENTS = 8;
const LOAD_MS = 5_000;
// PostgreSQL (15+) flushes a backend's pending statistics at most once a second and, when the backend
// goes idle, within 10 s: waiting longer before each reading counts every earlier transaction.
const STATS_SETTLE_MS = 11_000;

export interface StatusResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Clients checked out of the exporter's pool (one per query) during the load. */
  poolQueries: number;
  /** pg_stat_database xact_commit + xact_rollback over the load, the bench's own readings subtracted. */
  transactions: number;
  /** The same over an idle period of the same settling, to show what the server does on its own. */
  idleTransactions: number;
}

/**
 * Autovacuum and autoanalyze (busy after the export and retention phases) commit transactions of their
 * own that pg_stat_database counts with the exporter's; they are paused while the transactions are
 * counted. Needs a superuser (the embedded server's); elsewhere the counts include them.
 */
async function pauseAutovacuum(pool: pg.Pool): Promise<() => Promise<void>> {
  try {
    await pool.query(`ALTER SYSTEM SET autovacuum = off`);
    await pool.query(`SELECT pg_reload_conf()`);
  } catch {
    return async () => undefined;
  }
  return async () => {
    await pool.query(`ALTER SYSTEM RESET autovacuum`);
    await pool.query(`SELECT pg_reload_conf()`);
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function transactions(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return rows[0].n;
}

/**
 * A real exporter whose collector timer is stopped after its first collection, so nothing but the
 * requests can reach the database; STATUS_CLIENTS clients in a separate process (bench/scraper.ts)
 * fetch /status.json back to back for LOAD_MS. Nothing else of the bench runs meanwhile.
 */
export async function measureStatus(benchPool: pg.Pool, databaseUrl: string, statementTimeoutMs: number): Promise<StatusResult> {
  const exporter = await startBenchExporter(databaseUrl, statementTimeoutMs);
  exporter.collector.stop();
  await exporter.collector.drain();
  let poolQueries = 0;
  for (const pool of Object.values(exporter.pools)) pool.on('acquire', () => (poolQueries += 1));
  const child = fork(path.join(__dirname, 'scraper.ts'), [exporter.url, String(STATUS_CLIENTS), '/status.json', 'on-go'], {
    execArgv: ['--import', 'tsx'],
  });
  let resumeAutovacuum: () => Promise<void> = async () => undefined;
  try {
    const messages = new Promise<{ latencies: number[]; failure: string | null }>((resolve, reject) => {
      child.on('message', (message: { ready?: boolean; latencies?: number[]; failure?: string | null }) => {
        if (!message.ready) resolve({ latencies: message.latencies ?? [], failure: message.failure ?? null });
      });
      child.once('exit', (code) => reject(new Error(`the status client process exited with ${code}`)));
    });
    // The first request (the child's warm-up) builds the status view from the snapshot.
    await new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean }) => m.ready && resolve()));

    resumeAutovacuum = await pauseAutovacuum(benchPool);
    await sleep(STATS_SETTLE_MS);
    const idleStart = await transactions(benchPool);
    await sleep(STATS_SETTLE_MS);
    const loadStart = await transactions(benchPool);
    const queriesBefore = poolQueries;
    child.send('go');
    await sleep(LOAD_MS);
    child.send('stop');
    const { latencies, failure } = await messages;
    const loadQueries = poolQueries - queriesBefore;
    if (failure) throw new Error(`a /status.json request failed: ${failure}`);
    await sleep(STATS_SETTLE_MS);
    const loadEnd = await transactions(benchPool);
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      requests: sorted.length,
      seconds: LOAD_MS / 1000,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      poolQueries: loadQueries,
      // Each reading is one transaction of the bench's pool, counted in the following reading.
      transactions: loadEnd - loadStart - 1,
      idleTransactions: loadStart - idleStart - 1,
    };
  } finally {
    await resumeAutovacuum();
    if (child.exitCode === null) child.kill();
    await exporter.stop();
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** Size of the /status.json body, plain and as sent gzipped. */
  plainBytes: number;
  gzipBytes: number;
  /** A bare Node server sending the same bytes and headers to the same clients: the ceiling to compare with. */
  bare: { requests: number; p50Ms: number; p99Ms: number };
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
  await exporter.collector.stop();
  let poolQueries = 0;
  for (const pool of Object.values(exporter.pools)) pool.on('acquire', () => (poolQueries += 1));
  let stopped = false;
  const clients = startClients(exporter.url);
  const child = clients.child;
  let resumeAutovacuum: () => Promise<void> = async () => undefined;
  try {
    await clients.ready;
    resumeAutovacuum = await pauseAutovacuum(benchPool);
    await sleep(STATS_SETTLE_MS);
    const idleStart = await transactions(benchPool);
    await sleep(STATS_SETTLE_MS);
    const loadStart = await transactions(benchPool);
    const queriesBefore = poolQueries;
    child.send('go');
    await sleep(LOAD_MS);
    child.send('stop');
    const { latencies, failure } = await clients.done;
    const loadQueries = poolQueries - queriesBefore;
    if (failure) throw new Error(`a /status.json request failed: ${failure}`);
    await sleep(STATS_SETTLE_MS);
    const loadEnd = await transactions(benchPool);
    const sorted = [...latencies].sort((a, b) => a - b);
    const sample = await getRaw(`${exporter.url}/status.json`, { 'accept-encoding': 'gzip' });
    const plain = await getRaw(`${exporter.url}/status.json`, {});
    await exporter.stop();
    stopped = true;
    const bare = await measureBareNode(sample);
    return {
      requests: sorted.length,
      seconds: LOAD_MS / 1000,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      plainBytes: plain.body.length,
      gzipBytes: sample.body.length,
      bare,
      poolQueries: loadQueries,
      // Each reading is one transaction of the bench's pool, counted in the following reading.
      transactions: loadEnd - loadStart - 1,
      idleTransactions: loadStart - idleStart - 1,
    };
  } finally {
    await resumeAutovacuum();
    if (child.exitCode === null) child.kill();
    if (!stopped) await exporter.stop();
  }
}

interface Clients {
  child: ChildProcess;
  /** After the clients' warm-up request. */
  ready: Promise<void>;
  /** After 'stop': every latency, and the first failure. */
  done: Promise<{ latencies: number[]; failure: string | null }>;
}

/** STATUS_CLIENTS clients of /status.json in a separate process (bench/scraper.ts), asking for gzip; they start on 'go'. */
function startClients(url: string): Clients {
  const child = fork(path.join(__dirname, 'scraper.ts'), [url, String(STATUS_CLIENTS), '/status.json', 'on-go'], {
    execArgv: ['--import', 'tsx'],
  });
  const done = new Promise<{ latencies: number[]; failure: string | null }>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; latencies?: number[]; failure?: string | null }) => {
      if (!message.ready) resolve({ latencies: message.latencies ?? [], failure: message.failure ?? null });
    });
    child.once('exit', (code) => reject(new Error(`the status client process exited with ${code}`)));
  });
  // The first request (the child's warm-up) builds the status view from the snapshot.
  const ready = new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean }) => m.ready && resolve()));
  done.catch(() => undefined); // a child killed after a failure elsewhere: that failure is the one reported
  return { child, ready, done };
}

interface Raw {
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

function getRaw(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          // The headers the exporter sent, except those Node's server writes by itself.
          const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = res.headers;
          resolve({ headers: rest, body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

/**
 * The same clients against a bare Node server in this process (as the exporter was) that sends the
 * exporter's gzipped /status.json bytes with its headers: what serving cached bytes costs at least, so
 * that the exporter's figure reads as a ratio of it.
 */
async function measureBareNode(sample: Raw): Promise<StatusResult['bare']> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, sample.headers);
    res.end(sample.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clients = startClients(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    await clients.ready;
    clients.child.send('go');
    await sleep(LOAD_MS);
    clients.child.send('stop');
    const { latencies, failure } = await clients.done;
    if (failure) throw new Error(`a request to the bare Node server failed: ${failure}`);
    const sorted = [...latencies].sort((a, b) => a - b);
    return { requests: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  } finally {
    if (clients.child.exitCode === null) clients.child.kill();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

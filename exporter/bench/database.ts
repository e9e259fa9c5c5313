import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from '../src/util/net';

export interface BenchDatabase {
  url: string;
  /** Where the server runs, for the report. */
  description: string;
  stop(): Promise<void>;
}

/** BENCH_DATABASE_URL (an empty scratch database), or a throw-away embedded server in a temp directory. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, description: 'BENCH_DATABASE_URL', stop: async () => undefined };
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-bench-'));
  fs.chmodSync(parent, 0o755);
  const server = await startEmbeddedPostgres(parent, await freePort());
  await tuneForBulkLoad(server.url);
  lowerCpuPriority(server.dataDir);
  return {
    url: server.url,
    description: `embedded PostgreSQL in ${server.dataDir} at nice ${DATABASE_NICE}`,
    stop: async () => {
      await server.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
}

/**
 * In production the database has a host of its own; here it shares 2 cores with the exporter and the 8
 * scrapers, and a busy backend would take the CPU from the exporter and be measured as the exporter's
 * stall. At a lower priority it still gets every idle cycle (the collection timings are unaffected when
 * nothing else runs). Backends are forked by the postmaster and inherit its priority.
 */
export const DATABASE_NICE = 10;

function lowerCpuPriority(dataDir: string): void {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
  for (const pid of [postmaster, ...children]) os.setPriority(pid, DATABASE_NICE);
}

/**
 * A throw-away server need not survive a crash, so the load skips fsync; checkpoints are spread out so
 * the seeding is not dominated by them. Query settings stay at their defaults: the figures are for those.
 */
async function tuneForBulkLoad(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER SYSTEM SET fsync = off`);
    await client.query(`ALTER SYSTEM SET synchronous_commit = off`);
    await client.query(`ALTER SYSTEM SET max_wal_size = '4GB'`);
    await client.query(`SELECT pg_reload_conf()`);
  } finally {
    await client.end();
  }
}

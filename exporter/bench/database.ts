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
  return {
    url: server.url,
    description: `embedded PostgreSQL in ${server.dataDir}`,
    stop: async () => {
      await server.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
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

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyCoreFixture, migrate } from '../../src/db/migrate';
import { createPool } from '../../src/db/pool';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  const url = process.env.APERIO_TEST_ADMIN_URL;
  if (!url) throw new Error('APERIO_TEST_ADMIN_URL is not set: the jest global setup did not run');
  return url;
}

/**
 * An empty database of its own on the test server (a copy of `template` when given), dropped by `drop()`
 * even while connections are open.
 */
export async function createEmptyDatabase(options: { template?: string; maxConnections?: number } = {}): Promise<TestDatabase> {
  const name = `aperio_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}` : ''}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), { max: options.maxConnections ?? 8 });
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database on the test server with Aperio's core tables and the exporter's migrations. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  await applyCoreFixture(db.pool);
  if (options.migrate !== false) await migrate(db.pool);
  return db;
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { UserError } from '../config/user-error';
import {
  assertAdoptable,
  copyAdoptedRows,
  findForeignRunTables,
  renameForeignRunTables,
  type AdoptionReport,
  type ForeignRunTable,
} from './adopt';

/**
 * Applies the numbered SQL files in migrations/ in order, each in its own transaction, and records
 * them in "_aperio_migrations" with a checksum. A session advisory lock lets several exporter replicas
 * start at once; an edited, already applied file is an error rather than a silent divergence.
 */
const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
const LOCK_KEY = 0x61706572; // 'aper'

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number.parseInt(file, 10),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** The migration that creates RuleRun and ConnectorSyncRun: tables found before it are adopted, or refused. */
const RUN_TABLES_MIGRATION = 1;

export interface MigrateOptions {
  /** Adopt a RuleRun / ConnectorSyncRun that migrate did not create (db/adopt.ts) instead of refusing. */
  adopt?: boolean;
  /** With adopt: a progress bar per table on stderr. */
  progress?: boolean;
  onAdopted?: (reports: AdoptionReport[]) => void;
}

export async function migrate(pool: pg.Pool, migrations = loadMigrations(), options: MigrateOptions = {}): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  let foreign: ForeignRunTable[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_aperio_migrations" (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      "appliedAt" timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM "_aperio_migrations"',
    );
    const done = new Map(rows.map((row) => [row.version, row]));
    if (!done.has(RUN_TABLES_MIGRATION) && migrations.some((m) => m.version === RUN_TABLES_MIGRATION)) {
      foreign = await findForeignRunTables(client);
      assertAdoptable(foreign, options.adopt ?? false);
    }
    for (const migration of migrations) {
      const previous = done.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new UserError(
            `migration ${migration.name} was changed after it was applied to this database`,
            'migrations are append-only: restore the file and add a new migration for the change',
          );
        }
        continue;
      }
      try {
        await client.query('BEGIN');
        if (migration.version === RUN_TABLES_MIGRATION && foreign.length) await renameForeignRunTables(client, foreign);
        await client.query(migration.sql);
        await client.query('INSERT INTO "_aperio_migrations" (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (err) {
        await client.query('ROLLBACK');
        const code = (err as { code?: string }).code;
        const hint = code === '42501' ? 'the database user needs CREATE on the schema' : 'nothing of this migration was applied';
        throw new UserError(`migration ${migration.name} failed: ${(err as Error).message}`, hint);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  // Outside the migration lock: the copy may take minutes, and it is resumable on its own.
  if (options.adopt) options.onAdopted?.(await copyAdoptedRows(pool, { progress: options.progress }));
  return applied;
}

/** The Aperio core tables, for the demo and the tests only: a real Aperio database already has them. */
export async function applyCoreFixture(pool: pg.Pool): Promise<void> {
  await pool.query(fs.readFileSync(path.join(__dirname, 'fixture', 'aperio-core.sql'), 'utf8'));
}

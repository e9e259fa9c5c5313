import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CORE_CONTRACT, RECOMMENDED_INDEXES, type TypeFamily } from '../../src/db/contract';
import { migrate } from '../../src/db/migrate';
import { createPool } from '../../src/db/pool';
import { adminUrl, type TestDatabase } from './database';

/**
 * A database built from db/contract.ts alone, as an Aperio schema drafted apart from this project might
 * look: only the contract's columns (no defaults, no constraints but the primary keys), ids of the given
 * type, and columns and a table the exporter knows nothing of. Anything the exporter reads or writes
 * beyond the contract fails on it.
 */
export type IdType = 'text' | 'uuid' | 'bigint';

const sqlType = (family: TypeFamily, column: string, idType: IdType): string =>
  ({ id: idType, text: 'text', integer: column.startsWith('deliveries') ? 'bigint' : 'integer', boolean: 'boolean', timestamp: 'timestamptz' })[family];

export async function createContractDatabase(idType: IdType): Promise<TestDatabase> {
  const name = `aperio_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), { max: 8 });
  for (const [table, columns] of Object.entries(CORE_CONTRACT)) {
    const defs = columns.map((c) => `"${c.name}" ${sqlType(c.type, c.name, idType)}${c.name === 'id' ? ' PRIMARY KEY' : ''}`);
    // A column of Aperio's own that the exporter must neither need nor trip over.
    await pool.query(`CREATE TABLE "${table}" (${defs.join(', ')}, "internalNotes" text NOT NULL DEFAULT '')`);
  }
  await pool.query(`CREATE TABLE "AuditTrail" (id bigserial PRIMARY KEY, "organizationId" ${idType}, action text)`);
  for (const index of RECOMMENDED_INDEXES) {
    await pool.query(`CREATE INDEX "${index.name}" ON "${index.table}" (${index.columns.map((c) => `"${c}"`).join(', ')}) WHERE ${index.predicate}`);
  }
  await migrate(pool);
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

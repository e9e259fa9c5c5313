import { freshnessPolicy } from '../../src/connectors/freshness';
import { inReadOnlyTransaction } from '../../src/db/read-only';
import { SnapshotCollector } from '../../src/snapshot/collector';
import type { Collector } from '../../src/snapshot/collector-types';
import { emptySnapshot } from '../../src/snapshot/empty';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The collectors' reads run without JIT (its compile time dominated the connectors read at full scale on
 * PostgreSQL 15, where it is on by default), under their statement_timeout, read-only: and only inside
 * their own transaction, so a pooled connection goes back with the server's defaults.
 */
describe("the collectors' read transactions", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const settingsSql = `SELECT current_setting('jit') AS jit, current_setting('statement_timeout') AS timeout, current_setting('transaction_read_only') AS "readOnly"`;

  it('a snapshot collector reads with jit off, and the connection keeps the server default afterwards', async () => {
    const client = await db.pool.connect();
    const serverDefault = (await client.query<{ jit: string }>(`SELECT current_setting('jit') AS jit`)).rows[0].jit;
    client.release();
    let seen: unknown = null;
    const probe: Collector<'tenants'> = {
      name: 'tenants',
      field: 'tenants',
      async collect(c) {
        seen = (await c.query(settingsSql)).rows[0];
        return [];
      },
    };
    const collector = new SnapshotCollector({
      pool: db.pool,
      intervalSeconds: 15,
      statementTimeoutMs: 4_321,
      initial: emptySnapshot(freshnessPolicy(3600, 6 * 3600)),
      collectors: [probe],
    });
    const snapshot = await collector.refresh();
    expect(snapshot.collections.every((c) => c.success)).toBe(true);
    expect(seen).toEqual({ jit: 'off', timeout: '4321ms', readOnly: 'on' });
    const after = await db.pool.connect();
    try {
      expect((await after.query<{ jit: string }>(`SELECT current_setting('jit') AS jit`)).rows[0].jit).toBe(serverDefault);
    } finally {
      after.release();
    }
  });

  it('a read-only transaction of the status views reads with jit off too', async () => {
    const seen = await inReadOnlyTransaction(db.pool, 1_234, async (c) => (await c.query(settingsSql)).rows[0]);
    expect(seen).toEqual({ jit: 'off', timeout: '1234ms', readOnly: 'on' });
  });
});

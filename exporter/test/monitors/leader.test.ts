import { createPool } from '../../src/db/pool';
import { MonitorEngine } from '../../src/monitors/engine';
import { LEADER_LOCK_KEY } from '../../src/monitors/leader';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertTenant } from '../helpers/fixtures';
import { testCollector } from '../helpers/snapshot';
import { findings, testConfig, TestClock } from './harness';

const MIN = 60_000;
let db: TestDatabase;
let clock: TestClock;
const pools: ReturnType<typeof createPool>[] = [];

/** One replica: its own pool (its own sessions), collector and engine, as a second exporter process would have. */
function replica() {
  const pool = createPool(db.url, { max: 3 });
  pools.push(pool);
  const collector = testCollector(pool, { clock: clock.now });
  const engine = new MonitorEngine({
    pool,
    getSnapshot: () => collector.snapshot,
    config: testConfig(),
    intervalSeconds: 15,
    clock: clock.now,
  });
  return {
    engine,
    cycle: async () => {
      await collector.refresh();
      return engine.cycle().catch(() => ({ leader: false, opened: [], updated: [], resolved: [] }));
    },
  };
}

beforeEach(async () => {
  db = await createTestDatabase();
  clock = new TestClock(Date.now() - 30 * MIN);
  const org = await insertTenant(db.pool, 'globex');
  // Two failing subjects, so both replicas would have something to write every cycle.
  await insertConnector(db.pool, {
    id: 'conn_globex_crowdstrike',
    org,
    provider: 'crowdstrike',
    lastSyncAt: new Date(clock.at - 8 * 3600_000),
  });
  await insertConnector(db.pool, { id: 'conn_globex_okta', org, provider: 'okta', lastSyncAt: new Date(clock.at - 9 * 3600_000) });
});
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end().catch(() => undefined);
  await db.drop();
});

it('two replicas for several cycles: one leader at a time and no duplicate findings', async () => {
  const a = replica();
  const b = replica();
  for (let i = 0; i < 6; i++) {
    const [ra, rb] = await Promise.all([a.cycle(), b.cycle()]);
    expect([ra.leader, rb.leader].filter(Boolean)).toHaveLength(1);
    clock.advance(15_000);
  }
  const rows = await findings(db.pool);
  expect(rows.map((r) => r.dedupKey).sort()).toEqual([
    'aperio.platform.connector_stale:connector:conn_globex_crowdstrike',
    'aperio.platform.connector_stale:connector:conn_globex_okta',
  ]);
  expect(rows.every((r) => r.status === 'OPEN')).toBe(true);
  await a.engine.stop();
  await b.engine.stop();
});

it('stopping the leader hands over within two cycles, and the new leader continues the same findings', async () => {
  const a = replica();
  const b = replica();
  expect((await a.cycle()).leader).toBe(true);
  expect((await b.cycle()).leader).toBe(false);
  const before = await findings(db.pool);
  expect(before).toHaveLength(2);

  await a.engine.stop();
  clock.advance(15_000);
  let cycles = 0;
  let report;
  do {
    report = await b.cycle();
    cycles++;
    clock.advance(15_000);
  } while (!report.leader && cycles < 5);
  expect(cycles).toBeLessThanOrEqual(2);
  expect(report.updated).toHaveLength(2);
  expect(report.opened).toHaveLength(0);

  // The healed connector is resolved by the new leader: still exactly one row per subject.
  await db.pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $1 WHERE id = 'conn_globex_okta'`, [new Date(clock.at)]);
  await b.cycle();
  clock.advance(2 * MIN);
  await b.cycle();
  const after = await findings(db.pool);
  expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
  expect(after.find((r) => r.dedupKey.endsWith('conn_globex_okta'))?.status).toBe('RESOLVED');
  await b.engine.stop();
});

it('a leader whose connection is killed stops writing, and the other replica takes over within two cycles', async () => {
  const a = replica();
  const b = replica();
  expect((await a.cycle()).leader).toBe(true);
  // Only this database's leader session: the test server is shared with other test files.
  const killed = await db.pool.query(
    `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
       AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`,
    [LEADER_LOCK_KEY],
  );
  expect(killed.rowCount).toBe(1);
  clock.advance(15_000);
  const cycles: boolean[] = [];
  for (let i = 0; i < 2; i++) {
    const [rb, ra] = [await b.cycle(), await a.cycle()];
    cycles.push(rb.leader);
    expect(rb.leader && ra.leader).toBe(false);
    clock.advance(15_000);
  }
  expect(cycles).toContain(true);
  const rows = await findings(db.pool);
  expect(rows).toHaveLength(2);
  await a.engine.stop();
  await b.engine.stop();
});

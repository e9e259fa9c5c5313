import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { rollUp } from '../../src/runs/rollup';
import type { Snapshot } from '../../src/snapshot/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertRuleRun, insertSync, insertTenant } from '../helpers/fixtures';
import { testCollector } from '../helpers/snapshot';

// The triggers judge "late" by the database's clock, so these tests run at the real time.
const HOUR = 3600_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);

/** Counted independently of the rollups: straight from the raw tables (no retention runs here). */
async function raw(pool: pg.Pool, table: string) {
  const { rows } = await pool.query<{ runs: number; failures: number; durationCount: number; durationMsSum: number }>(
    `SELECT count(*)::int AS runs, count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT'))::int AS failures,
            count("durationMs")::int AS "durationCount", coalesce(sum("durationMs"), 0)::int AS "durationMsSum" FROM "${table}"`,
  );
  return rows[0];
}

const figures = ({
  runs,
  failures,
  durationCount,
  durationMsSum,
}: {
  runs: number;
  failures: number;
  durationCount: number;
  durationMsSum: number;
}) => ({
  runs,
  failures,
  durationCount,
  durationMsSum,
});
const ruleTotals = (s: Snapshot) => figures(s.rules.find((r) => r.ruleId === 'r1')!.totals);
const syncTotals = (s: Snapshot) => figures(s.connectors.find((c) => c.id === 'c1')!.totals);

const rollBoth = async (pool: pg.Pool) => Promise.all([rollUp(pool, 'RuleRun'), rollUp(pool, 'ConnectorSyncRun')]);
const dump = async (pool: pg.Pool) =>
  Promise.all(
    ['RuleRunHourly', 'RuleRunTotal', 'ConnectorSyncHourly', 'ConnectorSyncTotal', 'RollupDirtyHour'].map(
      async (t) => (await pool.query(`SELECT * FROM "${t}" ORDER BY 1, 2`)).rows,
    ),
  );

describe('runs written or updated after their hour was rolled up', () => {
  let db: TestDatabase;
  let org: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled' });
    await insertConnector(db.pool, { id: 'c1', org, provider: 'okta', lastSyncAt: null });
  });
  afterEach(() => db.drop());
  const snapshot = () => testCollector(db.pool).refresh();

  it('a run inserted 5 hours after it started is in the counters after the next rollup, and rolling again changes nothing', async () => {
    for (const h of [8, 6]) {
      await insertRuleRun(db.pool, { org, ruleId: 'r1', startedAt: hoursAgo(h), durationMs: 100, status: 'SUCCEEDED' });
      await insertSync(db.pool, {
        connectionId: 'c1',
        org,
        provider: 'okta',
        startedAt: hoursAgo(h),
        durationMs: 1_000,
        status: 'SUCCEEDED',
      });
    }
    await rollBoth(db.pool);
    expect(ruleTotals(await snapshot()).runs).toBe(2);

    await insertRuleRun(db.pool, { org, ruleId: 'r1', startedAt: hoursAgo(5), durationMs: 700, status: 'FAILED' });
    await insertSync(db.pool, { connectionId: 'c1', org, provider: 'okta', startedAt: hoursAgo(5), durationMs: 9_000, status: 'FAILED' });
    // Its hour is rolled and the collectors read raw rows only after the watermark: not counted yet.
    expect(ruleTotals(await snapshot()).runs).toBe(2);

    const [rules, syncs] = await rollBoth(db.pool);
    expect([rules.lateHours, syncs.lateHours]).toEqual([1, 1]);
    const after = await snapshot();
    expect(ruleTotals(after)).toEqual(await raw(db.pool, 'RuleRun'));
    expect(syncTotals(after)).toEqual(await raw(db.pool, 'ConnectorSyncRun'));
    expect(ruleTotals(after)).toEqual({ runs: 3, failures: 1, durationCount: 3, durationMsSum: 900 });

    const tables = await dump(db.pool);
    expect(tables[4]).toEqual([]); // the markers read are gone
    await rollBoth(db.pool);
    expect(await dump(db.pool)).toEqual(tables);
    expect(ruleTotals(await snapshot())).toEqual(ruleTotals(after));
  });

  it('a rolled run updated with its outcome later is reflected; a correction downwards never lowers a counter', async () => {
    await insertRuleRun(db.pool, { org, ruleId: 'r1', startedAt: hoursAgo(5), durationMs: null, status: 'SUCCEEDED' });
    await rollBoth(db.pool);
    expect(ruleTotals(await snapshot())).toEqual({ runs: 1, failures: 0, durationCount: 0, durationMsSum: 0 });

    await db.pool.query(`UPDATE "RuleRun" SET "durationMs" = 2000, "finishedAt" = "startedAt" + interval '2 seconds', status = 'FAILED'`);
    await rollBoth(db.pool);
    const finished = await snapshot();
    expect(ruleTotals(finished)).toEqual({ runs: 1, failures: 1, durationCount: 1, durationMsSum: 2_000 });
    expect(ruleTotals(finished)).toEqual(await raw(db.pool, 'RuleRun'));
    const hourly = await db.pool.query(`SELECT failures::int, "durationCount"::int, "durationMsSum"::int FROM "RuleRunHourly"`);
    expect(hourly.rows).toEqual([{ failures: 1, durationCount: 1, durationMsSum: 2_000 }]);

    // Corrected to SUCCEEDED: the hourly table follows, the failure counter keeps what it showed.
    await db.pool.query(`UPDATE "RuleRun" SET status = 'SUCCEEDED'`);
    await rollBoth(db.pool);
    expect((await db.pool.query(`SELECT failures::int FROM "RuleRunHourly"`)).rows).toEqual([{ failures: 0 }]);
    expect(ruleTotals(await snapshot()).failures).toBe(1);
  });

  it('a late backfill leaves one marker per hour and transaction, a row written into a partition is marked too, and every row is counted', async () => {
    await rollBoth(db.pool);
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "durationMs", status)
       SELECT $1, 'r1', 'SCHEDULE', date_trunc('hour', now()) - interval '4 hours' - g * interval '7 seconds', 10, 'SUCCEEDED'
       FROM generate_series(1, 600) g`,
      [org],
    );
    const markers = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RollupDirtyHour"`);
    expect(markers.rows[0].n).toBe(2); // 600 rows 7 s apart: 70 minutes, two hours
    // Written straight into a partition, not through the parent table: marked all the same.
    await db.pool.query(
      `INSERT INTO "RuleRun_default" ("organizationId", "ruleId", trigger, "startedAt", "durationMs", status) VALUES ($1, 'r1', 'SCHEDULE', $2, 10, 'SUCCEEDED')`,
      [org, hoursAgo(30 * 24)],
    );
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM "RollupDirtyHour"`)).rows[0].n).toBe(3);
    await rollBoth(db.pool);
    expect(ruleTotals(await snapshot())).toEqual({ runs: 601, failures: 0, durationCount: 601, durationMsSum: 6_010 });
  });

  it('a writer with no privilege on the marker table can still write a late run, and it is marked', async () => {
    const role = `aperio_writer_${randomBytes(4).toString('hex')}`;
    await db.pool.query(`CREATE ROLE ${role}`);
    const client = await db.pool.connect();
    try {
      await client.query(`GRANT INSERT ON "RuleRun" TO ${role}; GRANT USAGE ON SEQUENCE "RuleRun_id_seq" TO ${role}`);
      await client.query(`SET ROLE ${role}`);
      await client.query(
        `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", status) VALUES ($1, 'r1', 'SCHEDULE', $2, 'SKIPPED')`,
        [org, hoursAgo(5)],
      );
      await client.query('RESET ROLE');
      const markers = await client.query<{ table: string }>(`SELECT "table" FROM "RollupDirtyHour"`);
      expect(markers.rows).toEqual([{ table: 'RuleRun' }]);
    } finally {
      await client.query('RESET ROLE').catch(() => undefined);
      await client.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => undefined);
      client.release();
    }
  });

  it('counters never go backwards and equal the raw counts after every rollup, over inserts late and on time and runs finishing late', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let previous = { runs: 0, failures: 0, durationCount: 0, durationMsSum: 0 };
    for (let step = 0; step < 6; step++) {
      for (let i = 0; i < 5; i++) {
        const startedAt = hoursAgo(random() * 12);
        const durationMs = random() < 0.3 ? null : Math.floor(random() * 5_000);
        await insertRuleRun(db.pool, { org, ruleId: 'r1', startedAt, durationMs, status: random() < 0.3 ? 'FAILED' : 'SUCCEEDED' });
      }
      // Some unfinished runs finish, whatever hour they started in.
      await db.pool.query(`UPDATE "RuleRun" SET "durationMs" = 1234 WHERE "durationMs" IS NULL AND id % 2 = $1`, [step % 2]);
      await rollBoth(db.pool);
      const now = ruleTotals(await snapshot());
      expect(now).toEqual(await raw(db.pool, 'RuleRun'));
      for (const key of Object.keys(now) as (keyof typeof now)[]) expect(now[key]).toBeGreaterThanOrEqual(previous[key]);
      previous = now;
    }
  });
});

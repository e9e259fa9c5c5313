import type pg from 'pg';
import { runMaintenance } from '../../src/maintenance/runner';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertRuleRun, insertSync, insertTenant } from '../helpers/fixtures';

// Far from the day the migrations ran, so that none of these days has a partition before maintenance.
const NOW = Date.parse('2027-03-10T12:00:00Z');
const DAY = 24 * 3600_000;
const TABLES = ['RuleRun', 'ConnectorSyncRun'] as const;
/** docs/retention.md: maintenance keeps daily partitions a week ahead, today included. */
const DAYS_AHEAD = 7;

/** The daily partitions of `table` from 2027 on, by name, with their bounds as PostgreSQL prints them. */
async function futurePartitions(pool: pg.Pool, table: string): Promise<{ name: string; bound: string }[]> {
  const { rows } = await pool.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass AND c.relname LIKE $2
      ORDER BY c.relname`,
    [`"${table}"`, `${table}_p2027%`],
  );
  return rows;
}

/** Where a row went: the partition PostgreSQL routed it to. */
async function partitionOf(pool: pg.Pool, table: string, startedAt: Date): Promise<string[]> {
  const { rows } = await pool.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM "${table}" WHERE "startedAt" = $1`, [
    startedAt,
  ]);
  return rows.map((r) => r.part.replace(/"/g, ''));
}

describe("maintenance creates the run tables' daily partitions ahead, on real PostgreSQL", () => {
  let db: TestDatabase;
  /** The calendar day of NOW in the server's time zone (partitions are days of that zone), as YYYY-MM-DD. */
  let today: string;
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * DAY).toISOString().slice(0, 10);
  const nameOf = (table: string, offset: number) => `${table}_p${day(offset).replace(/-/g, '')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled' });
    await insertConnector(db.pool, { id: 'c1', org, provider: 'okta', lastSyncAt: null });
    today = (await db.pool.query<{ d: string }>(`SELECT to_char(($1::timestamptz)::date, 'YYYY-MM-DD') AS d`, [new Date(NOW)])).rows[0].d;
  });
  afterAll(() => db?.drop());

  it('has no partition for the coming days before maintenance runs', async () => {
    for (const table of TABLES) expect(await futurePartitions(db.pool, table)).toEqual([]);
  });

  it('creates one partition per day for the coming week, each covering exactly its day', async () => {
    const report = await runMaintenance(db.pool, NOW);
    expect(report.partitionsCreated).toBe(TABLES.length * DAYS_AHEAD);
    for (const table of TABLES) {
      const partitions = await futurePartitions(db.pool, table);
      expect(partitions.map((p) => p.name)).toEqual(Array.from({ length: DAYS_AHEAD }, (_, i) => nameOf(table, i)));
      for (const [i, p] of partitions.entries()) {
        // Bounds are midnights of the server's zone: FROM ('2027-03-10 00:00:00+00') TO ('2027-03-11 00:00:00+00') in UTC.
        expect(p.bound).toMatch(new RegExp(`^FOR VALUES FROM \\('${day(i)} 00:00:00[^']*'\\) TO \\('${day(i + 1)} 00:00:00[^']*'\\)$`));
      }
    }
  });

  it('routes runs of the coming days into their own partition, not the DEFAULT one', async () => {
    const inThreeDays = new Date(NOW + 3 * DAY);
    const lastDayAhead = new Date(NOW + (DAYS_AHEAD - 1) * DAY);
    for (const startedAt of [inThreeDays, lastDayAhead]) {
      await insertRuleRun(db.pool, { org: 'org_acme', ruleId: 'r1', startedAt, durationMs: 100, status: 'SUCCEEDED' });
      await insertSync(db.pool, { connectionId: 'c1', org: 'org_acme', provider: 'okta', startedAt, durationMs: 100, status: 'SUCCEEDED' });
    }
    for (const table of TABLES) {
      expect(await partitionOf(db.pool, table, inThreeDays)).toEqual([nameOf(table, 3)]);
      expect(await partitionOf(db.pool, table, lastDayAhead)).toEqual([nameOf(table, DAYS_AHEAD - 1)]);
    }
    const inDefault = await db.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM "RuleRun_default") + (SELECT count(*) FROM "ConnectorSyncRun_default") AS n`,
    );
    expect(Number(inDefault.rows[0].n)).toBe(0);
  });

  it('creates nothing twice, and the next day adds the one day that came into the week', async () => {
    expect((await runMaintenance(db.pool, NOW)).partitionsCreated).toBe(0);
    expect((await runMaintenance(db.pool, NOW + DAY)).partitionsCreated).toBe(TABLES.length);
    for (const table of TABLES) {
      const names = (await futurePartitions(db.pool, table)).map((p) => p.name);
      expect(names).toEqual(Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => nameOf(table, i)));
    }
  });

  it("moves a run dated beyond the week out of DEFAULT into its day's partition once that day comes within the week", async () => {
    // A writer whose clock runs ahead: nine days out, no partition exists, so the row lands in DEFAULT.
    const farAhead = new Date(NOW + 9 * DAY);
    await insertRuleRun(db.pool, { org: 'org_acme', ruleId: 'r1', startedAt: farAhead, durationMs: 250, status: 'FAILED' });
    await insertSync(db.pool, {
      connectionId: 'c1',
      org: 'org_acme',
      provider: 'okta',
      startedAt: farAhead,
      durationMs: 250,
      status: 'FAILED',
    });
    for (const table of TABLES) expect(await partitionOf(db.pool, table, farAhead)).toEqual([`${table}_default`]);

    // Three days later the week ahead reaches that day: its partition is made and the rows move into it.
    const report = await runMaintenance(db.pool, NOW + 3 * DAY);
    expect(report.partitionsCreated).toBe(TABLES.length * 2);
    for (const table of TABLES) {
      expect(await partitionOf(db.pool, table, farAhead)).toEqual([nameOf(table, 9)]);
      const inDefault = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}_default"`);
      expect(Number(inDefault.rows[0].n)).toBe(0);
    }
    const moved = await db.pool.query<{ status: string; durationMs: number }>(
      `SELECT status, "durationMs" FROM "RuleRun" WHERE "startedAt" = $1`,
      [farAhead],
    );
    expect(moved.rows).toEqual([{ status: 'FAILED', durationMs: 250 }]);
  });
});

import type pg from 'pg';
import { runMaintenance } from '../../src/maintenance/runner';
import { rollUp } from '../../src/runs/rollup';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertRuleRun, insertSync, insertTenant } from '../helpers/fixtures';
import { testCollector } from '../helpers/snapshot';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const DAY = 24 * 3600_000;
const HOUR = 3600_000;
const HISTORY_DAYS = 15;

/** Two tenants (7 and 90 days of retention), one rule run and one sync per tenant per day for 15 days. */
async function seedHistory(pool: pg.Pool, longDays = 90): Promise<{ short: string; long: string }> {
  const short = await insertTenant(pool, 'short', 7);
  const long = await insertTenant(pool, 'long', longDays);
  for (const table of ['RuleRun', 'ConnectorSyncRun']) {
    await pool.query(`SELECT aperio_ensure_daily_partitions($1, ($2::timestamptz)::date - 20, ($2::timestamptz)::date + 1)`, [
      table,
      new Date(NOW),
    ]);
  }
  await insertRule(pool, { id: 'r1', org: null, key: 'mfa_disabled', interval: 3600 });
  for (const org of [short, long]) {
    await insertConnector(pool, { id: `c_${org}`, org, provider: 'okta', lastSyncAt: new Date(NOW - DAY) });
    for (let d = 1; d <= HISTORY_DAYS; d++) {
      const startedAt = new Date(NOW - d * DAY - 30 * 60_000);
      await insertRuleRun(pool, {
        org,
        ruleId: 'r1',
        startedAt,
        durationMs: 100 * d,
        status: d % 4 === 0 ? 'FAILED' : 'SUCCEEDED',
        events: d,
        findings: 1,
      });
      await insertSync(pool, {
        connectionId: `c_${org}`,
        org,
        provider: 'okta',
        startedAt,
        durationMs: 1000 * d,
        status: 'SUCCEEDED',
        records: d,
      });
    }
  }
  return { short, long };
}

const rawCount = async (pool: pg.Pool, table: string, org: string) =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "organizationId" = $1`, [org])).rows[0].n;

const hourlyRuns = async (pool: pg.Pool, table: string, org: string) =>
  (await pool.query<{ n: number }>(`SELECT coalesce(sum(runs), 0)::int AS n FROM "${table}" WHERE "organizationId" = $1`, [org])).rows[0].n;

const dump = async (pool: pg.Pool, table: string) => (await pool.query(`SELECT * FROM "${table}" ORDER BY 1, 2`)).rows;

describe('retention and rollups on real PostgreSQL', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it("removes a 7-day tenant's rows after 7 days and keeps a 90-day tenant's", async () => {
    const { short, long } = await seedHistory(db.pool);
    await runMaintenance(db.pool, NOW);
    // Day 7's row started 7 days and 30 minutes ago: past retention.
    expect(await rawCount(db.pool, 'RuleRun', short)).toBe(6);
    expect(await rawCount(db.pool, 'ConnectorSyncRun', short)).toBe(6);
    expect(await rawCount(db.pool, 'RuleRun', long)).toBe(HISTORY_DAYS);
    expect(await rawCount(db.pool, 'ConnectorSyncRun', long)).toBe(HISTORY_DAYS);

    await runMaintenance(db.pool, NOW + 3 * DAY);
    expect(await rawCount(db.pool, 'RuleRun', short)).toBe(3);
    expect(await rawCount(db.pool, 'RuleRun', long)).toBe(HISTORY_DAYS);
  });

  it('keeps rollup totals equal to the raw totals of the window, before and after raw rows are deleted, and counters never go back', async () => {
    const { short, long } = await seedHistory(db.pool);
    await rollUp(db.pool, 'RuleRun', NOW);
    await rollUp(db.pool, 'ConnectorSyncRun', NOW);
    for (const org of [short, long]) {
      expect(await hourlyRuns(db.pool, 'RuleRunHourly', org)).toBe(await rawCount(db.pool, 'RuleRun', org));
      expect(await hourlyRuns(db.pool, 'ConnectorSyncHourly', org)).toBe(await rawCount(db.pool, 'ConnectorSyncRun', org));
    }
    const before = await testCollector(db.pool, { clock: () => NOW }).refresh();
    const dailyBefore = await Promise.all(['RuleRunDaily', 'ConnectorSyncDaily'].map((t) => dump(db.pool, t)));

    const report = await runMaintenance(db.pool, NOW);
    expect(report.retention.reduce((sum, r) => sum + r.rowsDeleted, 0)).toBe(2 * (HISTORY_DAYS - 6));
    // The daily rollups, like the hourly ones, stay: the status history is the same after the deletes.
    expect(await Promise.all(['RuleRunDaily', 'ConnectorSyncDaily'].map((t) => dump(db.pool, t)))).toEqual(dailyBefore);
    expect(await rawCount(db.pool, 'RuleRun', short)).toBe(6);
    for (const org of [short, long]) {
      expect(await hourlyRuns(db.pool, 'RuleRunHourly', org)).toBe(HISTORY_DAYS);
      expect(await hourlyRuns(db.pool, 'ConnectorSyncHourly', org)).toBe(HISTORY_DAYS);
    }
    const after = await testCollector(db.pool, { clock: () => NOW }).refresh();
    for (const rule of before.rules) {
      const now = after.rules.find((r) => r.tenantId === rule.tenantId && r.ruleId === rule.ruleId)!;
      expect(now.totals).toEqual(rule.totals);
      expect(now.totals.runs).toBe(HISTORY_DAYS);
    }
    for (const connector of before.connectors) {
      expect(after.connectors.find((c) => c.id === connector.id)!.totals).toEqual(connector.totals);
    }
    expect(before.statusHistory.days.length).toBeGreaterThan(0);
    expect(after.statusHistory.days).toEqual(before.statusHistory.days);
  });

  it('never recomputes an hour retention may have pruned: a late run there changes no counter and no hourly row', async () => {
    const { short, long } = await seedHistory(db.pool, 10);
    await runMaintenance(db.pool, NOW); // rolls everything, deletes the 7-day tenant's older rows, drops partitions past 10 days
    const before = await testCollector(db.pool, { clock: () => NOW }).refresh();
    const hourlyBefore = await dump(db.pool, 'RuleRunHourly');
    // Late runs of the 90-day tenant: day 12 (its partition dropped), day 8 (the 7-day tenant's row of that hour deleted), day 3 (whole).
    for (const d of [12, 8, 3]) {
      await insertRuleRun(db.pool, {
        org: long,
        ruleId: 'r1',
        startedAt: new Date(NOW - d * DAY - 20 * 60_000),
        durationMs: 5,
        status: 'SUCCEEDED',
      });
    }
    const report = await runMaintenance(db.pool, NOW);
    expect(report.rollups.find((r) => r.table === 'RuleRun')).toMatchObject({ lateHours: 1, lateHoursSkipped: 2 });
    const hourlyAfter = await dump(db.pool, 'RuleRunHourly');
    const day3 = new Date(NOW - 3 * DAY - HOUR).getTime();
    expect(hourlyAfter.filter((row) => row.hour.getTime() !== day3)).toEqual(hourlyBefore.filter((row) => row.hour.getTime() !== day3));
    const after = await testCollector(db.pool, { clock: () => NOW }).refresh();
    for (const rule of before.rules) {
      const now = after.rules.find((r) => r.tenantId === rule.tenantId)!;
      for (const key of ['runs', 'failures', 'durationCount', 'durationMsSum', 'eventsEvaluated'] as const)
        expect(now.totals[key]).toBeGreaterThanOrEqual(rule.totals[key]);
      expect(now.totals.runs).toBe(rule.tenantId === short ? HISTORY_DAYS : HISTORY_DAYS + 1);
    }
  });

  it('gives the same result when run again', async () => {
    await seedHistory(db.pool);
    await runMaintenance(db.pool, NOW);
    const tables = ['RuleRunHourly', 'RuleRunTotal', 'ConnectorSyncHourly', 'ConnectorSyncTotal', 'RollupState'];
    const first = await Promise.all(tables.map((t) => dump(db.pool, t)));
    const again = await runMaintenance(db.pool, NOW);
    expect(again.retention.every((r) => r.rowsDeleted === 0 && r.partitionsDropped.length === 0)).toBe(true);
    expect(await Promise.all(tables.map((t) => dump(db.pool, t)))).toEqual(first);
    // Re-rolling the same window directly changes nothing either.
    await rollUp(db.pool, 'RuleRun', NOW);
    expect(await dump(db.pool, 'RuleRunTotal')).toEqual(first[1]);
  });

  it('accepts rows dated where no partition exists, and removes them from the DEFAULT partition once past retention', async () => {
    const { long } = await seedHistory(db.pool);
    await runMaintenance(db.pool, NOW);
    const far = [new Date(NOW + 60 * DAY), new Date(NOW - 200 * DAY)];
    for (const startedAt of far) await insertRuleRun(db.pool, { org: long, ruleId: 'r1', startedAt, durationMs: 5, status: 'SUCCEEDED' });
    const placed = await db.pool.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM "RuleRun" WHERE "startedAt" = ANY($1::timestamptz[]) ORDER BY "startedAt"`,
      [far],
    );
    expect(placed.rows.map((r) => r.part)).toEqual(['"RuleRun_default"', '"RuleRun_default"']);
    await runMaintenance(db.pool, NOW);
    const left = await db.pool.query<{ startedAt: Date }>(`SELECT "startedAt" FROM "RuleRun_default"`);
    expect(left.rows.map((r) => r.startedAt.getTime())).toEqual([NOW + 60 * DAY]);
  });

  it('drops whole daily partitions past the longest retention, never the rollups', async () => {
    const { long } = await seedHistory(db.pool, 10);
    const report = await runMaintenance(db.pool, NOW);
    const dropped = report.retention.find((r) => r.table === 'RuleRun')!.partitionsDropped;
    // Partitions ending at or before NOW - 10 days (2026-06-05): 2026-05-26 .. 2026-06-04.
    expect(dropped[0]).toBe('RuleRun_p20260526');
    expect(dropped[dropped.length - 1]).toBe('RuleRun_p20260604');
    const remaining = await db.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"RuleRun"'::regclass AND c.relname LIKE 'RuleRun_p202606%' ORDER BY 1`,
    );
    expect(remaining.rows[0].name).toBe('RuleRun_p20260605');
    expect(await rawCount(db.pool, 'RuleRun', long)).toBe(10);
    expect(await hourlyRuns(db.pool, 'RuleRunHourly', long)).toBe(HISTORY_DAYS);
  });
});

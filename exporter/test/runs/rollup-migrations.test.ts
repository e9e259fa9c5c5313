import { loadMigrations, migrate } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertRule, insertRuleRun, insertTenant } from '../helpers/fixtures';

const HOUR = 3600_000;
const A = Date.parse('2026-11-20T10:00:00Z');
const B = A + HOUR;

/**
 * Rollups written before durationCount existed: the migration counts it from the raw rows of an hour
 * that are all still there, and keeps runs for an hour whose raw rows are partly gone.
 */
describe('migration 005 backfills durationCount', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await migrate(
      db.pool,
      loadMigrations().filter((m) => m.version < 5),
    );
  });
  afterAll(() => db.drop());

  it('exact where the raw rows remain, runs where they are gone, and the total follows its hours', async () => {
    const org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled' });
    // Hour A: two runs with a duration and a skipped one. Hour B: one of each, and the one with a duration already deleted.
    for (const [at, durationMs, status] of [
      [A, 100, 'SUCCEEDED'],
      [A + 60_000, 200, 'SUCCEEDED'],
      [A + 120_000, null, 'SKIPPED'],
      [B, 300, 'SUCCEEDED'],
      [B + 60_000, null, 'SKIPPED'],
    ] as const) {
      await insertRuleRun(db.pool, { org, ruleId: 'r1', startedAt: new Date(at), durationMs, status });
    }
    await db.pool.query(`DELETE FROM "RuleRun" WHERE "durationMs" = 300`);
    await db.pool.query(
      `INSERT INTO "RuleRunHourly" (hour, "organizationId", "ruleId", runs, failures, "durationMsSum", "durationMsMax", "durationBuckets", "eventsEvaluated", "findingsOpened")
       VALUES ($1, $3, 'r1', 3, 0, 300, 200, '{}', 0, 0), ($2, $3, 'r1', 2, 0, 300, 300, '{}', 0, 0)`,
      [new Date(A), new Date(B), org],
    );
    // Seven runs in the total: two more than the hours hold, from hours rolled and since pruned (every one counted as an observation).
    await db.pool.query(
      `INSERT INTO "RuleRunTotal" ("organizationId", "ruleId", runs, failures, "durationMsSum", "durationBuckets", "eventsEvaluated", "findingsOpened")
       VALUES ($1, 'r1', 7, 0, 600, '{}', 0, 0)`,
      [org],
    );
    expect(await migrate(db.pool)).toContain('005_duration_count');
    const hourly = await db.pool.query<{ runs: number; durationCount: number }>(
      `SELECT runs::int, "durationCount"::int FROM "RuleRunHourly" ORDER BY hour`,
    );
    expect(hourly.rows).toEqual([
      { runs: 3, durationCount: 2 },
      { runs: 2, durationCount: 2 },
    ]);
    const total = await db.pool.query<{ runs: number; durationCount: number }>(
      `SELECT runs::int, "durationCount"::int FROM "RuleRunTotal"`,
    );
    expect(total.rows).toEqual([{ runs: 7, durationCount: 6 }]);
  });
});

describe('migration 006 on a database rolled before it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await migrate(
      db.pool,
      loadMigrations().filter((m) => m.version < 6),
    );
  });
  afterAll(() => db.drop());

  it('starts retention’s horizon at the watermark minus the 2 hours a rollup re-reads, the most the earlier retention could have removed', async () => {
    await db.pool.query(`INSERT INTO "RollupState" (name, "rolledUntil") VALUES ('RuleRun', $1)`, [new Date(B)]);
    expect(await migrate(db.pool)).toContain('006_late_runs');
    const { rows } = await db.pool.query<{ prunedBefore: Date }>(`SELECT "prunedBefore" FROM "RollupState"`);
    expect(rows[0].prunedBefore.getTime()).toBe(B - 2 * HOUR);
  });
});

describe('migration 008 on a database rolled before it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await migrate(
      db.pool,
      loadMigrations().filter((m) => m.version < 8),
    );
  });
  afterAll(() => db.drop());

  it('builds the daily rollups from the hourly rows already rolled, by UTC day', async () => {
    const midnight = Date.parse('2026-11-21T00:00:00Z');
    await db.pool.query(
      `INSERT INTO "RuleRunHourly" (hour, "organizationId", "ruleId", runs, failures, "durationCount", "durationMsSum", "durationMsMax", "durationBuckets", "eventsEvaluated", "findingsOpened")
       VALUES ($1, 'org_a', 'r1', 3, 1, 3, 0, 0, '{}', 0, 0), ($1, 'org_a', 'r2', 4, 0, 4, 0, 0, '{}', 0, 0),
              ($2, 'org_a', 'r1', 5, 2, 5, 0, 0, '{}', 0, 0), ($2, 'org_b', 'r1', 1, 1, 1, 0, 0, '{}', 0, 0)`,
      [new Date(midnight - HOUR), new Date(midnight)],
    );
    await db.pool.query(
      `INSERT INTO "ConnectorSyncHourly" (hour, "connectionId", "organizationId", provider, runs, failures, "durationCount", "durationMsSum", "durationMsMax", "durationBuckets", "recordsIngested")
       VALUES ($1, 'c1', 'org_a', 'okta', 2, 1, 2, 0, 0, '{}', 0), ($2, 'c1', 'org_a', 'okta', 6, 0, 6, 0, 0, '{}', 0), ($3, 'c1', 'org_a', 'okta', 1, 1, 1, 0, 0, '{}', 0)`,
      [new Date(midnight - 2 * HOUR), new Date(midnight - HOUR), new Date(midnight + 23 * HOUR)],
    );
    expect(await migrate(db.pool)).toContain('008_daily_rollups');
    const rules = await db.pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, "organizationId", runs::int, failures::int FROM "RuleRunDaily" ORDER BY 1, 2`,
    );
    expect(rules.rows).toEqual([
      { day: '2026-11-20', organizationId: 'org_a', runs: 7, failures: 1 },
      { day: '2026-11-21', organizationId: 'org_a', runs: 5, failures: 2 },
      { day: '2026-11-21', organizationId: 'org_b', runs: 1, failures: 1 },
    ]);
    const syncs = await db.pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, "connectionId", provider, runs::int, failures::int FROM "ConnectorSyncDaily" ORDER BY 1`,
    );
    expect(syncs.rows).toEqual([
      { day: '2026-11-20', connectionId: 'c1', provider: 'okta', runs: 8, failures: 1 },
      { day: '2026-11-21', connectionId: 'c1', provider: 'okta', runs: 1, failures: 1 },
    ]);
  });
});

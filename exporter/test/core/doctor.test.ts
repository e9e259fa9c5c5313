import pg from 'pg';
import { loadSettings } from '../../src/config/settings';
import { CORE_CONTRACT } from '../../src/db/contract';
import { blockingFailures, checkSchema, type Check } from '../../src/db/doctor';
import { probeCollection, probeMonitorWrites } from '../../src/db/doctor-probes';
import { logger } from '../../src/log';
import { adminUrl, createEmptyDatabase, createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertRule, insertTenant } from '../helpers/fixtures';
import { runCli } from '../helpers/processes';

/** doctor's verdict, as the CLI reaches it: the schema checks, then one collection and a dry monitor cycle. */
async function doctorChecks(pool: pg.Pool): Promise<Check[]> {
  const settings = loadSettings({ DATABASE_URL: 'postgresql://unused', LOG_LEVEL: 'silent' });
  return [...(await checkSchema(pool)), ...(await probeCollection(pool, settings)), ...(await probeMonitorWrites(pool))];
}
const failed = (checks: Check[]) => blockingFailures(checks).map((c) => `${c.name}: ${c.detail}`);

/** Copies of one seeded database (CREATE DATABASE ... TEMPLATE), so each case breaks a fresh one. */
const cloneOf = (template: string) => createEmptyDatabase({ template, maxConnections: 4 });

describe('doctor passes exactly when the exporter works', () => {
  let golden: TestDatabase;
  let template: string;
  beforeAll(async () => {
    logger.level = 'silent'; // the collector's warnings repeat what the checks say
    golden = await createTestDatabase();
    const org = await insertTenant(golden.pool, 'acme', 30);
    await insertRule(golden.pool, { id: 'r1', org, key: 'mfa_disabled', interval: 3600 });
    template = new URL(golden.url).pathname.slice(1);
    await golden.pool.end(); // a template database must have no connections
  });
  afterAll(async () => {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await c.end();
  });

  it('passes on the full schema, with one collection and a dry monitor cycle that leaves nothing behind', async () => {
    const db = await cloneOf(template);
    try {
      const checks = await doctorChecks(db.pool);
      expect(failed(checks)).toEqual([]);
      expect(checks.filter((c) => c.name.startsWith('collector ')).length).toBeGreaterThanOrEqual(7);
      expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(['monitors: open a finding', 'monitors: resolve a finding']));
      expect((await db.pool.query('SELECT count(*)::int AS n FROM "Finding"')).rows[0].n).toBe(0);
    } finally {
      await db.drop();
    }
  });

  const required = Object.entries(CORE_CONTRACT).flatMap(([table, columns]) =>
    columns.filter((c) => !c.withoutIt).map((c) => [table, c.name] as const),
  );
  it(`names each of the ${required.length} required columns when it is missing, one at a time`, async () => {
    for (const [table, column] of required) {
      const db = await cloneOf(template);
      try {
        await db.pool.query(`ALTER TABLE "${table}" DROP COLUMN "${column}" CASCADE`);
        // The schema checks alone name it (the collection would fail on it too, less precisely).
        const problems = failed(await checkSchema(db.pool));
        expect([table, column, problems.some((p) => p.includes(`"${table}"."${column}"`))]).toEqual([table, column, true]);
      } finally {
        await db.drop();
      }
    }
  }, 300_000);

  it('catches what the schema checks cannot see: a statement that fails on this database', async () => {
    const db = await cloneOf(template);
    try {
      // Platform findings have no tenant: a NOT NULL organizationId breaks the monitors' writes only.
      await db.pool.query(`ALTER TABLE "Finding" ALTER COLUMN "organizationId" SET NOT NULL`);
      const problems = failed(await doctorChecks(db.pool));
      expect(problems).toEqual([expect.stringMatching(/^monitors: open a finding: its statement failed: .*"organizationId"/)]);
    } finally {
      await db.drop();
    }
  });

  it('degrades without the optional DetectionRule.scheduleCron: a warning saying what is lost, and collection still works', async () => {
    const db = await cloneOf(template);
    try {
      await db.pool.query(`ALTER TABLE "DetectionRule" DROP COLUMN "scheduleCron"`);
      const checks = await doctorChecks(db.pool);
      expect(failed(checks)).toEqual([]);
      expect(checks).toContainEqual(
        expect.objectContaining({
          name: 'column "DetectionRule"."scheduleCron"',
          warning: true,
          detail: expect.stringMatching(/cron schedules are not checked/),
        }),
      );
      const rules = await probeCollection(db.pool, loadSettings({ DATABASE_URL: 'postgresql://unused' }));
      expect(rules.find((c) => c.name === 'collector "rules"')?.ok).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('names a column of the wrong type', async () => {
    const db = await cloneOf(template);
    try {
      await db.pool.query(`ALTER TABLE "Organization" ALTER COLUMN "dataRetentionDays" TYPE text`);
      expect(failed(await checkSchema(db.pool))).toContainEqual(
        'table "Organization": "Organization"."dataRetentionDays" is text, the exporter needs an integer',
      );
    } finally {
      await db.drop();
    }
  });

  it('checks indexes by definition: the same index under another name passes, another predicate under the name does not', async () => {
    const db = await cloneOf(template);
    try {
      await db.pool.query(`ALTER INDEX "SiemDelivery_open_idx" RENAME TO "siem_delivery_pending_by_destination"`);
      await db.pool.query(`DROP INDEX "IngestionJob_open_idx"`);
      await db.pool.query(
        `CREATE INDEX "IngestionJob_open_idx" ON "IngestionJob" ("organizationId", kind, status, "createdAt") WHERE status = 'QUEUED'`,
      );
      const checks = await checkSchema(db.pool);
      expect(checks).toContainEqual({
        name: 'index "SiemDelivery_open_idx"',
        ok: true,
        warning: false,
        detail: 'present as "siem_delivery_pending_by_destination"',
      });
      expect(checks).toContainEqual(
        expect.objectContaining({
          name: 'index "IngestionJob_open_idx"',
          ok: false,
          warning: true,
          detail: expect.stringMatching(/^recommended for fast collection: CREATE INDEX CONCURRENTLY/),
        }),
      );
    } finally {
      await db.drop();
    }
  });
});

describe('aperio-exporter doctor on the database of the report (#15)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('names the Finding columns the exporter writes, and the failing collector and monitor statements', async () => {
    await db.pool.query(`ALTER TABLE "Finding" DROP COLUMN "updatedAt", DROP COLUMN "ruleId", DROP COLUMN description`);
    const run = runCli(['doctor'], { DATABASE_URL: db.url });
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toMatch(
      /^FAIL  table "Finding": missing columns "Finding"\."ruleId", "Finding"\."description", "Finding"\."updatedAt"$/m,
    );
    expect(run.output()).toMatch(/^FAIL  collector "findings": its query failed: column "updatedAt" does not exist$/m);
    expect(run.output()).toMatch(
      /^FAIL  monitors: open a finding: its statement failed: column "ruleId" of relation "Finding" does not exist$/m,
    );
    expect(run.output()).not.toMatch(/all checks passed/);
  });
});

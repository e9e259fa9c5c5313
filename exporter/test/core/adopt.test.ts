import type pg from 'pg';
import { migrate } from '../../src/db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runCli, waitFor } from '../helpers/processes';

/**
 * An Aperio database whose phase-1 workers already write a plain "RuleRun" table (text ids, an extra
 * column, its own primary key and index names): migrate refuses it with the remedy, and
 * `migrate --adopt` moves every one of its 1,000,000 rows into the partitioned table, resuming after a
 * hard kill in the middle of the copy.
 */
const ROWS = 1_000_000;

async function createPhaseOneRuleRun(pool: pg.Pool, rows: number, withTrigger = true): Promise<void> {
  await pool.query(`CREATE TABLE "RuleRun" (
    id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    "organizationId" text NOT NULL, "ruleId" text NOT NULL,
    ${withTrigger ? `trigger text NOT NULL DEFAULT 'SCHEDULE',` : ''}
    "scheduledFor" timestamptz, "startedAt" timestamptz NOT NULL, "finishedAt" timestamptz,
    "durationMs" integer, status text NOT NULL, "eventsEvaluated" bigint NOT NULL DEFAULT 0,
    "findingsOpened" integer NOT NULL DEFAULT 0, error text, "workerId" text)`);
  await pool.query(`CREATE INDEX "RuleRun_audit_idx" ON "RuleRun" ("organizationId", "startedAt" DESC)`);
  // Set-based: a million rows over the last 30 days, each durationMs distinct (1..rows) to check for loss or duplicates.
  await pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "workerId")
     SELECT 'org_' || (n % 50), 'rule_' || (n % 20), now() - (n % 43200) * interval '1 minute', now(), n,
            CASE WHEN n % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, n % 1000, 'w1'
     FROM generate_series(1, $1::int) AS n`,
    [rows],
  );
}

const TOTALS = `count(*)::bigint AS n, sum("durationMs")::bigint AS sum, count(DISTINCT "durationMs")::bigint AS distinct, count(*) FILTER (WHERE status = 'FAILED')::bigint AS failed`;
const totals = async (pool: pg.Pool, table: string, where = 'true') => {
  const row = (await pool.query(`SELECT ${TOTALS} FROM "${table}" WHERE ${where}`)).rows[0] as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
};

describe('adopting an existing RuleRun table', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await createPhaseOneRuleRun(db.pool, ROWS);
  }, 120_000);
  afterAll(() => db.drop());

  it('migrate refuses it with the remedy, and doctor says the same; nothing is changed', async () => {
    const run = runCli(['migrate'], { DATABASE_URL: db.url });
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toMatch(
      /"RuleRun" already exists but was not created by aperio-exporter migrate; the columns fit \("RuleRun" columns not copied: workerId\)/,
    );
    expect(run.output()).toMatch(/fix: run `aperio-exporter migrate --adopt`: it renames "RuleRun" to "RuleRun_adopted"/);
    const doctor = runCli(['doctor'], { DATABASE_URL: db.url });
    expect((await doctor.exited).code).toBe(1);
    expect(doctor.output()).toMatch(
      /^FAIL  table "RuleRun": exists but was not created by aperio-exporter migrate: run `aperio-exporter migrate --adopt`/m,
    );
    expect((await totals(db.pool, 'RuleRun')).n).toBe(ROWS);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM "_aperio_migrations"`)).rows[0].n).toBe(0);
  });

  it('migrate --adopt moves every row, in batches with progress, and resumes after being killed mid-copy', async () => {
    const expected = await totals(db.pool, 'RuleRun');
    const first = runCli(['migrate', '--adopt'], { DATABASE_URL: db.url });
    await waitFor('the copy to be under way', async () => (/adopt RuleRun .* [1-9]\d?% /.test(first.output()) ? true : undefined), 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const partial = Number(
      (await db.pool.query<{ copied: string }>(`SELECT copied FROM "_aperio_adoptions" WHERE name = 'RuleRun'`)).rows[0].copied,
    );
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ROWS);
    // Writers keep writing to "RuleRun" meanwhile: the partitioned table takes them.
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", status) VALUES ('org_1', 'rule_1', 'SCHEDULE', now(), 'SUCCEEDED')`,
    );

    const second = runCli(['migrate', '--adopt'], { DATABASE_URL: db.url });
    expect((await second.exited).code).toBe(0);
    expect(second.output()).toMatch(
      new RegExp(`adopted ${ROWS} row\\(s\\) of "RuleRun_adopted" into "RuleRun"; drop the old table once satisfied`),
    );
    expect(await totals(db.pool, 'RuleRun', '"durationMs" IS NOT NULL')).toEqual(expected);
    // Daily partitions, not the DEFAULT one, hold the old rows, so retention can drop them.
    expect((await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RuleRun_default"`)).rows[0].n).toBe(0);
    expect((await totals(db.pool, 'RuleRun_adopted')).n).toBe(ROWS);

    const doctor = runCli(['doctor'], { DATABASE_URL: db.url });
    expect((await doctor.exited).code).toBe(0);
  }, 300_000);
});

describe('a RuleRun that cannot be adopted', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await createPhaseOneRuleRun(db.pool, 10, false);
  });
  afterAll(() => db.drop());

  it('is refused, even with --adopt, naming the missing column and the statement that adds it', async () => {
    await expect(migrate(db.pool, undefined, { adopt: true })).rejects.toMatchObject({
      message: expect.stringMatching(/"RuleRun" lacks "trigger", which the exporter's run tables require/),
      hint: expect.stringMatching(/ALTER TABLE "RuleRun" ADD COLUMN "trigger" text NOT NULL DEFAULT 'SCHEDULE'/),
    });
    expect((await totals(db.pool, 'RuleRun')).n).toBe(10);
  });
});

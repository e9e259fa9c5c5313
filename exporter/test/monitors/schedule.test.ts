import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertJobs, insertRuleRun, insertTenant } from '../helpers/fixtures';
import { expectOneResolved, findings, harness, TestClock, type Harness } from './harness';

const MIN = 60_000;
const HOUR = 3_600_000;
let db: TestDatabase;
let h: Harness | null = null;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await h?.engine.stop();
  h = null;
  await db.drop();
});

async function cronRule(org: string, cron: string) {
  await db.pool.query(
    `INSERT INTO "DetectionRule" (id, "organizationId", key, name, severity, enabled, "scheduleCron") VALUES ('rule_review', $1, 'hourly_access_review', 'Hourly access review', 'MEDIUM', true, $2)`,
    [org, cron],
  );
}

it('schedule_missed: a cron rule with no run for its slot is dated at the slot and resolves after the next run', async () => {
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const clock = new TestClock(hour + 45 * MIN);
  const org = await insertTenant(db.pool, 'initech');
  await cronRule(org, '0 * * * *');
  await insertRuleRun(db.pool, {
    org,
    ruleId: 'rule_review',
    startedAt: new Date(hour - HOUR + 2_000),
    durationMs: 500,
    status: 'SUCCEEDED',
  });
  h = harness(db.pool, clock);
  const key = `aperio.platform.schedule_missed:rule:${org}:rule_review`;
  expect((await h.cycle()).opened).toEqual([key]);
  const [open] = await findings(db.pool);
  expect(open.createdAt.getTime()).toBe(hour); // dated at the missed slot, not when it was noticed
  expect(open.title).toContain(new Date(hour).toISOString());
  clock.advance(MIN);
  expect((await h.cycle()).updated).toEqual([key]);

  // A scheduled run at :46 without scheduledFor sits nearer the next slot: it does not serve the missed one.
  await insertRuleRun(db.pool, { org, ruleId: 'rule_review', startedAt: new Date(clock.at), durationMs: 500, status: 'SUCCEEDED' });
  clock.advance(MIN);
  expect((await h.cycle()).updated).toEqual([key]);
  // The scheduler catches up on the slot itself (scheduledFor names it): served, and the finding resolves.
  await db.pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status)
     VALUES ($1, 'rule_review', 'SCHEDULE', $2, $3, $3, 0, 'SUCCEEDED')`,
    [org, new Date(hour), new Date(clock.at)],
  );
  clock.advance(MIN);
  await h.cycle();
  clock.advance(MIN);
  expect((await h.cycle()).resolved).toEqual([key]);
  expectOneResolved(await findings(db.pool), key);
});

it('schedule_missed: a manual run never stands in for the scheduled one', async () => {
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const clock = new TestClock(hour + 45 * MIN);
  const org = await insertTenant(db.pool, 'initech');
  await cronRule(org, '0 * * * *');
  await db.pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status)
     VALUES ($1, 'rule_review', 'MANUAL', NULL, $2, $2, 0, 'SUCCEEDED')`,
    [org, new Date(hour + MIN)],
  );
  h = harness(db.pool, clock);
  expect((await h.cycle()).opened).toEqual([`aperio.platform.schedule_missed:rule:${org}:rule_review`]);
});

it('schedule_missed is suppressed while ingestion is backlogged, visibly, and raised once it drains', async () => {
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const clock = new TestClock(hour + 45 * MIN);
  const org = await insertTenant(db.pool, 'initech');
  const hooli = await insertTenant(db.pool, 'hooli');
  await cronRule(org, '0 * * * *');
  await insertRuleRun(db.pool, {
    org,
    ruleId: 'rule_review',
    startedAt: new Date(hour - HOUR + 2_000),
    durationMs: 500,
    status: 'SUCCEEDED',
  });
  await insertJobs(db.pool, { org: hooli, kind: 'SYNC', status: 'QUEUED', count: 20, createdAt: new Date(clock.at - 5 * MIN) });
  h = harness(db.pool, clock);
  for (let i = 0; i < 3; i++) {
    const report = await h.cycle();
    expect(report.suppressed).toBe(1);
    expect(report.opened.filter((k) => k.includes('schedule_missed'))).toEqual([]);
    expect(h.engine.stats.suppressed['aperio.platform.schedule_missed']).toBe(1);
    clock.advance(MIN);
  }
  // The backlog itself is a finding, and it says that schedule misses are held back meanwhile.
  const backlog = await findings(db.pool, 'aperio.platform.ingestion_backlog');
  expect(backlog).toHaveLength(1);
  expect(backlog[0].description).toContain('schedule_missed is not raised');
  expect(await findings(db.pool, 'aperio.platform.schedule_missed')).toHaveLength(0);

  await db.pool.query(`UPDATE "IngestionJob" SET status = 'SUCCEEDED'`);
  const report = await h.cycle();
  expect(report.suppressed).toBe(0);
  expect(h.engine.stats.suppressed['aperio.platform.schedule_missed']).toBe(0);
  expect(report.opened).toEqual([`aperio.platform.schedule_missed:rule:${org}:rule_review`]);
});

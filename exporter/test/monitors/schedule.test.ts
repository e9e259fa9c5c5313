import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertJobs, insertRuleRun, insertTenant } from '../helpers/fixtures';
import { dueCronSlot } from '../../src/monitors/checks/schedule-slots';
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

it('cron slots honour the time zone and the grace period', () => {
  // 09:45 in Berlin (summer, UTC+2) is 07:45 UTC; a daily 09:00 Berlin job is due since 07:00 UTC.
  const now = Date.parse('2025-07-01T07:45:00Z');
  expect(dueCronSlot('0 9 * * *', 'Europe/Berlin', now, 600)?.slotAt).toBe(Date.parse('2025-07-01T07:00:00Z'));
  // Hourly in UTC with the default grace (half the period): at :20 the :00 slot is not due yet.
  expect(dueCronSlot('0 * * * *', 'UTC', Date.parse('2025-07-01T07:20:00Z'), null)?.slotAt).toBe(Date.parse('2025-07-01T06:00:00Z'));
});

it('schedule_missed: a cron rule with no run for its slot is dated at the slot and resolves after the next run', async () => {
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const clock = new TestClock(hour + 45 * MIN);
  const org = await insertTenant(db.pool, 'initech');
  await cronRule(org, '0 * * * *');
  await insertRuleRun(db.pool, { org, ruleId: 'rule_review', startedAt: new Date(hour - HOUR + 2_000), durationMs: 500, status: 'SUCCEEDED' });
  h = harness(db.pool, clock);
  const key = `aperio.platform.schedule_missed:rule:${org}:rule_review`;
  expect((await h.cycle()).opened).toEqual([key]);
  const [open] = await findings(db.pool);
  expect(open.createdAt.getTime()).toBe(hour); // dated at the missed slot, not when it was noticed
  expect(open.title).toContain(new Date(hour).toISOString());
  clock.advance(MIN);
  expect((await h.cycle()).updated).toEqual([key]);

  await insertRuleRun(db.pool, { org, ruleId: 'rule_review', startedAt: new Date(clock.at), durationMs: 500, status: 'SUCCEEDED' });
  clock.advance(MIN);
  await h.cycle();
  clock.advance(MIN);
  expect((await h.cycle()).resolved).toEqual([key]);
  expectOneResolved(await findings(db.pool), key);
});

it('schedule_missed is suppressed while ingestion is backlogged, visibly, and raised once it drains', async () => {
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const clock = new TestClock(hour + 45 * MIN);
  const org = await insertTenant(db.pool, 'initech');
  const hooli = await insertTenant(db.pool, 'hooli');
  await cronRule(org, '0 * * * *');
  await insertRuleRun(db.pool, { org, ruleId: 'rule_review', startedAt: new Date(hour - HOUR + 2_000), durationMs: 500, status: 'SUCCEEDED' });
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

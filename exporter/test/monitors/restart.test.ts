import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertDeliveries, insertDestination, insertRule, insertRuleRun, insertTenant } from '../helpers/fixtures';
import { findings, harness, TestClock, type FindingRow, type Harness } from './harness';

const MIN = 60_000;
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 30 * MIN;
const at = (ms: number) => new Date(ms);

/**
 * A restarted exporter has no counter history: its windowed checks cannot tell "clear" from "not seen
 * yet". Mid-incident, it must leave the open findings as they are (no resolve after the recovery
 * period, no second row reaching the SIEM as a new finding), and judge again once it has seen a window.
 */
describe('findings survive a restart of the exporter', () => {
  let db: TestDatabase;
  const running: Harness[] = [];
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const h of running.splice(0)) await h.engine.stop();
    await db.drop();
  });
  const start = (clock: TestClock) => {
    const h = harness(db.pool, clock);
    running.push(h);
    return h;
  };

  it('keeps the same open rows, untouched, until the new process has a full window of history', async () => {
    const clock = new TestClock(BASE);
    const org = await insertTenant(db.pool, 'umbrella');
    await insertDestination(db.pool, { id: 'dest_umbrella_webhook', org, kind: 'WEBHOOK', ok: 100, fail: 0 });
    await insertRule(db.pool, { id: 'rule_mfa', org, key: 'mfa_disabled' });
    const first = start(clock);
    await first.cycle(); // the baseline of the counters
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'DEAD_LETTER', 3, at(clock.at));
    for (let i = 0; i < 4; i++)
      await insertRuleRun(db.pool, { org, ruleId: 'rule_mfa', startedAt: at(clock.at + i * 1000), durationMs: 200, status: 'FAILED' });
    clock.advance(MIN);
    const opened = (await first.cycle()).opened.sort();
    expect(opened).toEqual([
      'aperio.platform.rule_failing:rule:org_umbrella:rule_mfa',
      'aperio.platform.siem_dead_letter:destination:dest_umbrella_webhook',
    ]);
    const before = await findings(db.pool);

    // The exporter restarts one minute later: the incidents are still inside the 5-minute window.
    clock.advance(MIN);
    await first.engine.stop();
    running.splice(running.indexOf(first), 1);
    const second = start(clock);
    const seen: FindingRow[][] = [];
    for (let i = 0; i < 5; i++) {
      await second.cycle();
      seen.push(await findings(db.pool));
      clock.advance(30_000); // 2.5 minutes in all: more than the 1-minute recovery period
    }
    for (const rows of seen) expect(rows).toEqual(before); // same rows, same status, same updatedAt

    // Once the second process has seen a whole window without new failures, it resolves the same rows.
    for (let i = 0; i < 12; i++) {
      clock.advance(30_000);
      await second.cycle();
    }
    const after = await findings(db.pool);
    expect(after.map((r) => [r.id, r.status])).toEqual(before.map((r) => [r.id, 'RESOLVED']));
  });

  it('rule_slow names the real p95 and maximum of the runs in the window, not a bucket interpolation', async () => {
    const clock = new TestClock(BASE);
    const org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'rule_travel', org, key: 'impossible_travel' });
    // 20 runs between 70 and 77.5 s and one of 82.7 s: p95 77.5 s, where the 60-120 s bucket says ~117 s.
    const durations = [...Array.from({ length: 19 }, (_, i) => 70_000 + i * 416), 77_500, 82_700];
    for (const [i, durationMs] of durations.entries()) {
      await insertRuleRun(db.pool, {
        org,
        ruleId: 'rule_travel',
        startedAt: at(clock.at - 200_000 + i * 1000),
        durationMs,
        status: 'SUCCEEDED',
      });
    }
    const h = start(clock);
    const report = await h.cycle();
    expect(report.opened).toEqual(['aperio.platform.rule_slow:rule:org_acme:rule_travel']);
    const [row] = await findings(db.pool, 'aperio.platform.rule_slow');
    expect(row.title).toContain('(p95 77.5 s, max 82.7 s)');
    expect(row.description).toContain('21 runs');

    // And a restart keeps judging it from the same rows: the same finding stays open.
    await h.engine.stop();
    running.splice(running.indexOf(h), 1);
    clock.advance(MIN);
    const again = start(clock);
    const next = await again.cycle();
    expect(next.opened).toEqual([]);
    expect(next.updated).toEqual(['aperio.platform.rule_slow:rule:org_acme:rule_travel']);
    expect((await findings(db.pool, 'aperio.platform.rule_slow')).map((r) => [r.id, r.status])).toEqual([[row.id, 'OPEN']]);
  });
});

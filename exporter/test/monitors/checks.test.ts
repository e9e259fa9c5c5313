import { createTestDatabase, type TestDatabase } from '../helpers/database';
import {
  insertConnector,
  insertDeliveries,
  insertDestination,
  insertJobs,
  insertRule,
  insertRuleRun,
  insertSync,
  insertTenant,
} from '../helpers/fixtures';
import { expectOneResolved, findings, harness as makeHarness, TestClock, type Harness } from './harness';

const MIN = 60_000;
// Quarter to the hour, an hour ago: every timestamp stays in the past for the database's own now().
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 15 * MIN;
const at = (ms: number) => new Date(ms);

let db: TestDatabase;
let clock: TestClock;
const engines: Harness[] = [];
const harness = (...args: Parameters<typeof makeHarness>): Harness => {
  const h = makeHarness(...args);
  engines.push(h);
  return h;
};
beforeEach(async () => {
  db = await createTestDatabase();
  clock = new TestClock(BASE);
});
afterEach(async () => {
  for (const h of engines.splice(0)) await h.engine.stop();
  await db.drop();
});

describe('each check goes healthy → failing → healthy with exactly one finding per subject', () => {
  it('connector_stale: opens past the critical freshness threshold, updates, resolves after the recovery period', async () => {
    const org = await insertTenant(db.pool, 'acme');
    await insertConnector(db.pool, { id: 'conn_acme_okta', org, provider: 'okta', lastSyncAt: at(clock.at - 5 * MIN) });
    const h = harness(db.pool, clock);
    expect((await h.cycle()).opened).toEqual([]);

    await db.pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $1, "lastError" = 'token expired'`, [
      at(clock.at - 7 * 3600_000),
    ]);
    clock.advance(MIN);
    expect((await h.cycle()).opened).toEqual(['aperio.platform.connector_stale:connector:conn_acme_okta']);
    clock.advance(MIN);
    expect((await h.cycle()).updated).toEqual(['aperio.platform.connector_stale:connector:conn_acme_okta']);
    const open = (await findings(db.pool))[0];
    expect(open).toMatchObject({ status: 'OPEN', organizationId: org, severity: 'HIGH', category: 'aperio.platform.connector_stale' });
    expect(open.description).toContain('token expired');
    expect(open.updatedAt.getTime()).toBe(clock.at);

    await db.pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $1`, [at(clock.at)]);
    clock.advance(MIN / 2);
    expect((await h.cycle()).resolved).toEqual([]); // clear, but not for the recovery minute yet
    clock.advance(MIN);
    expect((await h.cycle()).resolved).toEqual(['aperio.platform.connector_stale:connector:conn_acme_okta']);
    const row = expectOneResolved(await findings(db.pool), 'aperio.platform.connector_stale:connector:conn_acme_okta');
    expect(row.resolvedAt!.getTime()).toBe(clock.at);
    clock.advance(MIN);
    await h.cycle();
    expect(await findings(db.pool)).toHaveLength(1);
  });

  it('connector_failing: N failed syncs in a row open it, a successful sync clears it', async () => {
    const org = await insertTenant(db.pool, 'acme');
    await insertConnector(db.pool, { id: 'conn_acme_github', org, provider: 'github', lastSyncAt: at(clock.at - 10 * MIN) });
    const h = harness(db.pool, clock);
    for (const ago of [6, 4])
      await insertSync(db.pool, {
        connectionId: 'conn_acme_github',
        org,
        provider: 'github',
        startedAt: at(clock.at - ago * MIN),
        durationMs: 1000,
        status: 'FAILED',
      });
    expect((await h.cycle()).opened).toEqual([]); // two failures: below the threshold of three
    await insertSync(db.pool, {
      connectionId: 'conn_acme_github',
      org,
      provider: 'github',
      startedAt: at(clock.at - 2 * MIN),
      durationMs: 1000,
      status: 'FAILED',
    });
    clock.advance(MIN);
    expect((await h.cycle()).opened).toEqual(['aperio.platform.connector_failing:connector:conn_acme_github']);
    clock.advance(MIN);
    expect((await h.cycle()).updated).toHaveLength(1);
    await insertSync(db.pool, {
      connectionId: 'conn_acme_github',
      org,
      provider: 'github',
      startedAt: at(clock.at - 10_000),
      durationMs: 1000,
      status: 'SUCCEEDED',
    });
    await db.pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $1`, [at(clock.at - 9_000)]);
    clock.advance(MIN);
    await h.cycle();
    clock.advance(MIN);
    expect((await h.cycle()).resolved).toHaveLength(1);
    expectOneResolved(
      await findings(db.pool, 'aperio.platform.connector_failing'),
      'aperio.platform.connector_failing:connector:conn_acme_github',
    );
  });

  it('siem_dead_letter: new dead letters within the window open it; a window without new ones clears it', async () => {
    const org = await insertTenant(db.pool, 'umbrella');
    await insertDestination(db.pool, { id: 'dest_umbrella_webhook', org, kind: 'WEBHOOK', ok: 100, fail: 0 });
    const h = harness(db.pool, clock);
    expect((await h.cycle()).observed).toBe(0); // first snapshot: the baseline for the deltas
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'DEAD_LETTER', 3, at(clock.at));
    clock.advance(MIN);
    expect((await h.cycle()).opened).toEqual(['aperio.platform.siem_dead_letter:destination:dest_umbrella_webhook']);
    const [open] = await findings(db.pool);
    expect(open.description).toContain('3 new dead letters');
    for (let i = 0; i < 6; i++) {
      clock.advance(MIN);
      await h.cycle();
    }
    clock.advance(MIN);
    await h.cycle();
    expectOneResolved(await findings(db.pool), 'aperio.platform.siem_dead_letter:destination:dest_umbrella_webhook');
  });

  it('siem_dead_letter: a failure ratio above the threshold opens it too', async () => {
    const org = await insertTenant(db.pool, 'stark');
    await insertDestination(db.pool, { id: 'dest_stark_splunk', org, kind: 'SPLUNK_HEC', ok: 100, fail: 0 });
    const h = harness(db.pool, clock);
    await h.cycle();
    await db.pool.query(`UPDATE "SiemDestination" SET "deliveriesOk" = 104, "deliveriesFail" = 16`);
    clock.advance(MIN);
    const report = await h.cycle();
    expect(report.opened).toEqual(['aperio.platform.siem_dead_letter:destination:dest_stark_splunk']);
    expect((await findings(db.pool))[0].description).toContain('16 of 20 deliveries failed');
  });

  it('ingestion_backlog: opens only after the condition held for `for`, resolves after draining', async () => {
    const org = await insertTenant(db.pool, 'hooli');
    const h = harness(db.pool, clock);
    await insertJobs(db.pool, { org, kind: 'SYNC', status: 'QUEUED', count: 5, createdAt: at(clock.at - 3 * MIN) });
    expect((await h.cycle()).observed).toBe(1);
    expect(await findings(db.pool)).toHaveLength(0); // `for: 1m` has not passed
    clock.advance(30_000);
    expect((await h.cycle()).opened).toEqual([]);
    clock.advance(30_000);
    expect((await h.cycle()).opened).toEqual([`aperio.platform.ingestion_backlog:queue:${org}:SYNC`]);
    clock.advance(MIN);
    expect((await h.cycle()).updated).toHaveLength(1);
    await db.pool.query(`UPDATE "IngestionJob" SET status = 'SUCCEEDED', "finishedAt" = $1`, [at(clock.at)]);
    clock.advance(MIN);
    await h.cycle();
    clock.advance(MIN);
    expect((await h.cycle()).resolved).toHaveLength(1);
    expectOneResolved(await findings(db.pool), `aperio.platform.ingestion_backlog:queue:${org}:SYNC`);
  });

  it('rule_failing and rule_slow: failure ratio from the window deltas, p95 from the runs that finished in the window', async () => {
    const org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'rule_travel', org, key: 'impossible_travel' });
    await insertRule(db.pool, { id: 'rule_mfa', org, key: 'mfa_disabled' });
    const h = harness(db.pool, clock);
    await insertRuleRun(db.pool, { org, ruleId: 'rule_travel', startedAt: at(clock.at - 30_000), durationMs: 500, status: 'SUCCEEDED' });
    await insertRuleRun(db.pool, { org, ruleId: 'rule_mfa', startedAt: at(clock.at - 30_000), durationMs: 500, status: 'SUCCEEDED' });
    await h.cycle();
    for (let i = 0; i < 4; i++) {
      // Slow runs that have finished by the next cycle: rule_slow reads runs by when they finished.
      await insertRuleRun(db.pool, {
        org,
        ruleId: 'rule_travel',
        startedAt: at(clock.at - 90_000 + i * 10_000),
        durationMs: 90_000,
        status: 'SUCCEEDED',
      });
      await insertRuleRun(db.pool, {
        org,
        ruleId: 'rule_mfa',
        startedAt: at(clock.at + i * 10_000),
        durationMs: 200,
        status: i === 0 ? 'SUCCEEDED' : 'FAILED',
      });
    }
    clock.advance(MIN);
    const report = await h.cycle();
    expect(report.opened.sort()).toEqual([
      `aperio.platform.rule_failing:rule:${org}:rule_mfa`,
      `aperio.platform.rule_slow:rule:${org}:rule_travel`,
    ]);
    const slow = (await findings(db.pool, 'aperio.platform.rule_slow'))[0];
    expect(slow.title).toMatch(/p95 \d+\.\d s/);
    // Healthy again: fast, successful runs only; once the window has passed the bad runs are out of it.
    for (let step = 0; step < 7; step++) {
      clock.advance(MIN);
      await insertRuleRun(db.pool, { org, ruleId: 'rule_travel', startedAt: at(clock.at - 5_000), durationMs: 300, status: 'SUCCEEDED' });
      await insertRuleRun(db.pool, { org, ruleId: 'rule_mfa', startedAt: at(clock.at - 5_000), durationMs: 300, status: 'SUCCEEDED' });
      await h.cycle();
    }
    const rows = await findings(db.pool);
    expect(rows).toHaveLength(2);
    expectOneResolved(rows, `aperio.platform.rule_failing:rule:${org}:rule_mfa`);
    expectOneResolved(rows, `aperio.platform.rule_slow:rule:${org}:rule_travel`);
  });

  it('rule_slow: a skipped run without a duration is no observation, so it does not make fast runs look slow', async () => {
    const org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'rule_travel', org, key: 'impossible_travel', interval: 60 });
    const h = harness(db.pool, clock);
    await h.cycle();
    for (let i = 0; i < 4; i++) {
      await insertRuleRun(db.pool, {
        org,
        ruleId: 'rule_travel',
        startedAt: at(clock.at + i * 10_000),
        durationMs: 300,
        status: 'SUCCEEDED',
      });
      await insertRuleRun(db.pool, {
        org,
        ruleId: 'rule_travel',
        startedAt: at(clock.at + i * 10_000 + 5_000),
        durationMs: null,
        status: 'SKIPPED',
      });
    }
    clock.advance(MIN);
    expect((await h.cycle()).opened).toEqual([]);
    expect(await findings(db.pool, 'aperio.platform.rule_slow')).toEqual([]);
  });

  it('exporter_stale_data: the exporter’s own data older than max_age', async () => {
    let staleFor = 0;
    const h = harness(db.pool, clock, { snapshot: (s) => ({ ...s, dataAsOf: s.dataAsOf - staleFor }) });
    await h.cycle();
    staleFor = 10 * MIN;
    clock.advance(MIN);
    expect((await h.cycle()).opened).toEqual(['aperio.platform.exporter_stale_data:exporter']);
    expect((await findings(db.pool))[0].organizationId).toBeNull();
    staleFor = 0;
    clock.advance(MIN);
    await h.cycle();
    clock.advance(MIN);
    await h.cycle();
    expectOneResolved(await findings(db.pool), 'aperio.platform.exporter_stale_data:exporter');
  });
});

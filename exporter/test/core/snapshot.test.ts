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
import { testCollector } from '../helpers/snapshot';
import { freshnessPolicy } from '../../src/connectors/freshness';
import { SnapshotCollector } from '../../src/snapshot/collector';
import type { AnyCollector } from '../../src/snapshot/collector-types';
import { emptySnapshot } from '../../src/snapshot/empty';
import { tenantsCollector } from '../../src/tenants/collect';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);

describe('snapshot collection from real PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const acme = await insertTenant(db.pool, 'acme');
    await insertConnector(db.pool, { id: 'c1', org: acme, provider: 'okta', lastSyncAt: minutesAgo(30) });
    await insertConnector(db.pool, { id: 'c2', org: acme, provider: 'github', lastSyncAt: null });
    await insertSync(db.pool, {
      connectionId: 'c1',
      org: acme,
      provider: 'okta',
      startedAt: minutesAgo(30),
      durationMs: 4_000,
      status: 'SUCCEEDED',
      records: 10,
    });
    await insertSync(db.pool, {
      connectionId: 'c1',
      org: acme,
      provider: 'okta',
      startedAt: minutesAgo(20),
      durationMs: 70_000,
      status: 'FAILED',
    });
    await insertSync(db.pool, {
      connectionId: 'c1',
      org: acme,
      provider: 'okta',
      startedAt: minutesAgo(10),
      durationMs: 1_000,
      status: 'TIMED_OUT',
    });
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled', interval: 300 });
    await insertRuleRun(db.pool, {
      org: acme,
      ruleId: 'r1',
      startedAt: minutesAgo(3),
      durationMs: 120,
      status: 'SUCCEEDED',
      events: 500,
      findings: 2,
    });
    await insertRuleRun(db.pool, { org: acme, ruleId: 'r1', startedAt: minutesAgo(8), durationMs: 2_000, status: 'FAILED', events: 0 });
    await insertDestination(db.pool, { id: 'd1', org: acme, kind: 'SPLUNK_HEC', ok: 90, fail: 10, lastDeliveryAt: minutesAgo(1) });
    await insertDeliveries(db.pool, 'd1', 'PENDING', 3, minutesAgo(5));
    await insertDeliveries(db.pool, 'd1', 'RETRYING', 2, minutesAgo(15));
    await insertDeliveries(db.pool, 'd1', 'DEAD_LETTER', 4, minutesAgo(60));
    await insertDeliveries(db.pool, 'd1', 'DELIVERED', 50, minutesAgo(60));
    await insertJobs(db.pool, { org: acme, kind: 'events', status: 'QUEUED', count: 7, createdAt: minutesAgo(12) });
    await insertJobs(db.pool, { org: acme, kind: 'events', status: 'QUEUED', count: 2, createdAt: minutesAgo(2), attempts: 3 });
    await insertJobs(db.pool, { org: acme, kind: 'events', status: 'RUNNING', count: 1, createdAt: minutesAgo(1) });
    await insertJobs(db.pool, { org: acme, kind: 'events', status: 'DEAD', count: 5, createdAt: minutesAgo(100) });
    await insertJobs(db.pool, { org: acme, kind: 'events', status: 'SUCCEEDED', count: 40, createdAt: minutesAgo(100) });
  });
  afterAll(() => db.drop());

  it('reads every domain into the snapshot with the values of the seeded rows', async () => {
    const snapshot = await testCollector(db.pool, { clock: () => NOW }).refresh();
    expect(snapshot.collections.every((c) => c.success)).toBe(true);
    expect(snapshot.databaseReachable).toBe(true);

    const c1 = snapshot.connectors.find((c) => c.id === 'c1')!;
    expect(c1.lastSyncAt).toBe(NOW - 30 * 60_000);
    expect(c1.lastAttemptAt).toBe(NOW - 10 * 60_000);
    expect(c1.consecutiveFailures).toBe(2);
    expect(c1.totals).toMatchObject({ runs: 3, failures: 2, recordsIngested: 10, durationMsSum: 75_000 });
    expect(c1.recentRuns.map((r) => r.status)).toEqual(['TIMED_OUT', 'FAILED', 'SUCCEEDED']);
    expect(c1.recentRuns.map((r) => r.startedAt)).toEqual([10, 20, 30].map((m) => NOW - m * 60_000));
    expect(c1.recentRuns[1].durationMs).toBe(70_000);
    // cumulative buckets: <=1s: 1, <=5s: 2, ..., <=60s: 2, <=120s: 3
    expect(c1.totals.durationBuckets.slice(0, 6)).toEqual([1, 2, 2, 2, 2, 3]);
    expect(snapshot.connectors.find((c) => c.id === 'c2')).toMatchObject({ lastSyncAt: null, lastAttemptAt: null, consecutiveFailures: 0 });

    const rule = snapshot.rules.find((r) => r.ruleKey === 'mfa_disabled')!;
    expect(rule).toMatchObject({ tenant: 'acme', builtIn: true, lastRunAt: NOW - 3 * 60_000 });
    expect(rule.totals).toMatchObject({ runs: 2, failures: 1, eventsEvaluated: 500, findingsOpened: 2, durationMsSum: 2_120 });

    expect(snapshot.siemDestinations[0]).toMatchObject({
      id: 'd1',
      deliveriesOk: 90,
      deliveriesFail: 10,
      pending: 3,
      retrying: 2,
      deadLetters: 4,
      oldestPendingAt: NOW - 15 * 60_000,
    });
    expect(snapshot.ingestion).toEqual([
      {
        tenantId: 'org_acme',
        tenant: 'acme',
        kind: 'events',
        queued: 9,
        running: 1,
        retrying: 2,
        dead: 5,
        oldestQueuedAt: NOW - 12 * 60_000,
      },
    ]);
  });

  it('keeps the previous data of a collector whose query fails, and says so', async () => {
    const collector = testCollector(db.pool, { clock: () => NOW });
    const first = await collector.refresh();
    await db.pool.query(`ALTER TABLE "SiemDestination" RENAME COLUMN "deliveriesOk" TO "okCount"`);
    try {
      const second = await collector.refresh();
      const siem = second.collections.find((c) => c.collector === 'siem')!;
      expect(siem.success).toBe(false);
      expect(siem.error).toMatch(/deliveriesOk/);
      expect(second.siemDestinations).toEqual(first.siemDestinations);
      expect(second.dataAsOf).toBe(first.dataAsOf);
      expect(second.collections.find((c) => c.collector === 'connectors')!.success).toBe(true);
      expect(second.databaseReachable).toBe(true);
    } finally {
      await db.pool.query(`ALTER TABLE "SiemDestination" RENAME COLUMN "okCount" TO "deliveriesOk"`);
    }
  });

  it('cuts a slow query with statement_timeout instead of waiting for it', async () => {
    const slow = testCollector(db.pool, { statementTimeoutMs: 200 });
    const lock = await db.pool.connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`LOCK TABLE "IngestionJob" IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const snapshot = await slow.refresh();
      expect(Date.now() - started).toBeLessThan(5_000);
      const ingestion = snapshot.collections.find((c) => c.collector === 'ingestion')!;
      expect(ingestion.success).toBe(false);
      expect(ingestion.error).toMatch(/statement timeout/);
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
    }
  });

  it('never runs two collections at once: callers arriving during one share the single one after it', async () => {
    const collector = testCollector(db.pool);
    const [a, b, c] = await Promise.all([collector.refresh(), collector.refresh(), collector.refresh()]);
    expect(b).toBe(c);
    expect(b).not.toBe(a);
    expect(b.takenAt).toBeGreaterThanOrEqual(a.takenAt);
  });

  it('answers refresh() with a collection that began after the call, so a write made before it is in there', async () => {
    // A collection held open in its tenants read, as a slow one would be.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    let viewFixed!: () => void;
    const firstViewFixed = new Promise<void>((resolve) => (viewFixed = resolve));
    const slowTenants: AnyCollector = {
      ...tenantsCollector,
      collect: async (client, now) => {
        calls += 1;
        const call = calls;
        // A first statement fixes the repeatable-read transaction's view of the database, then it waits.
        await client.query('SELECT 1');
        if (call === 1) {
          viewFixed();
          await held;
        }
        return tenantsCollector.collect(client, now);
      },
    };
    const collector = new SnapshotCollector({
      pool: db.pool,
      intervalSeconds: 15,
      statementTimeoutMs: 5_000,
      initial: emptySnapshot(freshnessPolicy(3600, 6 * 3600)),
      collectors: [slowTenants],
    });
    const first = collector.refresh();
    // The first collection's view of the database is fixed; a tenant is added after it.
    await firstViewFixed;
    await insertTenant(db.pool, 'late-comer');
    const second = collector.refresh();
    release();
    expect((await first).tenants.map((t) => t.slug)).not.toContain('late-comer');
    expect((await second).tenants.map((t) => t.slug)).toContain('late-comer');
    expect(calls).toBe(2);
    await collector.stop();
  });
});

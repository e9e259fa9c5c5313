import { loadSettings } from '../../src/config/settings';
import { seedDemo } from '../../src/demo/seed';
import { rollUp } from '../../src/runs/rollup';
import { verifyOptions } from '../../src/verify/options';
import { formatReport } from '../../src/verify/report';
import type { Difference } from '../../src/verify/compare';
import { verify, type VerifyResult } from '../../src/verify/verify';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertDeliveries, insertJobs } from '../helpers/fixtures';
import { runCli } from '../helpers/processes';

const HOUR_MS = 3600_000;

describe('aperio-exporter verify on the demo data', () => {
  let db: TestDatabase;
  const run = (env: Record<string, string> = {}) => verify(db.pool, verifyOptions(loadSettings({ DATABASE_URL: db.url, ...env })));

  beforeAll(async () => {
    db = await createTestDatabase();
    const now = Date.now();
    await seedDemo(db.pool, now);
    // Open work in every state the retry semantics distinguish, and hours already rolled up.
    await insertJobs(db.pool, {
      org: 'org_hooli',
      kind: 'events',
      status: 'QUEUED',
      count: 3,
      createdAt: new Date(now - 20 * 60_000),
      attempts: 0,
    });
    await insertJobs(db.pool, {
      org: 'org_hooli',
      kind: 'events',
      status: 'QUEUED',
      count: 2,
      createdAt: new Date(now - 5 * 60_000),
      attempts: 1,
    });
    await insertJobs(db.pool, {
      org: 'org_hooli',
      kind: 'events',
      status: 'RUNNING',
      count: 2,
      createdAt: new Date(now - 5 * 60_000),
      attempts: 2,
    });
    await insertJobs(db.pool, {
      org: 'org_acme',
      kind: 'assets',
      status: 'RUNNING',
      count: 1,
      createdAt: new Date(now - 5 * 60_000),
      attempts: 1,
    });
    await insertJobs(db.pool, {
      org: 'org_hooli',
      kind: 'events',
      status: 'DEAD',
      count: 1,
      createdAt: new Date(now - HOUR_MS),
      attempts: 5,
    });
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'PENDING', 3, new Date(now - 10 * 60_000));
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'RETRYING', 2, new Date(now - 30 * 60_000));
    await insertDeliveries(db.pool, 'dest_umbrella_webhook', 'DEAD_LETTER', 4, new Date(now - 90 * 60_000));
    await rollUp(db.pool, 'RuleRun', now);
    await rollUp(db.pool, 'ConnectorSyncRun', now);
  });
  afterAll(() => db.drop());

  it('compares every family it recomputes and finds no difference', async () => {
    const result: VerifyResult = await run();
    process.stdout.write(formatReport(result));
    expect(result.tenants).toEqual({ total: 6, ids: null, slugs: null });
    const compared = Object.fromEntries(result.families.map((f) => [f.family, f.compared]));
    for (const family of [
      'aperio_rule_runs',
      'aperio_rule_run_duration_seconds',
      'aperio_connector_syncs',
      'aperio_connector_sync_duration_seconds',
      'aperio_scheduled_run_missed',
      'aperio_siem_queue_depth',
      'aperio_ingestion_jobs_retrying',
      'aperio_connector_last_sync_timestamp_seconds',
    ]) {
      expect(compared[family]).toBeGreaterThan(0);
    }
    expect(result.families.filter((f) => f.skipped)).toEqual([]);
    expect(result.differences).toEqual([]);
  });

  it('reports a corrupted rollup row as exactly that series, with both values, and the CLI exits 1', async () => {
    const where = `"organizationId" = 'org_acme' AND "ruleId" = 'rule_impossible_travel'`;
    const { rows } = await db.pool.query<{ failures: string }>(`SELECT failures FROM "RuleRunTotal" WHERE ${where}`);
    expect(rows).toHaveLength(1);
    // Differences the exporter may have before the corruption are not this test's subject: only what it adds.
    const key = (d: Difference) => JSON.stringify([d.series, d.labels, d.snapshot, d.recomputed]);
    const before = new Set((await run()).differences.map(key));
    await db.pool.query(`UPDATE "RuleRunTotal" SET failures = failures + 7 WHERE ${where}`);
    try {
      const after = await run();
      const { rows: raw } = await db.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM "RuleRun" WHERE ${where} AND status IN ('FAILED', 'TIMED_OUT')`,
      );
      const truth = Number(raw[0].n);
      expect(after.differences.filter((d) => !before.has(key(d)))).toEqual([
        {
          family: 'aperio_rule_run_failures',
          series: 'aperio_rule_run_failures_total',
          labels: { tenant: 'acme', rule: 'impossible_travel' },
          snapshot: truth + 7,
          recomputed: truth,
        },
      ]);

      const cli = runCli(['verify'], { DATABASE_URL: db.url });
      expect((await cli.exited).code).toBe(1);
      expect(cli.output()).toMatch(/^aperio_rule_run_failures\s+\d+\s+1$/m);
      expect(cli.output()).toContain(
        `aperio_rule_run_failures_total{rule="impossible_travel",tenant="acme"}  snapshot ${truth + 7}  recomputed ${truth}`,
      );
    } finally {
      await db.pool.query(`UPDATE "RuleRunTotal" SET failures = failures - 7 WHERE ${where}`);
    }
  });

  it('verifies a deterministic sample of tenants when there are more than VERIFY_SAMPLE_TENANTS, and says which', async () => {
    const first = await run({ VERIFY_SAMPLE_TENANTS: '2' });
    const second = await run({ VERIFY_SAMPLE_TENANTS: '2' });
    expect(first.tenants.total).toBe(6);
    expect(first.tenants.slugs).toHaveLength(2);
    expect(second.tenants.slugs).toEqual(first.tenants.slugs);
    const labelled = first.families.flatMap((f) => f.differences).map((d) => d.labels.tenant);
    expect(labelled.every((t) => first.tenants.slugs!.includes(t))).toBe(true);
    // Only the sampled tenants' values are compared, and the report names them.
    expect(first.families.find((f) => f.family === 'aperio_rule_runs')!.compared).toBe(2 * 7);
    expect(formatReport(first)).toContain(
      `tenants: a deterministic sample of 2 of 6 (VERIFY_SAMPLE_TENANTS): ${first.tenants.slugs!.join(', ')}`,
    );
  });

  it('exits 2 naming the setting when VERIFY_SAMPLE_TENANTS is not a number', async () => {
    const cli = runCli(['verify'], { DATABASE_URL: db.url, VERIFY_SAMPLE_TENANTS: 'many' });
    expect((await cli.exited).code).toBe(2);
    expect(cli.output()).toMatch(/invalid configuration:\s+VERIFY_SAMPLE_TENANTS="many"/);
  });

  it('exits 2 with the database it cannot reach, and on an argument it does not take', async () => {
    const unreachable = runCli(['verify'], { DATABASE_URL: 'postgresql://aperio@127.0.0.1:1/aperio' });
    expect((await unreachable.exited).code).toBe(2);
    expect(unreachable.output()).toMatch(/cannot connect to PostgreSQL at postgresql:\/\/aperio@127\.0\.0\.1:1\/aperio/);
    const extra = runCli(['verify', '--all'], { DATABASE_URL: db.url });
    expect((await extra.exited).code).toBe(2);
    expect(extra.output()).toMatch(/verify takes no arguments, got "--all"/);
  });

  // Last: it removes raw rows, as retention does once their hours are rolled up.
  it('counts the runs that retention removed from the hourly rollups', async () => {
    // Retention's cutoff is a time, not an hour: the oldest hour left is cut through, its rollup row counts it.
    const cut = new Date(Math.floor((Date.now() - 6 * HOUR_MS) / HOUR_MS) * HOUR_MS + 17 * 60_000);
    const rules = await db.pool.query(`DELETE FROM "RuleRun" WHERE "organizationId" = 'org_acme' AND "startedAt" < $1`, [cut]);
    const syncs = await db.pool.query(`DELETE FROM "ConnectorSyncRun" WHERE "organizationId" = 'org_acme' AND "startedAt" < $1`, [cut]);
    expect(rules.rowCount).toBeGreaterThan(0);
    expect(syncs.rowCount).toBeGreaterThan(0);
    const result = await run();
    const runFamilies = [
      'aperio_rule_runs',
      'aperio_rule_run_failures',
      'aperio_rule_events_evaluated',
      'aperio_rule_run_duration_seconds',
      'aperio_connector_syncs',
      'aperio_connector_records_ingested',
      'aperio_connector_sync_duration_seconds',
    ];
    expect(result.families.filter((f) => runFamilies.includes(f.family)).every((f) => f.compared > 0)).toBe(true);
    expect(result.differences.filter((d) => runFamilies.includes(d.family))).toEqual([]);
  });
});

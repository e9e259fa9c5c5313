import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createToken } from '../../src/auth/tokens';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { NOW } from './clock';
import { Comparison } from './compare';
import { actualFindings, evaluateMonitorsOnce, expectedFindings } from './findings';
import { compareMetrics, declaredBounds, expectedFacts, familiesWithoutSeries, scrape } from './metrics';
import { seedObjects, FRESHNESS_YAML } from './seed-objects';
import { seedRuns } from './seed-runs';
import {
  checkAudit,
  checkHealth,
  checkMetrics,
  checkSchedules,
  checkStatusJson,
  checkTenantDetail,
  RATIO_TOLERANCE,
  type Context,
} from './surfaces';

/**
 * Every number the exporter shows, compared with SQL written from the docs over a static database of
 * edge cases (seed-objects.ts, seed-runs.ts). A failure lists every differing value at once.
 */
describe('differential: the exporter against SQL written from the definitions', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let dir: string;
  let env: Record<string, string>;
  let c: Context;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedObjects(db.pool);
    await seedRuns(db.pool);
    const operator = (await createToken(db.pool, { role: 'OPERATOR', name: 'differential' })).token;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-differential-'));
    const freshness = path.join(dir, 'freshness.yaml');
    fs.writeFileSync(freshness, FRESHNESS_YAML);
    env = { LOG_LEVEL: 'silent', FRESHNESS_CONFIG: freshness };
    exporter = await startTestExporter(db.url, env, { clock: () => NOW });
    c = {
      pool: db.pool,
      url: exporter.url,
      facts: await expectedFacts(db.pool),
      get: async (p, token = operator) => {
        const res = await fetch(exporter.url + p, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, body: await res.json() };
      },
    };
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('/metrics: every series of the domain families at object detail', async () => {
    const comparison = new Comparison();
    const { actual, expected } = await checkMetrics(c, comparison);
    expect(familiesWithoutSeries(expected)).toEqual([]);
    // The buckets are read on the bounds the exporter declares: a histogram without any would compare none.
    expect(declaredBounds(actual, 'aperio_rule_run_duration_seconds').length).toBeGreaterThan(1);
    expect(declaredBounds(actual, 'aperio_connector_sync_duration_seconds').length).toBeGreaterThan(1);
    expect(comparison.differences).toEqual([]);
  });

  it('/metrics at tenant detail: object series merged as docs/metrics-reference.md says', async () => {
    const comparison = new Comparison();
    const tenantLevel = await startTestExporter(db.url, { ...env, METRICS_DETAIL: 'tenant' }, { clock: () => NOW });
    try {
      await checkTenantDetail(c, tenantLevel.url, comparison);
    } finally {
      await tenantLevel.stop();
    }
    expect(comparison.differences).toEqual([]);
  });

  it('health API: every field of every connector, destination and ingestion queue', async () => {
    const comparison = new Comparison(RATIO_TOLERANCE);
    await checkHealth(c, comparison);
    expect(comparison.differences).toEqual([]);
  });

  it('audit log: every rule run and connector sync, every field, in order', async () => {
    const comparison = new Comparison();
    await checkAudit(c, comparison);
    expect(comparison.differences).toEqual([]);
  });

  it('/api/v1/schedules: every job and every slot of the last 24 hours', async () => {
    const comparison = new Comparison();
    expect(await checkSchedules(c, comparison)).toBe(200);
    expect(comparison.differences).toEqual([]);
  });

  it('/status.json: connectors by provider, SIEM by kind, detection rules, scheduled runs, the ingestion queue, uptime bars', async () => {
    const comparison = new Comparison();
    await checkStatusJson(c, comparison);
    expect(comparison.differences).toEqual([]);
  });

  it.each(['acme', 'globex', 'initech'])('a tenant token (%s): its own health, audit log and schedules, nothing else', async (tenant) => {
    const comparison = new Comparison(RATIO_TOLERANCE);
    const admin = (await createToken(db.pool, { role: 'ADMIN', tenant, name: `differential ${tenant}` })).token;
    await checkHealth(c, comparison, tenant, admin);
    await checkAudit(c, comparison, tenant, admin);
    expect(await checkSchedules(c, comparison, tenant, admin)).toBe(200);
    expect(comparison.differences).toEqual([]);
  });

  it('self-monitoring: a schedule_missed finding for exactly the missed jobs, dated at their slot', async () => {
    const comparison = new Comparison();
    await evaluateMonitorsOnce(db.pool, () => exporter.collector.snapshot);
    comparison.maps(expectedFindings(c.facts.due), await actualFindings(db.pool));
    expect(comparison.differences).toEqual([]);
  });

  it('compares more values than the database holds audit fields, connectors and destinations', async () => {
    const comparison = new Comparison(RATIO_TOLERANCE);
    await checkMetrics(c, comparison);
    await checkHealth(c, comparison);
    await checkAudit(c, comparison);
    await checkSchedules(c, comparison);
    await checkStatusJson(c, comparison);
    console.log(
      `differential suite: ${comparison.compared} values compared in one pass over /metrics, the health API, the audit log, /api/v1/schedules and /status.json (${comparison.differences.length} differ)`,
    );
    // Each audit row alone has 14 or 15 fields; every object and slot adds more: this is a floor.
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM "RuleRun") * 15 + (SELECT count(*) FROM "ConnectorSyncRun") * 14
            + (SELECT count(*) FROM "IntegrationConnection") * 10 + (SELECT count(*) FROM "SiemDestination") * 10 AS floor`,
    );
    expect(comparison.compared).toBeGreaterThan(Number(rows[0].floor));
  });

  it('catches a difference: one corrupted rollup total differs in exactly its own series', async () => {
    const before = new Comparison();
    await compareMetrics(before, db.pool, c.facts, await scrape(exporter.url));
    await db.pool.query(
      `UPDATE "RuleRunTotal" SET "eventsEvaluated" = "eventsEvaluated" + 1000 WHERE "organizationId" = 'org_acme' AND "ruleId" = 'rule_jittered'`,
    );
    // A total changed behind the rollup's back reaches the serving exporter at its next full read; logged
    // here as a rollup logs the totals it moves, the next (incremental) collection re-reads it.
    await db.pool.query(`INSERT INTO "RunChange" ("table", "organizationId", key) VALUES ('RuleRun', 'org_acme', 'rule_jittered')`);
    try {
      await exporter.collector.refresh();
      const after = new Comparison();
      await compareMetrics(after, db.pool, c.facts, await scrape(exporter.url));
      const appeared = after.differences.filter((line) => !before.differences.includes(line));
      expect(appeared).toHaveLength(1);
      expect(appeared[0]).toMatch(/^aperio_rule_events_evaluated_total\{rule="jittered_check",tenant="acme"\}: expected \d+, actual \d+$/);
      expect(after.compared).toBe(before.compared);
    } finally {
      await db.pool.query(
        `UPDATE "RuleRunTotal" SET "eventsEvaluated" = "eventsEvaluated" - 1000 WHERE "organizationId" = 'org_acme' AND "ruleId" = 'rule_jittered'`,
      );
      await exporter.collector.refresh();
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createToken } from '../../src/auth/tokens';
import type { Exporter } from '../../src/exporter/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { HOUR, NOW } from './clock';
import { Comparison } from './compare';
import { actualAudit, expectedAudit } from './expected-audit';
import { actualHealth, expectedHealthConnectors, expectedHealthIngestion, expectedHealthSiem } from './expected-health';
import { actualSchedules, expectedSchedules } from './expected-schedules';
import { actualStatusJson, expectedStatusJson } from './expected-status';
import { actualUptime, expectedUptime } from './expected-uptime';
import { actualFindings, evaluateMonitorsOnce, expectedFindings } from './findings';
import { atTenantDetail, detailRules } from './detail';
import { compareMetrics, comparedSeries, declaredBounds, expectedFacts, expectedSeries, familiesWithoutSeries, scrape, type Facts } from './metrics';
import { seedObjects, FRESHNESS_YAML } from './seed-objects';
import { seedRuns } from './seed-runs';

/**
 * Every number the exporter shows, compared with SQL written from the docs over a static database of
 * edge cases (seed-objects.ts, seed-runs.ts). A failure lists every differing value at once.
 */
describe('differential: the exporter against SQL written from the definitions', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let operator: string;
  let dir: string;
  let facts: Facts;
  let compared = 0;
  const window = { from: new Date(NOW - 30 * 24 * HOUR), to: new Date(NOW) };
  const schedulesWindow = { from: new Date(NOW - 24 * HOUR), to: new Date(NOW) };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = async (p: string, token = operator): Promise<{ status: number; body: any }> => {
    const res = await fetch(exporter.url + p, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  };
  const finish = (comparison: Comparison) => {
    compared += comparison.compared;
    expect(comparison.differences).toEqual([]);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedObjects(db.pool);
    await seedRuns(db.pool);
    operator = (await createToken(db.pool, { role: 'OPERATOR', name: 'differential' })).token;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-differential-'));
    const freshness = path.join(dir, 'freshness.yaml');
    fs.writeFileSync(freshness, FRESHNESS_YAML);
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent', FRESHNESS_CONFIG: freshness }, { clock: () => NOW });
    facts = await expectedFacts(db.pool);
  });
  afterAll(async () => {
    console.log(`differential suite: ${compared} values compared with SQL written from the definitions`);
    await exporter?.stop();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('/metrics: every series of the domain families at object detail', async () => {
    const comparison = new Comparison();
    const actual = await scrape(exporter.url);
    const expected = await compareMetrics(comparison, db.pool, facts, actual);
    expect(familiesWithoutSeries(expected)).toEqual([]);
    // The buckets are read on the bounds the exporter declares: a histogram without any would compare none.
    expect(declaredBounds(actual, 'aperio_rule_run_duration_seconds').length).toBeGreaterThan(1);
    expect(declaredBounds(actual, 'aperio_connector_sync_duration_seconds').length).toBeGreaterThan(1);
    finish(comparison);
  });

  it('/metrics at tenant detail: object series merged as docs/metrics-reference.md says', async () => {
    const comparison = new Comparison();
    const tenantLevel = await startTestExporter(db.url, { LOG_LEVEL: 'silent', FRESHNESS_CONFIG: path.join(dir, 'freshness.yaml'), METRICS_DETAIL: 'tenant' }, { clock: () => NOW });
    try {
      const actual = await scrape(tenantLevel.url);
      comparison.maps(atTenantDetail(await expectedSeries(db.pool, facts, actual), detailRules()), comparedSeries(actual, facts));
    } finally {
      await tenantLevel.stop();
    }
    finish(comparison);
  });

  it('health API: every field of every connector, destination and ingestion queue', async () => {
    const comparison = new Comparison([[/\.successRatio\.lifetime$/, 0.00005]]);
    const [connectors, siem, ingestion] = await Promise.all(['connectors', 'siem', 'ingestion'].map((p) => get(`/api/v1/health/${p}`)));
    const expected = new Map([
      ...(await expectedHealthConnectors(db.pool, facts.connectors)),
      ...expectedHealthSiem(facts.destinations),
      ...expectedHealthIngestion(facts.queues),
    ]);
    comparison.maps(expected, actualHealth(connectors.body, siem.body, ingestion.body));
    finish(comparison);
  });

  it('audit log: every rule run and connector sync, every field, in order', async () => {
    const comparison = new Comparison();
    for (const resource of ['rule-runs', 'connector-syncs'] as const) {
      comparison.maps(await expectedAudit(db.pool, resource, window.from, window.to), await actualAudit(get, resource, window.from, window.to));
    }
    finish(comparison);
  });

  it('/api/v1/schedules: every job and every slot of the last 24 hours', async () => {
    const comparison = new Comparison();
    const { from, to } = schedulesWindow;
    const answer = await get(`/api/v1/schedules?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(answer.status).toBe(200);
    comparison.maps(await expectedSchedules(db.pool, facts.jobs, from, to), actualSchedules(answer.body));
    finish(comparison);
  });

  it('/status.json: connectors by provider, SIEM by kind, detection rules, scheduled runs, the ingestion queue, uptime bars', async () => {
    const comparison = new Comparison();
    const answer = await fetch(`${exporter.url}/status.json`);
    const body = await answer.json();
    comparison.maps(expectedStatusJson(facts.components), actualStatusJson(body, facts.components));
    comparison.maps(await expectedUptime(db.pool), actualUptime(body));
    finish(comparison);
  });

  it.each(['acme', 'globex', 'initech'])('a tenant token (%s): its own health, audit log and schedules, nothing else', async (tenant) => {
    const comparison = new Comparison([[/\.successRatio\.lifetime$/, 0.00005]]);
    const admin = (await createToken(db.pool, { role: 'ADMIN', tenant, name: `differential ${tenant}` })).token;
    const mine = <T extends { tenant: string }>(list: T[]) => list.filter((item) => item.tenant === tenant);
    const [connectors, siem, ingestion] = await Promise.all(['connectors', 'siem', 'ingestion'].map((p) => get(`/api/v1/health/${p}`, admin)));
    const expected = new Map([
      ...(await expectedHealthConnectors(db.pool, mine(facts.connectors))),
      ...expectedHealthSiem(mine(facts.destinations)),
      ...expectedHealthIngestion(mine(facts.queues)),
    ]);
    comparison.maps(expected, actualHealth(connectors.body, siem.body, ingestion.body));
    for (const resource of ['rule-runs', 'connector-syncs'] as const) {
      const actual = await actualAudit((p) => get(p, admin), resource, window.from, window.to);
      comparison.maps(await expectedAudit(db.pool, resource, window.from, window.to, tenant), actual);
    }
    const { from, to } = schedulesWindow;
    const schedules = await get(`/api/v1/schedules?from=${from.toISOString()}&to=${to.toISOString()}`, admin);
    comparison.maps(await expectedSchedules(db.pool, mine(facts.jobs), from, to), actualSchedules(schedules.body));
    finish(comparison);
  });

  it('self-monitoring: a schedule_missed finding for exactly the missed jobs, dated at their slot', async () => {
    const comparison = new Comparison();
    await evaluateMonitorsOnce(db.pool, () => exporter.collector.snapshot);
    comparison.maps(expectedFindings(facts.due), await actualFindings(db.pool));
    finish(comparison);
  });

  it('compared more values than the database holds rows and objects', async () => {
    // Each audit row alone has 14 or 15 fields; every object and slot adds more: this is a floor.
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM "RuleRun") * 15 + (SELECT count(*) FROM "ConnectorSyncRun") * 14
            + (SELECT count(*) FROM "IntegrationConnection") * 10 + (SELECT count(*) FROM "SiemDestination") * 10 AS floor`,
    );
    expect(compared).toBeGreaterThan(Number(rows[0].floor));
  });

  it('catches a difference: one corrupted rollup total differs in exactly its own series', async () => {
    const before = new Comparison();
    await compareMetrics(before, db.pool, facts, await scrape(exporter.url));
    await db.pool.query(`UPDATE "RuleRunTotal" SET "eventsEvaluated" = "eventsEvaluated" + 1000 WHERE "organizationId" = 'org_acme' AND "ruleId" = 'rule_jittered'`);
    try {
      await exporter.collector.refresh();
      const after = new Comparison();
      await compareMetrics(after, db.pool, facts, await scrape(exporter.url));
      const appeared = after.differences.filter((line) => !before.differences.includes(line));
      expect(appeared).toHaveLength(1);
      expect(appeared[0]).toMatch(/^aperio_rule_events_evaluated_total\{rule="jittered_check",tenant="acme"\}: expected \d+, actual \d+$/);
      expect(after.compared).toBe(before.compared);
    } finally {
      await db.pool.query(`UPDATE "RuleRunTotal" SET "eventsEvaluated" = "eventsEvaluated" - 1000 WHERE "organizationId" = 'org_acme' AND "ruleId" = 'rule_jittered'`);
      await exporter.collector.refresh();
    }
  });
});

import type { Exporter } from '../../src/server/start';
import { MonitorEngine } from '../../src/monitors/engine';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { parseExposition, series } from '../helpers/exposition';
import { startTestExporter } from '../helpers/exporter';
import { insertConnector, insertTenant } from '../helpers/fixtures';
import { testConfig } from './harness';

let db: TestDatabase;
let exporter: Exporter;
let engine: MonitorEngine;
beforeAll(async () => {
  db = await createTestDatabase();
  const org = await insertTenant(db.pool, 'globex');
  await insertConnector(db.pool, {
    id: 'conn_globex_crowdstrike',
    org,
    provider: 'crowdstrike',
    lastSyncAt: new Date(Date.now() - 8 * 3600_000),
  });
  exporter = await startTestExporter(db.url);
  // Started but driven by hand: an hour-long interval keeps the timer out of the way after its first run.
  engine = new MonitorEngine({
    pool: db.pool,
    getSnapshot: () => exporter.collector.snapshot,
    config: testConfig(),
    intervalSeconds: 3600,
  });
  engine.start();
  await engine.cycle();
  await exporter.collector.refresh();
});
afterAll(async () => {
  await engine.stop();
  await exporter.stop();
  await db.drop();
});

it('/metrics counts the open platform findings from the snapshot, and shows the evaluator', async () => {
  const metrics = parseExposition(await (await fetch(`${exporter.url}/metrics`)).text());
  expect(metrics.get(series('aperio_platform_findings_open', { check: 'aperio.platform.connector_stale', severity: 'HIGH' }))).toBe(1);
  expect(metrics.get(series('aperio_platform_findings_open', { check: 'aperio.platform.rule_slow', severity: 'HIGH' }))).toBe(0);
  expect(metrics.get(series('aperio_monitor_leader'))).toBe(1);
  expect(metrics.get(series('aperio_monitor_evaluations_total'))).toBeGreaterThanOrEqual(1);
  expect(metrics.get(series('aperio_monitor_suppressed', { check: 'aperio.platform.schedule_missed' }))).toBe(0);
});

it('the status page shows open platform findings as incidents, naming no tenant or connection (providers are public components)', async () => {
  const body = await (await fetch(`${exporter.url}/api/v2/incidents/unresolved.json`)).json();
  const names = body.incidents.map((i: { name: string }) => i.name);
  expect(names).toEqual(['Connector data freshness: partial outage']);
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/globex|conn_/i);
  expect(text).toContain('Self-monitoring reports a problem affecting connector data freshness.');
  // Neither check ids nor raw timestamps in the words a reader sees.
  const bodies = body.incidents.flatMap((i: { incident_updates: { body: string }[] }) => i.incident_updates.map((u) => u.body)).join('\n');
  expect(bodies).not.toMatch(/aperio\.platform|\d{4}-\d{2}-\d{2}T/);
});

import { execFileSync } from 'node:child_process';
import { seedDemo } from '../../src/demo/seed';
import type { Exporter } from '../../src/exporter/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { parseExposition, series } from '../helpers/exposition';
import { waitFor } from '../helpers/processes';
import { requireTool } from '../helpers/tools';

describe('serve runs verify periodically and exposes its outcome on /metrics', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const metrics = async () => (await fetch(`${exporter.url}/metrics`)).text();

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.pool);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db.drop();
  });

  it('shows what the last run compared and how many values differed, per family', async () => {
    exporter = await startTestExporter(db.url, { VERIFY_INTERVAL_SECONDS: '1', LOG_LEVEL: 'silent' });
    const first = await waitFor('a verify run on /metrics', async () => {
      const m = parseExposition(await metrics());
      return m.has(series('aperio_exporter_verify_last_run_timestamp_seconds')) ? m : undefined;
    });
    expect(first.get(series('aperio_exporter_verify_success'))).toBe(1);
    expect(first.get(series('aperio_exporter_verify_last_run_timestamp_seconds'))).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(first.get(series('aperio_exporter_verify_values_compared', { family: 'aperio_rule_runs' }))).toBe(42);
    expect(first.get(series('aperio_exporter_verify_differences', { family: 'aperio_rule_runs' }))).toBe(0);

    // A corrupted running total shows up at the next run.
    // (Before the first rollup there is no running total yet: the row is written as a rollup would.)
    await db.pool.query(
      `INSERT INTO "RuleRunTotal" ("organizationId", "ruleId", runs, failures, "durationMsSum", "durationBuckets", "eventsEvaluated", "findingsOpened")
       VALUES ('org_acme', 'rule_mfa_disabled', 0, 7, 0, ARRAY[]::bigint[], 0, 0)
       ON CONFLICT ("organizationId", "ruleId") DO UPDATE SET failures = "RuleRunTotal".failures + 7`,
    );
    const later = await waitFor('the difference on /metrics', async () => {
      const m = parseExposition(await metrics());
      return m.get(series('aperio_exporter_verify_differences', { family: 'aperio_rule_run_failures' })) === 1 ? m : undefined;
    });
    expect(later.get(series('aperio_exporter_verify_differences', { family: 'aperio_rule_runs' }))).toBe(0);
  });

  it('passes promtool check metrics with the verify families', async () => {
    if (!requireTool('promtool', 'apt-get install -y prometheus')) return;
    const text = await metrics();
    expect(text).toContain('# TYPE aperio_exporter_verify_differences gauge');
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
  });
});

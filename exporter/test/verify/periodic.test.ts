import { execFileSync } from 'node:child_process';
import { seedDemo } from '../../src/demo/seed';
import { rollUp } from '../../src/runs/rollup';
import type { Exporter } from '../../src/server/start';
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
    await rollUp(db.pool, 'RuleRun');
    await db.pool.query(
      `UPDATE "RuleRunTotal" SET failures = failures + 7 WHERE "organizationId" = 'org_acme' AND "ruleId" = 'rule_mfa_disabled'`,
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
    expect(() =>
      execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }),
    ).not.toThrow();
  });
});

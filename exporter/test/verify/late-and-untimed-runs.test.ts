import { loadSettings } from '../../src/config/settings';
import { seedDemo } from '../../src/demo/seed';
import { rollUp } from '../../src/runs/rollup';
import { verifyOptions } from '../../src/verify/options';
import type { Difference } from '../../src/verify/compare';
import { verify } from '../../src/verify/verify';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The run definitions at their edges: a run without a duration counts in `_total` but not in the
 * histogram, and a run written five hours late counts once the next rollup (maintenance) has run.
 */
describe('verify: runs without a duration and runs written late', () => {
  let db: TestDatabase;
  const run = () => verify(db.pool, verifyOptions(loadSettings({ DATABASE_URL: db.url })));

  beforeAll(async () => {
    db = await createTestDatabase();
    const now = Date.now();
    await seedDemo(db.pool, now);
    await rollUp(db.pool, 'RuleRun', now);
    await rollUp(db.pool, 'ConnectorSyncRun', now);
  });
  afterAll(() => db.drop());

  it('counts a run with no duration in the counters but not in the histogram', async () => {
    // Written now, in the open hour: a run dated in a closed hour is a late run, counted at the next rollup.
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "durationMs", status)
       VALUES ('org_acme', 'rule_mfa_disabled', 'MANUAL', now(), NULL, 'TIMED_OUT')`,
    );
    await db.pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "durationMs", status)
       VALUES ('org_acme', 'conn_acme_okta', 'okta', 'MANUAL', now(), NULL, 'FAILED')`,
    );
    const result = await run();
    expect(result.families.find((f) => f.family === 'aperio_rule_run_duration_seconds')!.compared).toBeGreaterThan(0);
    expect(result.differences).toEqual([]);
  });

  it('counts a run written five hours after it started once the next rollup ran', async () => {
    // Only what the late run changes is this test's subject (another rule than the test above).
    const key = (d: Difference) => JSON.stringify([d.series, d.labels]);
    const before = new Set((await run()).differences.map(key));
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "durationMs", status)
       VALUES ('org_globex', 'rule_public_repo_created', 'MANUAL', now() - interval '5 hours', 100, 'SUCCEEDED')`,
    );
    await rollUp(db.pool, 'RuleRun', Date.now());
    const result = await run();
    expect(result.differences.filter((d) => !before.has(key(d)))).toEqual([]);
  });
});

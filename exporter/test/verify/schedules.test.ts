import { loadSettings } from '../../src/config/settings';
import { verifyOptions } from '../../src/verify/options';
import { scheduleDefinitions } from '../../src/verify/schedules';
import { verify } from '../../src/verify/verify';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertTenant } from '../helpers/fixtures';

// Half past an hour H: every slot below is a few minutes before `now`, none on a boundary.
const H = Math.floor(Date.now() / 3600_000) * 3600;
const NOW_S = H + 1800;
const at = (seconds: number) => new Date(seconds * 1000);

describe('verify: the scheduled-run definitions', () => {
  let db: TestDatabase;

  const run = async (
    table: 'RuleRun' | 'ConnectorSyncRun',
    key: string,
    trigger: string,
    status: string,
    scheduledFor: number | null,
    startedAt: number,
  ) => {
    const [col, extra, extraValue] = table === 'RuleRun' ? ['"ruleId"', '', ''] : ['"connectionId"', ', provider', ", 'okta'"];
    await db.pool.query(
      `INSERT INTO "${table}" ("organizationId", ${col}, trigger, "scheduledFor", "startedAt", "durationMs", status${extra})
       VALUES ('org_alpha', $1, $2, $3, $4, 1000, $5${extraValue})`,
      [key, trigger, scheduledFor === null ? null : at(scheduledFor), at(startedAt), status],
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenant(db.pool, 'alpha');
    await insertTenant(db.pool, 'beta');
    // Interval 600 s, grace 300 s: the latest due slot is H+1200, served by references in [H+900, H+1500).
    await insertRule(db.pool, { id: 'r_served', org: 'org_alpha', key: 'served', interval: 600 });
    await run('RuleRun', 'r_served', 'SCHEDULE', 'FAILED', H + 1450, H + 1700);
    await insertRule(db.pool, { id: 'r_manual', org: 'org_alpha', key: 'manual', interval: 600 });
    await run('RuleRun', 'r_manual', 'MANUAL', 'SUCCEEDED', null, H + 1200);
    // scheduledFor exactly half-way goes to the later slot (H+1800), whatever startedAt says.
    await insertRule(db.pool, { id: 'r_tie', org: 'org_alpha', key: 'tie', interval: 600 });
    await run('RuleRun', 'r_tie', 'SCHEDULE', 'SUCCEEDED', H + 1500, H + 1200);
    await insertRule(db.pool, { id: 'r_disabled', org: 'org_alpha', key: 'disabled', interval: 600, enabled: false });
    await insertRule(db.pool, { id: 'r_cron', org: 'org_alpha', key: 'cron', interval: null });
    await db.pool.query(`UPDATE "DetectionRule" SET "scheduleCron" = '*/10 * * * *' WHERE id = 'r_cron'`);
    await run('RuleRun', 'r_cron', 'SCHEDULE', 'SKIPPED', null, H + 901);
    // A built-in rule that never ran: missed once for every tenant.
    await insertRule(db.pool, { id: 'r_builtin', org: null, key: 'builtin', interval: 3600 });
    // Connectors: interval 300 s, grace 150 s: the due slot is H+1500.
    await insertConnector(db.pool, { id: 'c_skipped', org: 'org_alpha', provider: 'okta', lastSyncAt: null, interval: 300 });
    await run('ConnectorSyncRun', 'c_skipped', 'SCHEDULE', 'SKIPPED', null, H + 1600);
    await insertConnector(db.pool, {
      id: 'c_paused',
      org: 'org_alpha',
      provider: 'okta',
      lastSyncAt: null,
      interval: 300,
      status: 'PAUSED',
    });
    await insertConnector(db.pool, { id: 'c_never', org: 'org_alpha', provider: 'okta', lastSyncAt: null, interval: 900 });
  });
  afterAll(() => db.drop());

  it('counts the missed jobs of each tenant and kind as the definitions say', async () => {
    const client = await db.pool.connect();
    try {
      const values = await scheduleDefinitions.recompute({
        client,
        now: NOW_S * 1000,
        tenantIds: null,
        timezone: 'UTC',
        graceSeconds: null,
      });
      const byKey = Object.fromEntries(values.map((v) => [`${v.labels.tenant}/${v.labels.kind}`, v.value]));
      // alpha: manual, tie and builtin missed (served, cron and the disabled rule are not); beta: builtin.
      expect(byKey).toEqual({ 'alpha/rule': 3, 'beta/rule': 1, 'alpha/connector': 1 });
    } finally {
      client.release();
    }
  });

  it('finds the exporter counting them the same way', async () => {
    const result = await verify(db.pool, { ...verifyOptions(loadSettings({ DATABASE_URL: db.url })), clock: () => NOW_S * 1000 });
    const family = result.families.find((f) => f.family === 'aperio_scheduled_run_missed')!;
    expect(family.compared).toBe(3);
    expect(family.differences).toEqual([]);
  });
});

import pg from 'pg';
import { MAINTENANCE_LOCK_KEY, withMaintenanceLock } from '../../src/maintenance/lock';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertRule, insertRuleRun, insertTenant } from '../helpers/fixtures';
import { runCli } from '../helpers/processes';

const DAY = 24 * 3600_000;
const HISTORY_DAYS = 15;

const count = async (pool: pg.Pool, sql: string) => (await pool.query<{ n: number }>(sql)).rows[0].n;
const ruleRuns = (pool: pg.Pool) => count(pool, 'SELECT count(*)::int AS n FROM "RuleRun"');
const rollupStates = (pool: pg.Pool) => count(pool, 'SELECT count(*)::int AS n FROM "RollupState"');

describe('aperio-exporter maintenance', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    // A 7-day and a 90-day tenant with one rule run a day for 15 days, dated from the real clock the CLI uses.
    const short = await insertTenant(db.pool, 'short', 7);
    const long = await insertTenant(db.pool, 'long', 90);
    await db.pool.query(`SELECT aperio_ensure_daily_partitions('RuleRun', current_date - 20, current_date + 1)`);
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled', interval: 3600 });
    for (const org of [short, long]) {
      for (let d = 1; d <= HISTORY_DAYS; d++) {
        await insertRuleRun(db.pool, {
          org,
          ruleId: 'r1',
          startedAt: new Date(Date.now() - d * DAY - 30 * 60_000),
          durationMs: 100,
          status: 'SUCCEEDED',
        });
      }
    }
  });
  afterEach(() => db.drop());

  it('--dry-run says what it would do and changes nothing; the real run then does exactly that and prints a summary', async () => {
    const dry = runCli(['maintenance', '--dry-run'], { DATABASE_URL: db.url });
    expect((await dry.exited).code).toBe(0);
    expect(dry.output()).toMatch(/^rollup RuleRun\s+roll up \d+ hour\(s\) from /m);
    // The short tenant's rows older than 7 days: days 7 to 15.
    expect(dry.output()).toMatch(/^retention RuleRun\s+drop no partition, delete 9 row\(s\)$/m);
    expect(await ruleRuns(db.pool)).toBe(2 * HISTORY_DAYS);
    expect(await rollupStates(db.pool)).toBe(0);

    const run = runCli(['maintenance'], { DATABASE_URL: db.url });
    expect((await run.exited).code).toBe(0);
    expect(run.output()).toMatch(/^maintenance\s+\[#+\]\s+100% 5\/5/m);
    expect(run.output()).toMatch(/^retention RuleRun\s+0 partition\(s\) dropped, 9 row\(s\) deleted$/m);
    expect(run.output()).toMatch(/^done in [\d.]+ s$/m);
    expect(await ruleRuns(db.pool)).toBe(2 * HISTORY_DAYS - 9);
    expect(await rollupStates(db.pool)).toBe(2);

    const again = runCli(['maintenance'], { DATABASE_URL: db.url });
    expect((await again.exited).code).toBe(0);
    expect(again.output()).toMatch(/^retention RuleRun\s+0 partition\(s\) dropped, 0 row\(s\) deleted$/m);
  });

  it('waits for a maintenance run holding the lock, and exits 3 having done nothing when it outlasts --wait-seconds', async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MAINTENANCE_LOCK_KEY]);
      // The exporter's own loop does not wait: it skips its turn.
      expect(await withMaintenanceLock(db.pool, 0, async () => 'ran')).toBeNull();
      const run = runCli(['maintenance', '--wait-seconds', '1'], { DATABASE_URL: db.url });
      expect((await run.exited).code).toBe(3);
      expect(run.output()).toMatch(/another maintenance run .* held the lock for over 1s; nothing was done/);
      expect(await ruleRuns(db.pool)).toBe(2 * HISTORY_DAYS);
      expect(await rollupStates(db.pool)).toBe(0);
    } finally {
      await holder.end();
    }
    expect(await withMaintenanceLock(db.pool, 0, async () => 'ran')).toEqual({ value: 'ran' });
  });

  it('exits 1 naming the step that failed, keeping the steps before it', async () => {
    // The rollup of RuleRun fails: its rollup table is gone. The partitions step before it still counts.
    const partition = (await db.pool.query<{ name: string }>(`SELECT 'RuleRun_p' || to_char(current_date + 6, 'YYYYMMDD') AS name`)).rows[0]
      .name;
    await db.pool.query(`DROP TABLE "${partition}"`);
    await db.pool.query(`DROP TABLE "RuleRunHourly"`);
    const run = runCli(['maintenance'], { DATABASE_URL: db.url });
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toMatch(/maintenance step "rollup RuleRun" failed: relation "RuleRunHourly" does not exist/);
    // The rollup of ConnectorSyncRun, run beside it, completes; RuleRun's watermark never moved.
    const { rows: states } = await db.pool.query<{ name: string }>(`SELECT name FROM "RollupState" ORDER BY name`);
    expect(states.map((s) => s.name)).toEqual(['ConnectorSyncRun']);
    expect((await db.pool.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`"${partition}"`])).rows[0].ok).toBe(true);
  });

  it('rejects a bad flag naming it, and a database without the migrations, with exit code 2', async () => {
    const bad = runCli(['maintenance', '--wait-seconds', 'soon'], { DATABASE_URL: db.url });
    expect((await bad.exited).code).toBe(2);
    expect(bad.output()).toMatch(/--wait-seconds must be a whole number of seconds, not "soon"/);

    await db.pool.query(`DELETE FROM "_aperio_migrations" WHERE version = 2`);
    const unmigrated = runCli(['maintenance'], { DATABASE_URL: db.url });
    expect((await unmigrated.exited).code).toBe(2);
    expect(unmigrated.output()).toMatch(/migrations not applied: 002_rollups[\s\S]*fix: run `aperio-exporter migrate` first/);
  });
});

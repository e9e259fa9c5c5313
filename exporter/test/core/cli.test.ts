import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runCli } from '../helpers/processes';

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

describe('aperio-exporter CLI: expected failures are one clear message and an exit code', () => {
  it('rejects a bad setting, naming it, with exit code 2', async () => {
    const run = runCli(['serve'], { PORT: 'eighty', DATABASE_URL: 'postgresql://u@127.0.0.1:1/x' });
    const { code } = await run.exited;
    expect(code).toBe(2);
    expect(run.output()).toMatch(/invalid configuration:\s+PORT="eighty"/);
    noStackTrace(run.output());
  });

  it('says which database it cannot reach and what to check', async () => {
    const run = runCli(['serve'], { DATABASE_URL: 'postgresql://aperio:secret@127.0.0.1:1/aperio' });
    const { code } = await run.exited;
    expect(code).toBe(2);
    expect(run.output()).toMatch(/cannot connect to PostgreSQL at postgresql:\/\/aperio:\*\*\*@127\.0\.0\.1:1\/aperio/);
    expect(run.output()).toMatch(/fix: is PostgreSQL running/);
    expect(run.output()).not.toContain('secret');
    noStackTrace(run.output());
  });

  it('takes --shard and --total-shards for serve, over the environment, and names the setting a bad one breaks', async () => {
    const outOfRange = runCli(['serve', '--shard', '3', '--total-shards', '3'], {
      SHARD: '0',
      DATABASE_URL: 'postgresql://u@127.0.0.1:1/x',
    });
    expect((await outOfRange.exited).code).toBe(2);
    expect(outOfRange.output()).toMatch(/invalid configuration:[\s\S]*SHARD="3": must be below TOTAL_SHARDS \(3\)/);
    noStackTrace(outOfRange.output());
    // The flag is what made this replica sharded: platform detail is refused only with TOTAL_SHARDS > 1.
    const sharded = runCli(['serve', '--total-shards=2'], { METRICS_DETAIL: 'platform', DATABASE_URL: 'postgresql://u@127.0.0.1:1/x' });
    expect((await sharded.exited).code).toBe(2);
    expect(sharded.output()).toMatch(/METRICS_DETAIL="platform": cannot be platform with TOTAL_SHARDS > 1/);
    const unknown = runCli(['serve', '--shards', '2'], { DATABASE_URL: 'postgresql://u@127.0.0.1:1/x' });
    expect((await unknown.exited).code).toBe(2);
    expect(unknown.output()).toMatch(
      /Unknown option '--shards'[\s\S]*fix: serve takes --shard N, --total-shards M and --shard-collection whole\|own/,
    );
    noStackTrace(unknown.output());
    // --shard-collection is SHARD_COLLECTION: own on an unsharded replica names that setting.
    const own = runCli(['serve', '--shard-collection', 'own'], { DATABASE_URL: 'postgresql://u@127.0.0.1:1/x' });
    expect((await own.exited).code).toBe(2);
    expect(own.output()).toMatch(/SHARD_COLLECTION="own": own needs a shard/);
    noStackTrace(own.output());
  });

  it('rejects an unknown command with the usage', async () => {
    const run = runCli(['frobnicate'], { DATABASE_URL: 'postgresql://u@127.0.0.1:1/x' });
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toMatch(/unknown command "frobnicate"[\s\S]*usage: aperio-exporter/);
  });

  describe('against a database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ migrate: false });
    });
    afterAll(() => db.drop());

    it('migrate applies every migration once, then has nothing to do', async () => {
      const first = runCli(['migrate'], { DATABASE_URL: db.url });
      expect((await first.exited).code).toBe(0);
      expect(first.output()).toMatch(/applied: 001_run_tables, 002_rollups, 003_api_tokens, 004_telemetry_tail/);
      const second = runCli(['migrate'], { DATABASE_URL: db.url });
      expect((await second.exited).code).toBe(0);
      expect(second.output()).toMatch(/up to date/);
    });

    it('doctor names the missing column and table, and exits 1', async () => {
      await db.pool.query(`ALTER TABLE "IntegrationConnection" DROP COLUMN "lastSyncAt"`);
      await db.pool.query(`DROP TABLE "Finding"`);
      const run = runCli(['doctor'], { DATABASE_URL: db.url });
      expect((await run.exited).code).toBe(1);
      expect(run.output()).toMatch(/^pass  connect to /m);
      expect(run.output()).toMatch(/^FAIL  table "IntegrationConnection": missing column "IntegrationConnection"\."lastSyncAt"/m);
      expect(run.output()).toMatch(/^FAIL  table "Finding": missing/m);
      expect(run.output()).toMatch(/^pass  table "SiemDelivery"/m);
      expect(run.output()).toMatch(/^pass  migrations/m);

      const serve = runCli(['serve'], { DATABASE_URL: db.url, PORT: '0' });
      expect((await serve.exited).code).toBe(2);
      expect(serve.output()).toMatch(/does not have what the exporter reads[\s\S]*"IntegrationConnection"\."lastSyncAt"/);
      noStackTrace(serve.output());
    });
  });
});

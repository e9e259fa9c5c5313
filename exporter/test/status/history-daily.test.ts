import type pg from 'pg';
import { rollUp } from '../../src/runs/rollup';
import { readStatusHistory, type HistoryScope } from '../../src/status/history-query';
import { HISTORY_DAYS } from '../../src/snapshot/status-history';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertTenant } from '../helpers/fixtures';
import { captureStatements } from '../helpers/statement-capture';

// The triggers judge "late" by the database's clock, so these tests run at the real time.
const DAY = 24 * 3600_000;
const rollBoth = async (pool: pg.Pool) => {
  await rollUp(pool, 'RuleRun');
  await rollUp(pool, 'ConnectorSyncRun');
};

/** The status history counted straight from the raw runs, independently of every rollup. */
async function fromRawRows(pool: pg.Pool, now: number, scope: HistoryScope) {
  const since = new Date(Math.floor(now / DAY) * DAY - (HISTORY_DAYS - 1) * DAY);
  const tenant = scope.kind === 'tenant' ? scope.tenantId : null;
  const { rows } = await pool.query<{ source: string; key: string; day: string; runs: number; failures: number }>(
    `SELECT source, key, day, count(*)::int AS runs, count(*) FILTER (WHERE status IN ('FAILED', 'TIMED_OUT'))::int AS failures
     FROM (SELECT 'connector' AS source, CASE WHEN $2::text IS NULL THEN provider ELSE "connectionId"::text END AS key,
                  to_char(("startedAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, status, "organizationId"
           FROM "ConnectorSyncRun" WHERE "startedAt" >= $1
           UNION ALL
           SELECT 'rule', '*', to_char(("startedAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), status, "organizationId"
           FROM "RuleRun" WHERE "startedAt" >= $1) r
     WHERE $2::text IS NULL OR "organizationId"::text = $2
     GROUP BY 1, 2, 3 ORDER BY day, source, key`,
    [since, tenant],
  );
  return rows;
}

async function history(pool: pg.Pool, now: number, scope: HistoryScope) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { days } = await readStatusHistory(client, now, scope);
    await client.query('COMMIT');
    return days.map((d) => ({ source: d.source, key: String(d.key), day: d.day, runs: Number(d.runs), failures: Number(d.failures) }));
  } finally {
    client.release();
  }
}

/** Every daily rollup row is the sum of its day's hourly rows, and no day is kept without runs. */
async function dailyMismatches(pool: pg.Pool) {
  const { rows } = await pool.query(
    `(SELECT 'rule' AS t, day, "organizationId"::text AS k, runs, failures FROM "RuleRunDaily"
      EXCEPT SELECT 'rule', (hour AT TIME ZONE 'UTC')::date, "organizationId"::text, sum(runs), sum(failures) FROM "RuleRunHourly" GROUP BY 1, 2, 3)
     UNION ALL
     (SELECT 'rule', (hour AT TIME ZONE 'UTC')::date, "organizationId"::text, sum(runs), sum(failures) FROM "RuleRunHourly" GROUP BY 1, 2, 3
      EXCEPT SELECT 'rule', day, "organizationId"::text, runs, failures FROM "RuleRunDaily")
     UNION ALL
     (SELECT 'sync', day, concat_ws('/', "connectionId", "organizationId", provider), runs, failures FROM "ConnectorSyncDaily"
      EXCEPT SELECT 'sync', (hour AT TIME ZONE 'UTC')::date, concat_ws('/', "connectionId", "organizationId", provider), sum(runs), sum(failures)
      FROM "ConnectorSyncHourly" GROUP BY 1, 2, 3)
     UNION ALL
     (SELECT 'sync', (hour AT TIME ZONE 'UTC')::date, concat_ws('/', "connectionId", "organizationId", provider), sum(runs), sum(failures)
      FROM "ConnectorSyncHourly" GROUP BY 1, 2, 3
      EXCEPT SELECT 'sync', day, concat_ws('/', "connectionId", "organizationId", provider), runs, failures FROM "ConnectorSyncDaily")`,
  );
  return rows;
}

describe('the status history from the daily rollups', () => {
  let db: TestDatabase;
  const orgs: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    orgs.push(await insertTenant(db.pool, 'acme'), await insertTenant(db.pool, 'globex'));
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled' });
    const connectors = [
      { id: 'c1', org: orgs[0], provider: 'okta' },
      { id: 'c2', org: orgs[0], provider: 'github' },
      { id: 'c3', org: orgs[1], provider: 'okta' },
    ];
    for (const c of connectors) await insertConnector(db.pool, { ...c, lastSyncAt: null });
    // Twelve days of runs, every 5 hours and 17 minutes, through today's closed and open hours.
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       SELECT o, 'r1', 'SCHEDULE', t, t, 10, CASE WHEN n % 4 = 0 THEN 'FAILED' WHEN n % 7 = 0 THEN 'SKIPPED' ELSE 'SUCCEEDED' END, 0, 0
       FROM unnest($1::text[]) o, generate_series(now() - interval '12 days', now() - interval '1 minute', interval '5 hours 17 minutes') WITH ORDINALITY g(t, n)`,
      [orgs],
    );
    await db.pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       SELECT c.org, c.id, c.provider, 'SCHEDULE', t, t, 1000, CASE WHEN n % 3 = 0 THEN 'TIMED_OUT' WHEN n % 5 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, 1
       FROM json_to_recordset($1::json) c(id text, org text, provider text),
            generate_series(now() - interval '12 days', now() - interval '1 minute', interval '3 hours 41 minutes') WITH ORDINALITY g(t, n)`,
      [JSON.stringify(connectors)],
    );
  });
  afterAll(() => db.drop());

  const scopes: HistoryScope[] = [
    { kind: 'platform' },
    { kind: 'tenant', tenantId: 'org_acme' },
    { kind: 'tenant', tenantId: 'org_globex' },
  ];
  const expectSameAsRaw = async () => {
    const now = Date.now();
    for (const scope of scopes)
      expect([scope, await history(db.pool, now, scope)]).toEqual([scope, await fromRawRows(db.pool, now, scope)]);
    expect(await dailyMismatches(db.pool)).toEqual([]);
  };

  it('equals the history counted from raw rows, before and after the first rollup, and reads the daily rollups', async () => {
    await expectSameAsRaw(); // nothing rolled: all raw
    await rollBoth(db.pool);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM "RuleRunDaily")::int + (SELECT count(*) FROM "ConnectorSyncDaily")::int AS n`,
    );
    expect(rows[0].n).toBeGreaterThan(20);
    await expectSameAsRaw();
    // The history's own statements read the daily rollups.
    const capture = captureStatements();
    try {
      await history(db.pool, Date.now(), { kind: 'platform' });
    } finally {
      capture.stop();
    }
    // Two reads of each: the closed days, then the watermark's day with the raw runs since the watermark.
    const reads = capture.statements.map((s) => s.text);
    expect(reads.filter((t) => t.includes('"RuleRunDaily"'))).toHaveLength(2);
    expect(reads.filter((t) => t.includes('"ConnectorSyncDaily"'))).toHaveLength(2);
    expect(reads.filter((t) => t.includes('Hourly"'))).toEqual([]);
  });

  it('stays equal when late runs land in days already rolled, runs change outcome or move to another day', async () => {
    await rollBoth(db.pool);
    // Late runs, 3 and 9 days back, one of them a new connection-day.
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       VALUES ('org_globex', 'r1', 'SCHEDULE', now() - interval '3 days', now() - interval '3 days', 5, 'FAILED', 0, 0),
              ('org_acme', 'r1', 'SCHEDULE', now() - interval '9 days 2 hours', now() - interval '9 days 2 hours', 5, 'TIMED_OUT', 0, 0)`,
    );
    await db.pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ('org_acme', 'c2', 'github', 'MANUAL', now() - interval '3 days 30 minutes', now() - interval '3 days', 9, 'FAILED', 0),
              ('org_globex', 'c3', 'okta', 'MANUAL', now() - interval '9 days 7 minutes', now() - interval '9 days', 9, 'SUCCEEDED', 0)`,
    );
    // A lone late run 20 days back, rolled; then moved a day further back: its old day is left without
    // any run of its connection. And a rolled failure corrected to a success.
    await db.pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ('org_acme', 'c1', 'okta', 'MANUAL', now() - interval '20 days', now() - interval '20 days', 9, 'FAILED', 0)`,
    );
    await rollBoth(db.pool);
    await expectSameAsRaw();
    const { rowCount } = await db.pool.query(
      `UPDATE "ConnectorSyncRun" SET "startedAt" = "startedAt" - interval '1 day' WHERE "startedAt" < now() - interval '19 days'`,
    );
    expect(rowCount).toBe(1);
    await db.pool.query(
      `UPDATE "RuleRun" SET status = 'SUCCEEDED' WHERE status = 'FAILED' AND "startedAt" < now() - interval '5 days' AND "startedAt" > now() - interval '6 days'`,
    );
    await rollBoth(db.pool);
    await expectSameAsRaw();
    // And once more, with nothing new: no change.
    await rollBoth(db.pool);
    await expectSameAsRaw();
  });
});

import type pg from 'pg';
import { rollUp } from '../../src/runs/rollup';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertTenant } from '../helpers/fixtures';

// The triggers judge "late" by the database's clock, so these tests run at the real time.
const rollBoth = async (pool: pg.Pool) => {
  await rollUp(pool, 'RuleRun');
  await rollUp(pool, 'ConnectorSyncRun');
};

/** Runs at `hoursAgo` closed hours back plus `offset` (an interval with microseconds), written by SQL only. */
async function insertRuns(
  pool: pg.Pool,
  org: string,
  runs: { hoursAgo: number; offset: string; durationMs: number | null; status: string }[],
) {
  for (const r of runs) {
    const startedAt = `date_trunc('hour', now()) - $2::int * interval '1 hour' + $3::interval`;
    await pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened")
       VALUES ($1, 'r1', 'SCHEDULE', ${startedAt}, ${startedAt}, $4::int, $5, 3, 1)`,
      [org, r.hoursAgo, r.offset, r.durationMs, r.status],
    );
    await pool.query(
      `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status, "recordsIngested")
       VALUES ($1, 'c1', 'okta', 'SCHEDULE', ${startedAt}, ${startedAt}, $4::int, $5, 7)`,
      [org, r.hoursAgo, r.offset, r.durationMs, r.status],
    );
  }
}

/** The rollup tables as text, next to the same figures counted independently from the raw rows. */
async function compare(pool: pg.Pool) {
  const text = async (sql: string) =>
    (await pool.query<{ t: string }>(`SELECT x::text AS t FROM (${sql}) x ORDER BY 1`)).rows.map((r) => r.t);
  const lastStarted = async (total: string, raw: string) => ({
    rollup: await text(`SELECT "lastStartedAt" FROM "${total}"`),
    raw: await text(`SELECT max("startedAt") FROM "${raw}" GROUP BY "organizationId"`),
  });
  const hourly = async (table: string, raw: string) => ({
    rollup: await text(`SELECT hour, runs, failures, "durationCount", "durationMsSum", "durationMsMax" FROM "${table}"`),
    raw: await text(`SELECT date_trunc('hour', "startedAt"), count(*), count(*) FILTER (WHERE status = 'FAILED'), count("durationMs"),
                            coalesce(sum("durationMs"), 0), coalesce(max("durationMs"), 0) FROM "${raw}" GROUP BY 1`),
  });
  return {
    ruleLast: await lastStarted('RuleRunTotal', 'RuleRun'),
    syncLast: await lastStarted('ConnectorSyncTotal', 'ConnectorSyncRun'),
    ruleHours: await hourly('RuleRunHourly', 'RuleRun'),
    syncHours: await hourly('ConnectorSyncHourly', 'ConnectorSyncRun'),
  };
}

describe('rollups are exact', () => {
  let db: TestDatabase;
  let org: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'r1', org: null, key: 'mfa_disabled' });
    await insertConnector(db.pool, { id: 'c1', org, provider: 'okta', lastSyncAt: null });
  });
  afterEach(() => db.drop());

  it('keeps lastStartedAt to the microsecond through the first rollup and a late run in a rolled hour', async () => {
    await insertRuns(db.pool, org, [
      { hoursAgo: 9, offset: '00:59:59.999999', durationMs: 100, status: 'SUCCEEDED' },
      { hoursAgo: 7, offset: '00:12:34.567891', durationMs: 250, status: 'FAILED' },
      { hoursAgo: 7, offset: '00:12:34.567890', durationMs: null, status: 'SKIPPED' },
    ]);
    await rollBoth(db.pool);
    const first = await compare(db.pool);
    expect(first.ruleLast.rollup).toEqual([expect.stringMatching(/:34\.567891[+-]/)]);
    expect(first.ruleLast.rollup).toEqual(first.ruleLast.raw);
    expect(first.syncLast.rollup).toEqual(first.syncLast.raw);
    expect(first.ruleHours.rollup).toEqual(first.ruleHours.raw);
    expect(first.syncHours.rollup).toEqual(first.syncHours.raw);

    // A late run in the rolled hour, one microsecond after the latest: recomputed from its marker.
    await insertRuns(db.pool, org, [{ hoursAgo: 7, offset: '00:12:34.567892', durationMs: 40, status: 'SUCCEEDED' }]);
    await rollBoth(db.pool);
    const late = await compare(db.pool);
    expect(late.ruleLast.rollup).toEqual([expect.stringMatching(/:34\.567892[+-]/)]);
    expect(late.ruleLast.rollup).toEqual(late.ruleLast.raw);
    expect(late.syncLast.rollup).toEqual(late.syncLast.raw);
    expect(late.ruleHours.rollup).toEqual(late.ruleHours.raw);
    expect(late.syncHours.rollup).toEqual(late.syncHours.raw);
  });
});

import { rollUp } from '../../src/runs/rollup';
import { incrementalStatusCollector, statusCollector } from '../../src/status/collect';
import type { Collector } from '../../src/snapshot/collector-types';
import type { StatusHistory } from '../../src/snapshot/status-history';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertRuleRun, insertSync, insertTenant } from '../helpers/fixtures';
import { captureStatements } from '../helpers/statement-capture';
import { collectOnce } from '../helpers/collect-once';

/**
 * The serving exporter's status history (status/history-read.ts) keeps the closed days between
 * collections: these tests pin when it may keep them and that a late run rolled into a closed day is
 * still seen. The property test (test/runs/incremental.test.ts) covers random sequences.
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const CLOSED_DAYS_SQL = /Daily" WHERE day >= .* AND day < /;

let db: TestDatabase;
// Mid-day, so that "two days ago" and the rollup watermark are on the days the tests name.
const now = Math.floor(Date.now() / DAY) * DAY + 12 * HOUR + 30 * 60_000;

beforeEach(async () => {
  db = await createTestDatabase();
  const org = await insertTenant(db.pool, 'acme');
  await insertConnector(db.pool, { id: 'c1', org, provider: 'okta', lastSyncAt: null });
  await insertRule(db.pool, { id: 'r1', org, key: 'impossible_travel' });
  for (const daysAgo of [3, 2, 0])
    await insertSync(db.pool, {
      connectionId: 'c1',
      org,
      provider: 'okta',
      startedAt: new Date(now - daysAgo * DAY - HOUR),
      durationMs: 5,
      status: 'SUCCEEDED',
    });
  await insertRuleRun(db.pool, { org, ruleId: 'r1', startedAt: new Date(now - 3 * DAY), durationMs: 5, status: 'FAILED' });
  await rollUp(db.pool, 'ConnectorSyncRun', now);
  await rollUp(db.pool, 'RuleRun', now);
});

afterEach(async () => {
  await db.drop();
});

const read = (collector: Collector<'statusHistory'>) => collectOnce(db.pool, collector, now);

/** The incremental read, how many closed-days statements it sent, and the full read beside it. */
async function readBoth(incremental: Collector<'statusHistory'>) {
  const capture = captureStatements();
  let kept: StatusHistory;
  try {
    kept = await read(incremental);
  } finally {
    capture.stop();
  }
  const closedReads = capture.statements.filter((st) => CLOSED_DAYS_SQL.test(st.text)).length;
  return { kept, closedReads, full: await read(statusCollector) };
}

const day = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
const countOn = (history: StatusHistory, source: string, daysAgo: number) =>
  history.days.filter((d) => d.source === source && d.day === day(daysAgo)).reduce((sum, d) => sum + d.runs, 0);

describe('the status history kept between collections', () => {
  it('reads the closed days once, then keeps them while nothing changes them', async () => {
    const incremental = incrementalStatusCollector(Number.MAX_SAFE_INTEGER);
    const first = await readBoth(incremental);
    expect(first.closedReads).toBe(2);
    expect(first.kept).toEqual(first.full);
    await insertSync(db.pool, {
      connectionId: 'c1',
      org: 'org_acme',
      provider: 'okta',
      startedAt: new Date(now - 60_000),
      durationMs: 5,
      status: 'FAILED',
    });
    const second = await readBoth(incremental);
    expect(second.closedReads).toBe(0);
    expect(second.kept).toEqual(second.full);
    expect(countOn(second.kept, 'connector', 0)).toBe(2);
  });

  it('sees a late run that a rollup counted into a closed day', async () => {
    const incremental = incrementalStatusCollector(Number.MAX_SAFE_INTEGER);
    expect(countOn((await readBoth(incremental)).kept, 'rule', 2)).toBe(0);
    await insertRuleRun(db.pool, { org: 'org_acme', ruleId: 'r1', startedAt: new Date(now - 2 * DAY), durationMs: 5, status: 'FAILED' });
    await rollUp(db.pool, 'RuleRun', now);
    const after = await readBoth(incremental);
    expect(countOn(after.kept, 'rule', 2)).toBe(1);
    expect(after.kept).toEqual(after.full);
  });

  it('reads the closed days again when a full read is due', async () => {
    const incremental = incrementalStatusCollector(0);
    await readBoth(incremental);
    expect((await readBoth(incremental)).closedReads).toBe(2);
  });
});

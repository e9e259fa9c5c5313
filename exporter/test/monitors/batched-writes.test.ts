import { CounterHistory } from '../../src/monitors/history';
import { evaluateChecks } from '../../src/monitors/evaluate';
import { dedupKey } from '../../src/monitors/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertTenant } from '../helpers/fixtures';
import { captureStatements } from '../helpers/statement-capture';
import { findings, harness, testConfig, TestClock, type Harness } from './harness';

const MIN = 60_000;
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 15 * MIN;
const SUBJECTS = 24;
const STALE = 'aperio.platform.connector_stale';

/** The statements that write findings, by kind, sent while `run` ran. */
async function findingWrites<T>(run: () => Promise<T>): Promise<{ result: T; inserts: number; updates: number }> {
  const capture = captureStatements();
  try {
    const result = await run();
    const texts = capture.statements.map((s) => s.text);
    return {
      result,
      inserts: texts.filter((t) => /INSERT INTO "Finding"/.test(t)).length,
      updates: texts.filter((t) => /UPDATE "Finding"/.test(t)).length,
    };
  } finally {
    capture.stop();
  }
}

describe('a monitor cycle writes its findings in one statement per kind', () => {
  let db: TestDatabase;
  let h: Harness;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await h?.engine.stop();
    await db.drop();
  });

  it(`opens, updates and resolves ${SUBJECTS} findings with one statement each time, rows as the observations say`, async () => {
    const clock = new TestClock(BASE);
    const orgs = [await insertTenant(db.pool, 'acme'), await insertTenant(db.pool, 'globex')];
    const ids = Array.from({ length: SUBJECTS }, (_, i) => `conn_${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) {
      await insertConnector(db.pool, { id, org: orgs[i % 2], provider: 'okta', lastSyncAt: new Date(clock.at - (7 + i) * 3600_000) });
    }
    const keys = ids.map((id) => dedupKey(STALE, `connector:${id}`)).sort();
    h = harness(db.pool, clock);

    const opening = await findingWrites(() => h.cycle());
    expect([...opening.result.opened].sort()).toEqual(keys);
    expect(opening).toMatchObject({ inserts: 1, updates: 0 });

    // One of them resolved by someone else meanwhile: the update misses it, and it is opened anew.
    const [gone] = await findings(db.pool, STALE);
    await db.pool.query(`UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = now() WHERE id = $1`, [gone.id]);
    clock.advance(MIN);
    const updating = await findingWrites(() => h.cycle());
    expect(updating.result.opened).toEqual([gone.dedupKey]);
    expect([...updating.result.updated].sort()).toEqual(keys.filter((k) => k !== gone.dedupKey));
    expect(updating).toMatchObject({ inserts: 1, updates: 1 });

    // Every open row holds what its observation says, dated as the engine dates it.
    const observations = evaluateChecks(h.collector.snapshot, testConfig(), clock.at, new CounterHistory(), null).observations;
    const open = (await findings(db.pool, STALE)).filter((row) => row.status === 'OPEN');
    expect(open).toHaveLength(SUBJECTS);
    for (const row of open) {
      const o = observations.find((x) => dedupKey(x.check, x.subject) === row.dedupKey)!;
      expect(row).toMatchObject({
        organizationId: o.tenantId,
        title: o.title,
        description: o.description,
        severity: o.severity,
        category: STALE,
        resolvedAt: null,
      });
      expect(row.updatedAt.getTime()).toBe(clock.at);
      expect(row.createdAt.getTime()).toBe(o.since ?? (row.dedupKey === gone.dedupKey ? clock.at : BASE));
    }
    expect(await findings(db.pool, STALE)).toHaveLength(SUBJECTS + 1);

    await db.pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $1`, [new Date(clock.at)]);
    clock.advance(MIN);
    await h.cycle(); // clear, the recovery minute starts
    clock.advance(MIN);
    const resolving = await findingWrites(() => h.cycle());
    expect([...resolving.result.resolved].sort()).toEqual(keys);
    expect(resolving).toMatchObject({ inserts: 0, updates: 1 });
    const rows = await findings(db.pool, STALE);
    expect(rows.filter((row) => row.status === 'RESOLVED' && row.resolvedAt?.getTime() === clock.at)).toHaveLength(SUBJECTS);
  });
});

import type pg from 'pg';
import { incrementalConnectorsCollector, connectorsCollector } from '../../src/connectors/collect';
import { applyRetention } from '../../src/maintenance/retention';
import { rollUp } from '../../src/runs/rollup';
import { slicesOf } from '../../src/runs/incremental';
import type { Collector } from '../../src/snapshot/collector-types';
import { createEmptyDatabase } from '../helpers/database';
import { createIncrementalTemplate, insertRun, MINUTE } from '../helpers/incremental-database';
import { captureStatements } from '../helpers/statement-capture';
import { collectOnce } from '../helpers/collect-once';

/**
 * The incremental read of connectors (runs/incremental.ts) in cases chosen by hand, each compared with
 * a full read: whole reads in slices, the rolling re-read, a transaction committing across a
 * collection, a truncate and a dropped partition. incremental.test.ts writes at random.
 */
let template: Awaited<ReturnType<typeof createIncrementalTemplate>>;
beforeAll(async () => {
  template = await createIncrementalTemplate();
});
afterAll(() => template.drop());

/** Both reads of a database the caller prepared: the incremental one must equal the full one. */
async function expectSameReads(pool: pg.Pool, connectors: Collector<'connectors'>, now: number) {
  expect(await collectOnce(pool, connectors, now)).toEqual(await collectOnce(pool, connectorsCollector, now));
}
const sync = { status: 'FAILED', trigger: 'SCHEDULE', duration: 10, scheduledShift: null };

describe('incremental collection, case by case', () => {
  it('reads everything in slices of the given size when there are more objects, equal to one statement', async () => {
    const db = await createEmptyDatabase({ template: template.name });
    try {
      const now = Date.now();
      await insertRun(db.pool, 'ConnectorSyncRun', { organizationId: 'org_t0', connectionId: 'c0' }, now, { ...sync, offset: -5 });
      const capture = captureStatements();
      let sliced: Awaited<ReturnType<typeof collectOnce<'connectors'>>>;
      try {
        sliced = await collectOnce(db.pool, incrementalConnectorsCollector(Number.MAX_SAFE_INTEGER, slicesOf(2)), now);
      } finally {
        capture.stop();
      }
      // Six connections, two per statement.
      expect(capture.statements.filter((st) => /c\.id = ANY\(\$4\)/.test(st.text))).toHaveLength(3);
      expect(sliced).toHaveLength(6);
      expect(sliced).toEqual(await collectOnce(db.pool, connectorsCollector, now));
    } finally {
      await db.drop();
    }
  });

  it('spreads the whole re-read of a read in slices over the full interval: a share per collection, every object within it', async () => {
    const db = await createEmptyDatabase({ template: template.name });
    const writer = await db.pool.connect();
    try {
      const start = Date.now();
      // Six connections read in slices of 2, all read again every 6 minutes: one a minute.
      const connectors = incrementalConnectorsCollector(6 * MINUTE, slicesOf(2));
      await collectOnce(db.pool, connectors, start);
      // A run the change log never sees (this session fires no triggers): only the re-read finds it.
      await writer.query(`SET session_replication_role = replica`);
      await insertRun(writer, 'ConnectorSyncRun', { organizationId: 'org_t0', connectionId: 'c0' }, start, { ...sync, offset: -5 });
      const capture = captureStatements();
      const reread: unknown[][] = [];
      try {
        for (let minute = 1; minute <= 6; minute++) {
          const before = capture.statements.length;
          await collectOnce(db.pool, connectors, start + minute * MINUTE);
          const scoped = capture.statements.slice(before).filter((st) => /c\.id = ANY\(\$4\)/.test(st.text));
          reread.push(scoped.flatMap((st) => st.values[3] as unknown[]));
        }
      } finally {
        capture.stop();
      }
      expect(reread.map((keys) => keys.length)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(new Set(reread.flat()).size).toBe(6);
      const [c0] = (await collectOnce(db.pool, connectors, start + 6 * MINUTE)).filter((c) => c.id === 'c0');
      expect(c0.totals.runs).toBe(1);
      await expectSameReads(db.pool, connectors, start + 6 * MINUTE);
    } finally {
      writer.release();
      await db.drop();
    }
  });

  it('finds a run whose transaction began before a collection and committed after it', async () => {
    const db = await createEmptyDatabase({ template: template.name });
    const writer = await db.pool.connect();
    try {
      const now = Date.now();
      const connectors = incrementalConnectorsCollector(Number.MAX_SAFE_INTEGER);
      await expectSameReads(db.pool, connectors, now);
      await writer.query('BEGIN');
      await insertRun(writer, 'ConnectorSyncRun', { organizationId: 'org_t0', connectionId: 'c0' }, now, { ...sync, offset: -5 });
      await expectSameReads(db.pool, connectors, now); // the writer is in this read's snapshot, still running
      await insertRun(db.pool, 'ConnectorSyncRun', { organizationId: 'org_t1', connectionId: 'c1' }, now, { ...sync, offset: -4 });
      await expectSameReads(db.pool, connectors, now); // a later transaction's run is read meanwhile
      await writer.query('COMMIT');
      const [c0] = (await collectOnce(db.pool, connectors, now)).filter((c) => c.id === 'c0');
      expect(c0.totals.runs).toBe(1);
      await expectSameReads(db.pool, connectors, now);
    } finally {
      writer.release();
      await db.drop();
    }
  });

  it('re-reads everything after the run table is truncated', async () => {
    const db = await createEmptyDatabase({ template: template.name });
    try {
      const now = Date.now();
      await insertRun(db.pool, 'ConnectorSyncRun', { organizationId: 'org_t0', connectionId: 'c0' }, now, { ...sync, offset: -5 });
      const connectors = incrementalConnectorsCollector(Number.MAX_SAFE_INTEGER);
      await expectSameReads(db.pool, connectors, now);
      await db.pool.query(`TRUNCATE "ConnectorSyncRun"`);
      const [c0] = (await collectOnce(db.pool, connectors, now)).filter((c) => c.id === 'c0');
      expect(c0.totals.runs).toBe(0);
      await expectSameReads(db.pool, connectors, now);
    } finally {
      await db.drop();
    }
  });

  it('re-reads everything after retention drops a partition within the recent window', async () => {
    const db = await createEmptyDatabase({ template: template.name });
    try {
      const now = Date.now();
      await db.pool.query(`UPDATE "Organization" SET "dataRetentionDays" = 1`);
      await db.pool.query(`SELECT aperio_ensure_daily_partitions('ConnectorSyncRun', current_date - 5, current_date)`);
      await insertRun(db.pool, 'ConnectorSyncRun', { organizationId: 'org_t0', connectionId: 'c0' }, now, {
        ...sync,
        offset: -4 * 24 * 60,
      });
      await rollUp(db.pool, 'ConnectorSyncRun', now);
      const connectors = incrementalConnectorsCollector(Number.MAX_SAFE_INTEGER);
      const [before] = (await collectOnce(db.pool, connectors, now)).filter((c) => c.id === 'c0');
      expect(before.recentRuns).toHaveLength(1);
      const { partitionsDropped } = await applyRetention(db.pool, 'ConnectorSyncRun', now);
      expect(partitionsDropped.length).toBeGreaterThan(0);
      const [after] = (await collectOnce(db.pool, connectors, now)).filter((c) => c.id === 'c0');
      expect(after.recentRuns).toHaveLength(0);
      await expectSameReads(db.pool, connectors, now);
    } finally {
      await db.drop();
    }
  });
});

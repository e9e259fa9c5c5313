import fc from 'fast-check';
import type pg from 'pg';
import { incrementalConnectorsCollector, connectorsCollector } from '../../src/connectors/collect';
import { migrate, applyCoreFixture } from '../../src/db/migrate';
import { applyRetention } from '../../src/maintenance/retention';
import { incrementalRulesCollector, rulesCollector } from '../../src/rules/collect';
import { rollUp } from '../../src/runs/rollup';
import { FULL_READ_SLICING, slicesOf } from '../../src/runs/incremental';
import type { Collector } from '../../src/snapshot/collector-types';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertTenant } from '../helpers/fixtures';
import { captureStatements } from '../helpers/statement-capture';
import { collectOnce } from '../helpers/collect-once';
import { incrementalStatusCollector, statusCollector } from '../../src/status/collect';

/**
 * The incremental reads (runs/incremental.ts for connectors and rules, status/history-read.ts for the
 * status history) against a full read of the same database at the same moment, after every step of
 * random sequences of writes: runs inserted (late, future, outside the
 * windows), corrected, moved and deleted; connections and rules edited, added and removed; tenants
 * renamed; rollups, retention (deletes straight from partitions, partition drops); the clock moving on
 * past window edges; and a transaction that got its ids before a collection and commits after it.
 */
const MINUTE = 60_000;
const STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const;
const TENANTS = ['t0', 't1', 't2'];
const CONNECTORS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
const RULES = ['b0', 'b1', 'r0', 'r1'];
const RULE_ORG: Record<string, string | null> = { b0: null, b1: null, r0: 'org_t0', r1: 'org_t1' };

const offset = fc.integer({ min: -21 * 24 * 60, max: 90 }); // minutes from the clock: three weeks back to 90 min ahead
const run = fc.record({
  offset,
  status: fc.constantFrom(...STATUSES),
  trigger: fc.constantFrom('SCHEDULE', 'SCHEDULE', 'MANUAL'),
  duration: fc.option(fc.integer({ min: 0, max: 200_000 })),
  scheduledShift: fc.option(fc.integer({ min: -30, max: 30 })),
});
const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync' as const), connector: fc.nat(7), run }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('rule-run' as const), tenant: fc.nat(2), rule: fc.nat(3), run }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('correct' as const),
      table: fc.constantFrom('RuleRun', 'ConnectorSyncRun'),
      pick: fc.nat(),
      status: fc.constantFrom(...STATUSES),
      shift: fc.integer({ min: -180, max: 180 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), table: fc.constantFrom('RuleRun', 'ConnectorSyncRun'), pick: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('connection' as const),
      connector: fc.nat(7),
      lastSync: fc.option(fc.integer({ min: -3000, max: 0 })),
      interval: fc.constantFrom(0, 900, 3600),
      status: fc.constantFrom('ACTIVE', 'ERROR', 'PAUSED'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-remove' as const), connector: fc.nat(7) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rule' as const),
      rule: fc.nat(3),
      enabled: fc.boolean(),
      interval: fc.constantFrom(null, 0, 900, 3600),
      cron: fc.constantFrom(null, null, '0 * * * *'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), tenant: fc.nat(2), to: fc.constantFrom('a', 'm', 'z') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollup' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retention' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 4 * 24 * 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('open-tx' as const), connector: fc.nat(7), run }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit-tx' as const) }) },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

let template: TestDatabase;
let templateName: string;

beforeAll(async () => {
  template = await createEmptyDatabase();
  await applyCoreFixture(template.pool);
  await migrate(template.pool);
  for (const [i, slug] of TENANTS.entries()) await insertTenant(template.pool, slug, i === 2 ? 1 : 30);
  for (const rule of RULES)
    await insertRule(template.pool, {
      id: rule,
      org: RULE_ORG[rule],
      key: rule === 'r0' ? 'b0' : rule,
      interval: 3600,
      enabled: rule !== 'r1',
    });
  for (const [i, id] of CONNECTORS.slice(0, 6).entries())
    await insertConnector(template.pool, {
      id,
      org: `org_${TENANTS[i % 3]}`,
      provider: i % 2 ? 'okta' : 'crowdstrike',
      lastSyncAt: null,
      interval: 3600,
    });
  templateName = new URL(template.url).pathname.slice(1);
  await template.pool.end();
});

afterAll(async () => {
  // The template's pool is already closed; drop() ends it again harmlessly and removes the database.
  await template.drop().catch(() => undefined);
});

async function insertRun(
  db: pg.Pool | pg.PoolClient,
  table: 'RuleRun' | 'ConnectorSyncRun',
  keys: Record<string, string>,
  now: number,
  r: { offset: number; status: string; trigger: string; duration: number | null; scheduledShift: number | null },
) {
  const startedAt = new Date(now + r.offset * MINUTE);
  const scheduledFor = r.scheduledShift === null ? null : new Date(startedAt.getTime() + r.scheduledShift * MINUTE);
  const extra = table === 'ConnectorSyncRun' ? { provider: 'okta', recordsIngested: '7' } : { eventsEvaluated: '11', findingsOpened: '1' };
  const columns = { ...keys, ...extra, trigger: r.trigger, status: r.status };
  const names = Object.keys(columns);
  const values: unknown[] = Object.values(columns);
  await db.query(
    `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}, "startedAt", "scheduledFor", "durationMs")
     VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}, $${names.length + 1}, $${names.length + 2}, $${names.length + 3})`,
    [...values, startedAt, scheduledFor, r.duration],
  );
}

/** The status history's read of closed days (status/history-query.ts). */
const CLOSED_DAYS_SQL = /Daily" WHERE day >= .* AND day < /;

const RUN_STEPS = ['sync', 'open-tx', 'commit-tx', 'rule-run', 'correct', 'delete'];

async function apply(pool: pg.Pool, s: Step, clock: { now: number }, held: { client: pg.PoolClient | null }) {
  return RUN_STEPS.includes(s.kind) ? applyRunStep(pool, s, clock.now, held) : applyOtherStep(pool, s, clock);
}

/** Writes to the run tables. */
async function applyRunStep(pool: pg.Pool, s: Step, now: number, held: { client: pg.PoolClient | null }) {
  switch (s.kind) {
    case 'sync':
    case 'open-tx': {
      const id = CONNECTORS[s.connector];
      const org = `org_${TENANTS[s.connector % 3]}`;
      if (s.kind === 'sync') return insertRun(pool, 'ConnectorSyncRun', { organizationId: org, connectionId: id }, now, s.run);
      if (held.client) return;
      held.client = await pool.connect();
      await held.client.query('BEGIN');
      return insertRun(held.client, 'ConnectorSyncRun', { organizationId: org, connectionId: id }, now, s.run);
    }
    case 'commit-tx':
      if (!held.client) return;
      await held.client.query('COMMIT');
      held.client.release();
      held.client = null;
      return;
    case 'rule-run':
      return insertRun(pool, 'RuleRun', { organizationId: `org_${TENANTS[s.tenant]}`, ruleId: RULES[s.rule] }, now, s.run);
    case 'correct':
      await pool.query(
        `UPDATE "${s.table}" SET status = $2, "startedAt" = "startedAt" + $3::int * interval '1 minute'
         WHERE id = (SELECT id FROM "${s.table}" ORDER BY id OFFSET $1::int % greatest(1, (SELECT count(*) FROM "${s.table}"))::int LIMIT 1)`,
        [s.pick, s.status, s.shift],
      );
      return;
    case 'delete':
      await pool.query(
        `DELETE FROM "${s.table}" WHERE id = (SELECT id FROM "${s.table}" ORDER BY id OFFSET $1::int % greatest(1, (SELECT count(*) FROM "${s.table}"))::int LIMIT 1)`,
        [s.pick],
      );
      return;
  }
}

/** Edits of connections, rules and tenants; maintenance; the clock. */
async function applyOtherStep(pool: pg.Pool, s: Step, clock: { now: number }) {
  const now = clock.now;
  switch (s.kind) {
    case 'connection':
      await pool.query(`UPDATE "IntegrationConnection" SET "lastSyncAt" = $2, "syncIntervalSeconds" = $3, status = $4 WHERE id = $1`, [
        CONNECTORS[s.connector],
        s.lastSync === null ? null : new Date(now + s.lastSync * MINUTE),
        s.interval,
        s.status,
      ]);
      return;
    case 'add-remove': {
      const id = CONNECTORS[s.connector];
      const { rowCount } = await pool.query(`DELETE FROM "IntegrationConnection" WHERE id = $1`, [id]);
      if (!rowCount)
        await insertConnector(pool, { id, org: `org_${TENANTS[s.connector % 3]}`, provider: 'okta', lastSyncAt: null, interval: 900 });
      return;
    }
    case 'rule':
      await pool.query(`UPDATE "DetectionRule" SET enabled = $2, "scheduleIntervalSeconds" = $3, "scheduleCron" = $4 WHERE id = $1`, [
        RULES[s.rule],
        s.enabled,
        s.interval,
        s.cron,
      ]);
      return;
    case 'rename':
      await pool.query(`UPDATE "Organization" SET slug = $2 || id WHERE id = $1`, [`org_${TENANTS[s.tenant]}`, s.to]);
      return;
    case 'rollup':
      await rollUp(pool, 'RuleRun', now);
      await rollUp(pool, 'ConnectorSyncRun', now);
      return;
    case 'retention':
      await applyRetention(pool, 'RuleRun', now);
      await applyRetention(pool, 'ConnectorSyncRun', now);
      return;
    case 'advance':
      clock.now += s.minutes * MINUTE;
      return;
  }
}

describe('incremental collection', () => {
  it('equals a full read after any sequence of writes', async () => {
    const capture = captureStatements();
    let scopedReads = 0;
    let checks = 0;
    let statusReads = 0;
    let closedDaysKept = 0;
    try {
      await fc.assert(
        // Slices of 3 keys: whole reads of more objects go in slices (runs/incremental.ts), as at 10x scale.
        fc.asyncProperty(
          fc.array(step, { minLength: 5, maxLength: 24 }),
          fc.constantFrom(slicesOf(3), FULL_READ_SLICING),
          async (steps, slice) => {
            const db = await createEmptyDatabase({ template: templateName });
            const held: { client: pg.PoolClient | null } = { client: null };
            try {
              const clock = { now: Date.now() };
              const connectors = incrementalConnectorsCollector(Number.MAX_SAFE_INTEGER, slice);
              const rules = incrementalRulesCollector(Number.MAX_SAFE_INTEGER, slice);
              const status = incrementalStatusCollector(Number.MAX_SAFE_INTEGER);
              for (const s of steps) {
                await apply(db.pool, s, clock, held);
                const before = capture.statements.length;
                const [incConnectors, incRules] = [
                  await collectOnce(db.pool, connectors, clock.now),
                  await collectOnce(db.pool, rules, clock.now),
                ];
                checks += 2;
                scopedReads += capture.statements.slice(before).filter((st) => /= ANY\(\$4\)/.test(st.text)).length;
                expect(incConnectors).toEqual(await collectOnce(db.pool, connectorsCollector, clock.now));
                expect(incRules).toEqual(await collectOnce(db.pool, rulesCollector, clock.now));
                const beforeStatus = capture.statements.length;
                const incStatus = await collectOnce(db.pool, status, clock.now);
                statusReads += 2;
                closedDaysKept += 2 - capture.statements.slice(beforeStatus).filter((st) => CLOSED_DAYS_SQL.test(st.text)).length;
                expect(incStatus).toEqual(await collectOnce(db.pool, statusCollector, clock.now));
              }
            } finally {
              if (held.client) {
                await held.client.query('ROLLBACK').catch(() => undefined);
                held.client.release();
              }
              await db.drop();
            }
          },
        ),
        { numRuns: Number(process.env.INCREMENTAL_RUNS ?? 40), endOnFailure: true },
      );
    } finally {
      capture.stop();
    }
    // The property is about the incremental path: a good share of the reads must have re-read a part,
    // and a good share of the status reads (one per source) must have kept their closed days.
    expect(scopedReads).toBeGreaterThan(checks / 4);
    expect(closedDaysKept).toBeGreaterThan(statusReads / 4);
  }, 600_000);

  /** Both reads of a database the caller prepared: the incremental one must equal the full one. */
  async function expectSameReads(pool: pg.Pool, connectors: Collector<'connectors'>, now: number) {
    expect(await collectOnce(pool, connectors, now)).toEqual(await collectOnce(pool, connectorsCollector, now));
  }
  const sync = { status: 'FAILED', trigger: 'SCHEDULE', duration: 10, scheduledShift: null };

  it('reads everything in slices of the given size when there are more objects, equal to one statement', async () => {
    const db = await createEmptyDatabase({ template: templateName });
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
    const db = await createEmptyDatabase({ template: templateName });
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
    const db = await createEmptyDatabase({ template: templateName });
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
    const db = await createEmptyDatabase({ template: templateName });
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
    const db = await createEmptyDatabase({ template: templateName });
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

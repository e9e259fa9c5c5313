import fc from 'fast-check';
import type pg from 'pg';
import { incrementalConnectorsCollector, connectorsCollector } from '../../src/connectors/collect';
import { applyRetention } from '../../src/maintenance/retention';
import { incrementalRulesCollector, rulesCollector } from '../../src/rules/collect';
import { rollUp } from '../../src/runs/rollup';
import { FULL_READ_SLICING, slicesOf } from '../../src/runs/incremental';
import { createEmptyDatabase } from '../helpers/database';
import { insertConnector } from '../helpers/fixtures';
import { CONNECTORS, createIncrementalTemplate, insertRun, MINUTE, RULES, TENANTS } from '../helpers/incremental-database';
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
 * Cases chosen by hand (slices, the rolling re-read, a truncate, a dropped partition) are in
 * incremental-rereads.test.ts.
 */
const STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const;

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
let template: Awaited<ReturnType<typeof createIncrementalTemplate>>;
beforeAll(async () => {
  template = await createIncrementalTemplate();
});
afterAll(() => template.drop());

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
            const db = await createEmptyDatabase({ template: template.name });
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
});

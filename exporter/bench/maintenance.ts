import type pg from 'pg';
import { applyRetention, RUN_TABLES } from '../src/maintenance/retention';
import { ensurePartitions, runMaintenance } from '../src/maintenance/runner';
import { allOrFirstError } from '../src/util/all-settled';
import { rollUp } from '../src/runs/rollup';
import { FAILURE_STATUS_SQL } from '../src/runs/statuses';
import { note } from '../src/util/progress';

export interface MaintenanceFigures {
  firstRollupMs: number;
  rolledHours: number;
  retentionMs: number;
  rowsDeleted: number;
  partitionsDropped: number;
  steadyRunMs: number;
  rollupQueryMs: number;
  rawQueryMs: number;
  rangeTenants: number;
  sameAnswer: boolean;
  sameAnswerAfterRetention: boolean;
}

const DAY_MS = 24 * 3600_000;

// A 90-day report per tenant: runs, failures and total duration of rule evaluations.
const FROM_ROLLUPS = `
SELECT "organizationId", sum(runs)::bigint AS runs, sum(failures)::bigint AS failures, sum("durationMsSum")::bigint AS duration
FROM "RuleRunHourly" WHERE hour >= $1 AND hour < $2 GROUP BY 1 ORDER BY 1`;
const FROM_RAW = `
SELECT "organizationId", count(*)::bigint AS runs, count(*) FILTER (WHERE status IN ${FAILURE_STATUS_SQL})::bigint AS failures,
       coalesce(sum("durationMs"), 0)::bigint AS duration
FROM "RuleRun" WHERE "startedAt" >= $1 AND "startedAt" < $2 GROUP BY 1 ORDER BY 1`;

/**
 * The maintenance job on the seeded history, step by step: the first rollup of all of it, a 90-day report
 * from the rollups against the same report from raw rows (both must agree), per-tenant retention, and a
 * second, steady-state run of the whole job, which must find (almost) nothing left to do.
 */
export async function measureMaintenance(pool: pg.Pool, now: number): Promise<MaintenanceFigures> {
  let started = performance.now();
  await ensurePartitions(pool, now);
  let rolledHours = 0;
  // As maintenance runs them (maintenance/runner.ts): both tables at once.
  for (const result of await allOrFirstError(RUN_TABLES.map((table) => rollUp(pool, table, now)))) rolledHours += result.hours;
  const firstRollupMs = performance.now() - started;
  note(`first rollup: ${rolledHours} hours in ${(firstRollupMs / 1000).toFixed(1)} s`);

  const { rows } = await pool.query<{ rolledUntil: Date }>(`SELECT "rolledUntil" FROM "RollupState" WHERE name = 'RuleRun'`);
  const range = [new Date(Math.floor((now - 90 * DAY_MS) / 3600_000) * 3600_000), rows[0].rolledUntil];
  const rollup = await timed(() => pool.query(FROM_ROLLUPS, range));
  const raw = await timed(() => pool.query(FROM_RAW, range));
  const sameAnswer = JSON.stringify(rollup.value.rows) === JSON.stringify(raw.value.rows);

  started = performance.now();
  let rowsDeleted = 0;
  let partitionsDropped = 0;
  for (const table of RUN_TABLES) {
    const result = await applyRetention(pool, table, now);
    rowsDeleted += result.rowsDeleted;
    partitionsDropped += result.partitionsDropped.length;
  }
  const retentionMs = performance.now() - started;
  note(`retention: ${rowsDeleted} rows deleted, ${partitionsDropped} partitions dropped in ${(retentionMs / 1000).toFixed(1)} s`);
  const after = await pool.query(FROM_ROLLUPS, range);
  const sameAnswerAfterRetention = JSON.stringify(after.rows) === JSON.stringify(rollup.value.rows);

  const steady = await runMaintenance(pool, now);
  return {
    firstRollupMs,
    rolledHours,
    retentionMs,
    rowsDeleted,
    partitionsDropped,
    steadyRunMs: steady.durationMs,
    rollupQueryMs: rollup.ms,
    rawQueryMs: raw.ms,
    rangeTenants: rollup.value.rows.length,
    sameAnswer,
    sameAnswerAfterRetention,
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  await fn(); // warm the caches: both answers are compared warm
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

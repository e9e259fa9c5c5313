import type pg from 'pg';
import { rollUp } from '../../src/runs/rollup';
import { rebuildDailyRollups } from '../helpers/daily-rollups';
import { HOUR, MINUTE, NOW, PRUNED } from './clock';

interface Run {
  org: string;
  job: string;
  provider?: string;
  trigger: 'SCHEDULE' | 'MANUAL' | 'EVENT';
  scheduledFor: number | null;
  startedAt: number;
  /** null: no duration (SKIPPED, or a run that never finished when `unfinished`). */
  durationMs: number | null;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'SKIPPED';
  unfinished?: boolean;
  count?: number;
  findings?: number;
  error?: string | null;
  traceId?: string | null;
}

const RULE_DURATIONS = [50, 100, 251, 1000, 2500, 64_210, 300_000, 400_000, 7, 12_000];
const SYNC_DURATIONS = [1000, 5000, 15_001, 30_000, 120_000, 600_000, 2000, 45_000];
const slotsEvery = (periodMs: number, from: number, to: number) => {
  const out: number[] = [];
  for (let t = Math.ceil(from / periodMs) * periodMs; t <= to; t += periodMs) out.push(t);
  return out;
};
const errorOf = (status: Run['status']) =>
  status === 'FAILED' ? 'upstream returned 500' : status === 'TIMED_OUT' ? 'deadline exceeded' : null;

/** A cycle of outcomes: mostly successes, with failures, time-outs and skips at fixed places. */
function outcome(i: number, durations: number[]): Pick<Run, 'status' | 'durationMs'> {
  if (i % 13 === 5) return { status: 'SKIPPED', durationMs: null };
  if (i % 9 === 4) return { status: 'FAILED', durationMs: durations[(i + 3) % durations.length] };
  if (i % 9 === 7) return { status: 'TIMED_OUT', durationMs: durations[(i + 5) % durations.length] };
  return { status: 'SUCCEEDED', durationMs: durations[i % durations.length] };
}

function ruleRuns(): Run[] {
  const runs: Run[] = [];
  const hourly = slotsEvery(HOUR, NOW - 26 * HOUR - 20 * MINUTE, NOW);
  hourly.forEach((slot, i) => {
    runs.push({
      org: 'org_acme',
      job: 'rule_mfa_disabled',
      trigger: 'SCHEDULE',
      scheduledFor: slot,
      startedAt: slot + 3000,
      ...outcome(i, RULE_DURATIONS),
      count: i * 1000 + 17,
      findings: i % 3,
      traceId: i % 2 ? null : `trace-a-${i}`,
    });
    // Globex's copy of the built-in rule skipped the 07:00 slot.
    if (slot !== NOW - 5 * HOUR - 20 * MINUTE) {
      runs.push({
        org: 'org_globex',
        job: 'rule_mfa_disabled',
        trigger: 'SCHEDULE',
        scheduledFor: slot,
        startedAt: slot + 4000,
        ...outcome(i + 2, RULE_DURATIONS),
        count: i * 10,
        findings: 0,
      });
    }
  });
  // The hourly cron rule: 09:00 was never served, 12:00 is still within its grace.
  for (const slot of slotsEvery(HOUR, NOW - 12 * HOUR - 20 * MINUTE, NOW - 80 * MINUTE)) {
    if (slot !== NOW - 3 * HOUR - 20 * MINUTE) {
      runs.push({
        org: 'org_acme',
        job: 'rule_hourly_cron',
        trigger: 'SCHEDULE',
        scheduledFor: slot,
        startedAt: slot + 10_000,
        durationMs: 900,
        status: 'SUCCEEDED',
        count: 5,
      });
    }
  }
  for (let i = 0; i < 3; i++) {
    runs.push({
      org: 'org_acme',
      job: 'rule_switched_off',
      trigger: 'SCHEDULE',
      scheduledFor: NOW - (50 - i) * HOUR - 20 * MINUTE,
      startedAt: NOW - (50 - i) * HOUR - 19 * MINUTE,
      durationMs: 120_000,
      status: i === 1 ? 'FAILED' : 'SUCCEEDED',
      count: 3,
    });
  }
  // Every 5 minutes, without a slot: 40 s after the slot or 40 s before it; 11:30 skipped; 11:00 a SKIPPED
  // run naming its slot; 12:10 a run that never finished.
  slotsEvery(5 * MINUTE, NOW - 2 * HOUR, NOW - 5 * MINUTE).forEach((slot, k) => {
    if (slot === NOW - 50 * MINUTE) return;
    if (slot === NOW - 80 * MINUTE) {
      runs.push({
        org: 'org_acme',
        job: 'rule_jittered',
        trigger: 'SCHEDULE',
        scheduledFor: slot,
        startedAt: slot + 1000,
        durationMs: null,
        status: 'SKIPPED',
      });
      return;
    }
    const startedAt = slot + (k % 2 === 0 ? 40_000 : -40_000);
    if (slot === NOW - 10 * MINUTE) {
      runs.push({
        org: 'org_acme',
        job: 'rule_jittered',
        trigger: 'SCHEDULE',
        scheduledFor: null,
        startedAt,
        durationMs: null,
        status: 'TIMED_OUT',
        unfinished: true,
      });
      return;
    }
    runs.push({
      org: 'org_acme',
      job: 'rule_jittered',
      trigger: 'SCHEDULE',
      scheduledFor: null,
      startedAt,
      ...outcome(k, RULE_DURATIONS),
      count: 50 + k,
      findings: k % 4 === 0 ? 1 : 0,
    });
  });
  // MANUAL and EVENT runs never serve a slot: Globex's skipped 07:00 stays missed despite this one.
  runs.push({
    org: 'org_globex',
    job: 'rule_mfa_disabled',
    trigger: 'MANUAL',
    scheduledFor: null,
    startedAt: NOW - 5 * HOUR - 19 * MINUTE,
    durationMs: 700,
    status: 'SUCCEEDED',
    count: 9,
  });
  const demand: [Run['trigger'], number, Run['status']][] = [
    ['MANUAL', -6 * HOUR, 'SUCCEEDED'],
    ['EVENT', -5 * HOUR - 50 * MINUTE, 'FAILED'],
    ['MANUAL', -3 * HOUR, 'SUCCEEDED'],
    ['EVENT', -130 * MINUTE, 'TIMED_OUT'],
    ['MANUAL', -40 * MINUTE, 'SKIPPED'],
    ['EVENT', -15 * MINUTE, 'SUCCEEDED'],
  ];
  demand.forEach(([trigger, offset, status], i) => {
    runs.push({
      org: 'org_globex',
      job: 'rule_on_demand',
      trigger,
      scheduledFor: null,
      startedAt: NOW + offset,
      durationMs: status === 'SKIPPED' ? null : 5000 * (i + 1),
      status,
      count: 1_000_000 * (i + 1),
      findings: i,
    });
  });
  return runs;
}

function syncRuns(): Run[] {
  const runs: Run[] = [];
  const sync = (job: string, org: string, provider: string, r: Omit<Run, 'org' | 'job' | 'provider'>) =>
    runs.push({ org, job, provider, ...r });
  slotsEvery(30 * MINUTE, NOW - 26 * HOUR - 20 * MINUTE, NOW).forEach((slot, j) => {
    let r: Pick<Run, 'status' | 'durationMs' | 'unfinished'> = outcome(j, SYNC_DURATIONS);
    if (slot >= NOW - 50 * MINUTE) r = { status: 'SUCCEEDED', durationMs: SYNC_DURATIONS[j % SYNC_DURATIONS.length] };
    if (slot === NOW - 50 * MINUTE) r = { status: 'SUCCEEDED', durationMs: 1_192_993 }; // finished 30 min ago: lastSyncAt
    if (slot === NOW - 20 * MINUTE) r = { status: 'FAILED', durationMs: 5000 };
    if (slot === NOW - 3 * HOUR - 20 * MINUTE) r = { status: 'TIMED_OUT', durationMs: null, unfinished: true };
    sync('conn_okta_30m', 'org_acme', 'okta', { trigger: 'SCHEDULE', scheduledFor: null, startedAt: slot + 7000, ...r, count: j * 100 });
  });
  // Last success 09:19 (finished 3 h ago), failing since.
  slotsEvery(30 * MINUTE, NOW - 14 * HOUR, NOW).forEach((slot, j) => {
    const startedAt = slot + 19 * MINUTE;
    if (startedAt > NOW) return;
    let r: Pick<Run, 'status' | 'durationMs'> = outcome(j, SYNC_DURATIONS);
    if (startedAt === NOW - 3 * HOUR - MINUTE) r = { status: 'SUCCEEDED', durationMs: 60_000 };
    if (startedAt > NOW - 3 * HOUR) r = { status: j % 2 ? 'FAILED' : 'TIMED_OUT', durationMs: j % 2 ? 30_000 : 600_000 };
    sync('conn_okta_3h', 'org_globex', 'okta', { trigger: 'SCHEDULE', scheduledFor: null, startedAt, ...r, count: 7 * j });
  });
  // Hourly at :05; the last success 04:05 (finished 8 h ago), one failure after it, then nothing.
  slotsEvery(HOUR, NOW - 24 * HOUR, NOW - 7 * HOUR).forEach((slot, j) => {
    let r: Pick<Run, 'status' | 'durationMs'> = outcome(j + 1, SYNC_DURATIONS);
    if (slot === NOW - 8 * HOUR - 20 * MINUTE) r = { status: 'SUCCEEDED', durationMs: 900_000 };
    if (slot === NOW - 7 * HOUR - 20 * MINUTE) r = { status: 'FAILED', durationMs: 900_000 };
    sync('conn_github_8h', 'org_globex', 'github', {
      trigger: 'SCHEDULE',
      scheduledFor: null,
      startedAt: slot + 5 * MINUTE,
      ...r,
      count: 3,
    });
  });
  slotsEvery(15 * MINUTE, NOW - 170 * MINUTE, NOW - 5 * MINUTE).forEach((slot, j) => {
    const failed = slot === NOW - 95 * MINUTE;
    sync('conn_azure_fresh', 'org_acme', 'azure_ad', {
      trigger: 'SCHEDULE',
      scheduledFor: null,
      startedAt: slot + 30_000,
      status: failed ? 'FAILED' : 'SUCCEEDED',
      durationMs: 20_000,
      count: failed ? 0 : 2_500_000_000 + j,
    });
  });
  // Exactly half-way between 09:15 and 09:30: the later slot's, where a nearer run already serves.
  sync('conn_azure_fresh', 'org_acme', 'azure_ad', {
    trigger: 'SCHEDULE',
    scheduledFor: null,
    startedAt: NOW - 177 * MINUTE - 30_000,
    status: 'SUCCEEDED',
    durationMs: 20_000,
    count: 5,
  });
  // An event-triggered sync of a connection that stopped syncing on schedule: its slots stay missed.
  sync('conn_github_8h', 'org_globex', 'github', {
    trigger: 'EVENT',
    scheduledFor: null,
    startedAt: NOW - 3 * HOUR - 15 * MINUTE,
    status: 'FAILED',
    durationMs: 4000,
    count: 0,
  });
  sync('conn_github_paused', 'org_acme', 'github', {
    trigger: 'EVENT',
    scheduledFor: null,
    startedAt: NOW - 73 * HOUR,
    status: 'FAILED',
    durationMs: 1000,
    count: 0,
  });
  sync('conn_github_paused', 'org_acme', 'github', {
    trigger: 'MANUAL',
    scheduledFor: null,
    startedAt: NOW - 72 * HOUR - MINUTE,
    status: 'SUCCEEDED',
    durationMs: 60_000,
    count: 42,
  });
  return runs;
}

/** Runs a worker reported 5 h after they started, once the rollup had passed their hour. */
const LATE_RULE_RUNS: Run[] = [
  {
    org: 'org_globex',
    job: 'rule_on_demand',
    trigger: 'EVENT',
    scheduledFor: null,
    startedAt: NOW - 5 * HOUR,
    durationMs: 2600,
    status: 'SUCCEEDED',
    count: 77,
    findings: 2,
    traceId: 'trace-late',
  },
];
const LATE_SYNC_RUNS: Run[] = [
  {
    org: 'org_acme',
    job: 'conn_okta_30m',
    provider: 'okta',
    trigger: 'MANUAL',
    scheduledFor: null,
    startedAt: NOW - 5 * HOUR + 5 * MINUTE,
    durationMs: 3000,
    status: 'SUCCEEDED',
    count: 77,
  },
];

const rows = (runs: Run[]) =>
  JSON.stringify(
    runs.map((r) => ({
      org: r.org,
      job: r.job,
      provider: r.provider ?? null,
      trigger: r.trigger,
      scheduledFor: r.scheduledFor === null ? null : new Date(r.scheduledFor).toISOString(),
      startedAt: new Date(r.startedAt).toISOString(),
      finishedAt: r.unfinished ? null : new Date(r.startedAt + (r.durationMs ?? 0)).toISOString(),
      durationMs: r.durationMs,
      status: r.status,
      count: r.count ?? 0,
      findings: r.findings ?? 0,
      error: r.error === undefined ? errorOf(r.status) : r.error,
      traceId: r.traceId ?? null,
    })),
  );
const RECORD = `x(org text, job text, provider text, trigger text, "scheduledFor" timestamptz, "startedAt" timestamptz, "finishedAt" timestamptz,
                  "durationMs" int, status text, count bigint, findings int, error text, "traceId" text)`;

async function insertRuleRuns(pool: pg.Pool, runs: Run[]): Promise<void> {
  await pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, "eventsEvaluated", "findingsOpened", error, "traceId")
     SELECT org, job, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, count, findings, error, "traceId" FROM json_to_recordset($1) AS ${RECORD}`,
    [rows(runs)],
  );
}

async function insertSyncRuns(pool: pg.Pool, runs: Run[]): Promise<void> {
  await pool.query(
    `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, "recordsIngested", error, "traceId")
     SELECT org, job, provider, trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status, count, error, "traceId" FROM json_to_recordset($1) AS ${RECORD}`,
    [rows(runs)],
  );
}

/**
 * History older than retention: its raw rows are gone, the hourly rollup and the running total keep it,
 * with counts beyond 2^32. Written as retention leaves it: an old hourly row and the total that includes it
 * (every pruned run had a duration, so all of them are observations of the histogram).
 */
async function seedPrunedHistory(pool: pg.Pool): Promise<void> {
  const r = PRUNED.rule;
  await pool.query(
    `INSERT INTO "RuleRunHourly" (hour, "organizationId", "ruleId", runs, failures, "durationMsSum", "durationMsMax", "durationBuckets", "durationCount", "eventsEvaluated", "findingsOpened")
     SELECT $1, 'org_acme', $2, $3, $4, $3::bigint * $5, $5, array_fill(0::bigint, ARRAY[cardinality("durationBuckets")]), $3, $6, $7
       FROM "RuleRunTotal" WHERE "ruleId" = $2 AND "organizationId" = 'org_acme'`,
    [PRUNED.hour, r.ruleId, r.runs, r.failures, r.durationMs, r.eventsEvaluated, r.findingsOpened],
  );
  await pool.query(
    `UPDATE "RuleRunTotal" SET runs = runs + $2, failures = failures + $3, "durationMsSum" = "durationMsSum" + $2::bigint * $4, "durationCount" = "durationCount" + $2,
            "eventsEvaluated" = "eventsEvaluated" + $5, "findingsOpened" = "findingsOpened" + $6
      WHERE "organizationId" = 'org_acme' AND "ruleId" = $1`,
    [r.ruleId, r.runs, r.failures, r.durationMs, r.eventsEvaluated, r.findingsOpened],
  );
  const s = PRUNED.sync;
  await pool.query(
    `INSERT INTO "ConnectorSyncHourly" (hour, "connectionId", "organizationId", provider, runs, failures, "durationMsSum", "durationMsMax", "durationBuckets", "durationCount", "recordsIngested")
     SELECT $1, $2, "organizationId", provider, $3, $4, $3::bigint * $5, $5, array_fill(0::bigint, ARRAY[cardinality("durationBuckets")]), $3, $6
       FROM "ConnectorSyncTotal" WHERE "connectionId" = $2`,
    [PRUNED.hour, s.connectionId, s.runs, s.failures, s.durationMs, s.recordsIngested],
  );
  await pool.query(
    `UPDATE "ConnectorSyncTotal" SET runs = runs + $2, failures = failures + $3, "durationMsSum" = "durationMsSum" + $2::bigint * $4, "durationCount" = "durationCount" + $2,
            "recordsIngested" = "recordsIngested" + $5 WHERE "connectionId" = $1`,
    [s.connectionId, s.runs, s.failures, s.durationMs, s.recordsIngested],
  );
  await rebuildDailyRollups(pool);
}

/** Raw runs, a rollup at NOW, the pruned history, runs reported 5 h late, and the rollup again. */
export async function seedRuns(pool: pg.Pool): Promise<void> {
  await insertRuleRuns(pool, ruleRuns());
  await insertSyncRuns(pool, syncRuns());
  await rollUp(pool, 'RuleRun', NOW);
  await rollUp(pool, 'ConnectorSyncRun', NOW);
  await seedPrunedHistory(pool);
  await insertRuleRuns(pool, LATE_RULE_RUNS);
  await insertSyncRuns(pool, LATE_SYNC_RUNS);
  await rollUp(pool, 'RuleRun', NOW);
  await rollUp(pool, 'ConnectorSyncRun', NOW);
}

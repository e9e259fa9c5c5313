import type pg from 'pg';

/** The runs of one rule for one tenant that finished within a window, from their real durations. */
export interface RuleDurationFacts {
  runs: number;
  /** percentile_disc: the duration of an actual run, never a value between histogram bounds. */
  p95Ms: number;
  maxMs: number;
}

/** By `${tenantId}:${ruleId}`. */
export type RuleDurations = Map<string, RuleDurationFacts>;

export const ruleDurationKey = (tenantId: string | null, ruleId: string) => `${tenantId}:${ruleId}`;

/**
 * The longest a run may have started before the window and still be counted when it finishes in it.
 * The bound keeps the scan on the ("startedAt") partitions of the last hour and a quarter.
 */
const LONGEST_RUN_MS = 3600_000;

/**
 * Per rule and tenant, the runs that finished within [now - window, now]: count, p95 and max of their
 * real durations. One indexed range scan over the window's rows, a few thousand even at full scale.
 */
export async function readRuleDurations(pool: pg.Pool, now: number, windowMs: number): Promise<RuleDurations> {
  const from = new Date(now - windowMs);
  const { rows } = await pool.query<{ tenantId: string; ruleId: string; runs: number; p95: number; max: number }>(
    `SELECT "organizationId" AS "tenantId", "ruleId", count(*)::int AS runs,
            percentile_disc(0.95) WITHIN GROUP (ORDER BY "durationMs") AS p95, max("durationMs") AS max
       FROM "RuleRun"
      WHERE "startedAt" >= $1::timestamptz - $2::int * interval '1 millisecond' AND "finishedAt" >= $1 AND "durationMs" IS NOT NULL
      GROUP BY "organizationId", "ruleId"`,
    [from, LONGEST_RUN_MS],
  );
  return new Map(rows.map((r) => [ruleDurationKey(r.tenantId, r.ruleId), { runs: r.runs, p95Ms: Number(r.p95), maxMs: Number(r.max) }]));
}

import { CronExpressionParser } from 'cron-parser';
import { tenantFilter, type Definitions, type Recomputed, type VerifyContext } from './types';

/**
 * aperio_scheduled_run_missed from the definitions:
 *  - scheduled jobs: every enabled rule with a cron (which wins) or an interval > 0, once per tenant it
 *    applies to (built-in rules, organizationId NULL, apply to every tenant); every ACTIVE connector with
 *    syncIntervalSeconds > 0;
 *  - slots: multiples of the interval since the epoch, or the cron's times in the configured time zone;
 *  - a SCHEDULE run of any status serves the one slot nearest its coalesce(scheduledFor, startedAt), a tie
 *    going to the later slot: slot s is served by references in [midpoint(previous, s), midpoint(s, next));
 *  - grace: the configured one, or max(60 s, period / 2), the period being the gap to the next slot;
 *  - a job is missed when its latest due slot (slot + grace <= now) has no run serving it.
 */
const MIN_GRACE_S = 60;
/** How far back a cron schedule is searched for its latest due slot (its previous slots). */
const CRON_LOOKBACK = 1000;

interface Job {
  kind: 'rule' | 'connector';
  org: string;
  tenant: string;
  id: string;
  intervalSeconds: number | null;
  cron: string | null;
}

/** The window of references (epoch seconds, [from, to)) that serve the job's latest due slot, or null if it has none. */
export interface DueWindow {
  slot: number;
  from: number;
  to: number;
}

const JOBS_SQL = `
SELECT 'rule' AS kind, o.id AS org, o.slug AS tenant, r.id, r."scheduleIntervalSeconds" AS "intervalSeconds", r."scheduleCron" AS cron
FROM "DetectionRule" r JOIN "Organization" o ON o.id = r."organizationId" OR r."organizationId" IS NULL
WHERE r.enabled AND (r."scheduleCron" IS NOT NULL OR r."scheduleIntervalSeconds" > 0) AND ${tenantFilter('o.id')}
UNION ALL
SELECT 'connector', o.id, o.slug, c.id, c."syncIntervalSeconds", NULL
FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
WHERE c.status = 'ACTIVE' AND c."syncIntervalSeconds" > 0 AND ${tenantFilter('o.id')}`;

// One row per job whose due slot is served; the jobs go in as parallel arrays.
const SERVED_SQL = (table: string, key: string) => `
SELECT j.i FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) WITH ORDINALITY AS j(org, id, lo, hi, i)
WHERE EXISTS (
  SELECT 1 FROM "${table}" r
  WHERE r."organizationId" = j.org AND r."${key}" = j.id AND r.trigger = 'SCHEDULE'
    AND coalesce(r."scheduledFor", r."startedAt") >= to_timestamp(j.lo)
    AND coalesce(r."scheduledFor", r."startedAt") < to_timestamp(j.hi))`;

const grace = (graceSeconds: number | null, periodS: number) => (graceSeconds !== null ? graceSeconds : Math.max(MIN_GRACE_S, periodS / 2));

export function intervalDueWindow(periodS: number, nowS: number, graceSeconds: number | null): DueWindow {
  const slot = Math.floor((nowS - grace(graceSeconds, periodS)) / periodS) * periodS;
  return { slot, from: slot - periodS / 2, to: slot + periodS / 2 };
}

export function cronDueWindow(expression: string, timezone: string, nowS: number, graceSeconds: number | null): DueWindow | null {
  const after = CronExpressionParser.parse(expression, { currentDate: new Date(nowS * 1000), tz: timezone });
  let next = after.next().getTime() / 1000;
  const before = CronExpressionParser.parse(expression, { currentDate: new Date(nowS * 1000), tz: timezone });
  // Slots newest first, each with the one after it (its period and the end of its window).
  let slot = before.prev().getTime() / 1000;
  for (let i = 0; i < CRON_LOOKBACK; i++) {
    const previous = before.hasPrev() ? before.prev().getTime() / 1000 : -Infinity;
    if (slot + grace(graceSeconds, next - slot) <= nowS) return { slot, from: (previous + slot) / 2, to: (slot + next) / 2 };
    next = slot;
    slot = previous;
    if (slot === -Infinity) return null;
  }
  return null;
}

/** Indexes (into `due`) of the jobs of this kind whose due slot is served. */
async function servedJobs(ctx: VerifyContext, kind: Job['kind'], due: { job: Job; window: DueWindow }[]): Promise<number[]> {
  const mine = due.map((d, i) => i).filter((i) => due[i].job.kind === kind);
  const sql = kind === 'rule' ? SERVED_SQL('RuleRun', 'ruleId') : SERVED_SQL('ConnectorSyncRun', 'connectionId');
  const { rows } = await ctx.client.query<{ i: string }>(sql, [
    mine.map((i) => due[i].job.org),
    mine.map((i) => due[i].job.id),
    // A cron with a single slot in reach has no previous one: its window is open to the past.
    mine.map((i) => (Number.isFinite(due[i].window.from) ? due[i].window.from : -1e11)),
    mine.map((i) => due[i].window.to),
  ]);
  return rows.map((r) => mine[Number(r.i) - 1]);
}

export const scheduleDefinitions: Definitions = {
  domain: 'schedules',
  families: [{ name: 'aperio_scheduled_run_missed', compare: 'count' }],
  async recompute(ctx) {
    const { rows: jobs } = await ctx.client.query<Job>(JOBS_SQL, [ctx.tenantIds]);
    const nowS = ctx.now / 1000;
    const due: { job: Job; window: DueWindow }[] = [];
    const counts = new Map<string, number>();
    const count = (job: Job, missed: boolean) => {
      const key = `${job.tenant}\u0000${job.kind}`;
      counts.set(key, (counts.get(key) ?? 0) + (missed ? 1 : 0));
    };
    for (const job of jobs) {
      // An unparseable cron has no slots, so it cannot be missed; it still counts as a scheduled job.
      let window: DueWindow | null = null;
      try {
        window =
          job.cron !== null
            ? cronDueWindow(job.cron, ctx.timezone, nowS, ctx.graceSeconds)
            : intervalDueWindow(job.intervalSeconds!, nowS, ctx.graceSeconds);
      } catch {
        window = null;
      }
      if (window) due.push({ job, window });
      else count(job, false);
    }
    const served = new Set([...(await servedJobs(ctx, 'rule', due)), ...(await servedJobs(ctx, 'connector', due))]);
    due.forEach((d, i) => count(d.job, !served.has(i)));
    const out: Recomputed[] = [];
    for (const [key, value] of counts) {
      const [tenant, kind] = key.split('\u0000');
      out.push({ family: 'aperio_scheduled_run_missed', series: 'aperio_scheduled_run_missed', labels: { tenant, kind }, value });
    }
    return out;
  },
};

import type { Router } from 'express';
import type pg from 'pg';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { badRequest } from '../api/errors';
import { optionalColumnSql } from '../db/contract';
import { isoInstant, parseQuery, shortText } from '../api/params';
import { resolveScope } from '../api/scope';
import { requireRole } from '../auth/middleware';
import { principalOf } from '../auth/principal';
import { ACTIVE_CONNECTOR } from '../monitors/checks/connector-stale';
import { earlyToleranceMs } from '../monitors/checks/schedule-slots';
import { DEFAULT_WINDOW_MS } from './request';
import { tenantBySlug } from './tenants';

export const SCHEDULE_MAX_WINDOW_DAYS = 7;
/** More slots than this in one answer means the window or the filters are too wide to be useful. */
export const MAX_SLOTS = 20_000;
const MIN_GRACE_MS = 60_000;

/** How slots are judged; the schedule_missed monitor's settings, so the API and its findings agree. */
export interface ScheduleSettings {
  timezone: string;
  graceSeconds: number | null;
}

const scheduleShape = {
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  kind: z.enum(['rule', 'connector'], { message: 'expected rule or connector' }).optional(),
  rule: shortText.optional(),
  connector: shortText.optional(),
  tenant: shortText.optional(),
};

interface Job {
  kind: 'rule' | 'connector';
  tenantId: string;
  tenant: string;
  id: string;
  key: string | null;
  name: string;
  provider: string | null;
  intervalSeconds: number | null;
  cron: string | null;
}

interface RunRow {
  id: string;
  jobId: string;
  tenantId: string;
  trigger: string;
  scheduledFor: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  status: string;
}

/** Expected starts in [fromMs, toMs), plus the start after the last one (the end of the last slot). */
export function expectedSlots(job: Pick<Job, 'intervalSeconds' | 'cron'>, timezone: string, fromMs: number, toMs: number, cap: number): { slots: number[]; after: number } {
  if (job.cron) {
    const cron = CronExpressionParser.parse(job.cron, { currentDate: new Date(fromMs - 1), tz: timezone });
    const slots: number[] = [];
    for (;;) {
      const next = cron.next().getTime();
      if (next >= toMs || slots.length > cap) return { slots, after: next };
      slots.push(next);
    }
  }
  // Interval schedules start on multiples of the interval since the epoch, as Aperio's scheduler does.
  const periodMs = job.intervalSeconds! * 1000;
  const first = Math.ceil(fromMs / periodMs) * periodMs;
  const slots: number[] = [];
  let at = first;
  for (; at < toMs && slots.length <= cap; at += periodMs) slots.push(at);
  return { slots, after: at };
}

const graceFor = (settings: ScheduleSettings, periodMs: number) =>
  settings.graceSeconds !== null ? settings.graceSeconds * 1000 : Math.max(MIN_GRACE_MS, periodMs / 2);

const iso = (d: Date | number | null) => (d === null ? null : new Date(d).toISOString());

/**
 * GET /v1/schedules: "did the hourly job for tenant X run?". For each scheduled rule (built-in rules
 * apply to every tenant) and each active connector in the caller's scope, the expected slots in the
 * window and, per slot, the run that served it, `missed` once the slot's grace has passed, or `pending`.
 */
export function mountScheduleRoutes(router: Router, pool: pg.Pool, clock: () => number, settings: ScheduleSettings): void {
  router.get('/v1/schedules', requireRole('ADMIN', 'SECURITY_ANALYST', 'OPERATOR'), async (req, res) => {
    const params = parseQuery(req.query, scheduleShape);
    const scope = await resolveScope(principalOf(res), params.tenant, (slug) => tenantBySlug(pool, slug));
    const now = clock();
    const toMs = params.to ?? now;
    const fromMs = params.from ?? toMs - DEFAULT_WINDOW_MS;
    if (fromMs > toMs) throw badRequest('from', 'from is after to');
    if (toMs - fromMs > SCHEDULE_MAX_WINDOW_DAYS * 86400_000) {
      throw badRequest('from', `the window from..to is longer than ${SCHEDULE_MAX_WINDOW_DAYS} days`, 'window_too_long');
    }
    if (params.kind === 'connector' && params.rule !== undefined) throw badRequest('rule', 'rule filters rules; it cannot be combined with kind=connector');
    if (params.kind === 'rule' && params.connector !== undefined) throw badRequest('connector', 'connector filters connectors; it cannot be combined with kind=rule');
    const wantRules = params.kind !== 'connector' && (params.connector === undefined || params.rule !== undefined);
    const wantConnectors = params.kind !== 'rule' && (params.rule === undefined || params.connector !== undefined);

    const jobs: Job[] = [];
    if (wantRules) {
      const { rows } = await pool.query<Job>(
        `SELECT 'rule' AS kind, o.id AS "tenantId", o.slug AS tenant, d.id, d.key, d.name, NULL AS provider,
                d."scheduleIntervalSeconds" AS "intervalSeconds", ${optionalColumnSql('d', 'scheduleCron')} AS cron
           FROM "DetectionRule" d
           JOIN "Organization" o ON o.id = d."organizationId" OR d."organizationId" IS NULL
          WHERE d.enabled AND (${optionalColumnSql('d', 'scheduleCron')} IS NOT NULL OR d."scheduleIntervalSeconds" > 0)
            AND ($1::text IS NULL OR o.id::text = $1) AND ($2::text IS NULL OR d.id::text = $2 OR d.key = $2)
          ORDER BY o.slug, d.key, d.id`,
        [scope.tenantId, params.rule ?? null],
      );
      jobs.push(...rows);
    }
    if (wantConnectors) {
      const { rows } = await pool.query<Job>(
        `SELECT 'connector' AS kind, o.id AS "tenantId", o.slug AS tenant, c.id, NULL AS key, c.name, c.provider,
                c."syncIntervalSeconds" AS "intervalSeconds", NULL AS cron
           FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId"
          WHERE c.status = $1 AND c."syncIntervalSeconds" > 0
            AND ($2::text IS NULL OR o.id::text = $2) AND ($3::text IS NULL OR c.id::text = $3)
          ORDER BY o.slug, c.provider, c.id`,
        [ACTIVE_CONNECTOR, scope.tenantId, params.connector ?? null],
      );
      jobs.push(...rows);
    }

    // Slots first (cheap), so that an oversized request is refused before any run is read.
    let total = 0;
    const planned = jobs.map((job) => {
      let plan: { slots: number[]; after: number } | null = null;
      let error: string | null = null;
      try {
        plan = expectedSlots(job, settings.timezone, fromMs, toMs, MAX_SLOTS);
      } catch (err) {
        error = `the schedule cannot be read: ${(err as Error).message}`;
      }
      total += plan?.slots.length ?? 0;
      if (total > MAX_SLOTS) {
        throw badRequest('from', `the window holds more than ${MAX_SLOTS} expected slots; narrow from..to or filter by tenant, kind, rule or connector`, 'window_too_long');
      }
      return { job, plan, error };
    });

    // Runs of the window, one indexed range query per table: ("organizationId", "ruleId", "startedAt")
    // and ("connectionId", "startedAt"). A run may start up to one period after its slot. The id arrays
    // take the columns' own type (text, uuid or integer ids), so the indexes serve them.
    const ends = planned.filter((p) => p.plan !== null).map((p) => p.plan!.after);
    const until = new Date(Math.min(Math.max(toMs, ...ends) + 3600_000, toMs + SCHEDULE_MAX_WINDOW_DAYS * 86400_000));
    const since = new Date(fromMs - MIN_GRACE_MS);
    const ruleJobs = jobs.filter((j) => j.kind === 'rule');
    const connectorJobs = jobs.filter((j) => j.kind === 'connector');
    const runs: RunRow[] = [];
    const columns = `r.id::text AS id, r."organizationId" AS "tenantId", r.trigger, r."scheduledFor", r."startedAt", r."finishedAt", r."durationMs", r.status`;
    if (ruleJobs.length) {
      const { rows } = await pool.query<RunRow>(
        `SELECT ${columns}, r."ruleId" AS "jobId" FROM "RuleRun" r
          WHERE r."organizationId" = ANY($1) AND r."ruleId" = ANY($2)
            AND r."startedAt" >= $3 AND r."startedAt" < $4
          ORDER BY r."startedAt", r.id`,
        [[...new Set(ruleJobs.map((j) => j.tenantId))], [...new Set(ruleJobs.map((j) => j.id))], since, until],
      );
      runs.push(...rows.map((r) => ({ ...r, jobId: `rule:${r.jobId}` })));
    }
    if (connectorJobs.length) {
      const { rows } = await pool.query<RunRow>(
        `SELECT ${columns}, r."connectionId" AS "jobId" FROM "ConnectorSyncRun" r
          WHERE r."connectionId" = ANY($1) AND r."startedAt" >= $2 AND r."startedAt" < $3
          ORDER BY r."startedAt", r.id`,
        [connectorJobs.map((j) => j.id), since, until],
      );
      runs.push(...rows.map((r) => ({ ...r, jobId: `connector:${r.jobId}` })));
    }
    const runsOf = new Map<string, RunRow[]>();
    for (const run of runs) {
      const key = `${run.tenantId}|${run.jobId}`;
      const list = runsOf.get(key) ?? [];
      list.push(run);
      runsOf.set(key, list);
    }

    const data = planned.map(({ job, plan, error }) => {
      const slots = plan?.slots ?? [];
      const periodMs = job.intervalSeconds && !job.cron
        ? job.intervalSeconds * 1000
        : slots.length > 1 ? slots[1] - slots[0] : slots.length === 1 ? plan!.after - slots[0] : 3600_000;
      const graceMs = graceFor(settings, periodMs);
      // A run names its slot (scheduledFor); a run without one serves the slot it started in, or just before it.
      const served = new Map<number, RunRow>();
      const tolerance = earlyToleranceMs(graceMs);
      for (const run of runsOf.get(`${job.tenantId}|${job.kind}:${job.id}`) ?? []) {
        let slot: number | undefined;
        if (run.scheduledFor !== null) slot = run.scheduledFor.getTime();
        else {
          const started = run.startedAt.getTime() + tolerance;
          for (let i = slots.length - 1; i >= 0; i--) {
            if (slots[i] <= started) {
              if (started < (slots[i + 1] ?? plan!.after)) slot = slots[i];
              break;
            }
          }
        }
        if (slot !== undefined && !served.has(slot)) served.set(slot, run);
      }
      const counts = { ran: 0, missed: 0, pending: 0 };
      const view = slots.map((at) => {
        const run = served.get(at);
        const state = run ? 'ran' : now - at >= graceMs ? 'missed' : 'pending';
        counts[state] += 1;
        return {
          at: iso(at),
          state,
          run: run
            ? { id: run.id, status: run.status, trigger: run.trigger, scheduledFor: iso(run.scheduledFor), startedAt: iso(run.startedAt), finishedAt: iso(run.finishedAt), durationMs: run.durationMs }
            : null,
        };
      });
      return {
        kind: job.kind,
        tenant: job.tenant,
        id: job.id,
        key: job.key,
        name: job.name,
        provider: job.provider,
        schedule: job.cron ? { cron: job.cron, timezone: settings.timezone, intervalSeconds: null } : { cron: null, timezone: null, intervalSeconds: job.intervalSeconds },
        graceSeconds: Math.round(graceMs / 1000),
        error,
        counts,
        slots: view,
      };
    });
    res.json({
      data,
      window: { from: iso(fromMs), to: iso(toMs) },
      tenant: scope.tenant,
      dataRetentionDays: scope.dataRetentionDays,
    });
  });
}

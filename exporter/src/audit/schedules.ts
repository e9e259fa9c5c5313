import type { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { badRequest } from '../api/errors';
import { isoInstant, parseQuery, shortText } from '../api/params';
import { resolveScope } from '../api/scope';
import { requireRole } from '../auth/middleware';
import { principalOf } from '../auth/principal';
import { judgeSlots, type JudgedSlot } from '../schedules/judge';
import { referenceTime } from '../schedules/runs';
import { scheduleOf, slotAfter, slotBefore, type Schedule } from '../schedules/schedule';
import type { ScheduleSettings } from '../schedules/settings';
import { DEFAULT_WINDOW_MS } from './request';
import { jobKey, readConnectorJobs, readRuleJobs, readServingRuns, type JobRow, type RunRow } from './schedule-reads';
import { tenantBySlug } from './tenants';

export const SCHEDULE_MAX_WINDOW_DAYS = 7;
/** More slots than this in one answer means the window or the filters are too wide to be useful. */
export const MAX_SLOTS = 20_000;
/** A run may start this long after the slot it names (scheduledFor) and still be found for it. */
const LATE_START_ALLOWANCE_MS = 24 * 3600_000;
/** ...or this long before the first slot's catchment (clock skew). */
const EARLY_START_ALLOWANCE_MS = 3600_000;

const scheduleShape = {
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  kind: z.enum(['rule', 'connector'], { message: 'expected rule or connector' }).optional(),
  rule: shortText.optional(),
  connector: shortText.optional(),
  tenant: shortText.optional(),
};

const iso = (d: Date | number | null) => (d === null ? null : new Date(d).toISOString());

interface Planned {
  job: JobRow;
  schedule: Schedule | null;
  error: string | null;
  /** The reference times that can serve a slot of the window. */
  reach: { from: number; to: number } | null;
}

/** Each job's schedule and the span of reference times its window's slots can be served by. */
function plan(jobs: readonly JobRow[], settings: ScheduleSettings, fromMs: number, toMs: number): Planned[] {
  return jobs.map((job) => {
    try {
      const schedule = scheduleOf(job, settings.timezone);
      if (!schedule) return { job, schedule, error: null, reach: null };
      const first = slotAfter(schedule, fromMs - 1);
      const last = slotBefore(schedule, toMs);
      return { job, schedule, error: null, reach: { from: slotBefore(schedule, first), to: slotAfter(schedule, last) } };
    } catch (err) {
      return { job, schedule: null, error: `the schedule cannot be read: ${(err as Error).message}`, reach: null };
    }
  });
}

function runView(run: RunRow) {
  return {
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    scheduledFor: iso(run.scheduledFor),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.durationMs,
  };
}

function jobView(p: Planned, slots: JudgedSlot<RunRow>[], settings: ScheduleSettings) {
  const { job } = p;
  const counts = { ran: 0, missed: 0, pending: 0 };
  for (const slot of slots) counts[slot.state] += 1;
  const fallbackGrace =
    p.schedule?.kind === 'interval' ? (settings.graceSeconds ?? Math.max(60, p.schedule.periodMs / 2000)) : (settings.graceSeconds ?? 0);
  return {
    kind: job.kind,
    tenant: job.tenant,
    id: job.id,
    key: job.key,
    name: job.name,
    provider: job.provider,
    schedule: job.cron
      ? { cron: job.cron, timezone: settings.timezone, intervalSeconds: null }
      : { cron: null, timezone: null, intervalSeconds: job.intervalSeconds },
    graceSeconds: Math.round(slots.length ? slots[slots.length - 1].graceMs / 1000 : fallbackGrace),
    error: p.error,
    counts,
    slots: slots.map((slot) => ({ at: iso(slot.at), state: slot.state, run: slot.run ? runView(slot.run) : null })),
  };
}

/**
 * GET /v1/schedules: "did the hourly job for tenant X run?". For each scheduled rule (built-in rules
 * apply to every tenant) and each active connector in the caller's scope, the expected slots in the
 * window judged by schedules/judge.ts: the run that served each, `missed` once its grace has passed,
 * or `pending`. The metric, the finding and the status page judge the latest due slot the same way.
 */
export function mountScheduleRoutes(router: Router, pool: pg.Pool, clock: () => number, settingsOf: () => ScheduleSettings): void {
  router.get('/v1/schedules', requireRole('ADMIN', 'SECURITY_ANALYST', 'OPERATOR'), async (req, res) => {
    const params = parseQuery(req.query, scheduleShape);
    const scope = await resolveScope(principalOf(res), params.tenant, (slug) => tenantBySlug(pool, slug));
    const settings = settingsOf();
    const now = clock();
    const toMs = params.to ?? now;
    const fromMs = params.from ?? toMs - DEFAULT_WINDOW_MS;
    if (fromMs > toMs) throw badRequest('from', 'from is after to');
    if (toMs - fromMs > SCHEDULE_MAX_WINDOW_DAYS * 86400_000) {
      throw badRequest('from', `the window from..to is longer than ${SCHEDULE_MAX_WINDOW_DAYS} days`, 'window_too_long');
    }
    if (params.kind === 'connector' && params.rule !== undefined)
      throw badRequest('rule', 'rule filters rules; it cannot be combined with kind=connector');
    if (params.kind === 'rule' && params.connector !== undefined)
      throw badRequest('connector', 'connector filters connectors; it cannot be combined with kind=rule');
    const filter = { tenantId: scope.tenantId, rule: params.rule ?? null, connector: params.connector ?? null };
    const wantRules = params.kind !== 'connector' && (params.connector === undefined || params.rule !== undefined);
    const wantConnectors = params.kind !== 'rule' && (params.rule === undefined || params.connector !== undefined);
    const jobs = [...(wantRules ? await readRuleJobs(pool, filter) : []), ...(wantConnectors ? await readConnectorJobs(pool, filter) : [])];

    // Slots first (cheap), so that an oversized request is refused before any run is read.
    const planned = plan(jobs, settings, fromMs, toMs);
    const judged = new Map<Planned, JudgedSlot<RunRow>[]>();
    let total = 0;
    const tooMany = () =>
      badRequest(
        'from',
        `the window holds more than ${MAX_SLOTS} expected slots; narrow from..to or filter by tenant, kind, rule or connector`,
        'window_too_long',
      );
    for (const p of planned) {
      if (!p.schedule) continue;
      const slots = judgeSlots(p.schedule, settings, [], () => 0, { fromMs, toMs, now, cap: MAX_SLOTS - total });
      if (!slots) throw tooMany();
      total += slots.length;
    }

    const reaches = planned.flatMap((p) => (p.reach ? [p.reach] : []));
    const runsOf = new Map<string, RunRow[]>();
    if (reaches.length) {
      const since = new Date(Math.min(...reaches.map((r) => r.from)) - EARLY_START_ALLOWANCE_MS);
      const until = new Date(Math.max(...reaches.map((r) => r.to)) + LATE_START_ALLOWANCE_MS);
      for (const run of await readServingRuns(pool, jobs, since, until)) {
        const list = runsOf.get(run.jobKey) ?? [];
        list.push(run);
        runsOf.set(run.jobKey, list);
      }
    }
    const reference = (run: RunRow) =>
      referenceTime({ scheduledFor: run.scheduledFor?.getTime() ?? null, startedAt: run.startedAt.getTime() });
    for (const p of planned) {
      if (!p.schedule) continue;
      const runs = runsOf.get(jobKey(p.job.kind, p.job.tenantId, p.job.id)) ?? [];
      judged.set(p, judgeSlots(p.schedule, settings, runs, reference, { fromMs, toMs, now, cap: MAX_SLOTS })!);
    }
    res.json({
      data: planned.map((p) => jobView(p, judged.get(p) ?? [], settings)),
      window: { from: iso(fromMs), to: iso(toMs) },
      tenant: scope.tenant,
      dataRetentionDays: scope.dataRetentionDays,
    });
  });
}

import type { Router } from 'express';
import type pg from 'pg';
import { isoOrNull } from '../api/instant';
import { requireRole } from '../auth/middleware';
import { AUDIT_ROLES } from '../auth/roles';
import type { ScheduleSettings } from '../snapshot/schedule-settings';
import { judgePlanned, plan, refuseTooManySlots } from './schedule-plan';
import { readJobs, readRunsByJob } from './schedule-reads';
import { parseScheduleRequest } from './schedule-request';
import { jobView } from './schedule-view';

/**
 * GET /v1/schedules: "did the hourly job for tenant X run?". For each scheduled rule (built-in rules
 * apply to every tenant) and each active connector in the caller's scope, the expected slots in the
 * window judged by schedules/judge.ts: the run that served each, `missed` once its grace has passed,
 * or `pending`. The metric, the finding and the status page judge the latest due slot the same way.
 */
export function mountScheduleRoutes(router: Router, pool: pg.Pool, clock: () => number, settingsOf: () => ScheduleSettings): void {
  router.get('/v1/schedules', requireRole(...AUDIT_ROLES), async (req, res) => {
    const request = await parseScheduleRequest(req, res, pool, clock);
    const settings = settingsOf();
    const window = { fromMs: request.fromMs, toMs: request.toMs, now: request.now };
    const jobs = await readJobs(pool, request);
    const planned = plan(jobs, settings, request.fromMs, request.toMs);
    refuseTooManySlots(planned, settings, window);
    const reaches = planned.flatMap((p) => (p.reach ? [p.reach] : []));
    const judged = judgePlanned(planned, settings, await readRunsByJob(pool, jobs, reaches), window);
    res.json({
      data: planned.map((p) => jobView(p, judged.get(p) ?? [], settings)),
      window: { from: isoOrNull(request.fromMs), to: isoOrNull(request.toMs) },
      tenant: request.scope.tenant,
      dataRetentionDays: request.scope.dataRetentionDays,
    });
  });
}

import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { badRequest } from '../api/errors';
import { isoInstant, parseQuery, shortText } from '../api/params';
import { resolveScope, type Scope } from '../api/scope';
import { principalOf } from '../auth/principal';
import { DEFAULT_WINDOW_MS } from './request';
import type { JobFilter } from './schedule-reads';
import { tenantBySlug } from './tenants';

export const SCHEDULE_MAX_WINDOW_DAYS = 7;

const scheduleShape = {
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  kind: z.enum(['rule', 'connector'], { message: 'expected rule or connector' }).optional(),
  rule: shortText.optional(),
  connector: shortText.optional(),
  tenant: shortText.optional(),
};

/** A GET /v1/schedules request, validated: its scope, its window and which jobs it asks for. */
export interface ScheduleRequest {
  scope: Scope;
  /** The time the request is judged at (slots after it are pending). */
  now: number;
  fromMs: number;
  toMs: number;
  filter: JobFilter;
  wantRules: boolean;
  wantConnectors: boolean;
}

/** The window: the last 24 hours by default, at most SCHEDULE_MAX_WINDOW_DAYS long. */
function windowOf(from: number | undefined, to: number | undefined, now: number): { fromMs: number; toMs: number } {
  const toMs = to ?? now;
  const fromMs = from ?? toMs - DEFAULT_WINDOW_MS;
  if (fromMs > toMs) throw badRequest('from', 'from is after to');
  if (toMs - fromMs > SCHEDULE_MAX_WINDOW_DAYS * 86400_000) {
    throw badRequest('from', `the window from..to is longer than ${SCHEDULE_MAX_WINDOW_DAYS} days`, 'window_too_long');
  }
  return { fromMs, toMs };
}

/** Validates the query into a tenant-scoped request; every problem is a 400 naming its field. */
export async function parseScheduleRequest(req: Request, res: Response, pool: pg.Pool, clock: () => number): Promise<ScheduleRequest> {
  const params = parseQuery(req.query, scheduleShape);
  const scope = await resolveScope(principalOf(res), params.tenant, (slug) => tenantBySlug(pool, slug));
  const now = clock();
  const { fromMs, toMs } = windowOf(params.from, params.to, now);
  if (params.kind === 'connector' && params.rule !== undefined)
    throw badRequest('rule', 'rule filters rules; it cannot be combined with kind=connector');
  if (params.kind === 'rule' && params.connector !== undefined)
    throw badRequest('connector', 'connector filters connectors; it cannot be combined with kind=rule');
  return {
    scope,
    now,
    fromMs,
    toMs,
    filter: { tenantId: scope.tenantId, rule: params.rule ?? null, connector: params.connector ?? null },
    // Naming a rule asks for rules only, naming a connector for connectors only.
    wantRules: params.kind !== 'connector' && (params.connector === undefined || params.rule !== undefined),
    wantConnectors: params.kind !== 'rule' && (params.rule === undefined || params.connector !== undefined),
  };
}

import type { Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import type { Cursor, CursorCodec } from '../api/cursor';
import { badRequest } from '../api/errors';
import { enumList, isoInstant, nonNegativeInt, parseQuery, shortText, type QueryShape } from '../api/params';
import { resolveScope, type Scope } from '../api/scope';
import { principalOf } from '../auth/principal';
import type { AuditQuery } from './query';
import type { RunResource } from './resources';
import { tenantBySlug } from './tenants';

export const DEFAULT_WINDOW_MS = 24 * 3600_000;
/** Longer than any tenant's retention: a wider window cannot return more, only scan more. */
export const MAX_WINDOW_DAYS = 400;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

const STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const;
const TRIGGERS = ['SCHEDULE', 'MANUAL', 'EVENT'] as const;

const filterShape: QueryShape = {
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  status: enumList(STATUSES).optional(),
  trigger: enumList(TRIGGERS).optional(),
  minDurationMs: nonNegativeInt().optional(),
  tenant: shortText.optional(),
};

const pageShape: QueryShape = {
  limit: nonNegativeInt()
    .refine((n) => n >= 1 && n <= MAX_LIMIT, { message: `must be between 1 and ${MAX_LIMIT}` })
    .optional(),
  cursor: z.string().optional(),
};

const exportShape: QueryShape = {
  format: z.enum(['csv', 'ndjson'], { message: 'expected csv or ndjson' }).optional(),
};

export interface AuditRequest {
  scope: Scope;
  query: AuditQuery;
  hash: string;
  cursor: Cursor | null;
  /** The filters exactly as the client sent them, for the links of the next pages. */
  filterParams: Record<string, string>;
  limitGiven: boolean;
  format: 'csv' | 'ndjson';
}

/**
 * The window of a request. A cursor carries the window of its first page, so a default window does not
 * slide between pages, and a bad window in a cursor is the cursor's fault (field `cursor`); otherwise
 * `from` and `to` shape it, with the last 24 hours by default.
 */
function windowOf(cursor: Cursor | null, from: number | undefined, to: number | undefined, now: number): { fromMs: number; toMs: number } {
  const toMs = cursor?.toMs ?? to ?? now;
  const fromMs = cursor?.fromMs ?? from ?? toMs - DEFAULT_WINDOW_MS;
  const field = cursor ? 'cursor' : 'from';
  if (fromMs > toMs)
    throw badRequest(field, from === undefined && !cursor ? 'from (to minus 24 hours by default) is after to' : 'from is after to');
  if (toMs - fromMs > MAX_WINDOW_DAYS * 86400_000)
    throw badRequest(field, `the window from..to is longer than ${MAX_WINDOW_DAYS} days`, 'window_too_long');
  return { fromMs, toMs };
}

/** Validates one list or export request into a tenant-scoped query; every problem is a 4xx naming its field. */
export async function parseAuditRequest(
  req: Request,
  res: Response,
  pool: pg.Pool,
  codec: CursorCodec,
  resource: RunResource,
  kind: 'list' | 'export',
  now: number,
): Promise<AuditRequest> {
  const shape = { ...filterShape, ...resource.filters, ...(kind === 'list' ? pageShape : exportShape) };
  const params = parseQuery(req.query, shape) as Record<string, unknown>;
  const scope = await resolveScope(principalOf(res), params.tenant as string | undefined, (slug) => tenantBySlug(pool, slug));

  const raw = req.query as Record<string, string>;
  const filterParams = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== 'cursor' && key !== 'limit' && key !== 'format'));
  const hash = codec.filterHash(resource.name, scope.tenantId ?? '*', filterParams);
  const cursor = typeof params.cursor === 'string' ? codec.decode(params.cursor, hash) : null;

  const { fromMs, toMs } = windowOf(cursor, params.from as number | undefined, params.to as number | undefined, now);

  const extra = Object.fromEntries(Object.keys(resource.filters).map((key) => [key, params[key]]));
  return {
    scope,
    hash,
    cursor,
    filterParams,
    limitGiven: params.limit !== undefined,
    format: (params.format as 'csv' | 'ndjson' | undefined) ?? 'ndjson',
    query: {
      tenantId: scope.tenantId,
      fromMs,
      toMs,
      statuses: params.status as string[] | undefined,
      triggers: params.trigger as string[] | undefined,
      minDurationMs: params.minDurationMs as number | undefined,
      extra,
      position: cursor ? { mode: cursor.mode, startedAtUs: cursor.startedAtUs, id: cursor.id } : null,
      limit: (params.limit as number | undefined) ?? DEFAULT_LIMIT,
    },
  };
}

import type { Request, Response, Router } from 'express';
import type pg from 'pg';
import type { Cursor, CursorCodec } from '../api/cursor';
import { badRequest, notFound } from '../api/errors';
import { pageLink } from '../api/links';
import { parseQuery } from '../api/params';
import { requireRole } from '../auth/middleware';
import { principalOf } from '../auth/principal';
import { streamExport } from './export';
import { fetchById, fetchPage, publicRow, type RunRow } from './query';
import { parseAuditRequest } from './request';
import { CONNECTOR_SYNCS, RULE_RUNS, type RunResource } from './resources';
import { retentionByTenant } from './tenants';

const AUDIT_ROLES = requireRole('ADMIN', 'SECURITY_ANALYST', 'OPERATOR');

/** GET /rule-runs, /rule-runs/export, /rule-runs/:id and the same for /connector-syncs. */
export function mountAuditRoutes(
  router: Router,
  { pool, exportPool }: { pool: pg.Pool; exportPool: pg.Pool },
  codec: CursorCodec,
  clock: () => number,
): void {
  for (const resource of [RULE_RUNS, CONNECTOR_SYNCS]) {
    router.get(`/v1/${resource.name}`, AUDIT_ROLES, (req, res) => listHandler(req, res, pool, codec, resource, clock()));
    // Before /:id, which would otherwise take "export" for an id.
    router.get(`/v1/${resource.name}/export`, AUDIT_ROLES, async (req, res) => {
      const parsed = await parseAuditRequest(req, res, pool, codec, resource, 'export', clock());
      await streamExport(req, res, exportPool, resource, parsed.query, parsed.format, parsed.scope.dataRetentionDays);
    });
    router.get(`/v1/${resource.name}/:id`, AUDIT_ROLES, async (req, res) => {
      parseQuery(req.query, {});
      const id = String(req.params.id);
      if (!/^\d{1,19}$/.test(id) || BigInt(id) > 9223372036854775807n) throw badRequest('id', 'a run id is a positive whole number');
      const principal = principalOf(res);
      const row = await fetchById(pool, resource, id, principal.tenantId);
      if (!row) throw notFound(`no ${resource.name.replace(/s$/, '')} with id ${id}`);
      const retention = principal.dataRetentionDays ?? (await retentionByTenant(pool))[String(row.tenant)] ?? null;
      res.json({ data: publicRow(row), dataRetentionDays: retention });
    });
  }
}

async function listHandler(
  req: Request,
  res: Response,
  pool: pg.Pool,
  codec: CursorCodec,
  resource: RunResource,
  now: number,
): Promise<void> {
  const parsed = await parseAuditRequest(req, res, pool, codec, resource, 'list', now);
  const { query, cursor } = parsed;
  const rows = await fetchPage(pool, resource, { ...query, limit: query.limit + 1 });
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const polling = cursor?.mode === 'newer';
  const base = { fromMs: query.fromMs, toMs: query.toMs, filterHash: parsed.hash };
  const at = (mode: Cursor['mode'], row: RunRow): Cursor => ({ ...base, mode, startedAtUs: row.startedAtUs, id: row.id });

  // Older pages walk back through the window; the poll cursor starts where the window ends (or after
  // the newest row a poll has returned), so together they see every row exactly once.
  const next: Cursor | null = polling
    ? page.length
      ? at('newer', page[page.length - 1])
      : cursor
    : hasMore
      ? at('older', page[page.length - 1])
      : null;
  const poll: Cursor = polling ? next! : { ...base, mode: 'newer', startedAtUs: query.toMs * 1000, id: '0' };
  const path = req.baseUrl + req.path;
  const limit = parsed.limitGiven ? query.limit : null;
  const scope = parsed.scope;
  res.json({
    data: page.map(publicRow),
    page: { limit: query.limit, count: page.length, hasMore, mode: polling ? 'poll' : 'page' },
    window: { from: new Date(query.fromMs).toISOString(), to: new Date(query.toMs).toISOString() },
    order: polling ? 'startedAt asc, id asc' : 'startedAt desc, id desc',
    links: {
      next: next ? pageLink(codec, path, parsed.filterParams, next, limit) : null,
      poll: pageLink(codec, path, parsed.filterParams, poll, limit),
    },
    tenant: scope.tenant,
    dataRetentionDays: scope.dataRetentionDays,
    ...(scope.tenantId === null ? { retentionByTenant: await retentionByTenant(pool) } : {}),
  });
}

import type pg from 'pg';
import type { RunResource } from './resources';

/** Where a page starts: after (older) or before (newer, for polling) a (startedAt, id) position. */
export interface Position {
  mode: 'older' | 'newer';
  startedAtUs: number;
  id: string;
}

export interface AuditQuery {
  /** null: every tenant (OPERATOR without a tenant filter). */
  tenantId: string | null;
  fromMs: number;
  toMs: number;
  statuses?: string[];
  triggers?: string[];
  minDurationMs?: number;
  /** The resource's own filters, already validated. */
  extra: Record<string, unknown>;
  position: Position | null;
  limit: number;
}

export type RunRow = Record<string, unknown> & { id: string; startedAtUs: number };

/**
 * One keyset page in the audit order ("startedAt" DESC, id DESC), which the
 * ("organizationId", "startedAt" DESC, id DESC) index serves without sorting at any depth. Polling
 * pages ("newer") run the other way, oldest first, so a burst of new rows is never skipped.
 */
export function buildPageQuery(resource: RunResource, q: AuditQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (q.tenantId !== null) where.push(`r."organizationId" = ${param(q.tenantId)}`);
  if (q.position?.mode === 'newer') {
    // A poll follows the newest rows without an upper bound: the window only limits the first page.
    where.push(
      `(r."startedAt", r.id) > ('epoch'::timestamptz + ${param(q.position.startedAtUs)}::bigint * interval '1 microsecond', ${param(q.position.id)}::bigint)`,
    );
  } else {
    where.push(`r."startedAt" >= ${param(new Date(q.fromMs))}`, `r."startedAt" < ${param(new Date(q.toMs))}`);
    if (q.position) {
      where.push(
        `(r."startedAt", r.id) < ('epoch'::timestamptz + ${param(q.position.startedAtUs)}::bigint * interval '1 microsecond', ${param(q.position.id)}::bigint)`,
      );
    }
  }
  if (q.statuses) where.push(`r.status = ANY(${param(q.statuses)}::text[])`);
  if (q.triggers) where.push(`r.trigger = ANY(${param(q.triggers)}::text[])`);
  if (q.minDurationMs !== undefined) where.push(`r."durationMs" >= ${param(q.minDurationMs)}`);
  where.push(...resource.conditions(q.extra, param));
  const direction = q.position?.mode === 'newer' ? 'ASC' : 'DESC';
  return {
    text: `SELECT ${resource.select} FROM ${resource.table} r ${resource.joins}
            WHERE ${where.join(' AND ')}
            ORDER BY r."startedAt" ${direction}, r.id ${direction}
            LIMIT ${param(q.limit)}`,
    values,
  };
}

export async function fetchPage(pool: pg.Pool, resource: RunResource, q: AuditQuery): Promise<RunRow[]> {
  const { text, values } = buildPageQuery(resource, q);
  return (await pool.query<RunRow>(text, values)).rows;
}

/** One run by id, only within the caller's tenant scope: another tenant's run is as absent as a missing one. */
export async function fetchById(pool: pg.Pool, resource: RunResource, id: string, tenantId: string | null): Promise<RunRow | null> {
  const { rows } = await pool.query<RunRow>(
    `SELECT ${resource.select} FROM ${resource.table} r ${resource.joins}
      WHERE r.id = $1::bigint AND ($2::text IS NULL OR r."organizationId"::text = $2)`,
    [id, tenantId],
  );
  return rows[0] ?? null;
}

/** The API's view of a row: the internal position column is dropped, timestamps are ISO 8601. */
export function publicRow(row: RunRow): Record<string, unknown> {
  const { startedAtUs: _position, ...rest } = row;
  for (const [key, value] of Object.entries(rest)) if (value instanceof Date) rest[key] = value.toISOString();
  return rest;
}

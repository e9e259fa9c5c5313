import type pg from 'pg';
import { flatten, type Value } from './compare';

/**
 * The audit log (docs/api.md): every run of the window, newest first (startedAt desc, id desc), each
 * row's fields from its table joined to the tenant and the rule or connection. Keyed by id for the
 * fields and by position for the order, so a missing row is one difference and not a shifted page.
 */
const iso = (v: unknown) => (v === null ? null : new Date(Number(v)).toISOString());
const ms = (column: string) => `extract(epoch FROM ${column}) * 1000`;

/** `tenant`: a tenant token's view (its own runs and retention); null: an OPERATOR's, every tenant. */
export async function expectedAudit(
  pool: pg.Pool,
  resource: 'rule-runs' | 'connector-syncs',
  from: Date,
  to: Date,
  tenant: string | null = null,
): Promise<Map<string, Value>> {
  const sql =
    resource === 'rule-runs'
      ? `SELECT r.id::text, o.slug AS tenant, r."ruleId", d.key AS "ruleKey", d.name AS "ruleName", r.trigger,
                ${ms('r."scheduledFor"')} AS "scheduledFor", ${ms('r."startedAt"')} AS "startedAt", ${ms('r."finishedAt"')} AS "finishedAt",
                r."durationMs", r.status, r."eventsEvaluated"::text AS "eventsEvaluated", r."findingsOpened", r.error, r."traceId"
           FROM "RuleRun" r JOIN "Organization" o ON o.id = r."organizationId" JOIN "DetectionRule" d ON d.id = r."ruleId"
          WHERE r."startedAt" >= $1 AND r."startedAt" < $2 AND ($3::text IS NULL OR o.slug = $3) ORDER BY r."startedAt" DESC, r.id DESC`
      : `SELECT r.id::text, o.slug AS tenant, r."connectionId", c.name AS "connectionName", r.provider, r.trigger,
                ${ms('r."scheduledFor"')} AS "scheduledFor", ${ms('r."startedAt"')} AS "startedAt", ${ms('r."finishedAt"')} AS "finishedAt",
                r."durationMs", r.status, r."recordsIngested"::text AS "recordsIngested", r.error, r."traceId"
           FROM "ConnectorSyncRun" r JOIN "Organization" o ON o.id = r."organizationId" JOIN "IntegrationConnection" c ON c.id = r."connectionId"
          WHERE r."startedAt" >= $1 AND r."startedAt" < $2 AND ($3::text IS NULL OR o.slug = $3) ORDER BY r."startedAt" DESC, r.id DESC`;
  const { rows } = await pool.query(sql, [from, to, tenant]);
  const out = new Map<string, Value>();
  // Retention: the tenant's own, or every tenant's for an unfiltered OPERATOR answer.
  const retention = await pool.query(`SELECT slug, "dataRetentionDays" FROM "Organization" WHERE $1::text IS NULL OR slug = $1`, [tenant]);
  if (tenant === null)
    flatten(`${resource}.retentionByTenant`, Object.fromEntries(retention.rows.map((r) => [r.slug, r.dataRetentionDays])), out);
  out.set(`${resource}.dataRetentionDays`, tenant === null ? null : retention.rows[0].dataRetentionDays);
  rows.forEach((row, i) => {
    out.set(`${resource} order[${i}]`, row.id);
    const fields = { ...row, scheduledFor: iso(row.scheduledFor), startedAt: iso(row.startedAt), finishedAt: iso(row.finishedAt) };
    if ('eventsEvaluated' in fields) fields.eventsEvaluated = Number(fields.eventsEvaluated);
    if ('recordsIngested' in fields) fields.recordsIngested = Number(fields.recordsIngested);
    flatten(`${resource}{id=${row.id}}`, fields, out);
  });
  return out;
}

/** Every page of the exporter's answer, following links.next, keyed as above. */
export async function actualAudit(
  get: (path: string) => Promise<{ status: number; body: any }>, // eslint-disable-line @typescript-eslint/no-explicit-any
  resource: 'rule-runs' | 'connector-syncs',
  from: Date,
  to: Date,
): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  let path: string | null = `/api/v1/${resource}?from=${from.toISOString()}&to=${to.toISOString()}&limit=500`;
  let i = 0;
  let first = true;
  while (path) {
    const answer = await get(path);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (first) {
      out.set(`${resource}.dataRetentionDays`, answer.body.dataRetentionDays);
      if (answer.body.retentionByTenant !== undefined) flatten(`${resource}.retentionByTenant`, answer.body.retentionByTenant, out);
      first = false;
    }
    for (const row of answer.body.data) {
      out.set(`${resource} order[${i++}]`, row.id);
      flatten(`${resource}{id=${row.id}}`, row, out);
    }
    path = answer.body.page.hasMore ? answer.body.links.next : null;
  }
  return out;
}

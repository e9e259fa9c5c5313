import { nonNegativeInt, shortText, type QueryShape } from '../api/params';

/**
 * The two run histories the audit API serves. They share order, window, status, trigger and duration
 * filters; each adds its own (rule and findings; connector, provider and records). Table and column
 * names are constants here; every value a client sends reaches SQL as a bind parameter.
 */
export interface RunResource {
  name: 'rule-runs' | 'connector-syncs';
  table: string;
  select: string;
  joins: string;
  filters: QueryShape;
  /** SQL conditions for the resource's own filters; `param` binds a value and returns its placeholder. */
  conditions(filters: Record<string, unknown>, param: (value: unknown) => string): string[];
  /** Column order of the CSV export (the JSON field names). */
  columns: string[];
}

const common = `r.id::text AS id, o.slug AS tenant, r.trigger, r."scheduledFor", r."startedAt", r."finishedAt",
  r."durationMs", r.status, r.error, r."traceId",
  (extract(epoch FROM r."startedAt") * 1000000)::bigint AS "startedAtUs"`;

export const RULE_RUNS: RunResource = {
  name: 'rule-runs',
  table: '"RuleRun"',
  select: `${common}, r."ruleId"::text AS "ruleId", d.key AS "ruleKey", d.name AS "ruleName", r."eventsEvaluated", r."findingsOpened"`,
  joins: `LEFT JOIN "Organization" o ON o.id = r."organizationId" LEFT JOIN "DetectionRule" d ON d.id = r."ruleId"`,
  filters: { rule: shortText.optional(), minFindings: nonNegativeInt().optional() },
  conditions(filters, param) {
    const out: string[] = [];
    if (filters.rule !== undefined) {
      // A rule is named by id or by key; keys repeat across tenants, which the tenant condition sorts out.
      const rule = param(filters.rule);
      out.push(`r."ruleId" IN (SELECT id FROM "DetectionRule" WHERE id = ${rule} OR key = ${rule})`);
    }
    if (filters.minFindings !== undefined) out.push(`r."findingsOpened" >= ${param(filters.minFindings)}`);
    return out;
  },
  columns: [
    'id',
    'tenant',
    'ruleId',
    'ruleKey',
    'ruleName',
    'trigger',
    'scheduledFor',
    'startedAt',
    'finishedAt',
    'durationMs',
    'status',
    'eventsEvaluated',
    'findingsOpened',
    'error',
    'traceId',
  ],
};

export const CONNECTOR_SYNCS: RunResource = {
  name: 'connector-syncs',
  table: '"ConnectorSyncRun"',
  select: `${common}, r."connectionId"::text AS "connectionId", c.name AS "connectionName", r.provider, r."recordsIngested"`,
  joins: `LEFT JOIN "Organization" o ON o.id = r."organizationId" LEFT JOIN "IntegrationConnection" c ON c.id = r."connectionId"`,
  filters: {
    connector: shortText.optional(),
    provider: shortText.optional(),
    minRecords: nonNegativeInt(Number.MAX_SAFE_INTEGER).optional(),
  },
  conditions(filters, param) {
    const out: string[] = [];
    if (filters.connector !== undefined) out.push(`r."connectionId" = ${param(filters.connector)}`);
    if (filters.provider !== undefined) out.push(`r.provider = ${param(filters.provider)}`);
    if (filters.minRecords !== undefined) out.push(`r."recordsIngested" >= ${param(filters.minRecords)}`);
    return out;
  },
  columns: [
    'id',
    'tenant',
    'connectionId',
    'connectionName',
    'provider',
    'trigger',
    'scheduledFor',
    'startedAt',
    'finishedAt',
    'durationMs',
    'status',
    'recordsIngested',
    'error',
    'traceId',
  ],
};

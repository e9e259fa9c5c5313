import type { Router } from 'express';

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json. Schemas are JSON Schema
 * 2020-12; a test walks the routes registered on the app and validates real answers against them.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const instant: Schema = { type: 'string', format: 'date-time' };
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type, 'null'] });
const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
  ...extra,
});

const STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'];
const TRIGGERS = ['SCHEDULE', 'MANUAL', 'EVENT'];

const runCommon = {
  id: { type: 'string', pattern: '^[0-9]+$' },
  tenant: nullable(str),
  trigger: { enum: TRIGGERS },
  scheduledFor: nullable(instant),
  startedAt: instant,
  finishedAt: nullable(instant),
  durationMs: nullable(int),
  status: { enum: STATUSES },
  error: nullable(str),
  traceId: nullable(str),
};

const queueFigures = {
  queued: int,
  running: int,
  retrying: int,
  dead: int,
  oldestQueuedAt: nullable(instant),
  oldestQueuedAgeSeconds: nullable(int),
};

const schemas: Record<string, Schema> = {
  Error: obj(
    { error: obj({ code: str, message: str, field: { type: ['string', 'null'], description: 'the parameter at fault, if one is' } }) },
    { description: 'The body of every 4xx and 5xx answer.' },
  ),
  Whoami: obj({
    tokenId: str,
    name: nullable(str),
    role: { enum: ['OPERATOR', 'ADMIN', 'SECURITY_ANALYST'] },
    tenant: nullable(str),
    dataRetentionDays: nullable(int),
  }),
  SnapshotInfo: obj({ takenAt: nullable(instant), dataAsOf: nullable(instant), databaseReachable: bool }),
  ConnectorHealth: obj({
    id: str,
    tenant: str,
    provider: str,
    name: str,
    status: str,
    lastSuccessfulSyncAt: nullable(instant),
    lastAttemptAt: nullable(instant),
    freshness: obj({
      level: { enum: ['green', 'yellow', 'red', 'gray'] },
      state: { enum: ['fresh', 'stale', 'critical', 'never'] },
      ageSeconds: nullable(int),
      thresholds: obj({ warnAfterSeconds: nullable(num), errorAfterSeconds: nullable(num) }),
    }),
    consecutiveFailures: int,
    recentSyncs: { type: 'array', maxItems: 5, items: obj({ startedAt: nullable(instant), durationMs: nullable(int), status: str }) },
    lastError: nullable(str),
    lastErrorAt: nullable(instant),
  }),
  SiemHealth: obj({
    id: str,
    tenant: str,
    name: str,
    kind: str,
    enabled: bool,
    successRatio: obj({ lifetime: { type: ['number', 'null'], minimum: 0, maximum: 1 } }),
    deliveries: obj({ ok: int, failed: int }),
    queue: obj({ pending: int, retrying: int }),
    deadLetters: int,
    oldestPendingAt: nullable(instant),
    lastDeliveryAt: nullable(instant),
    lastError: nullable(str),
    lastErrorAt: nullable(instant),
  }),
  QueueFigures: obj(queueFigures),
  TenantQueue: obj({ tenant: str, ...queueFigures, kinds: { type: 'array', items: obj({ kind: str, ...queueFigures }) } }),
  RuleRun: obj({ ...runCommon, ruleId: str, ruleKey: nullable(str), ruleName: nullable(str), eventsEvaluated: int, findingsOpened: int }),
  ConnectorSync: obj({ ...runCommon, connectionId: str, connectionName: nullable(str), provider: str, recordsIngested: int }),
  Page: obj({ limit: int, count: int, hasMore: bool, mode: { enum: ['page', 'poll'] } }),
  Window: obj({ from: instant, to: instant }),
  Links: obj({ next: nullable(str), poll: str }),
  RetentionByTenant: { type: 'object', additionalProperties: int },
  ScheduleRun: obj({
    id: str,
    status: { enum: STATUSES },
    trigger: { enum: TRIGGERS },
    scheduledFor: nullable(instant),
    startedAt: instant,
    finishedAt: nullable(instant),
    durationMs: nullable(int),
  }),
  Schedule: obj({
    kind: { enum: ['rule', 'connector'] },
    tenant: str,
    id: str,
    key: nullable(str),
    name: str,
    provider: nullable(str),
    schedule: obj({ cron: nullable(str), timezone: nullable(str), intervalSeconds: nullable(int) }),
    graceSeconds: int,
    error: nullable(str),
    counts: obj({ ran: int, missed: int, pending: int }),
    slots: {
      type: 'array',
      items: obj({ at: instant, state: { enum: ['ran', 'missed', 'pending'] }, run: { oneOf: [ref('ScheduleRun'), { type: 'null' }] } }),
    },
  }),
};

const health = (data: Schema, extra: Record<string, Schema> = {}) =>
  obj({ tenant: nullable(str), snapshot: ref('SnapshotInfo'), data, ...extra });
const list = (row: string) => {
  const properties = {
    data: { type: 'array', items: ref(row) },
    page: ref('Page'),
    window: ref('Window'),
    order: { enum: ['startedAt desc, id desc', 'startedAt asc, id asc'] },
    links: ref('Links'),
    tenant: nullable(str),
    dataRetentionDays: nullable(int),
    retentionByTenant: ref('RetentionByTenant'),
  };
  // retentionByTenant only in an answer spanning every tenant (an OPERATOR without `tenant`).
  return { ...obj(properties), required: Object.keys(properties).filter((k) => k !== 'retentionByTenant') };
};

Object.assign(schemas, {
  WhoamiAnswer: ref('Whoami'),
  ConnectorHealthAnswer: health({ type: 'array', items: ref('ConnectorHealth') }),
  SiemHealthAnswer: health({ type: 'array', items: ref('SiemHealth') }),
  IngestionHealthAnswer: health({ type: 'array', items: ref('TenantQueue') }, { total: ref('QueueFigures') }),
  RuleRunPage: list('RuleRun'),
  ConnectorSyncPage: list('ConnectorSync'),
  RuleRunAnswer: obj({ data: ref('RuleRun'), dataRetentionDays: nullable(int) }),
  ConnectorSyncAnswer: obj({ data: ref('ConnectorSync'), dataRetentionDays: nullable(int) }),
  ScheduleAnswer: obj({
    data: { type: 'array', items: ref('Schedule') },
    window: ref('Window'),
    tenant: nullable(str),
    dataRetentionDays: nullable(int),
  }),
});

const query = (name: string, description: string, schema: Schema = str) => ({ name, in: 'query', required: false, description, schema });
const p = {
  tenant: query('tenant', 'OPERATOR: one tenant (slug). A tenant token may name only its own tenant (another: 403).'),
  from: query('from', 'Start of the window: ISO 8601 date or date-time with a zone. Default: `to` minus 24 hours.'),
  to: query('to', 'End of the window (exclusive). Default: now.'),
  status: query('status', `One or more of ${STATUSES.join(', ')}, separated by commas.`),
  trigger: query('trigger', `One or more of ${TRIGGERS.join(', ')}, separated by commas.`),
  minDurationMs: query('minDurationMs', 'Runs that took at least this long.', { type: 'string', pattern: '^[0-9]+$' }),
  limit: query('limit', 'Page size, 1..500, default 50.', { type: 'string', pattern: '^[0-9]+$' }),
  cursor: query('cursor', 'From links.next or links.poll of a previous answer, with the same filters.'),
  format: query('format', 'Export format, default ndjson.', { enum: ['csv', 'ndjson'] }),
  rule: query('rule', 'Rule id or key.'),
  minFindings: query('minFindings', 'Runs that opened at least this many findings.', { type: 'string', pattern: '^[0-9]+$' }),
  connector: query('connector', 'Connection id.'),
  provider: query('provider', 'Connector provider, e.g. okta.'),
  minRecords: query('minRecords', 'Syncs that ingested at least this many records.', { type: 'string', pattern: '^[0-9]+$' }),
  kind: query('kind', 'Only rules or only connectors.', { enum: ['rule', 'connector'] }),
  id: { name: 'id', in: 'path', required: true, description: 'Run id.', schema: { type: 'string', pattern: '^[0-9]+$' } },
};

const json = (schema: string, description: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const error = (description: string) => json('Error', description);
const errors = (...statuses: number[]) => {
  const text: Record<number, string> = {
    400: 'Bad input: unknown, repeated or malformed parameter, window too long, bad cursor; error.field names the parameter.',
    401: 'Missing, unknown or revoked token.',
    403: "The token's role may not use the route, or a tenant token names another tenant.",
    404: "No such run in the caller's scope.",
    413: 'A request with a body.',
    429: 'Too many requests with bad tokens from this client or with this token prefix.',
    500: 'Unexpected failure (logged by the exporter).',
    503: 'The database cannot serve the request now (unreachable, or no connection free in time); see Retry-After.',
  };
  return Object.fromEntries([...statuses, 401, 413, 429, 500, 503].map((s) => [String(s), error(text[s])]));
};

const op = (
  operationId: string,
  summary: string,
  roles: string,
  parameters: unknown[],
  ok: Record<string, unknown>,
  ...statuses: number[]
) => ({
  get: { operationId, summary, description: `Roles: ${roles}.`, parameters, responses: { '200': ok, ...errors(...statuses) } },
});

const runFilters = [p.from, p.to, p.status, p.trigger, p.minDurationMs, p.tenant];
const ruleFilters = [...runFilters, p.rule, p.minFindings];
const syncFilters = [...runFilters, p.connector, p.provider, p.minRecords];
const exportContent = (row: string) => ({
  description: 'Every matching run, streamed as an attachment: NDJSON (one object per line) or CSV with a header row.',
  headers: { 'X-Data-Retention-Days': { description: "The tenant's retention, when the answer is one tenant's.", schema: int } },
  content: { 'application/x-ndjson': { schema: ref(row) }, 'text/csv': { schema: str } },
});
const AUDIT = 'ADMIN, SECURITY_ANALYST, OPERATOR';

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
  info: {
    title: 'Aperio Observability API',
    version: '1',
    description: 'Health panels, the rule-run and connector-sync audit log, and schedules, per tenant. See docs/api.md.',
  },
  servers: [{ url: '/api' }],
  security: [{ bearer: [] }],
  paths: {
    '/v1/whoami': op('whoami', "The token's identity, role and tenant", 'any', [], json('WhoamiAnswer', 'Who is calling'), 400),
    '/v1/health/connectors': op(
      'healthConnectors',
      'Connector freshness and recent syncs',
      'ADMIN, OPERATOR',
      [p.tenant],
      json('ConnectorHealthAnswer', 'Connectors in scope'),
      400,
      403,
    ),
    '/v1/health/siem': op(
      'healthSiem',
      'SIEM destination deliveries and queues',
      'ADMIN, OPERATOR',
      [p.tenant],
      json('SiemHealthAnswer', 'Destinations in scope'),
      400,
      403,
    ),
    '/v1/health/ingestion': op(
      'healthIngestion',
      'Ingestion queue depth per tenant',
      'ADMIN, OPERATOR',
      [p.tenant],
      json('IngestionHealthAnswer', 'Queues in scope'),
      400,
      403,
    ),
    '/v1/rule-runs': op(
      'listRuleRuns',
      'Rule runs, newest first (keyset pages)',
      AUDIT,
      [...ruleFilters, p.limit, p.cursor],
      json('RuleRunPage', 'One page'),
      400,
      403,
    ),
    '/v1/rule-runs/export': op(
      'exportRuleRuns',
      'Every matching rule run, streamed',
      AUDIT,
      [...ruleFilters, p.format],
      exportContent('RuleRun'),
      400,
      403,
    ),
    '/v1/rule-runs/{id}': op('getRuleRun', 'One rule run', AUDIT, [p.id], json('RuleRunAnswer', 'The run'), 400, 403, 404),
    '/v1/connector-syncs': op(
      'listConnectorSyncs',
      'Connector syncs, newest first (keyset pages)',
      AUDIT,
      [...syncFilters, p.limit, p.cursor],
      json('ConnectorSyncPage', 'One page'),
      400,
      403,
    ),
    '/v1/connector-syncs/export': op(
      'exportConnectorSyncs',
      'Every matching connector sync, streamed',
      AUDIT,
      [...syncFilters, p.format],
      exportContent('ConnectorSync'),
      400,
      403,
    ),
    '/v1/connector-syncs/{id}': op(
      'getConnectorSync',
      'One connector sync',
      AUDIT,
      [p.id],
      json('ConnectorSyncAnswer', 'The sync'),
      400,
      403,
      404,
    ),
    '/v1/schedules': op(
      'listSchedules',
      'Expected slots of each scheduled rule and active connector, with the run that served each, or missed/pending',
      AUDIT,
      [p.from, p.to, p.kind, p.rule, p.connector, p.tenant],
      json('ScheduleAnswer', 'Schedules in scope'),
      400,
      403,
    ),
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `aperio-exporter tokens create`.' } },
    schemas,
  },
};

/** GET /openapi.json: public (no token), so that tools can read it before they have one. */
export function mountOpenApi(router: Router): void {
  router.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });
}

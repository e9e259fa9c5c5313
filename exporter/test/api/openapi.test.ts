import type { Express } from 'express';
import { OPENAPI_DOCUMENT } from '../../src/api/openapi';
import { loadSettings } from '../../src/config/settings';
import { startExporter, type Exporter } from '../../src/server/start';
import { MOUNTS } from '../../src/http/mounts';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertDestination, insertJobs, insertRule, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, insertSyncRuns, token } from './helpers';
import { openApiConformance } from '../helpers/openapi-conformance';

type Doc = typeof OPENAPI_DOCUMENT;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Every GET route registered on the app under /api/v1, in OpenAPI's path syntax (":id" → "{id}"). */
function registeredApiRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: Any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = String(layer.route.path);
        if (path.startsWith('/v1/')) {
          for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as Any).router.stack);
  return routes.sort();
}

describe('the OpenAPI document', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let app: Express;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertRule(db.pool, { id: 'builtin_rule', org: null, key: 'mfa_disabled', interval: 3600 });
    const now = Date.now();
    for (const slug of ['acme', 'globex']) {
      const org = await insertTenant(db.pool, slug);
      await insertRule(db.pool, { id: `r_${slug}`, org, key: 'watchlist', interval: 600 });
      await insertConnector(db.pool, { id: `c_${slug}`, org, provider: 'okta', lastSyncAt: new Date(now - 60_000) });
      await insertDestination(db.pool, { id: `d_${slug}`, org, kind: 'WEBHOOK', ok: 5, fail: 1 });
      await insertJobs(db.pool, { org, kind: 'events', status: 'QUEUED', count: 2, createdAt: new Date(now - 30_000) });
      await insertRuleRuns(db.pool, { org, ruleId: `r_${slug}`, count: 30, newest: new Date(now - 1_000), stepMs: 600_000, findings: 1 });
      await insertSyncRuns(db.pool, {
        org,
        connectionId: `c_${slug}`,
        provider: 'okta',
        count: 30,
        newest: new Date(now - 2_000),
        stepMs: 900_000,
      });
    }
    tokens.admin = await token(db.pool, 'ADMIN', 'acme');
    tokens.analyst = await token(db.pool, 'SECURITY_ANALYST', 'acme');
    tokens.operator = await token(db.pool, 'OPERATOR');
    const settings = loadSettings({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      COLLECT_INTERVAL_SECONDS: '3600',
      LOG_LEVEL: 'silent',
    });
    exporter = await startExporter({
      settings,
      databaseUrl: db.url,
      mounts: MOUNTS.map((mount) => (a, deps) => {
        app = a;
        mount(a, deps);
      }),
    });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  const { validate, conforms } = openApiConformance();

  it('is served without a token, as OpenAPI 3.1', async () => {
    const answer = await get(exporter.url, '/api/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    expect(answer.body.openapi).toBe('3.1.0');
    expect(answer.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes exactly the routes registered under /api/v1', () => {
    const registered = registeredApiRoutes(app);
    expect(registered.length).toBeGreaterThanOrEqual(11);
    const described = Object.entries(OPENAPI_DOCUMENT.paths as Doc['paths'])
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(described).toEqual(registered);
  });

  it('declares every query parameter a route accepts, and only those', async () => {
    for (const [route, item] of Object.entries(OPENAPI_DOCUMENT.paths as Record<string, Any>)) {
      const path = route.replace('{id}', '1').replace(/^/, '/api');
      for (const parameter of item.get.parameters.filter((x: Any) => x.in === 'query')) {
        // A declared parameter with an obviously wrong value is refused by name, not as unknown.
        const answer = await get(exporter.url, `${path}?${parameter.name}=%00bad`, tokens.operator);
        if (answer.status === 400) expect([route, answer.body.error.code]).not.toEqual([route, 'unknown_parameter']);
      }
      const unknown = await get(exporter.url, `${path}?undeclared=1`, tokens.operator);
      expect([route, unknown.status, unknown.body.error.field]).toEqual([route, 400, 'undeclared']);
    }
  });

  it('matches real answers of every route, for every role and the error cases', async () => {
    const requests: [string, string, string | undefined][] = [];
    const ruleRun = (await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM "RuleRun" LIMIT 1`)).rows[0].id;
    const sync = (await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM "ConnectorSyncRun" LIMIT 1`)).rows[0].id;
    const add = (route: string, query: string, bearer?: string) =>
      requests.push([route, route.replace('{id}', route.startsWith('/v1/rule') ? ruleRun : sync) + query, bearer]);
    for (const bearer of Object.values(tokens)) {
      add('/v1/whoami', '', bearer);
      for (const route of ['/v1/health/connectors', '/v1/health/siem', '/v1/health/ingestion']) add(route, '', bearer);
      for (const route of ['/v1/rule-runs', '/v1/connector-syncs']) {
        add(route, '?limit=5', bearer);
        add(`${route}/export`, '?format=ndjson', bearer);
        add(`${route}/export`, '?format=csv', bearer);
        add(`${route}/{id}`, '', bearer);
        add(`${route}/{id}`, '?x=1', bearer);
        add(route, '?from=2026-02-31', bearer);
      }
      add('/v1/schedules', '', bearer);
      add('/v1/schedules', '?kind=rule&from=2026-01-01&to=2026-01-02', bearer);
      add('/v1/schedules', '?kind=nope', bearer);
    }
    add('/v1/rule-runs', '?tenant=globex', tokens.operator);
    add('/v1/rule-runs', '?tenant=globex', tokens.admin);
    add('/v1/rule-runs', '?tenant=nobody', tokens.operator);
    add('/v1/rule-runs/{id}', '', tokens.admin);
    requests.push(['/v1/rule-runs/{id}', '/v1/rule-runs/999999999', tokens.admin]);
    add('/v1/whoami', '', undefined);
    add('/v1/schedules', '', 'apo_not_a_token');

    const seen = new Set<string>();
    for (const [route, path, bearer] of requests) {
      const answer = await get(exporter.url, `/api${path}`, bearer);
      conforms(route, answer, `GET /api${path}`);
      seen.add(`${route} ${answer.status}`);
    }
    // Every route was seen answering, and the error statuses were exercised.
    for (const route of Object.keys(OPENAPI_DOCUMENT.paths)) expect([...seen].some((s) => s === `${route} 200`)).toBe(true);
    for (const status of [400, 401, 403, 404]) expect([...seen].some((s) => s.endsWith(` ${status}`))).toBe(true);
    // Pages follow: a next link's answer matches too.
    const first = await get(exporter.url, '/api/v1/rule-runs?limit=3', tokens.operator);
    expect(first.body.retentionByTenant).toBeDefined();
    conforms('/v1/rule-runs', await get(exporter.url, first.body.links.next, tokens.operator), 'next page');
    conforms('/v1/rule-runs', await get(exporter.url, first.body.links.poll, tokens.operator), 'poll page');
  });

  it('rejects an answer that drifts from it', () => {
    expect(() => validate('#/components/schemas/Error', { error: 'not_found', message: 'x' }, 'flat error')).toThrow(/does not match/);
    expect(() => validate('#/components/schemas/RuleRunAnswer', { data: { id: '1' }, dataRetentionDays: 30 }, 'partial run')).toThrow(
      /does not match/,
    );
  });
});

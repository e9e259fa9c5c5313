import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertRule, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, startApiExporter, roleTokens } from './helpers';

describe('API answers bad input with a 4xx naming the field', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let admin: string;
  let analyst: string;
  let otherAdmin: string;
  let operator: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const slug of ['acme', 'globex']) {
      const org = await insertTenant(db.pool, slug);
      await insertRule(db.pool, { id: `r_${slug}`, org, key: 'watchlist' });
      await insertRuleRuns(db.pool, { org, ruleId: `r_${slug}`, count: 5, newest: new Date(Date.now() - 60_000), stepMs: 60_000 });
    }
    ({ admin, analyst, otherAdmin, operator } = await roleTokens(db.pool, 'acme', 'globex'));
    exporter = await startApiExporter(db.url);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  const cases: [string, string, number, string][] = [
    ['unknown parameter', '/api/v1/rule-runs?colour=red', 400, 'colour'],
    ['repeated parameter', '/api/v1/rule-runs?status=FAILED&status=SUCCEEDED', 400, 'status'],
    ['malformed from', '/api/v1/rule-runs?from=yesterday', 400, 'from'],
    ['time without a zone', '/api/v1/rule-runs?to=2026-11-26T12:00:00', 400, 'to'],
    ['impossible date', '/api/v1/rule-runs?from=2026-02-31', 400, 'from'],
    ['from after to', '/api/v1/rule-runs?from=2026-11-26T00:00:00Z&to=2026-11-25T00:00:00Z', 400, 'from'],
    ['window over the limit', '/api/v1/rule-runs?from=2020-01-01&to=2026-01-01', 400, 'from'],
    ['unknown status', '/api/v1/rule-runs?status=FAILED,EXPLODED', 400, 'status'],
    ['unknown trigger', '/api/v1/rule-runs?trigger=CRON', 400, 'trigger'],
    ['negative duration', '/api/v1/rule-runs?minDurationMs=-5', 400, 'minDurationMs'],
    ['fractional findings', '/api/v1/rule-runs?minFindings=1.5', 400, 'minFindings'],
    ['limit zero', '/api/v1/rule-runs?limit=0', 400, 'limit'],
    ['oversized limit', '/api/v1/rule-runs?limit=501', 400, 'limit'],
    ['limit not a number', '/api/v1/rule-runs?limit=ten', 400, 'limit'],
    ['garbage cursor', '/api/v1/rule-runs?cursor=%%%', 400, 'cursor'],
    ['base64 that is not a cursor', `/api/v1/rule-runs?cursor=${Buffer.from('{"v":2}').toString('base64url')}`, 400, 'cursor'],
    ['empty rule', '/api/v1/rule-runs?rule=', 400, 'rule'],
    ['NUL byte in a filter', '/api/v1/rule-runs/export?rule=a%00b', 400, 'rule'],
    ['NUL byte in a tenant', '/api/v1/connector-syncs?tenant=%00', 400, 'tenant'],
    ['bad export format', '/api/v1/rule-runs/export?format=xlsx', 400, 'format'],
    ['cursor on export', '/api/v1/rule-runs/export?cursor=abc', 400, 'cursor'],
    ['malformed run id', '/api/v1/rule-runs/abc', 400, 'id'],
    ['parameter on a run', '/api/v1/rule-runs/1?tenant=acme', 400, 'tenant'],
    ['parameter on whoami', '/api/v1/whoami?x=1', 400, 'x'],
    ['connector filter on rule runs', '/api/v1/rule-runs?provider=okta', 400, 'provider'],
    ['rule filter on syncs', '/api/v1/connector-syncs?rule=watchlist', 400, 'rule'],
    ['another tenant named', '/api/v1/rule-runs?tenant=globex', 403, 'tenant'],
    ['another tenant on health', '/api/v1/health/connectors?tenant=globex', 403, 'tenant'],
  ];

  it.each(cases)('%s', async (_name, path, status, field) => {
    const answer = await get(exporter.url, path, admin);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), field } });
    expect(answer.body.error.message).toContain(field === 'id' ? 'id' : '');
  });

  it('answers unknown routes, bodies and missing tokens with the same error shape', async () => {
    const unknownRoute = await get(exporter.url, '/api/v1/nothing-here', admin);
    expect(unknownRoute).toMatchObject({ status: 404, body: { error: { code: 'not_found', field: null } } });
    const noToken = await get(exporter.url, '/api/v1/rule-runs');
    expect(noToken).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', field: null } } });
    const withBody = await fetch(`${exporter.url}/api/v1/whoami`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: '{}',
    });
    expect(withBody.status).toBe(413);
    expect(await withBody.json()).toEqual({ error: { code: 'body_not_allowed', message: expect.any(String), field: null } });
  });

  it('refuses an unknown tenant slug from an OPERATOR', async () => {
    const answer = await get(exporter.url, '/api/v1/rule-runs?tenant=nobody', operator);
    expect(answer).toMatchObject({ status: 400, body: { error: { field: 'tenant', code: 'unknown_tenant' } } });
  });

  it('refuses a cursor used with other filters, or by another tenant', async () => {
    const first = await get(exporter.url, '/api/v1/rule-runs?limit=2', admin);
    const cursor = new URL(first.body.links.next, exporter.url).searchParams.get('cursor')!;
    expect((await get(exporter.url, `/api/v1/rule-runs?limit=2&cursor=${cursor}`, admin)).status).toBe(200);
    expect((await get(exporter.url, `/api/v1/rule-runs?limit=2&cursor=${cursor}`, analyst)).status).toBe(200);
    const otherFilters = await get(exporter.url, `/api/v1/rule-runs?status=FAILED&cursor=${cursor}`, admin);
    expect(otherFilters).toMatchObject({ status: 400, body: { error: { field: 'cursor', code: 'cursor_mismatch' } } });
    const otherTenant = await get(exporter.url, `/api/v1/rule-runs?limit=2&cursor=${cursor}`, otherAdmin);
    expect(otherTenant).toMatchObject({ status: 400, body: { error: { field: 'cursor', code: 'cursor_mismatch' } } });
    const otherResource = await get(exporter.url, `/api/v1/connector-syncs?limit=2&cursor=${cursor}`, admin);
    expect(otherResource).toMatchObject({ status: 400, body: { error: { field: 'cursor' } } });
  });

  it("answers 404 for an unknown run and for another tenant's run alike", async () => {
    const { rows } = await db.pool.query<{ id: string; org: string }>(
      `SELECT id::text, "organizationId" AS org FROM "RuleRun" ORDER BY id`,
    );
    const own = rows.find((r) => r.org === 'org_acme')!;
    const foreign = rows.find((r) => r.org === 'org_globex')!;
    expect((await get(exporter.url, `/api/v1/rule-runs/${own.id}`, admin)).status).toBe(200);
    const hidden = await get(exporter.url, `/api/v1/rule-runs/${foreign.id}`, admin);
    const missing = await get(exporter.url, '/api/v1/rule-runs/999999999', admin);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    expect(hidden.body.error.code).toBe(missing.body.error.code);
    expect((await get(exporter.url, `/api/v1/rule-runs/${foreign.id}`, operator)).status).toBe(200);
  });
});

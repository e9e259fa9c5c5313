import type { Exporter } from '../../src/server/start';
import { createToken, listTokens, revokeToken } from '../../src/auth/tokens';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertDestination, insertJobs, insertRule, insertSync, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, startApiExporter, token } from './helpers';

describe('API roles and tokens', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
    const now = Date.now();
    for (const slug of ['acme', 'globex']) {
      const org = await insertTenant(db.pool, slug, slug === 'acme' ? 30 : 90);
      await insertConnector(db.pool, { id: `c_${slug}`, org, provider: 'okta', lastSyncAt: new Date(now - 2 * 3600_000) });
      await insertSync(db.pool, {
        connectionId: `c_${slug}`,
        org,
        provider: 'okta',
        startedAt: new Date(now - 2 * 3600_000),
        durationMs: 1500,
        status: 'SUCCEEDED',
      });
      await insertDestination(db.pool, { id: `d_${slug}`, org, kind: 'SPLUNK_HEC', ok: 90, fail: 10 });
      await insertJobs(db.pool, { org, kind: 'events', status: 'QUEUED', count: 3, createdAt: new Date(now - 60_000) });
      await insertRule(db.pool, { id: `r_${slug}`, org, key: 'watchlist' });
      await insertRuleRuns(db.pool, { org, ruleId: `r_${slug}`, count: 5, newest: new Date(now - 60_000), stepMs: 60_000 });
      tokens[`admin_${slug}`] = await token(db.pool, 'ADMIN', slug);
      tokens[`analyst_${slug}`] = await token(db.pool, 'SECURITY_ANALYST', slug);
    }
    tokens.operator = await token(db.pool, 'OPERATOR');
    exporter = await startApiExporter(db.url);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('answers whoami with the role and tenant of the token', async () => {
    expect((await get(exporter.url, '/api/v1/whoami', tokens.admin_acme)).body).toMatchObject({
      role: 'ADMIN',
      tenant: 'acme',
      dataRetentionDays: 30,
    });
    expect((await get(exporter.url, '/api/v1/whoami', tokens.analyst_globex)).body).toMatchObject({
      role: 'SECURITY_ANALYST',
      tenant: 'globex',
    });
    expect((await get(exporter.url, '/api/v1/whoami', tokens.operator)).body).toMatchObject({ role: 'OPERATOR', tenant: null });
  });

  it('refuses missing, unknown and revoked tokens with 401 and a Bearer challenge', async () => {
    for (const bearer of [undefined, 'apo_nope', tokens.admin_acme + 'x']) {
      const answer = await get(exporter.url, '/api/v1/rule-runs', bearer);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(answer.body.error).toEqual({ code: expect.any(String), message: expect.any(String), field: null });
    }
    const { token: doomed, record } = await createToken(db.pool, { role: 'ADMIN', tenant: 'acme' });
    expect((await get(exporter.url, '/api/v1/whoami', doomed)).status).toBe(200);
    await revokeToken(db.pool, record.id);
    for (const path of ['/api/v1/whoami', '/api/v1/rule-runs', '/api/v1/health/connectors']) {
      expect((await get(exporter.url, path, doomed)).status).toBe(401);
    }
  });

  it('records lastUsedAt at most once a minute', async () => {
    const fresh = await token(db.pool, 'OPERATOR');
    await get(exporter.url, '/api/v1/whoami', fresh);
    await new Promise((r) => setTimeout(r, 200));
    const used = (await listTokens(db.pool)).filter((t) => t.lastUsedAt !== null && t.role === 'OPERATOR');
    const first = used.map((t) => t.lastUsedAt!.getTime());
    await get(exporter.url, '/api/v1/whoami', fresh);
    await new Promise((r) => setTimeout(r, 200));
    const again = (await listTokens(db.pool))
      .filter((t) => t.lastUsedAt !== null && t.role === 'OPERATOR')
      .map((t) => t.lastUsedAt!.getTime());
    expect(again).toEqual(first);
  });

  it('lets ADMIN and OPERATOR read the health panels, and not SECURITY_ANALYST', async () => {
    for (const path of ['/api/v1/health/connectors', '/api/v1/health/siem', '/api/v1/health/ingestion']) {
      expect((await get(exporter.url, path, tokens.analyst_acme)).status).toBe(403);
      const admin = await get(exporter.url, path, tokens.admin_acme);
      expect(admin.status).toBe(200);
      expect(admin.body.data.length).toBeGreaterThan(0);
      expect(admin.body.data.every((row: { tenant: string }) => row.tenant === 'acme')).toBe(true);
      const operator = await get(exporter.url, path, tokens.operator);
      expect(new Set(operator.body.data.map((row: { tenant: string }) => row.tenant))).toEqual(new Set(['acme', 'globex']));
      const filtered = await get(exporter.url, `${path}?tenant=globex`, tokens.operator);
      expect(filtered.body.data.every((row: { tenant: string }) => row.tenant === 'globex')).toBe(true);
      expect((await get(exporter.url, `${path}?tenant=globex`, tokens.admin_acme)).status).toBe(403);
      expect((await get(exporter.url, `${path}?tenant=acme`, tokens.admin_acme)).status).toBe(200);
    }
  });

  it('describes connectors, destinations and queues with the figures of the snapshot', async () => {
    const connectors = (await get(exporter.url, '/api/v1/health/connectors', tokens.admin_acme)).body.data;
    expect(connectors[0]).toMatchObject({
      id: 'c_acme',
      provider: 'okta',
      freshness: { level: 'yellow', state: 'stale', thresholds: { warnAfterSeconds: 3600, errorAfterSeconds: 21600 } },
      recentSyncs: [{ durationMs: 1500, status: 'SUCCEEDED' }],
    });
    const siem = (await get(exporter.url, '/api/v1/health/siem', tokens.admin_acme)).body.data;
    expect(siem[0]).toMatchObject({ id: 'd_acme', successRatio: { lifetime: 0.9 }, deadLetters: 0 });
    const ingestion = (await get(exporter.url, '/api/v1/health/ingestion', tokens.operator)).body;
    expect(ingestion.total).toMatchObject({ queued: 6, dead: 0 });
    expect(ingestion.data.map((t: { tenant: string; queued: number }) => [t.tenant, t.queued])).toEqual([
      ['acme', 3],
      ['globex', 3],
    ]);
  });

  it('lets all three roles read the audit log, each within its scope', async () => {
    for (const [name, tenants] of [
      ['admin_acme', ['acme']],
      ['analyst_globex', ['globex']],
      ['operator', ['acme', 'globex']],
    ] as const) {
      const answer = await get(exporter.url, '/api/v1/rule-runs', tokens[name]);
      expect(answer.status).toBe(200);
      expect(new Set(answer.body.data.map((r: { tenant: string }) => r.tenant))).toEqual(new Set(tenants));
      expect(answer.body.data).toHaveLength(5 * tenants.length);
    }
    expect((await get(exporter.url, '/api/v1/rule-runs', tokens.analyst_acme)).body.dataRetentionDays).toBe(30);
    expect((await get(exporter.url, '/api/v1/rule-runs', tokens.operator)).body.retentionByTenant).toEqual({ acme: 30, globex: 90 });
    expect((await get(exporter.url, '/api/v1/rule-runs?tenant=globex', tokens.operator)).body.dataRetentionDays).toBe(90);
    const syncs = await get(exporter.url, '/api/v1/connector-syncs', tokens.analyst_acme);
    expect(syncs.body.data).toHaveLength(1);
    expect(syncs.body.data[0]).toMatchObject({ tenant: 'acme', connectionId: 'c_acme', provider: 'okta', durationMs: 1500 });
  });

  it('sets security headers on API answers', async () => {
    const answer = await get(exporter.url, '/api/v1/whoami', tokens.operator);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

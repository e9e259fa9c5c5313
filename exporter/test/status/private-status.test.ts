import type { Exporter } from '../../src/server/start';
import { get, token } from '../api/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertConnector, insertTenant } from '../helpers/fixtures';
import { STATUS_ROUTES } from './routes-list';

const ROUTES = [...STATUS_ROUTES, '/status/badge/connectors.svg'];

describe('STATUS_PUBLIC=false', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const tokens = { tenant: '', operator: '' };

  beforeAll(async () => {
    db = await createTestDatabase();
    const org = await insertTenant(db.pool, 'acme');
    await insertConnector(db.pool, { id: 'conn_acme_okta', org, provider: 'okta', lastSyncAt: new Date() });
    tokens.tenant = await token(db.pool, 'SECURITY_ANALYST', 'acme');
    tokens.operator = await token(db.pool, 'OPERATOR');
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent', STATUS_PUBLIC: 'false' });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('answers every status route without a token with 401 and WWW-Authenticate: Bearer', async () => {
    for (const path of ROUTES) {
      const res = await get(exporter.url, path);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.body.error).toMatchObject({ code: 'unauthorized', field: null });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    // An empty credential (Grafana's proxy with no token saved) is no token either.
    expect((await fetch(`${exporter.url}/status.json`, { headers: { authorization: 'Bearer ' } })).status).toBe(401);
  });

  it('answers every status route with a tenant or an operator token', async () => {
    for (const path of ROUTES) {
      for (const bearer of [tokens.tenant, tokens.operator]) {
        const res = await get(exporter.url, path, bearer);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.headers.get('cache-control')).toBe('private, no-cache');
      }
    }
    const acme = await get(exporter.url, '/status.json', tokens.tenant);
    expect(acme.body.aperio_tenant).toEqual({ slug: 'acme', name: 'ACME' });
    expect(acme.body.components.map((c: { id: string }) => c.id)).toContain('connection-conn_acme_okta');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadSettings } from '../../src/config/settings';
import { ensureSharedDemoToken } from '../../src/demo/tokens';
import type { Exporter } from '../../src/server/start';
import { get, startApiExporter } from '../api/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { REPO } from './tools';

const compose = YAML.parse(fs.readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8'));
const pluginProvisioning = YAML.parse(fs.readFileSync(path.join(REPO, 'provisioning', 'grafana', 'plugins', 'aperio.yml'), 'utf8'));

/** What `docker compose up` does with `${VAR:-default}` when VAR is not set in the shell. */
const interpolate = (value: string, env: Record<string, string> = {}) =>
  value.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => env[name] || fallback);
/** What Grafana does with `$VAR` in a provisioning file. */
const grafanaExpand = (value: string, env: Record<string, string>) => value.replace(/\$(\w+)/g, (_, name: string) => env[name] ?? '');

const exporterEnv: Record<string, string> = Object.fromEntries(
  Object.entries(compose.services.exporter.environment).map(([k, v]) => [k, interpolate(String(v))]),
);
const grafanaEnv: Record<string, string> = Object.fromEntries(
  Object.entries(compose.services.grafana.environment).map(([k, v]) => [k, interpolate(String(v))]),
);
const pluginApp = pluginProvisioning.apps[0];

describe('docker compose up on a first start: Grafana gets a token the exporter accepts', () => {
  test('Grafana is provisioned with the same non-empty secret the demo exporter registers', () => {
    const grafanaToken = grafanaExpand(pluginApp.secureJsonData.token, grafanaEnv);
    expect(grafanaToken.length).toBeGreaterThanOrEqual(16);
    expect(exporterEnv.DEMO_API_TOKEN).toBe(grafanaToken);
    // The exporter only registers it in demo mode, which is what the compose file runs.
    expect(compose.services.exporter.command).toEqual(['demo']);
    expect(loadSettings(exporterEnv).DEMO_API_TOKEN).toBe(grafanaToken);
  });

  test('an APERIO_API_TOKEN from the shell replaces the default on both sides', () => {
    const env = { APERIO_API_TOKEN: 'apo_my_own_secret_value_1234' };
    expect(interpolate(compose.services.exporter.environment.DEMO_API_TOKEN, env)).toBe(env.APERIO_API_TOKEN);
    expect(interpolate(compose.services.grafana.environment.APERIO_API_TOKEN, env)).toBe(env.APERIO_API_TOKEN);
  });

  test('the plugin points at the exporter service and waits for it to be healthy', () => {
    const url = grafanaExpand(pluginApp.jsonData.url, grafanaEnv);
    expect(url).toBe(`http://exporter:${compose.services.exporter.ports[0].split(':')[1]}`);
    expect(pluginApp.type).toBe('aperio-observability-app');
    expect(compose.services.grafana.depends_on.exporter).toEqual({ condition: 'service_healthy' });
  });

  describe('against a real exporter', () => {
    let db: TestDatabase;
    let exporter: Exporter;
    beforeAll(async () => {
      db = await createTestDatabase();
      exporter = await startApiExporter(db.url);
    });
    afterAll(async () => {
      await exporter?.stop();
      await db?.drop();
    });

    test('the provisioned token answers /api/v1/whoami as an OPERATOR, also after a restart registers it again', async () => {
      const secret = grafanaExpand(pluginApp.secureJsonData.token, grafanaEnv);
      expect((await get(exporter.url, '/api/v1/whoami', secret)).status).toBe(401);
      await ensureSharedDemoToken(db.pool, exporterEnv.DEMO_API_TOKEN);
      await ensureSharedDemoToken(db.pool, exporterEnv.DEMO_API_TOKEN);
      const whoami = await get(exporter.url, '/api/v1/whoami', secret);
      expect(whoami.status).toBe(200);
      expect(whoami.body).toMatchObject({ role: 'OPERATOR', tenant: null });
      expect((await get(exporter.url, '/api/v1/health/connectors', secret)).status).toBe(200);
    });
  });
});

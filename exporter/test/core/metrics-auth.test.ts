import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { UserError } from '../../src/config/user-error';
import { metricsAccess, metricsExposureWarning } from '../../src/http/metrics-auth';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertTenant } from '../helpers/fixtures';
import { freePort, runCli, waitFor } from '../helpers/processes';

const FIXTURES = path.join(__dirname, 'fixtures');
const CERT = fs.readFileSync(path.join(FIXTURES, 'metrics-tls.crt'));

/** GET over TLS, trusting only the test's own certificate. */
function tlsGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; challenge?: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: CERT, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body, challenge: res.headers['www-authenticate'] }));
      })
      .on('error', reject);
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** /metrics access as Prometheus' exporters do it (web configuration file), or the bearer token. */
describe('/metrics authentication', () => {
  let db: TestDatabase;
  let dir: string;
  let exporter: Exporter;
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenant(db.pool, 'acme');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-web-config-'));
    // Relative paths resolve against the file, as in exporter-toolkit.
    fs.copyFileSync(path.join(FIXTURES, 'metrics-tls.crt'), path.join(dir, 'tls.crt'));
    fs.copyFileSync(path.join(FIXTURES, 'metrics-tls.key'), path.join(dir, 'tls.key'));
    fs.writeFileSync(
      path.join(dir, 'web.yml'),
      `tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\nbasic_auth_users:\n  prometheus: '${bcrypt.hashSync('scrape-secret', 4)}'\n`,
    );
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent', METRICS_WEB_CONFIG: path.join(dir, 'web.yml') });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the port over TLS and asks for the basic auth users of METRICS_WEB_CONFIG', async () => {
    expect(exporter.url).toMatch(/^https:/);
    const anonymous = await tlsGet(`${exporter.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.challenge).toBe('Basic realm="metrics"');
    expect((await tlsGet(`${exporter.url}/metrics`, { authorization: basic('prometheus', 'wrong') })).status).toBe(401);
    expect((await tlsGet(`${exporter.url}/metrics`, { authorization: basic('someone', 'scrape-secret') })).status).toBe(401);
    for (let i = 0; i < 2; i++) {
      // The second time the verified credential is remembered instead of hashed again.
      const ok = await tlsGet(`${exporter.url}/metrics`, { authorization: basic('prometheus', 'scrape-secret') });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('aperio_exporter_build_info');
    }
    // The status page and API share the port, and so its TLS.
    expect((await tlsGet(`${exporter.url}/healthz`)).status).toBe(200);
  });

  it('refuses a web configuration it does not understand, naming the key', () => {
    fs.writeFileSync(path.join(dir, 'bad.yml'), 'basic_auth_users:\n  prometheus: plain-text-password\n');
    expect(() => metricsAccess({ METRICS_WEB_CONFIG: path.join(dir, 'bad.yml') })).toThrow(
      /basic_auth_users\.prometheus: expected a bcrypt hash/,
    );
    fs.writeFileSync(path.join(dir, 'unknown.yml'), 'http_server_config:\n  http2: true\n');
    expect(() => metricsAccess({ METRICS_WEB_CONFIG: path.join(dir, 'unknown.yml') })).toThrow(UserError);
  });

  it('says so at startup when /metrics is served beyond loopback with tenant labels and no authentication', async () => {
    const logOf = async (env: Record<string, string>) => {
      const run = runCli(['serve'], {
        DATABASE_URL: db.url,
        HOST: '0.0.0.0',
        PORT: String(await freePort()),
        COLLECT_INTERVAL_SECONDS: '3600',
        ...env,
      });
      try {
        await waitFor('the exporter to start', async () => {
          if (run.child.exitCode !== null) throw new Error(`exited early: ${run.output()}`);
          return run.output().includes('Stop with Ctrl-C.') ? true : undefined;
        });
        return run.output();
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    };
    expect(await logOf({})).toMatch(/\/metrics listens on 0\.0\.0\.0 without authentication/);
    expect(await logOf({ METRICS_DETAIL: 'platform' })).not.toMatch(/without authentication/);
  });

  it('warns when /metrics is reachable beyond loopback with tenant labels and no authentication', () => {
    const open = metricsAccess({});
    expect(metricsExposureWarning({ HOST: '0.0.0.0', METRICS_DETAIL: 'object' }, open)).toMatch(/without authentication.*tenant/);
    expect(metricsExposureWarning({ HOST: '0.0.0.0', METRICS_DETAIL: 'tenant' }, open)).not.toBeNull();
    expect(metricsExposureWarning({ HOST: '127.0.0.1', METRICS_DETAIL: 'object' }, open)).toBeNull();
    expect(metricsExposureWarning({ HOST: '0.0.0.0', METRICS_DETAIL: 'platform' }, open)).toBeNull();
    expect(
      metricsExposureWarning({ HOST: '0.0.0.0', METRICS_DETAIL: 'object' }, metricsAccess({ METRICS_TOKEN: 'a-long-enough-scrape-token' })),
    ).toBeNull();
  });
});

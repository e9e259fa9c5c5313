import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Exporter } from '../../src/server/start';
import { get, token } from '../api/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertConnector, insertTenant } from '../helpers/fixtures';

/**
 * Names and text that reach the status page come from tenants (organization, connection names), from the
 * operator's settings (page name) and maintenance file: markup in any of them must arrive as text on
 * /status, in the Atom feed and in the badges.
 */
const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><img src=x onerror=alert(2)>';
const HOUR = 3600_000;

describe('hostile names and text on the status page', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let bearer: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-hostile-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    const org = await insertTenant(db.pool, 'mallory');
    await db.pool.query(`UPDATE "Organization" SET name = $1 WHERE id = $2`, [`Mallory ${SCRIPT}`, org]);
    // Stale for two hours: degraded, so its name is also an open incident's name.
    await insertConnector(db.pool, { id: 'conn_mallory_okta', org, provider: 'okta', lastSyncAt: new Date(Date.now() - 2 * HOUR) });
    await db.pool.query(`UPDATE "IntegrationConnection" SET name = $1 WHERE id = 'conn_mallory_okta'`, [`okta ${BREAKOUT}`]);
    const maintenance = path.join(dir, 'maintenance.yaml');
    const start = new Date(Date.now() + 24 * HOUR).toISOString();
    const end = new Date(Date.now() + 26 * HOUR).toISOString();
    fs.writeFileSync(
      maintenance,
      `maintenances:\n  - id: upgrade\n    name: ${JSON.stringify(`Upgrade ${BREAKOUT}`)}\n    body: ${JSON.stringify(`Details ${SCRIPT}`)}\n` +
        `    starts_at: ${start}\n    ends_at: ${end}\n    components: [connectors]\n`,
    );
    bearer = await token(db.pool, 'ADMIN', 'mallory');
    exporter = await startTestExporter(db.url, {
      LOG_LEVEL: 'silent',
      STATUS_PAGE_NAME: `Acme ${SCRIPT}`,
      STATUS_MAINTENANCE_FILE: maintenance,
    });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const escapedScript = '&lt;script&gt;alert(1)&lt;/script&gt;';
  const escapedBreakout = '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;';

  it('shows them as text on /status: no element or attribute is injected', async () => {
    const res = await get(exporter.url, '/status', bearer);
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    // The page name (title, heading, feed link), the tenant's name, the connection's name (component and
    // incident), the maintenance window's name and body: each is there, escaped.
    expect(page).toContain(`<title>Acme ${escapedScript} status: Mallory ${escapedScript}</title>`);
    expect(page).toContain(`title="Acme ${escapedScript} incidents"`);
    expect(page).toContain(`<h1>Acme ${escapedScript} status</h1>`);
    expect(page).toContain(`View of tenant <strong>Mallory ${escapedScript}</strong> (mallory)`);
    expect(page).toContain(`<h3>okta ${escapedBreakout}</h3>`);
    expect(page).toContain(`aria-label="okta ${escapedBreakout}: 90-day uptime`);
    expect(page).toContain(`<h3>okta ${escapedBreakout}: degraded performance</h3>`);
    expect(page).toContain(`<h3>Upgrade ${escapedBreakout}</h3>`);
    expect(page).toContain(`<p>Details ${escapedScript}</p>`);
  });

  it('keeps them text in the Atom feed and the SVG badges', async () => {
    const feed = (await get(exporter.url, '/status/feed.atom', bearer)).text;
    expect(feed).not.toMatch(/<script|<img/);
    expect(feed).toContain(`<title>Acme ${escapedScript} status (Mallory ${escapedScript}): incidents</title>`);
    expect(feed).toContain(`<title>okta ${escapedBreakout}: degraded performance</title>`);

    const badge = (await get(exporter.url, '/status/badge.svg', bearer)).text;
    expect(badge).not.toMatch(/<script|<img/);
    expect(badge).toContain(`<title>Acme ${escapedScript}: `);
    const component = (await get(exporter.url, '/status/badge/connection-conn_mallory_okta.svg', bearer)).text;
    expect(component).toContain(`<title>okta ${escapedBreakout}: degraded performance</title>`);
  });
});

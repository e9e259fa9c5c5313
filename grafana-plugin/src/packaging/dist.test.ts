import fs from 'node:fs';
import path from 'node:path';

// Checks what Grafana loads: the built dist/, not the sources. `npm test` builds before running jest.
const DIST = path.resolve(__dirname, '../../dist');
const read = (file: string) => fs.readFileSync(path.join(DIST, file), 'utf8');

describe('dist/ package', () => {
  const raw = fs.existsSync(path.join(DIST, 'plugin.json')) ? read('plugin.json') : null;

  it('has been built', () => {
    expect(raw).not.toBeNull();
  });

  const plugin = raw ? JSON.parse(raw) : {};

  it('is a valid app plugin.json without placeholders', () => {
    expect(plugin.id).toBe('aperio-observability-app');
    expect(plugin.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*-app$/);
    expect(plugin.type).toBe('app');
    expect(plugin.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(raw).not.toMatch(/%[A-Z_]+%/);
    expect(fs.existsSync(path.join(DIST, 'module.js'))).toBe(true);
  });

  it('declares proxy routes with their Grafana roles and the token only as a header', () => {
    const roles = Object.fromEntries(plugin.routes.map((r: { path: string; reqRole: string }) => [r.path, r.reqRole]));
    expect(roles).toEqual({
      whoami: 'Viewer',
      health: 'Admin',
      'rule-runs': 'Editor',
      'connector-syncs': 'Editor',
      status: 'Viewer',
    });
    for (const route of plugin.routes) {
      expect(route.url).toMatch(/^\{\{ \.JsonData\.url \}\}\//);
    }
    // Every route sends the token: the status route too, so a tenant token shows that tenant's status view.
    const withToken = plugin.routes.filter((r: { headers?: Array<{ name: string; content: string }> }) =>
      r.headers?.some((h) => h.name === 'Authorization' && h.content === 'Bearer {{ .SecureJsonData.token }}')
    );
    expect(withToken.map((r: { path: string }) => r.path)).toEqual([
      'whoami',
      'health',
      'rule-runs',
      'connector-syncs',
      'status',
    ]);
  });

  it('ships every included dashboard as parseable JSON', () => {
    const dashboards = plugin.includes.filter((i: { type: string }) => i.type === 'dashboard');
    expect(dashboards.length).toBeGreaterThanOrEqual(7);
    for (const d of dashboards) {
      const dashboard = JSON.parse(read(d.path));
      expect(dashboard.uid).toMatch(/^aperio-/);
      expect(typeof dashboard.revision).toBe('number');
    }
  });

  it('has a changelog whose newest entry is the version it carries', () => {
    const newest = /^## (\S+)/m.exec(read('CHANGELOG.md'))?.[1];
    expect(newest).toBe(plugin.info.version);
  });

  it('ships the screenshots plugin.json lists, and the logo', () => {
    expect(plugin.info.screenshots.map((s: { name: string }) => s.name)).toEqual([
      'Health',
      'Rule audit log',
      'Status',
    ]);
    for (const shot of [...plugin.info.screenshots.map((s: { path: string }) => s.path), plugin.info.logos.large]) {
      expect([shot, fs.existsSync(path.join(DIST, shot)) && fs.statSync(path.join(DIST, shot)).size > 0]).toEqual([
        shot,
        true,
      ]);
    }
  });

  it('bundles dashboards that name no data source uid, so they work in any Grafana', () => {
    const dashboards = plugin.includes.filter((i: { type: string }) => i.type === 'dashboard');
    for (const d of dashboards) {
      const text = read(d.path);
      const uid = JSON.parse(text).uid;
      const datasourceUids = (text.match(/"uid": "[^"]*"/g) ?? []).filter((u) => u !== `"uid": "${uid}"`);
      expect([d.path, datasourceUids.filter((u) => u !== '"uid": "${datasource}"')]).toEqual([d.path, []]);
    }
  });
});

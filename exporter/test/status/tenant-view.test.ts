import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { revokeToken, createToken } from '../../src/auth/tokens';
import type { Exporter } from '../../src/server/start';
import { HISTORY_UNAVAILABLE } from '../../src/status/components';
import { get, token, type Answer } from '../api/helpers';
import { rebuildDailyRollups } from '../helpers/daily-rollups';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertRuleRun } from '../helpers/fixtures';
import { earlierToday, seedOutage } from './seed';
import { pageSchema, statusSchema, summarySchema } from './statuspage-schema';
import { STATUS_ROUTES } from './routes-list';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOUR = 3600_000;
const STATUS_PATHS = STATUS_ROUTES;

describe('status page seen with a tenant token', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const now = Date.now();
  const day = (hoursAgo: number) => new Date(Math.floor(now / HOUR) * HOUR - hoursAgo * HOUR).toISOString().slice(0, 10);
  const tokens: Record<'zorblax' | 'quintessa' | 'operator' | 'revoked', string> = {
    zorblax: '',
    quintessa: '',
    operator: '',
    revoked: '',
  };
  const summary = async (bearer?: string): Promise<Json> => (await get(exporter.url, '/status.json', bearer)).body as Json;
  const component = (s: Json, id: string): Json => (s.components as Json[]).find((c) => c.id === id)!;
  const uptimeOn = (c: Json, date: string) => (c.aperio_uptime_days as Json[]).find((d) => d.date === date);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedOutage(db.pool, now);
    const [zorblax, quintessa] = ['org_zorblax', 'org_quintessa'];
    // Rule history of both tenants five days ago, in the rollup; quintessa's rules also fail now.
    await db.pool.query(
      `INSERT INTO "RuleRunHourly" (hour, "organizationId", "ruleId", runs, failures, "durationCount", "durationMsSum", "durationMsMax", "durationBuckets", "eventsEvaluated", "findingsOpened")
       VALUES ($1, $2, 'rule_mfa', 7, 2, 7, 700, 100, '{}', 0, 0), ($1, $3, 'rule_mfa', 50, 50, 50, 5000, 100, '{}', 0, 0)`,
      [new Date(Math.floor(now / HOUR) * HOUR - 120 * HOUR), zorblax, quintessa],
    );
    await db.pool.query(
      `INSERT INTO "ConnectorSyncHourly" (hour, "connectionId", "organizationId", provider, runs, failures, "durationCount", "durationMsSum", "durationMsMax", "durationBuckets", "recordsIngested")
       VALUES ($1, 'conn_quintessa_okta', $2, 'okta', 4, 4, 4, 400, 100, '{}', 0)`,
      [new Date(Math.floor(now / HOUR) * HOUR - 72 * HOUR), quintessa],
    );
    await rebuildDailyRollups(db.pool);
    for (let i = 0; i < 3; i++) {
      await insertRuleRun(db.pool, {
        org: quintessa,
        ruleId: 'rule_mfa',
        startedAt: earlierToday(now, (2 + i) * 60_000),
        durationMs: 100,
        status: 'FAILED',
      });
    }
    tokens.zorblax = await token(db.pool, 'ADMIN', 'zorblax');
    tokens.quintessa = await token(db.pool, 'SECURITY_ANALYST', 'quintessa');
    tokens.operator = await token(db.pool, 'OPERATOR');
    const revoked = await createToken(db.pool, { role: 'OPERATOR' });
    await revokeToken(db.pool, revoked.record.id);
    tokens.revoked = revoked.token;
    exporter = await startTestExporter(db.url, { LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('shows a tenant its own connections and destinations, by name, in the Statuspage v2 shapes', async () => {
    const res = await get(exporter.url, '/status.json', tokens.zorblax);
    expect(res.status).toBe(200);
    const s = res.body as Json;
    const ajv = addFormats(new Ajv({ allErrors: true }));
    expect(ajv.validate(summarySchema, s) ? [] : ajv.errors).toEqual([]);
    expect(s.aperio_tenant).toEqual({ slug: 'zorblax', name: 'ZORBLAX' });
    expect(component(s, 'connectors').components).toEqual(['connection-conn_zorblax_github', 'connection-conn_zorblax_okta']);
    expect(component(s, 'siem').components).toEqual(['destination-dest_zorblax_splunk']);
    expect(component(s, 'detection').components).toEqual(['detection-rules', 'scheduled-runs']);
    expect(component(s, 'platform').components).toEqual(['ingestion-queue', 'data-freshness']);
    expect(component(s, 'connection-conn_zorblax_okta')).toMatchObject({ name: 'okta of org_zorblax', description: 'Syncs from Okta.' });
    expect(component(s, 'destination-dest_zorblax_splunk')).toMatchObject({ name: 'SPLUNK_HEC of org_zorblax', status: 'operational' });

    const status = (await get(exporter.url, '/api/v2/status.json', tokens.zorblax)).body as Json;
    expect(ajv.validate(pageSchema, status.page) && ajv.validate(statusSchema, status.status)).toBe(true);
    const components = (await get(exporter.url, '/api/v2/components.json', tokens.zorblax)).body as Json;
    expect(components.components).toEqual(s.components);
  });

  it("judges each tenant's objects by themselves: a stale connection degrades its own tenant's view only", async () => {
    const z = await summary(tokens.zorblax);
    expect(component(z, 'connection-conn_zorblax_okta')).toMatchObject({
      status: 'degraded_performance',
      aperio_reasons: ['stale: last successful sync 2 h ago'],
    });
    expect(component(z, 'connection-conn_zorblax_github').status).toBe('operational');
    expect(component(z, 'connectors').status).toBe('degraded_performance');
    expect(component(z, 'detection-rules').status).toBe('operational');
    expect(z.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });

    const q = await summary(tokens.quintessa);
    expect(component(q, 'connectors').components).toEqual(['connection-conn_quintessa_okta']);
    expect(component(q, 'destination-dest_quintessa_hook')).toMatchObject({
      status: 'major_outage',
      aperio_reasons: ['dead-lettering or stuck: 4 dead letters'],
    });
    expect(component(q, 'detection-rules')).toMatchObject({
      status: 'partial_outage',
      aperio_reasons: ['3 of 4 runs failed in the last hour'],
    });
    expect(q.status.indicator).toBe('critical');
    const incidents = (await get(exporter.url, '/api/v2/incidents/unresolved.json', tokens.quintessa)).body as Json;
    expect((incidents.incidents as Json[]).map((i) => i.name)).toEqual(expect.arrayContaining(['WEBHOOK of org_quintessa: major outage']));
  });

  it("never shows another tenant's names or ids, in any status output", async () => {
    const pairs = [
      { bearer: tokens.zorblax, own: 'zorblax', other: 'quintessa' },
      { bearer: tokens.quintessa, own: 'quintessa', other: 'zorblax' },
    ];
    for (const { bearer, own, other } of pairs) {
      const ids = ((await summary(bearer)).components as Json[]).map((c) => c.id as string);
      const paths = [...STATUS_PATHS, ...ids.map((id) => `/status/badge/${id}.svg`)];
      const bodies: Answer[] = [];
      for (const p of paths) bodies.push(await get(exporter.url, p, bearer));
      for (const [i, res] of bodies.entries()) {
        expect({ path: paths[i], status: res.status, leaks: res.text.toLowerCase().includes(other) }).toEqual({
          path: paths[i],
          status: 200,
          leaks: false,
        });
      }
      expect(bodies[0].text).toContain(`View of tenant <strong>${own.toUpperCase()}</strong> (${own})`);
      expect(bodies[0].text).toContain(`okta of org_${own}`);
      expect(bodies[6].text).toContain(`${own.toUpperCase()}`);
    }
    const feed = await get(exporter.url, '/status/feed.atom', tokens.quintessa);
    expect(feed.text).toContain('<title>WEBHOOK of org_quintessa: major outage</title>');
  });

  it("draws a tenant's 90-day bars from its own runs: rollups before the watermark plus raw runs since", async () => {
    const z = await summary(tokens.zorblax);
    expect(uptimeOn(component(z, 'connection-conn_zorblax_okta'), day(72))).toEqual({
      date: day(72),
      runs: 10,
      failures: 1,
      uptime: 0.9,
      status: 'degraded_performance',
    });
    expect(uptimeOn(component(z, 'connection-conn_zorblax_github'), day(0))).toMatchObject({ runs: 1, failures: 0 });
    const zRules = component(z, 'detection-rules');
    expect(uptimeOn(zRules, day(120))).toMatchObject({ runs: 7, failures: 2 });
    expect(uptimeOn(zRules, day(0))).toMatchObject({ runs: 1, failures: 0 });
    expect((zRules.aperio_uptime_days as Json[]).reduce((n, d) => n + d.runs, 0)).toBe(8);

    const q = await summary(tokens.quintessa);
    expect(uptimeOn(component(q, 'connection-conn_quintessa_okta'), day(72))).toMatchObject({ runs: 4, failures: 4 });
    expect(uptimeOn(component(q, 'detection-rules'), day(120))).toMatchObject({ runs: 50, failures: 50 });
    expect(uptimeOn(component(q, 'detection-rules'), day(0))).toMatchObject({ runs: 4, failures: 3 });
  });

  it('gives an OPERATOR token the public view, privately', async () => {
    const pub = await get(exporter.url, '/status.json');
    const op = await get(exporter.url, '/status.json', tokens.operator);
    expect(op.status).toBe(200);
    expect(op.text).toBe(pub.text);
    expect(op.body.aperio_tenant).toBeUndefined();
    expect(pub.headers.get('access-control-allow-origin')).toBe('*');
    expect(pub.headers.get('cache-control')).toBe('no-cache');
    for (const res of [op, await get(exporter.url, '/status/badge.svg', tokens.zorblax)]) {
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(res.headers.get('vary')).toMatch(/Authorization/);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    const etag = (await get(exporter.url, '/status', tokens.zorblax)).headers.get('etag')!;
    const again = await fetch(`${exporter.url}/status`, { headers: { authorization: `Bearer ${tokens.zorblax}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers an unknown or revoked token with 401 and the API error shape, never with the public view', async () => {
    for (const [bearer, p] of [
      ['apo_nope', '/status'],
      [tokens.revoked, '/status.json'],
      ['apo_nope', '/status/feed.atom'],
      [tokens.revoked, '/status/badge/connectors.svg'],
    ]) {
      const res = await get(exporter.url, p, bearer);
      expect({ p, status: res.status }).toEqual({ p, status: 401 });
      expect(res.body).toEqual({ error: { code: 'invalid_token', message: 'the token is unknown or revoked', field: null } });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    // Another scheme is no token at all: a proxy's Basic credentials still get the public page.
    const basic = await fetch(`${exporter.url}/status.json`, { headers: { authorization: 'Basic dXNlcjpwdw==' } });
    expect(basic.status).toBe(200);
  });

  it('answers public requests without touching the database, and reads a tenant history once per snapshot', async () => {
    await exporter.collector.refresh();
    let acquired = 0;
    const count = () => (acquired += 1);
    for (const pool of Object.values(exporter.pools)) pool.on('acquire', count);
    try {
      for (const p of STATUS_PATHS) expect((await get(exporter.url, p)).status).toBe(200);
      expect(acquired).toBe(0);
      await get(exporter.url, '/status.json', tokens.zorblax);
      expect(acquired).toBeGreaterThanOrEqual(2); // the token, then the tenant's history
      acquired = 0;
      await get(exporter.url, '/status', tokens.zorblax);
      expect(acquired).toBe(1); // the token only: the view is cached for this snapshot
    } finally {
      for (const pool of Object.values(exporter.pools)) pool.off('acquire', count);
    }
  });

  it('serves the view without bars and says so when the history cannot be read', async () => {
    await db.pool.query(`ALTER TABLE "RuleRunDaily" RENAME TO "RuleRunDaily_away"`);
    try {
      await exporter.collector.refresh();
      const res = await get(exporter.url, '/status.json', tokens.zorblax);
      expect(res.status).toBe(200);
      const rules = component(res.body as Json, 'detection-rules');
      expect(rules.aperio_reasons).toEqual([HISTORY_UNAVAILABLE]);
      expect(rules.aperio_uptime_90d).toBeNull();
      expect(component(res.body as Json, 'connection-conn_zorblax_okta').aperio_reasons).toEqual([
        'stale: last successful sync 2 h ago',
        HISTORY_UNAVAILABLE,
      ]);
    } finally {
      await db.pool.query(`ALTER TABLE "RuleRunDaily_away" RENAME TO "RuleRunDaily"`);
    }
  });
});

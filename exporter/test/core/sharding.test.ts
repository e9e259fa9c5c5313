import { seedDemo } from '../../src/demo/seed';
import { DOMAIN_FAMILIES, FAMILY_SCOPES } from '../../src/metrics/catalogue';
import { exporterFamilies } from '../../src/server/self-metrics';
import { shardOfTenant, tenantHash } from '../../src/metrics/shard';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertConnector, insertDestination, insertJobs, insertRule, insertRuleRun, insertSync, insertTenant } from '../helpers/fixtures';

const NOW = Date.now();
const TOTAL = 3;
/** The families about the process or replica that serves them (every replica has its own), not about Aperio. */
const PER_REPLICA = /^(process_|nodejs_|aperio_exporter_|aperio_monitor_)/;

interface Line {
  name: string;
  labels: Record<string, string>;
  /** name{labels} value, labels sorted. */
  text: string;
}

const scrape = async (e: Exporter) => lines(await (await fetch(`${e.url}/metrics`)).text());

function lines(exposition: string): Line[] {
  const out: Line[] = [];
  for (const line of exposition.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparseable exposition line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const sorted = Object.keys(labels)
      .sort()
      .map((k) => `${k}="${labels[k]}"`)
      .join(',');
    out.push({ name: match[1], labels, text: `${match[1]}{${sorted}} ${match[3]}` });
  }
  return out;
}

describe('sharding (SHARD, TOTAL_SHARDS)', () => {
  let db: TestDatabase;
  const exporters: Exporter[] = [];
  let unsharded: Line[];
  let shards: Line[][];
  // SHARD_COLLECTION=own: shards that collect only their tenants, and the platform replica beside them.
  const own: Exporter[] = [];
  let platform: Exporter;
  let wholeExporter: Exporter;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.pool, NOW);
    // Eighteen more tenants besides the demo's six, each with a connector, a destination, a rule and jobs.
    const ago = (m: number) => new Date(NOW - m * 60_000);
    for (let i = 1; i <= 18; i++) {
      const org = await insertTenant(db.pool, `tenant-${i}`);
      await insertConnector(db.pool, { id: `conn-${i}`, org, provider: i % 2 ? 'okta' : 'github', lastSyncAt: ago(i * 10) });
      await insertSync(db.pool, {
        connectionId: `conn-${i}`,
        org,
        provider: i % 2 ? 'okta' : 'github',
        startedAt: ago(i * 10),
        durationMs: 1000 * i,
        status: i % 5 ? 'SUCCEEDED' : 'FAILED',
        records: i,
      });
      await insertDestination(db.pool, { id: `dest-${i}`, org, kind: 'WEBHOOK', ok: 10 * i, fail: i % 3, lastDeliveryAt: ago(i) });
      await insertRule(db.pool, { id: `rule-${i}`, org, key: 'custom_rule', interval: 3600 });
      await insertRuleRun(db.pool, {
        org,
        ruleId: `rule-${i}`,
        startedAt: ago(i),
        durationMs: 20 * i,
        status: 'SUCCEEDED',
        events: i,
        findings: i % 2,
      });
      await insertJobs(db.pool, { org, kind: 'events', status: 'QUEUED', count: i, createdAt: ago(i) });
    }
    // One clock for all four, so that every age-dependent value (freshness, missed slots) is the same.
    const clock = () => NOW;
    exporters.push(await startTestExporter(db.url, {}, { clock }));
    for (let shard = 0; shard < TOTAL; shard++)
      exporters.push(await startTestExporter(db.url, { SHARD: String(shard), TOTAL_SHARDS: String(TOTAL) }, { clock }));
    for (let shard = 0; shard < TOTAL; shard++)
      own.push(await startTestExporter(db.url, { SHARD: String(shard), TOTAL_SHARDS: String(TOTAL), SHARD_COLLECTION: 'own' }, { clock }));
    platform = await startTestExporter(db.url, { SHARD: 'platform', TOTAL_SHARDS: String(TOTAL) }, { clock });
    exporters.push(...own, platform);
    wholeExporter = exporters[0];
    [unsharded, ...shards] = await Promise.all(exporters.slice(0, TOTAL + 1).map(scrape));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(exporters.map((e) => e.stop()));
    await db?.drop();
  });

  const aperio = (ls: Line[]) => ls.filter((l) => !PER_REPLICA.test(l.name));
  const tenantsOf = (ls: Line[]) => new Set(ls.flatMap((l) => (l.labels.tenant ? [l.labels.tenant] : [])));

  it('together expose exactly the series of one unsharded exporter, values included', () => {
    const union = shards
      .flatMap(aperio)
      .map((l) => l.text)
      .sort();
    const whole = aperio(unsharded)
      .map((l) => l.text)
      .sort();
    expect(whole.length).toBeGreaterThan(500);
    expect(union).toEqual(whole);
  });

  it('expose no series on two shards', () => {
    const seen = new Map<string, number>();
    const twice: string[] = [];
    shards.forEach((ls, shard) => {
      for (const l of aperio(ls)) {
        const key = l.text.replace(/ \S+$/, '');
        if (seen.has(key)) twice.push(`${key} on shards ${seen.get(key)} and ${shard}`);
        seen.set(key, shard);
      }
    });
    expect(twice).toEqual([]);
  });

  it('give each shard the tenants whose hash falls in it, and each shard some', () => {
    const all = [...tenantsOf(unsharded)].sort();
    expect(all.length).toBe(24);
    shards.forEach((ls, shard) => {
      const mine = [...tenantsOf(ls)].sort();
      expect(mine.length).toBeGreaterThan(0);
      expect(mine).toEqual(all.filter((t) => shardOfTenant(t, TOTAL) === shard));
    });
  });

  it('uses a hash PostgreSQL computes the same, as docs/sharding.md writes it', async () => {
    const { rows } = await db.pool.query<{ slug: string; shard: number }>(
      `SELECT slug, (('x' || lpad(left(md5(slug), 8), 16, '0'))::bit(64)::bigint % $1)::int AS shard FROM "Organization" ORDER BY slug`,
      [TOTAL],
    );
    expect(rows).toHaveLength(24);
    expect(rows.map((r) => [r.slug, r.shard])).toEqual(rows.map((r) => [r.slug, shards.findIndex((ls) => tenantsOf(ls).has(r.slug))]));
  });

  it('expose the platform-wide families (no tenant label) on shard 0 only', () => {
    const platform = (ls: Line[]) => aperio(ls).filter((l) => !l.labels.tenant);
    expect(platform(shards[0]).map((l) => l.name)).toEqual(
      expect.arrayContaining([
        'aperio_status_indicator',
        'aperio_connector_sync_duration_seconds_bucket',
        'aperio_rule_run_duration_seconds_count',
      ]),
    );
    expect(platform(shards[1])).toEqual([]);
    expect(platform(shards[2])).toEqual([]);
  });

  it('each replica exposes its own health and which shard it is', () => {
    const info = (ls: Line[]) => ls.filter((l) => l.name === 'aperio_exporter_shard_info').map((l) => l.text);
    expect(info(unsharded)).toEqual(['aperio_exporter_shard_info{collection="whole",shard="0",total_shards="1"} 1']);
    shards.forEach((ls, shard) => {
      expect(info(ls)).toEqual([`aperio_exporter_shard_info{collection="whole",shard="${shard}",total_shards="${TOTAL}"} 1`]);
      expect(ls.filter((l) => l.name === 'aperio_exporter_collect_success').length).toBeGreaterThan(0);
    });
  });

  describe('shards that collect only their tenants (SHARD_COLLECTION=own) and the platform replica', () => {
    const union = async () =>
      (await Promise.all([...own, platform].map(scrape)))
        .flatMap(aperio)
        .map((l) => l.text)
        .sort();
    const whole = async () =>
      aperio(await scrape(wholeExporter))
        .map((l) => l.text)
        .sort();

    it('together expose exactly the series of one unsharded exporter, values included', async () => {
      const expected = await whole();
      expect(expected.length).toBeGreaterThan(500);
      expect(await union()).toEqual(expected);
    });

    it('collect only the tenants of their shard, each object of them, as the database counts them', async () => {
      const { rows } = await db.pool.query<{ table: string; tenant: string; n: number }>(`
        SELECT 'connectors' AS table, o.slug AS tenant, count(*)::int AS n FROM "IntegrationConnection" c JOIN "Organization" o ON o.id = c."organizationId" GROUP BY o.slug
        UNION ALL SELECT 'siem', o.slug, count(*)::int FROM "SiemDestination" d JOIN "Organization" o ON o.id = d."organizationId" GROUP BY o.slug
        UNION ALL SELECT 'tenants', slug, 1 FROM "Organization"`);
      own.forEach((exporter, shard) => {
        const snapshot = exporter.collector.snapshot;
        const counted = (table: string) =>
          rows.filter((r) => r.table === table && shardOfTenant(r.tenant, TOTAL) === shard).reduce((n, r) => n + r.n, 0);
        expect(snapshot.connectors.length).toBe(counted('connectors'));
        expect(snapshot.siemDestinations.length).toBe(counted('siem'));
        expect(snapshot.tenants.length).toBe(counted('tenants'));
        expect(snapshot.connectors.length).toBeGreaterThan(0);
        const tenants = [
          ...snapshot.tenants.map((t) => t.slug),
          ...snapshot.connectors.map((c) => c.tenant),
          ...snapshot.siemDestinations.map((d) => d.tenant),
          ...snapshot.ingestion.map((q) => q.tenant),
          ...snapshot.rules.map((r) => r.tenant),
        ];
        expect(tenants.filter((t) => shardOfTenant(t, TOTAL) !== shard)).toEqual([]);
        expect(snapshot.collections.every((c) => c.success)).toBe(true);
      });
      // The platform replica holds every tenant: the status page and the API need them all.
      expect(platform.collector.snapshot.connectors.length).toBe(wholeExporter.collector.snapshot.connectors.length);
    });

    it('still agree with one unsharded exporter after writes, read incrementally', async () => {
      const org = await insertTenant(db.pool, 'tenant-late');
      await insertConnector(db.pool, { id: 'conn-late', org, provider: 'okta', lastSyncAt: new Date(NOW - 60_000) });
      await insertSync(db.pool, {
        connectionId: 'conn-late',
        org,
        provider: 'okta',
        startedAt: new Date(NOW - 60_000),
        durationMs: 900,
        status: 'SUCCEEDED',
      });
      for (let i = 1; i <= 6; i++) {
        const tenant = await db.pool.query<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [`tenant-${i}`]);
        await insertSync(db.pool, {
          connectionId: `conn-${i}`,
          org: tenant.rows[0].id,
          provider: i % 2 ? 'okta' : 'github',
          startedAt: new Date(NOW - 30_000),
          durationMs: 500,
          status: 'FAILED',
        });
        await insertRuleRun(db.pool, {
          org: tenant.rows[0].id,
          ruleId: `rule-${i}`,
          startedAt: new Date(NOW - 30_000),
          durationMs: 7,
          status: 'FAILED',
        });
      }
      // Every replica of the file collects again, so that the later tests see the same database.
      await Promise.all(exporters.map((e) => e.collector.refresh()));
      const expected = await whole();
      expect(expected.some((l) => l.includes('tenant="tenant-late"'))).toBe(true);
      expect(await union()).toEqual(expected);
    });

    it('the shards expose no platform-wide family, the platform replica nothing per tenant', async () => {
      const platformWide = (ls: Line[]) => aperio(ls).filter((l) => !l.labels.tenant);
      for (const exporter of own) {
        const ls = await scrape(exporter);
        expect(platformWide(ls)).toEqual([]);
        expect(tenantsOf(ls).size).toBeGreaterThan(0);
      }
      const ls = await scrape(platform);
      expect(tenantsOf(ls).size).toBe(0);
      expect(platformWide(ls).map((l) => l.name)).toEqual(
        expect.arrayContaining(['aperio_status_indicator', 'aperio_rule_run_duration_seconds_count']),
      );
      const info = (e: Exporter) => scrape(e).then((l) => l.filter((x) => x.name === 'aperio_exporter_shard_info').map((x) => x.text));
      expect(await info(own[1])).toEqual([`aperio_exporter_shard_info{collection="own",shard="1",total_shards="${TOTAL}"} 1`]);
      expect(await info(platform)).toEqual([`aperio_exporter_shard_info{collection="whole",shard="platform",total_shards="${TOTAL}"} 1`]);
    });

    it('a shard answers the status page and the API with 404 and where to go; the platform replica serves them whole', async () => {
      for (const path of ['/status.json', '/status', '/api/v1/whoami']) {
        const res = await fetch(`${own[0].url}${path}`);
        expect(res.status).toBe(404);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('not_served_here');
        expect(body.error.message).toMatch(/SHARD=platform/);
      }
      expect((await fetch(`${own[0].url}/readyz`)).status).toBe(200);
      const components = async (e: Exporter) => {
        const page = (await (await fetch(`${e.url}/status.json`)).json()) as { components: { id: string; status: string }[] };
        return page.components.map((c) => `${c.id} ${c.status}`);
      };
      const expected = await components(wholeExporter);
      expect(expected.length).toBeGreaterThan(3);
      expect(await components(platform)).toEqual(expected);
    });
  });

  it('falls back over the series budget to per-tenant detail at most, never to platform sums split across shards', async () => {
    const tight = await startTestExporter(
      db.url,
      { SHARD: '1', TOTAL_SHARDS: String(TOTAL), METRICS_SERIES_LIMIT: '100' },
      { clock: () => NOW },
    );
    exporters.push(tight);
    const ls = lines(await (await fetch(`${tight.url}/metrics`)).text());
    const value = (name: string) => ls.filter((l) => l.name === name).map((l) => l.text.replace(/^\S+\{/, '{'));
    expect(value('aperio_exporter_series')[0]).toMatch(/^\{detail="tenant"\} \d+$/);
    expect(value('aperio_exporter_series_limited')).toEqual(['{} 1']);
    expect(tenantsOf(ls)).toEqual(tenantsOf(await scrape(exporters[2])));
  });
});

describe('the sharding catalogue', () => {
  it('classifies every family the exporter exposes, and nothing else', () => {
    const names = [...DOMAIN_FAMILIES, ...exporterFamilies({ series: 0, detail: 'object', limited: false })].map((f) => f.name);
    expect(Object.keys(FAMILY_SCOPES).sort()).toEqual([...names].sort());
  });

  it('hashes tenants by the first 32 bits of the MD5 of their UTF-8 slug (RFC 1321 test vectors)', () => {
    expect(tenantHash('')).toBe(0xd41d8cd9);
    expect(tenantHash('abc')).toBe(0x90015098);
    expect(tenantHash('message digest')).toBe(0xf96b697d);
  });
});

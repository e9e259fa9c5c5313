import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertDestination, insertJobs, insertRule, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, insertSyncRuns, startApiExporter, token, type Answer } from './helpers';

const TENANTS = ['acme', 'globex', 'initech'];
const ITERATIONS = 400;

/** Small deterministic PRNG so that a failure names a seed that reproduces it. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: T[]): T => items[Math.floor(next() * items.length)] };
}

describe("a tenant token never sees another tenant's rows", () => {
  let db: TestDatabase;
  let exporter: Exporter;
  const tokens: Record<string, string[]> = {};
  const ruleRunIds: Record<string, string[]> = {};
  const syncIds: Record<string, string[]> = {};
  const cursors: string[] = [];
  const ruleNames: string[] = ['builtin_rule', 'watchlist'];
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertRule(db.pool, { id: 'builtin_rule', org: null, key: 'mfa_disabled' });
    const now = Date.now();
    for (const slug of TENANTS) {
      const org = await insertTenant(db.pool, slug);
      await insertRule(db.pool, { id: `r_${slug}`, org, key: 'watchlist' });
      ruleNames.push(`r_${slug}`);
      await insertConnector(db.pool, { id: `c_${slug}`, org, provider: 'okta', lastSyncAt: new Date(now) });
      await insertDestination(db.pool, { id: `d_${slug}`, org, kind: 'WEBHOOK', ok: 1, fail: 1 });
      await insertJobs(db.pool, { org, kind: 'events', status: 'QUEUED', count: 2, createdAt: new Date(now) });
      await insertRuleRuns(db.pool, { org, ruleId: `r_${slug}`, count: 40, newest: new Date(now - 1_000), stepMs: 61_000, findings: 2 });
      await insertRuleRuns(db.pool, {
        org,
        ruleId: 'builtin_rule',
        count: 40,
        newest: new Date(now - 2_000),
        stepMs: 59_000,
        status: 'FAILED',
      });
      await insertSyncRuns(db.pool, {
        org,
        connectionId: `c_${slug}`,
        provider: 'okta',
        count: 40,
        newest: new Date(now - 3_000),
        stepMs: 60_000,
      });
      tokens[slug] = [await token(db.pool, 'ADMIN', slug), await token(db.pool, 'SECURITY_ANALYST', slug)];
      ruleRunIds[slug] = (
        await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM "RuleRun" WHERE "organizationId" = $1`, [org])
      ).rows.map((r) => r.id);
      syncIds[slug] = (
        await db.pool.query<{ id: string }>(`SELECT id::text AS id FROM "ConnectorSyncRun" WHERE "organizationId" = $1`, [org])
      ).rows.map((r) => r.id);
    }
    exporter = await startApiExporter(db.url);
    // Cursors issued to every tenant (and to an operator), for every resource and some filter sets.
    const operator = await token(db.pool, 'OPERATOR');
    for (const bearer of [...Object.values(tokens).flat(), operator]) {
      for (const path of [
        '/api/v1/rule-runs?limit=5',
        '/api/v1/connector-syncs?limit=5',
        '/api/v1/rule-runs?limit=3&rule=watchlist',
        '/api/v1/rule-runs?limit=4&status=FAILED',
      ]) {
        const answer = await get(exporter.url, path, bearer);
        for (const link of [answer.body.links.next, answer.body.links.poll]) {
          if (link) cursors.push(new URL(link, exporter.url).searchParams.get('cursor')!);
        }
      }
    }
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it(`holds for ${ITERATIONS} random combinations of routes, parameters and cursors`, async () => {
    const seed = Number(process.env.ISOLATION_SEED ?? Date.now() % 100_000);
    const random = prng(seed);
    const statuses = new Map<number, number>();
    for (let i = 0; i < ITERATIONS; i++) {
      const tenant = random.pick(TENANTS);
      const bearer = random.pick(tokens[tenant]);
      const resource = random.pick(['rule-runs', 'connector-syncs']);
      const kind = random.pick(['list', 'list', 'export', 'detail', 'health', 'schedules']);
      const params = new URLSearchParams();
      const maybe = (p: number, key: string, value: () => string) => random.next() < p && params.set(key, value());
      let path: string;
      if (kind === 'detail') {
        const ids = resource === 'rule-runs' ? ruleRunIds : syncIds;
        path = `/api/v1/${resource}/${random.pick(ids[random.pick(TENANTS)])}`;
      } else if (kind === 'schedules') {
        path = '/api/v1/schedules';
        maybe(0.4, 'tenant', () => random.pick(TENANTS));
        maybe(0.3, 'rule', () => random.pick(ruleNames));
        maybe(0.2, 'connector', () => `c_${random.pick(TENANTS)}`);
      } else if (kind === 'health') {
        path = `/api/v1/health/${random.pick(['connectors', 'siem', 'ingestion'])}`;
        maybe(0.5, 'tenant', () => random.pick(TENANTS));
      } else {
        path = `/api/v1/${resource}${kind === 'export' ? '/export' : ''}`;
        maybe(0.4, 'tenant', () => random.pick(TENANTS));
        if (resource === 'rule-runs') maybe(0.4, 'rule', () => random.pick(ruleNames));
        else maybe(0.4, 'connector', () => `c_${random.pick(TENANTS)}`);
        maybe(0.2, 'status', () => random.pick(['FAILED', 'SUCCEEDED', 'FAILED,SUCCEEDED']));
        if (kind === 'export') params.set('format', random.pick(['csv', 'ndjson']));
        else {
          maybe(0.3, 'limit', () => String(1 + Math.floor(random.next() * 60)));
          maybe(0.6, 'cursor', () => random.pick(cursors));
        }
      }
      const url = params.size ? `${path}?${params}` : path;
      const answer = await get(exporter.url, url, bearer);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const where = `seed ${seed}, request ${i}: ${tenant} GET ${url} → ${answer.status}`;
      expect([200, 400, 403, 404]).toContain(answer.status);
      for (const row of rowsOf(answer)) {
        if (row.tenant !== tenant) throw new Error(`${where} returned a row of ${String(row.tenant)}`);
      }
      for (const other of TENANTS.filter((t) => t !== tenant)) {
        if (answer.text.includes(`"tenant":"${other}"`) || answer.text.includes(`,${other},`) || answer.text.includes(`org_${other}`)) {
          throw new Error(`${where} mentions ${other}`);
        }
      }
      // Following any link given back stays inside the tenant too.
      if (answer.status === 200 && answer.body?.links?.next) {
        const next = await get(exporter.url, answer.body.links.next, bearer);
        for (const row of rowsOf(next))
          if (row.tenant !== tenant) throw new Error(`${where}: its next link returned a row of ${String(row.tenant)}`);
      }
    }
    // The walk reached both the answering and the refusing paths.
    expect(statuses.get(200)).toBeGreaterThan(50);
    expect((statuses.get(400) ?? 0) + (statuses.get(403) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(50);
  });
});

function rowsOf(answer: Answer): Record<string, unknown>[] {
  if (answer.status !== 200) return [];
  if (answer.body) return Array.isArray(answer.body.data) ? answer.body.data : [answer.body.data];
  const type = answer.headers.get('content-type') ?? '';
  const lines = answer.text.trimEnd().split('\n').filter(Boolean);
  if (type.includes('ndjson')) return lines.map((line) => JSON.parse(line));
  const header = lines[0].split(',');
  const tenantColumn = header.indexOf('tenant');
  return lines.slice(1).map((line) => ({ tenant: line.split(',')[tenantColumn] }));
}

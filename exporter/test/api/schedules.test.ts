import type pg from 'pg';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertTenant } from '../helpers/fixtures';
import { get, startApiExporter, roleTokens } from './helpers';

const HOUR = 3600_000;
const now = Date.now();
// A window of 24 whole hours that ended at the last full hour: every slot in it is past its grace.
const to = Math.floor(now / HOUR) * HOUR;
const from = to - 24 * HOUR;
const window = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
const skipped = to - 5 * HOUR;

async function ruleRunAt(pool: pg.Pool, org: string, ruleId: string, slot: number): Promise<void> {
  await pool.query(
    `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "scheduledFor", "startedAt", "finishedAt", "durationMs", status)
     VALUES ($1, $2, 'SCHEDULE', $3, $3::timestamptz + interval '3 seconds', $3::timestamptz + interval '5 seconds', 2000, 'SUCCEEDED')`,
    [org, ruleId, new Date(slot)],
  );
}

async function syncAt(pool: pg.Pool, org: string, connectionId: string, startedAt: number): Promise<void> {
  await pool.query(
    `INSERT INTO "ConnectorSyncRun" ("organizationId", "connectionId", provider, trigger, "startedAt", "finishedAt", "durationMs", status)
     VALUES ($1, $2, 'okta', 'SCHEDULE', $3, $3::timestamptz + interval '2 seconds', 2000, 'SUCCEEDED')`,
    [org, connectionId, new Date(startedAt)],
  );
}

describe('GET /api/v1/schedules', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let admin: string;
  let analyst: string;
  let otherAdmin: string;
  let operator: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const acme = await insertTenant(db.pool, 'acme');
    const globex = await insertTenant(db.pool, 'globex');
    await insertRule(db.pool, { id: 'r_hourly', org: acme, key: 'hourly_check', interval: 3600 });
    await insertRule(db.pool, { id: 'r_globex', org: globex, key: 'hourly_check', interval: 3600 });
    await insertRule(db.pool, { id: 'builtin', org: null, key: 'mfa_disabled', interval: 3600 });
    await insertRule(db.pool, { id: 'r_unscheduled', org: acme, key: 'on_demand' });
    await insertRule(db.pool, { id: 'r_disabled', org: acme, key: 'switched_off', interval: 3600, enabled: false });
    await db.pool.query(
      `INSERT INTO "DetectionRule" (id, "organizationId", key, name, "scheduleCron") VALUES ('r_daily', $1, 'daily_report', 'daily report', '0 9 * * *')`,
      [acme],
    );
    for (let slot = from - 3 * HOUR; slot < now; slot += HOUR) {
      if (slot !== skipped) await ruleRunAt(db.pool, acme, 'r_hourly', slot);
      await ruleRunAt(db.pool, acme, 'builtin', slot);
    }
    // Connectors: syncs without scheduledFor serve the slot they started in.
    await insertConnector(db.pool, { id: 'c_acme', org: acme, provider: 'okta', lastSyncAt: new Date(now), interval: 1800 });
    await insertConnector(db.pool, { id: 'c_paused', org: acme, provider: 'okta', lastSyncAt: null, interval: 1800, status: 'PAUSED' });
    await insertConnector(db.pool, { id: 'c_globex', org: globex, provider: 'okta', lastSyncAt: new Date(now), interval: 1800 });
    for (let slot = from; slot < to; slot += HOUR / 2) {
      if (slot !== skipped + HOUR / 2) await syncAt(db.pool, acme, 'c_acme', slot + 7_000);
      await syncAt(db.pool, globex, 'c_globex', slot + 7_000);
    }
    ({ admin, analyst, otherAdmin, operator } = await roleTokens(db.pool, 'acme', 'globex'));
    exporter = await startApiExporter(db.url);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const item = (body: { data: any[] }, tenant: string, id: string) => body.data.find((d) => d.tenant === tenant && d.id === id);

  it('shows exactly the skipped slot of an hourly rule as missed, and the run that served every other slot', async () => {
    const answer = await get(exporter.url, `/api/v1/schedules?kind=rule&rule=hourly_check&${window}`, admin);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(1);
    const rule = answer.body.data[0];
    expect(rule).toMatchObject({
      kind: 'rule',
      tenant: 'acme',
      id: 'r_hourly',
      key: 'hourly_check',
      schedule: { intervalSeconds: 3600 },
      graceSeconds: 1800,
    });
    expect(rule.slots).toHaveLength(24);
    expect(rule.counts).toEqual({ ran: 23, missed: 1, pending: 0 });
    const missed = rule.slots.filter((s: { state: string }) => s.state === 'missed');
    expect(missed).toEqual([{ at: new Date(skipped).toISOString(), state: 'missed', run: null }]);
    for (const slot of rule.slots.filter((s: { state: string }) => s.state === 'ran')) {
      expect(slot.run).toMatchObject({ status: 'SUCCEEDED', scheduledFor: slot.at });
      expect(typeof slot.run.id).toBe('string');
    }
    expect(answer.body.window).toEqual({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    expect(answer.body.tenant).toBe('acme');
  });

  it('lists scheduled rules (built-in ones per tenant) and active connectors only', async () => {
    const answer = await get(exporter.url, `/api/v1/schedules?${window}`, analyst);
    expect(answer.status).toBe(200);
    const ids = answer.body.data.map((d: { kind: string; id: string }) => `${d.kind}:${d.id}`).sort();
    expect(ids).toEqual(['connector:c_acme', 'rule:builtin', 'rule:r_daily', 'rule:r_hourly']);
    expect(item(answer.body, 'acme', 'builtin').counts).toEqual({ ran: 24, missed: 0, pending: 0 });
    const daily = item(answer.body, 'acme', 'r_daily');
    expect(daily.schedule).toEqual({ cron: '0 9 * * *', timezone: 'UTC', intervalSeconds: null });
    expect(daily.slots.map((s: { at: string }) => s.at)).toEqual([
      new Date(from + ((9 * HOUR - (from % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR))).toISOString(),
    ]);
  });

  it('matches connector syncs by start time: the slot without a sync is missed', async () => {
    const answer = await get(exporter.url, `/api/v1/schedules?connector=c_acme&${window}`, admin);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(1);
    const connector = answer.body.data[0];
    expect(connector).toMatchObject({ kind: 'connector', id: 'c_acme', provider: 'okta', key: null, schedule: { intervalSeconds: 1800 } });
    expect(connector.counts).toEqual({ ran: 47, missed: 1, pending: 0 });
    expect(connector.slots.find((s: { state: string }) => s.state === 'missed').at).toBe(new Date(skipped + HOUR / 2).toISOString());
  });

  it('marks slots still within their grace, or in the future, as pending rather than missed', async () => {
    const answer = await get(
      exporter.url,
      `/api/v1/schedules?rule=r_globex&from=${new Date(to - 3 * HOUR).toISOString()}&to=${new Date(to + 3 * HOUR).toISOString()}`,
      otherAdmin,
    );
    expect(answer.status).toBe(200);
    const slots = answer.body.data[0].slots as { at: string; state: string }[];
    expect(slots).toHaveLength(6);
    for (const slot of slots) expect(slot.state).toBe(Date.now() - Date.parse(slot.at) >= 1800_000 ? 'missed' : 'pending');
    expect(slots.filter((s) => s.state === 'pending').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps tenants apart: a tenant token sees its own schedules and runs only', async () => {
    const globex = await get(exporter.url, `/api/v1/schedules?${window}`, otherAdmin);
    expect(globex.status).toBe(200);
    expect(new Set(globex.body.data.map((d: { tenant: string }) => d.tenant))).toEqual(new Set(['globex']));
    // acme's runs of the built-in rule do not serve globex's slots.
    expect(item(globex.body, 'globex', 'builtin').counts).toEqual({ ran: 0, missed: 24, pending: 0 });
    expect(globex.text).not.toContain('acme');
    expect(globex.text).not.toContain('r_hourly');
    const named = await get(exporter.url, `/api/v1/schedules?tenant=acme&${window}`, otherAdmin);
    expect(named.status).toBe(403);
    const byId = await get(exporter.url, `/api/v1/schedules?rule=r_hourly&${window}`, otherAdmin);
    expect(byId.body.data).toEqual([]);
    const connector = await get(exporter.url, `/api/v1/schedules?connector=c_acme&${window}`, otherAdmin);
    expect(connector.body.data).toEqual([]);
  });

  it('shows an OPERATOR every tenant, or one', async () => {
    const all = await get(exporter.url, `/api/v1/schedules?kind=rule&rule=builtin&${window}`, operator);
    expect(all.body.data.map((d: { tenant: string }) => d.tenant)).toEqual(['acme', 'globex']);
    expect(all.body.tenant).toBeNull();
    const one = await get(exporter.url, `/api/v1/schedules?tenant=globex&${window}`, operator);
    expect(new Set(one.body.data.map((d: { tenant: string }) => d.tenant))).toEqual(new Set(['globex']));
  });

  it.each([
    ['malformed from', '?from=yesterday', 400, 'from'],
    ['from after to', '?from=2026-11-26&to=2026-11-25', 400, 'from'],
    ['window over seven days', '?from=2026-11-01&to=2026-11-09', 400, 'from'],
    ['unknown kind', '?kind=job', 400, 'kind'],
    ['unknown parameter', '?limit=5', 400, 'limit'],
    ['rule with kind=connector', '?kind=connector&rule=x', 400, 'rule'],
    ['connector with kind=rule', '?kind=rule&connector=x', 400, 'connector'],
    ['empty rule', '?rule=', 400, 'rule'],
  ])('answers %s with a 400 naming the field', async (_name, query, status, field) => {
    const answer = await get(exporter.url, `/api/v1/schedules${query}`, admin);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error: { field } });
  });

  it('refuses an unknown tenant from an OPERATOR and a request without a token', async () => {
    expect((await get(exporter.url, '/api/v1/schedules?tenant=nobody', operator)).body).toMatchObject({
      error: { field: 'tenant', code: 'unknown_tenant' },
    });
    expect((await get(exporter.url, '/api/v1/schedules')).status).toBe(401);
  });
});

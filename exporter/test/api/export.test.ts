import type { Exporter } from '../../src/server/start';
import { RULE_RUNS, CONNECTOR_SYNCS } from '../../src/audit/resources';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertConnector, insertRule, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, insertSyncRuns, startApiExporter, token } from './helpers';

describe('audit export streams CSV and NDJSON', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let admin: string;
  let ruleIds: string[];
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const slug of ['acme', 'globex']) {
      const org = await insertTenant(db.pool, slug, 45);
      await insertRule(db.pool, { id: `r_${slug}`, org, key: 'watchlist' });
      await insertConnector(db.pool, { id: `c_${slug}`, org, provider: 'okta', lastSyncAt: new Date() });
      // More than one export batch, so the keyset continuation between batches is exercised.
      await insertRuleRuns(db.pool, {
        org,
        ruleId: `r_${slug}`,
        count: 2_345,
        newest: new Date(Date.now() - 10_000),
        stepMs: 20_000,
        findings: 1,
      });
      await insertSyncRuns(db.pool, {
        org,
        connectionId: `c_${slug}`,
        provider: 'okta',
        count: 1_200,
        newest: new Date(Date.now() - 10_000),
        stepMs: 30_000,
      });
    }
    // A value that needs CSV quoting.
    await db.pool.query(
      `UPDATE "RuleRun" SET status = 'FAILED', error = 'timeout, then "retry"' WHERE id = (SELECT min(id) FROM "RuleRun" WHERE "organizationId" = 'org_acme')`,
    );
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT r.id::text AS id FROM "RuleRun" r WHERE r."organizationId" = 'org_acme' ORDER BY r."startedAt" DESC, r.id DESC`,
    );
    ruleIds = rows.map((r) => r.id);
    admin = await token(db.pool, 'ADMIN', 'acme');
    exporter = await startApiExporter(db.url);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('exports NDJSON: one JSON object a line, every row of the tenant in audit order', async () => {
    const answer = await get(exporter.url, '/api/v1/rule-runs/export?format=ndjson', admin);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(answer.headers.get('x-data-retention-days')).toBe('45');
    const lines = answer.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((r) => r.id)).toEqual(ruleIds);
    expect(lines.every((r) => r.tenant === 'acme' && r.ruleKey === 'watchlist')).toBe(true);
  });

  it('exports CSV with a header, quoting, and the same rows', async () => {
    const answer = await get(exporter.url, '/api/v1/rule-runs/export?format=csv', admin);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('content-disposition')).toMatch(/attachment; filename="rule-runs-.*\.csv"/);
    const lines = answer.text.trimEnd().split('\n');
    expect(lines[0]).toBe(RULE_RUNS.columns.join(','));
    expect(lines).toHaveLength(ruleIds.length + 1);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(ruleIds);
    expect(answer.text).toContain('"timeout, then ""retry"""');
  });

  it('applies the filters and exports connector syncs the same way', async () => {
    const failed = await get(exporter.url, '/api/v1/rule-runs/export?format=ndjson&status=FAILED', admin);
    expect(
      failed.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).error),
    ).toEqual(['timeout, then "retry"']);
    const syncs = await get(exporter.url, '/api/v1/connector-syncs/export?format=csv', admin);
    const lines = syncs.text.trimEnd().split('\n');
    expect(lines[0]).toBe(CONNECTOR_SYNCS.columns.join(','));
    expect(lines).toHaveLength(1_200 + 1);
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'acme')).toBe(true);
    const empty = await get(exporter.url, '/api/v1/connector-syncs/export?format=csv&provider=none', admin);
    expect(empty.text).toBe(CONNECTOR_SYNCS.columns.join(',') + '\n');
  });
});

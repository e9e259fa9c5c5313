import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertRule, insertTenant } from '../helpers/fixtures';
import { get, insertRuleRuns, startApiExporter, token } from './helpers';

const ROWS = 10_000;

describe('audit pagination through a 10,000-row tenant', () => {
  let db: TestDatabase;
  let exporter: Exporter;
  let analyst: string;
  let expected: string[];
  beforeAll(async () => {
    db = await createTestDatabase();
    const big = await insertTenant(db.pool, 'big');
    const other = await insertTenant(db.pool, 'other');
    await insertRule(db.pool, { id: 'r_big', org: big, key: 'watchlist' });
    await insertRule(db.pool, { id: 'r_other', org: other, key: 'watchlist' });
    // Pairs of runs share a startedAt, so the order also rests on the id tie-breaker.
    await db.pool.query(
      `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "durationMs", status, "findingsOpened")
       SELECT $1, 'r_big', 'SCHEDULE', now() - interval '1 minute' - (g / 2) * interval '5 seconds', g % 1000, 'SUCCEEDED', g % 7
         FROM generate_series(0, $2::int - 1) g`,
      [big, ROWS],
    );
    await insertRuleRuns(db.pool, { org: other, ruleId: 'r_other', count: 3_000, newest: new Date(Date.now() - 30_000), stepMs: 7_000 });
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT r.id::text AS id FROM "RuleRun" r WHERE r."organizationId" = $1 ORDER BY r."startedAt" DESC, r.id DESC`,
      [big],
    );
    expected = rows.map((r) => r.id);
    analyst = await token(db.pool, 'SECURITY_ANALYST', 'big');
    exporter = await startApiExporter(db.url);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.drop();
  });

  it('returns every row exactly once, in order, while new rows arrive', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/v1/rule-runs?limit=500';
    let firstPoll: string | null = null;
    let arrived = 0;
    const pages: { path: string; ids: string[] }[] = [];
    while (path) {
      const answer = await get(exporter.url, path, analyst);
      expect(answer.status).toBe(200);
      firstPoll ??= answer.body.links.poll as string;
      for (const row of answer.body.data) {
        expect(row.tenant).toBe('big');
        seen.push(row.id);
      }
      pages.push({ path, ids: answer.body.data.map((r: { id: string }) => r.id) });
      // New runs arrive between pages, for this tenant and another one.
      await db.pool.query(
        `INSERT INTO "RuleRun" ("organizationId", "ruleId", trigger, "startedAt", "durationMs", status)
         SELECT o, r, 'SCHEDULE', now(), 5, 'SUCCEEDED' FROM (VALUES ('org_big', 'r_big'), ('org_big', 'r_big'), ('org_other', 'r_other')) v(o, r)`,
      );
      arrived += 2;
      path = answer.body.links.next;
    }
    expect(seen).toHaveLength(ROWS);
    expect(new Set(seen).size).toBe(ROWS);
    expect(seen).toEqual(expected);
    // A cursor gives the same page again, after all the rows that arrived since: cursors are positions, not server state.
    expect(pages).toHaveLength(Math.ceil(ROWS / 500));
    for (const page of pages.slice(1)) {
      const again = await get(exporter.url, page.path, analyst);
      expect(again.body.data.map((r: { id: string }) => r.id)).toEqual(page.ids);
    }

    // The poll link of the first page picks up exactly the rows that arrived since, oldest first.
    const polled: string[] = [];
    let poll: string = firstPoll!;
    for (;;) {
      const answer = await get(exporter.url, poll, analyst);
      expect(answer.status).toBe(200);
      expect(answer.body.links.next).toBeTruthy();
      polled.push(...answer.body.data.map((r: { id: string }) => r.id));
      poll = answer.body.links.next;
      if (!answer.body.page.hasMore) break;
    }
    expect(polled).toHaveLength(arrived);
    expect(new Set([...polled, ...seen]).size).toBe(ROWS + arrived);
    const quiet = await get(exporter.url, poll, analyst);
    expect(quiet.body.data).toEqual([]);
    expect(quiet.body.links.next).toBeTruthy();
  });

  it('applies the filters on every page', async () => {
    let path: string | null = '/api/v1/rule-runs?limit=200&minFindings=6&minDurationMs=500';
    let count = 0;
    while (path) {
      const answer = await get(exporter.url, path, analyst);
      expect(answer.status).toBe(200);
      for (const row of answer.body.data) {
        expect(row.findingsOpened).toBeGreaterThanOrEqual(6);
        expect(row.durationMs).toBeGreaterThanOrEqual(500);
      }
      count += answer.body.data.length;
      path = answer.body.links.next;
    }
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "RuleRun" WHERE "organizationId" = 'org_big' AND "findingsOpened" >= 6 AND "durationMs" >= 500 AND "startedAt" > now() - interval '23 hours'`,
    );
    expect(count).toBe(rows[0].n);
  });
});

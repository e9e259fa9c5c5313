import http from 'node:http';
import type pg from 'pg';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertRule, insertTenant } from '../helpers/fixtures';
import { TcpProxy } from '../helpers/tcp-proxy';
import { get, insertRuleRuns, token, type Answer } from './helpers';

/** GET with node:http, for the export's HTTP trailer (fetch does not expose trailers). */
function getWithTrailers(
  url: string,
  bearer: string,
  onFirstChunk?: () => Promise<void>,
): Promise<{ status: number; body: string; trailers: NodeJS.Dict<string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${bearer}` } }, (res) => {
        let body = '';
        let first = true;
        res.on('data', (chunk) => {
          body += chunk;
          if (first && onFirstChunk) {
            first = false;
            res.pause();
            void onFirstChunk().then(() => res.resume());
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, body, trailers: res.trailers }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Overload and outages are 503s with Retry-After and a JSON error, never 500s; no kind of work starves another. */
describe('graceful overload and database outages', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let exporter: Exporter;
  let admin: string;
  let blocker: pg.PoolClient | null = null;
  beforeAll(async () => {
    db = await createTestDatabase();
    const org = await insertTenant(db.pool, 'acme');
    await insertRule(db.pool, { id: 'r_acme', org, key: 'watchlist' });
    await insertRuleRuns(db.pool, { org, ruleId: 'r_acme', count: 3_500, newest: new Date(Date.now() - 60_000), stepMs: 1_000 });
    admin = await token(db.pool, 'ADMIN', 'acme');
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    exporter = await startTestExporter(proxy.url(db.url), { LOG_LEVEL: 'silent', COLLECT_INTERVAL_SECONDS: '1', DATABASE_WAIT_MS: '1500' });
  });
  afterAll(async () => {
    if (blocker) {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
    await exporter?.stop();
    await proxy?.cut();
    await db?.drop();
  });

  it('audit queries stuck behind a lock: the overflow is a 503 with Retry-After, token lookups still answer', async () => {
    blocker = await db.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE "RuleRun" IN ACCESS EXCLUSIVE MODE');
    const stuck = Array.from({ length: 10 }, () => get(exporter.url, '/api/v1/rule-runs?limit=5', admin));
    // Whichever requests got the API pool's four connections wait on the lock; the other six are the overflow.
    const answered: Answer[] = [];
    for (const request of stuck) void request.then((answer) => answered.push(answer));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Token lookups have a pool of their own: starved, this would be a 503 after DATABASE_WAIT_MS.
    expect((await get(exporter.url, '/api/v1/whoami', admin)).status).toBe(200);
    for (let waited = 0; answered.length < 6 && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const overflow = [...answered];
    expect(overflow).toHaveLength(6);
    for (const answer of overflow) {
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.body).toEqual({ error: { code: 'database_unavailable', message: expect.any(String), field: null } });
    }
    await blocker.query('ROLLBACK');
    blocker.release();
    blocker = null;
    const all = await Promise.all(stuck);
    expect(all.filter((a) => a.status === 200)).toHaveLength(4);
  });

  it('API load holding every connection of its pool starves neither the collector nor token lookups', async () => {
    const size = (exporter.pools.api as unknown as { options: { max: number } }).options.max;
    const held = await Promise.all(Array.from({ length: size }, () => exporter.pools.api.connect()));
    try {
      const before = exporter.collector.snapshot.takenAt;
      await exporter.collector.refresh();
      expect(exporter.collector.snapshot.takenAt).toBeGreaterThan(before);
      expect(exporter.collector.snapshot.databaseReachable).toBe(true);
      expect((await get(exporter.url, '/api/v1/whoami', admin)).status).toBe(200);
      const starved = await get(exporter.url, '/api/v1/rule-runs?limit=5', admin);
      expect(starved.status).toBe(503);
    } finally {
      for (const client of held) client.release();
    }
  });

  it('an export that loses the database midway ends with an error line and an incomplete trailer', async () => {
    const whole = await getWithTrailers(`${exporter.url}/api/v1/rule-runs/export`, admin);
    expect(whole.trailers['x-export-status']).toBe('complete');
    expect(whole.body.trim().split('\n')).toHaveLength(3_500);

    const cut = await getWithTrailers(`${exporter.url}/api/v1/rule-runs/export`, admin, () => proxy.cut());
    await proxy.restore();
    expect(cut.status).toBe(200);
    const lines = cut.body.trim().split('\n');
    expect(lines.length).toBeLessThan(3_500);
    expect(JSON.parse(lines[lines.length - 1])).toEqual({
      error: { code: 'database_unavailable', message: expect.any(String), field: null },
    });
    expect(cut.trailers['x-export-status']).toBe('incomplete: database_unavailable');
  });

  it('during a database outage: authenticated requests get 503, /readyz says "database unreachable" and nothing more', async () => {
    await proxy.cut();
    try {
      const answer = await get(exporter.url, '/api/v1/whoami', admin);
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.body.error.code).toBe('database_unavailable');
      const status = await get(exporter.url, '/status.json', admin);
      expect(status.status).toBe(503);

      await exporter.collector.refresh();
      const readyz = await get(exporter.url, '/readyz');
      expect(readyz.status).toBe(503);
      expect(readyz.body).toMatchObject({ ready: false, reason: 'database unreachable', databaseReachable: false });
      expect(readyz.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|:\d{4,5}\b/);
    } finally {
      await proxy.restore();
    }
    expect((await get(exporter.url, '/api/v1/whoami', admin)).status).toBe(200);
  });
});

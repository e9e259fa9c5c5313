import { FailureLimiter } from '../../src/auth/failure-limiter';
import { revokeToken } from '../../src/auth/tokens';
import type { Exporter } from '../../src/server/start';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestExporter } from '../helpers/exporter';
import { insertTenant } from '../helpers/fixtures';
import { token } from './helpers';

/** Bad tokens are slowed down with 429s, and nobody's good token is refused because of them. */
describe('brute-force limits never lock out a valid token', () => {
  let db: TestDatabase;
  let direct: Exporter;
  let proxied: Exporter;
  let admin: string;
  let operator: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenant(db.pool, 'acme');
    admin = await token(db.pool, 'ADMIN', 'acme');
    operator = await token(db.pool, 'OPERATOR');
    direct = await startTestExporter(db.url, { LOG_LEVEL: 'silent' });
    // The test's requests come from 127.0.0.1, as they would from a reverse proxy on the same host.
    proxied = await startTestExporter(db.url, { LOG_LEVEL: 'silent', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => {
    await direct?.stop();
    await proxied?.stop();
    await db?.drop();
  });

  const whoami = (exporter: Exporter, bearer: string, forwardedFor?: string) =>
    fetch(`${exporter.url}/api/v1/whoami`, {
      headers: { authorization: `Bearer ${bearer}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    });
  const badTokens = async (
    exporter: Exporter,
    count: number,
    forwardedFor?: (i: number) => string,
    bad = (i: number) => `apo_guess${i}xxxxxxxxxxxx`,
  ) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await whoami(exporter, bad(i), forwardedFor?.(i))).status);
    return statuses;
  };

  it('30 bad tokens from one address: the next bad one is a 429, the ADMIN token from the same address still works', async () => {
    expect(new Set(await badTokens(direct, 30))).toEqual(new Set([401]));
    const limited = await whoami(direct, 'apo_one-more-guess');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ error: { code: 'too_many_failures', message: expect.any(String), field: null } });
    const good = await whoami(direct, admin);
    expect(good.status).toBe(200);
    expect((await good.json()).role).toBe('ADMIN');
  });

  it('X-Forwarded-For is believed only from a trusted proxy', async () => {
    // Directly, a client cannot escape its count by inventing addresses.
    const spoofed = await badTokens(direct, 3, (i) => `198.51.100.${i}`);
    expect(spoofed).toEqual([429, 429, 429]);
    // Behind the trusted proxy, one bad client is limited and its neighbours are not.
    expect(new Set(await badTokens(proxied, 30, () => '203.0.113.7'))).toEqual(new Set([401]));
    expect((await whoami(proxied, 'apo_still-guessing', '203.0.113.7')).status).toBe(429);
    expect((await whoami(proxied, 'apo_typo-of-a-neighbour', '203.0.113.8')).status).toBe(401);
    expect((await whoami(proxied, operator, '203.0.113.7')).status).toBe(200);
  });

  it('a revoked token retried from many clients is limited by its prefix', async () => {
    const revoked = await token(db.pool, 'ADMIN', 'acme');
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM "ApiToken" ORDER BY "createdAt" DESC, id LIMIT 1`);
    await revokeToken(db.pool, rows[0].id);
    const statuses = await badTokens(
      proxied,
      31,
      (i) => `192.0.2.${i + 1}`,
      () => revoked,
    );
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another client with another bad token is not affected by that prefix.
    expect((await whoami(proxied, 'apo_different-prefix', '192.0.2.200')).status).toBe(401);
  });

  it('keeps bounded memory without forgetting a client that keeps failing', () => {
    let now = 0;
    const limiter = new FailureLimiter({ maxFailures: 5, windowMs: 60_000, capacity: 100 }, () => now);
    for (let i = 0; i < 5; i++) limiter.fail('persistent');
    expect(limiter.retryAfter('persistent')).toBe(60);
    // A distributed probe: thousands of addresses, while the persistent client keeps failing.
    for (let i = 0; i < 5_000; i++) {
      limiter.fail(`probe-${i}`);
      if (i % 50 === 0) limiter.fail('persistent');
      now += 1;
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.retryAfter('persistent')).not.toBeNull();
    now += 60_000;
    expect(limiter.retryAfter('persistent')).toBeNull();
  });
});

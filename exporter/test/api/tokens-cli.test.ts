import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashToken, listTokens, revokeToken } from '../../src/auth/tokens';
import { DEMO_TENANTS } from '../../src/demo/catalog';
import { ensureDemoTokens } from '../../src/demo/tokens';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertTenant } from '../helpers/fixtures';
import { runCli } from '../helpers/processes';

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('tokens CLI and demo tokens', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const t of DEMO_TENANTS) await insertTenant(db.pool, t.slug, t.retentionDays);
  });
  afterAll(() => db?.drop());

  const cli = async (args: string[]) => {
    const run = runCli(['tokens', ...args], { DATABASE_URL: db.url });
    const { code } = await run.exited;
    return { code, output: run.output() };
  };

  it('creates a token, prints it once and stores only its hash; lists and revokes it', async () => {
    const created = await cli(['create', '--role', 'ADMIN', '--tenant', 'acme', '--name', 'grafana']);
    expect(created.code).toBe(0);
    const secret = /^(apo_[A-Za-z0-9_-]+)$/m.exec(created.output)![1];
    const { rows } = await db.pool.query(`SELECT id, "tokenHash", role, "organizationId", name FROM "ApiToken"`);
    expect(rows).toEqual([
      { id: expect.stringMatching(/^tok_/), tokenHash: hashToken(secret), role: 'ADMIN', organizationId: 'org_acme', name: 'grafana' },
    ]);
    expect(JSON.stringify(rows)).not.toContain(secret);

    const listed = await cli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(new RegExp(`${rows[0].id}\\s+ADMIN\\s+acme\\s+grafana`));
    expect(listed.output).not.toContain(secret);

    expect((await cli(['revoke', rows[0].id])).code).toBe(0);
    expect((await listTokens(db.pool))[0].revokedAt).not.toBeNull();
    const again = await cli(['revoke', 'tok_missing']);
    expect(again.code).toBe(1);
    expect(again.output).toContain('no token with id "tok_missing"');
  });

  it.each([
    [['create'], /--role must be one of/],
    [['create', '--role', 'ROOT'], /--role must be one of/],
    [['create', '--role', 'ADMIN'], /bound to one tenant; give --tenant/],
    [['create', '--role', 'OPERATOR', '--tenant', 'acme'], /spans all tenants/],
    [['create', '--role', 'ADMIN', '--tenant', 'nowhere'], /no tenant with slug "nowhere"/],
    [['create', '--role', 'ADMIN', '--colour', 'red'], /Unknown option '--colour'/],
    [['create', '--role'], /--role/],
    [['revoke'], /exactly one token id/],
    [['rotate'], /unknown tokens command "rotate"/],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const run = await cli(args as string[]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(message);
    noStackTrace(run.output);
  });

  it('writes demo tokens once and reuses them while they are valid', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-demo-tokens-'));
    try {
      const file = await ensureDemoTokens(db.pool, dir);
      expect(file).toBe(path.join(dir, 'demo-tokens.json'));
      const first = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(first.tokens).toHaveLength(1 + 2 * DEMO_TENANTS.length);
      expect(first.tokens.filter((t: { role: string }) => t.role === 'OPERATOR')).toHaveLength(1);
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      await ensureDemoTokens(db.pool, dir);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(first);
      await revokeToken(db.pool, first.tokens[1].id);
      await ensureDemoTokens(db.pool, dir);
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).tokens[0].token).not.toBe(first.tokens[0].token);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

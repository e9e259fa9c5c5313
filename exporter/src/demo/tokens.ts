import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { createToken, hashToken, type Role } from '../auth/tokens';
import { logger } from '../log';
import { DEMO_TENANTS } from './catalog';

export interface DemoToken {
  role: Role;
  tenant: string | null;
  id: string;
  token: string;
}

/**
 * API tokens to try the demo with: one OPERATOR, and an ADMIN and a SECURITY_ANALYST per demo tenant,
 * written to `demo-tokens.json` in the data directory (readable by the owner only). Created once: on a
 * restart the file is reused as long as every token in it is still valid in this database.
 */
export async function ensureDemoTokens(pool: pg.Pool, dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'demo-tokens.json');
  if (await stillValid(pool, file)) {
    logger.info({ file }, 'demo API tokens reused');
    return file;
  }
  const tokens: DemoToken[] = [];
  const add = async (role: Role, tenant: string | null) => {
    const { token, record } = await createToken(pool, { role, tenant, name: `demo ${role.toLowerCase()}${tenant ? ` of ${tenant}` : ''}` });
    tokens.push({ role, tenant, id: record.id, token });
  };
  await add('OPERATOR', null);
  for (const t of DEMO_TENANTS) {
    await add('ADMIN', t.slug);
    await add('SECURITY_ANALYST', t.slug);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ note: 'demo API tokens: Authorization: Bearer <token>', tokens }, null, 2) + '\n', {
    mode: 0o600,
  });
  logger.info({ file, count: tokens.length }, 'demo API tokens written');
  return file;
}

async function stillValid(pool: pg.Pool, file: string): Promise<boolean> {
  let tokens: DemoToken[];
  try {
    tokens = (JSON.parse(fs.readFileSync(file, 'utf8')) as { tokens: DemoToken[] }).tokens;
    if (!Array.isArray(tokens) || !tokens.length) return false;
  } catch {
    return false;
  }
  const hashes = tokens.map((t) => hashToken(String(t.token)));
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "ApiToken" WHERE "tokenHash" = ANY($1::text[]) AND "revokedAt" IS NULL`,
    [hashes],
  );
  return rows[0].n === hashes.length;
}

/**
 * Registers a secret chosen outside the exporter (DEMO_API_TOKEN) as an OPERATOR token, so that a
 * Grafana provisioned with the same value is connected on the very first start, before anyone could
 * read `demo-tokens.json` from the exporter's volume. Idempotent across restarts; un-revokes it, since
 * the compose file keeps handing the same value to Grafana.
 */
export async function ensureSharedDemoToken(pool: pg.Pool, secret: string): Promise<void> {
  await pool.query(
    `INSERT INTO "ApiToken" (id, "tokenHash", role, "organizationId", name) VALUES ($1, $2, 'OPERATOR', NULL, 'demo grafana (DEMO_API_TOKEN)')
     ON CONFLICT ("tokenHash") DO UPDATE SET "revokedAt" = NULL`,
    [`tok_${randomBytes(8).toString('hex')}`, hashToken(secret)],
  );
  logger.info('DEMO_API_TOKEN accepted as an OPERATOR token');
}

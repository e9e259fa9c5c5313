import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Role } from './roles';

/** A token's public record: everything but the secret, which is never stored. */
export interface TokenRecord {
  id: string;
  role: Role;
  tenantId: string | null;
  tenant: string | null;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

// The prefix makes a leaked token recognisable to secret scanners and in logs.
const TOKEN_PREFIX = 'apo_';

/** SHA-256 is enough here: the token has 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenError extends Error {}

/** Creates a token and returns its secret; only the hash reaches the database. */
export async function createToken(
  pool: pg.Pool,
  input: { role: Role; tenant?: string | null; name?: string },
): Promise<{ token: string; record: TokenRecord }> {
  let tenantId: string | null = null;
  if (input.role === 'OPERATOR') {
    if (input.tenant) throw new TokenError('an OPERATOR token spans all tenants; leave out --tenant');
  } else {
    if (!input.tenant) throw new TokenError(`a ${input.role} token is bound to one tenant; give --tenant <slug>`);
    const found = await pool.query<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [input.tenant]);
    if (!found.rowCount) throw new TokenError(`no tenant with slug "${input.tenant}"`);
    tenantId = found.rows[0].id;
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = `tok_${randomBytes(8).toString('hex')}`;
  const name = input.name ?? `${input.role.toLowerCase()}${input.tenant ? ` of ${input.tenant}` : ''}`;
  await pool.query(`INSERT INTO "ApiToken" (id, "tokenHash", role, "organizationId", name) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    hashToken(token),
    input.role,
    tenantId,
    name,
  ]);
  const [record] = await listTokens(pool, id);
  return { token, record };
}

export async function listTokens(pool: pg.Pool, onlyId?: string): Promise<TokenRecord[]> {
  const result = await pool.query<TokenRecord>(
    `SELECT t.id, t.role, t."organizationId" AS "tenantId", o.slug AS tenant, t.name, t."createdAt", t."lastUsedAt", t."revokedAt"
       FROM "ApiToken" t LEFT JOIN "Organization" o ON o.id = t."organizationId"
      WHERE $1::text IS NULL OR t.id = $1
      ORDER BY t."createdAt", t.id`,
    [onlyId ?? null],
  );
  return result.rows;
}

/** Returns false when no such token exists; revoking twice keeps the first revocation time. */
export async function revokeToken(pool: pg.Pool, id: string): Promise<boolean> {
  const result = await pool.query(`UPDATE "ApiToken" SET "revokedAt" = COALESCE("revokedAt", now()) WHERE id = $1`, [id]);
  return (result.rowCount ?? 0) > 0;
}

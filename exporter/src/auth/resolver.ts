import type { Request, Response } from 'express';
import type pg from 'pg';
import { ApiError, sendApiError } from '../api/errors';
import { logger } from '../log';
import type { Principal } from './principal';
import { hashToken, type Role } from './tokens';

const LAST_USED_RESOLUTION_MS = 60_000;
const FAILURE_WINDOW_MS = 60_000;
const MAX_FAILURES_PER_WINDOW = 30;

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  organizationId: string | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  slug: string | null;
  dataRetentionDays: number | null;
}

/**
 * Resolves `Authorization: Bearer <token>` to its Principal, or answers the request itself (401, or 429
 * after repeated failures) and resolves to null. Every surface that takes tokens (the API, the status
 * page) calls the same resolver, so failures anywhere count towards one limit per address.
 */
export type PrincipalResolver = (req: Request, res: Response) => Promise<Principal | null>;

/**
 * The token is looked up on every request (no cache, so a revocation takes effect at once). Repeated
 * failures from one address are slowed down with 429s so that tokens cannot be probed for.
 */
export function createPrincipalResolver(pool: pg.Pool, clock: () => number = Date.now): PrincipalResolver {
  const failures = new Map<string, { windowStart: number; count: number }>();
  const lastUsedWritten = new Map<string, number>();

  const failed = (req: Request) => {
    const key = req.socket.remoteAddress ?? 'unknown';
    const now = clock();
    const entry = failures.get(key);
    if (!entry || now - entry.windowStart > FAILURE_WINDOW_MS) failures.set(key, { windowStart: now, count: 1 });
    else entry.count += 1;
    if (failures.size > 10_000) failures.clear(); // bounded memory under a distributed probe
  };
  const limited = (req: Request) => {
    const entry = failures.get(req.socket.remoteAddress ?? 'unknown');
    if (!entry || clock() - entry.windowStart > FAILURE_WINDOW_MS) return null;
    return entry.count >= MAX_FAILURES_PER_WINDOW ? Math.ceil((entry.windowStart + FAILURE_WINDOW_MS - clock()) / 1000) : null;
  };

  return async (req, res) => {
    const retryAfter = limited(req);
    if (retryAfter !== null) {
      res.set('Retry-After', String(Math.max(retryAfter, 1)));
      sendApiError(res, new ApiError(429, 'too_many_failures', 'too many requests with invalid tokens from this address; try again later'));
      return null;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      failed(req);
      sendApiError(res, new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>; create one with `aperio-exporter tokens create`'));
      return null;
    }
    const { rows } = await pool.query<TokenRow>(
      `SELECT t.id, t.name, t.role, t."organizationId", t."revokedAt", t."lastUsedAt", o.slug, o."dataRetentionDays"
         FROM "ApiToken" t LEFT JOIN "Organization" o ON o.id = t."organizationId"
        WHERE t."tokenHash" = $1`,
      [hashToken(match[1])],
    );
    const row = rows[0];
    // A tenant token whose tenant is gone is as dead as a revoked one.
    if (!row || row.revokedAt !== null || (row.organizationId !== null && row.slug === null)) {
      failed(req);
      sendApiError(res, new ApiError(401, 'invalid_token', 'the token is unknown or revoked'));
      return null;
    }
    touchLastUsed(pool, row, lastUsedWritten, clock());
    return {
      tokenId: row.id,
      name: row.name,
      role: row.role,
      tenantId: row.organizationId,
      tenant: row.slug,
      dataRetentionDays: row.dataRetentionDays,
    };
  };
}

/** lastUsedAt is for "is this token still in use?", so minute resolution is enough and spares a write per request. */
function touchLastUsed(pool: pg.Pool, row: TokenRow, written: Map<string, number>, now: number): void {
  const last = Math.max(row.lastUsedAt?.getTime() ?? 0, written.get(row.id) ?? 0);
  if (now - last < LAST_USED_RESOLUTION_MS) return;
  written.set(row.id, now);
  pool
    .query(
      `UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE id = $1 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`,
      [row.id],
    )
    .catch((err: Error) => logger.warn({ err: err.message, tokenId: row.id }, 'could not record the token as used'));
}

import type { Request, Response } from 'express';
import type pg from 'pg';
import { ApiError, sendApiError } from '../api/errors';
import { logger } from '../log';
import { FailureLimiter } from './failure-limiter';
import type { Principal } from './principal';
import { hashToken, type Role } from './tokens';

const LAST_USED_RESOLUTION_MS = 60_000;
/** Failures per client, and per presented token prefix, within a minute after which failures get 429s. */
const FAILURE_LIMITS = { maxFailures: 30, windowMs: 60_000, capacity: 10_000 };
/** How much of a presented token keys its failures: enough to tell tokens apart, too little to use. */
const TOKEN_PREFIX_LENGTH = 12;

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
 * page) calls the same resolver, so failures anywhere count towards the same limits.
 */
export type PrincipalResolver = (req: Request, res: Response) => Promise<Principal | null>;

/**
 * The token is looked up first, on every request (no cache, so a revocation takes effect at once; the
 * lookup is one indexed hash): a valid token is never refused for someone else's failures, even from
 * the same address behind a NAT or Grafana's proxy. Failures are counted per client (`req.ip`, which
 * honours X-Forwarded-For only from TRUSTED_PROXIES) and per presented token prefix (a revoked token
 * retried by a forgotten client); past the limit a failure is a 429 with Retry-After instead of a 401.
 */
export function createPrincipalResolver(pool: pg.Pool, clock: () => number = Date.now): PrincipalResolver {
  const byClient = new FailureLimiter(FAILURE_LIMITS, clock);
  const byPrefix = new FailureLimiter(FAILURE_LIMITS, clock);
  const lastUsedWritten = new Map<string, number>();

  /** Counts the failure, then answers 429 if the client or the token prefix is over its limit, else `err`. */
  const refuse = (req: Request, res: Response, err: ApiError, token: string | null) => {
    const client = `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const prefix = token === null ? null : `token:${token.slice(0, TOKEN_PREFIX_LENGTH)}`;
    const retryAfter = Math.max(byClient.retryAfter(client) ?? 0, prefix === null ? 0 : (byPrefix.retryAfter(prefix) ?? 0));
    byClient.fail(client);
    if (prefix !== null) byPrefix.fail(prefix);
    if (retryAfter > 0) {
      sendApiError(
        res,
        new ApiError(
          429,
          'too_many_failures',
          'too many requests with invalid tokens from this client or with this token; try again later',
          undefined,
          retryAfter,
        ),
      );
    } else {
      sendApiError(res, err);
    }
    return null;
  };

  return async (req, res) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      return refuse(
        req,
        res,
        new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>; create one with `aperio-exporter tokens create`'),
        null,
      );
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
      return refuse(req, res, new ApiError(401, 'invalid_token', 'the token is unknown or revoked'), match[1]);
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

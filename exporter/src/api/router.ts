import express, { type NextFunction, type Request, type Response } from 'express';
import { bearerAuth } from '../auth/middleware';
import { principalOf } from '../auth/principal';
import { mountAuditRoutes } from '../audit/routes';
import { mountScheduleRoutes } from '../audit/schedules';
import type { Mount } from '../http/mount';
import { createCursorCodec } from './cursor';
import { ApiError, errorHandler, namePathParameter, sendApiError } from './errors';
import { mountHealthRoutes } from './health';
import { mountOpenApi } from './openapi';
import { parseQuery } from './params';

/** Headers for JSON that holds tenant data: never cached, never framed, never sniffed into something else. */
function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  next();
}

/** /api: bearer tokens, the health panels (from the snapshot) and the audit history (from the database). */
export const mountApi: Mount = (app, { getSnapshot, pool, exportPool, settings, clock, resolvePrincipal }) => {
  const router = express.Router();
  router.use(securityHeaders);
  // The API only has GET routes; a body is refused outright rather than read.
  router.use((req, res, next) => {
    if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding']) {
      sendApiError(res, new ApiError(413, 'body_not_allowed', 'the API takes no request body'));
      return;
    }
    next();
  });
  mountOpenApi(router);
  router.use(bearerAuth(resolvePrincipal));
  router.get('/v1/whoami', (req, res) => {
    parseQuery(req.query, {});
    const p = principalOf(res);
    res.json({ tokenId: p.tokenId, name: p.name, role: p.role, tenant: p.tenant, dataRetentionDays: p.dataRetentionDays });
  });
  mountHealthRoutes(router, getSnapshot, clock);
  mountAuditRoutes(router, { pool, exportPool }, createCursorCodec(settings.API_CURSOR_KEY), clock);
  mountScheduleRoutes(router, pool, clock, () => getSnapshot().scheduleSettings);
  router.use(errorHandler);
  app.use('/api', router);
  namePathParameter(app, '/api/v1/', 'id');
};

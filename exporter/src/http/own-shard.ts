import type { Request, Response } from 'express';
import { errorBody } from '../api/errors';
import type { Mount } from './mount';

/**
 * The routes of a shard that collects only its tenants (SHARD_COLLECTION=own), in place of the status
 * page's and the API's: those need every tenant, which such a replica does not hold. Every request
 * besides /metrics, /healthz and /readyz is answered 404 with where to go instead, so a Service that
 * sends them here by mistake says so rather than serving a page with part of the platform missing.
 */
export const mountOwnShardNotice: Mount = (app, { settings }) => {
  const message =
    `this replica is shard ${String(settings.SHARD)} of ${settings.TOTAL_SHARDS} and collects only its tenants ` +
    '(SHARD_COLLECTION=own): it serves /metrics; the status page and the API are served by the platform replica (SHARD=platform), docs/sharding.md';
  app.use((_req: Request, res: Response) => {
    res.status(404).json(errorBody('not_served_here', message));
  });
};

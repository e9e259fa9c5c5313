import express, { type Express, type Request, type Response } from 'express';
import { errorBody, errorHandler } from '../api/errors';
import { UserError } from '../config/user-error';
import type { RenderedMetrics } from '../metrics/render';
import type { Snapshot } from '../snapshot/types';
import { healthzHandler, readyzHandler } from './health-routes';
import type { MetricsAccess } from './metrics-auth';
import { metricsHandler } from './metrics-route';

export interface AppDeps {
  getSnapshot: () => Snapshot;
  getRendered: () => RenderedMetrics | null;
  metricsAccess: Pick<MetricsAccess, 'authorize' | 'challenge'>;
  /** TRUSTED_PROXIES: only these may say who the client is (X-Forwarded-For), for req.ip. */
  trustedProxies?: string;
  intervalSeconds: number;
  clock?: () => number;
  /** Further routers (status page, API) mounted by their own modules. */
  mount?: (app: Express) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.trustedProxies) {
    const list = deps.trustedProxies
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    try {
      app.set('trust proxy', list);
    } catch (err) {
      throw new UserError(
        `TRUSTED_PROXIES=${JSON.stringify(deps.trustedProxies)}: ${(err as Error).message}`,
        'give IP addresses or CIDR ranges separated by commas, e.g. 10.0.0.5,192.168.0.0/16',
      );
    }
  }
  app.get('/metrics', metricsHandler(deps.getRendered, deps.metricsAccess));
  app.get('/healthz', healthzHandler);
  app.get('/readyz', readyzHandler(deps.getSnapshot, deps.intervalSeconds, deps.clock));
  deps.mount?.(app);
  app.use((req: Request, res: Response) => {
    res.status(404).json(errorBody('not_found', `no route for ${req.method} ${req.path}`));
  });
  // Every error of every route, Express's own (undecodable path parameters) included: a JSON answer.
  app.use(errorHandler);
  return app;
}

import express, { type Express, type Request, type Response } from 'express';
import { errorBody, errorHandler } from '../api/errors';
import type { RenderedMetrics } from '../metrics/render';
import type { Snapshot } from '../snapshot/types';
import { healthzHandler, readyzHandler } from './health-routes';
import { metricsHandler } from './metrics-route';

export interface AppDeps {
  getSnapshot: () => Snapshot;
  getRendered: () => RenderedMetrics | null;
  metricsToken?: string;
  intervalSeconds: number;
  clock?: () => number;
  /** Further routers (status page, API) mounted by their own modules. */
  mount?: (app: Express) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/metrics', metricsHandler(deps.getRendered, deps.metricsToken));
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

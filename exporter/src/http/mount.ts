import type { Express } from 'express';
import type { PrincipalResolver } from '../auth/resolver';
import type { PeriodicTask } from '../background/periodic-task';
import type { Settings } from '../config/settings';
import type { Pool } from '../db/pool';
import type { FastPath } from './fast-path';
import type { Snapshot } from '../snapshot/types';

/**
 * What a domain's routes may use: the current snapshot (views), the pool (history queries), settings,
 * the one bearer-token resolver every domain shares (one failure limit per address), the exporter's
 * lifecycle for a loop the routes need (the status page's refresh), and the server's fast paths.
 */
export interface MountDeps {
  getSnapshot: () => Snapshot;
  /** The API's and the status token views' queries (never the collector's pool). */
  pool: Pool;
  /** The exports' batches, apart so that exports cannot take every connection of `pool`. */
  exportPool: Pool;
  settings: Settings;
  clock: () => number;
  resolvePrincipal: PrincipalResolver;
  /** Hands a background loop to the exporter, which starts it with the collector and awaits its stop. */
  background: (task: PeriodicTask) => void;
  /** Hands a fast path (http/fast-path.ts) to the server, which tries it before the Express app. */
  fastPath: (path: FastPath) => void;
}

export type Mount = (app: Express, deps: MountDeps) => void;

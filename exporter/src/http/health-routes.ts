import type { Request, Response } from 'express';
import { logger } from '../log';
import type { Snapshot } from '../snapshot/types';

/** /healthz: the process answers. */
export const healthzHandler = (_req: Request, res: Response) => {
  res.type('text/plain').send('ok\n');
};

/**
 * /readyz: the database was reached and the data is younger than three collection intervals. The answer
 * is public, so it says what is wrong in plain words ("database unreachable") and names no host, port
 * or driver message; the detail goes to the log, once per snapshot that is not ready.
 */
export function readyzHandler(getSnapshot: () => Snapshot, intervalSeconds: number, clock: () => number = Date.now) {
  let loggedFor: Snapshot | null = null;
  return (_req: Request, res: Response) => {
    const snapshot = getSnapshot();
    const ageSeconds = snapshot.dataAsOf ? (clock() - snapshot.dataAsOf) / 1000 : null;
    const fresh = ageSeconds !== null && ageSeconds < 3 * intervalSeconds;
    const ready = snapshot.databaseReachable && fresh;
    const reason = ready ? null : !snapshot.databaseReachable ? 'database unreachable' : 'data older than three collection intervals';
    if (!ready && loggedFor !== snapshot) {
      loggedFor = snapshot;
      const failed = snapshot.collections.filter((c) => !c.success).map((c) => ({ collector: c.collector, error: c.error }));
      logger.warn({ reason, ageSeconds, failed }, 'readyz: not ready');
    }
    if (!ready) res.set('Retry-After', String(intervalSeconds));
    res.status(ready ? 200 : 503).json({
      ready,
      reason,
      databaseReachable: snapshot.databaseReachable,
      dataAgeSeconds: ageSeconds === null ? null : Math.round(ageSeconds * 10) / 10,
      maxDataAgeSeconds: 3 * intervalSeconds,
      collectors: snapshot.collections.map((c) => ({ collector: c.collector, success: c.success })),
    });
  };
}

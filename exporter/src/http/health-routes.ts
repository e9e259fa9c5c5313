import type { Request, Response } from 'express';
import type { Snapshot } from '../snapshot/types';

/** /healthz: the process answers. */
export const healthzHandler = (_req: Request, res: Response) => {
  res.type('text/plain').send('ok\n');
};

/** /readyz: the database was reached and the data is younger than three collection intervals. */
export function readyzHandler(getSnapshot: () => Snapshot, intervalSeconds: number, clock: () => number = Date.now) {
  return (_req: Request, res: Response) => {
    const snapshot = getSnapshot();
    const ageSeconds = snapshot.dataAsOf ? (clock() - snapshot.dataAsOf) / 1000 : null;
    const fresh = ageSeconds !== null && ageSeconds < 3 * intervalSeconds;
    const ready = snapshot.databaseReachable && fresh;
    res.status(ready ? 200 : 503).json({
      ready,
      databaseReachable: snapshot.databaseReachable,
      dataAgeSeconds: ageSeconds === null ? null : Math.round(ageSeconds * 10) / 10,
      maxDataAgeSeconds: 3 * intervalSeconds,
      collectors: snapshot.collections.map((c) => ({ collector: c.collector, success: c.success, error: c.error })),
    });
  };
}

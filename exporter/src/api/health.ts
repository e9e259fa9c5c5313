import type { Request, Response, Router } from 'express';
import { requireRole } from '../auth/middleware';
import { principalOf } from '../auth/principal';
import { HEALTH_ROLES } from '../auth/roles';
import type { Snapshot } from '../snapshot/types';
import { connectorHealth } from './health-connectors';
import { ingestionHealth } from './health-ingestion';
import { siemHealth } from './health-siem';
import { isoOrNull } from './instant';
import { parseQuery, shortText } from './params';
import { resolveScope } from './scope';

const healthAccess = requireRole(...HEALTH_ROLES);

/**
 * The operators' panels, answered from the current snapshot alone: no request reaches the database,
 * so a dashboard refreshing every few seconds costs nothing. `snapshot` says how old the data is.
 */
export function mountHealthRoutes(router: Router, getSnapshot: () => Snapshot, clock: () => number): void {
  const scoped = async (req: Request, res: Response) => {
    const { tenant } = parseQuery(req.query, { tenant: shortText.optional() });
    const snapshot = getSnapshot();
    const scope = await resolveScope(principalOf(res), tenant, (slug) => snapshot.tenants.find((t) => t.slug === slug) ?? null);
    const meta = {
      tenant: scope.tenant,
      snapshot: {
        takenAt: isoOrNull(snapshot.takenAt),
        dataAsOf: isoOrNull(snapshot.dataAsOf || null),
        databaseReachable: snapshot.databaseReachable,
      },
    };
    return { snapshot, meta, visible: (row: { tenantId: string }) => scope.tenantId === null || row.tenantId === scope.tenantId };
  };

  router.get('/v1/health/connectors', healthAccess, async (req, res) => {
    const { snapshot, meta, visible } = await scoped(req, res);
    const now = clock();
    res.json({ ...meta, data: snapshot.connectors.filter(visible).map((c) => connectorHealth(c, snapshot.freshness, now)) });
  });

  router.get('/v1/health/siem', healthAccess, async (req, res) => {
    const { snapshot, meta, visible } = await scoped(req, res);
    res.json({ ...meta, data: snapshot.siemDestinations.filter(visible).map(siemHealth) });
  });

  router.get('/v1/health/ingestion', healthAccess, async (req, res) => {
    const { snapshot, meta, visible } = await scoped(req, res);
    res.json({ ...meta, ...ingestionHealth(snapshot.ingestion.filter(visible), clock()) });
  });
}

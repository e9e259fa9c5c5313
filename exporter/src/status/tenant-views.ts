import type pg from 'pg';
import { inReadOnlyTransaction } from '../db/read-only';
import { logger } from '../log';
import type { Snapshot } from '../snapshot/types';
import { BoundedMap } from '../util/bounded-map';
import { readStatusHistory } from './history-query';
import type { StatusHistory } from './history-types';
import { IncidentTracker } from './incidents';
import { buildTenantStatusModel } from './model';
import { Rendered } from './rendered';
import { buildStatusView, type PageInfo } from './view';

/** Views kept at once: a tenant beyond it is rebuilt (one history read) on its next request. */
export const MAX_TENANT_VIEWS = 256;

/**
 * Tenant token views, one per (snapshot, tenant). The snapshot's run history is platform-wide, so a
 * tenant's view reads the tenant's own daily and recent counts by connection: one read-only transaction
 * per tenant per collection, then cached bytes until the snapshot changes. A history read that fails
 * leaves the view without bars and ratios (the components say so) rather than failing the request.
 *
 * Incidents come from the tenant's own components (one tracker per tenant), not from the public page:
 * those count objects across tenants. A tenant's view is only built when asked for, so its incidents
 * start when a request first sees the degradation.
 */
export class TenantViews {
  // Weak, as in Rendered: the cached views must not keep a replaced snapshot alive.
  private snapshot: WeakRef<Snapshot> | null = null;
  private readonly views = new BoundedMap<string, Promise<Rendered>>(MAX_TENANT_VIEWS);
  private readonly trackers = new BoundedMap<string, IncidentTracker>(MAX_TENANT_VIEWS);

  constructor(private readonly deps: { pool: pg.Pool; statementTimeoutMs: number; page: PageInfo }) {}

  get(snapshot: Snapshot, tenantId: string, slug: string): Promise<Rendered> {
    if (this.snapshot?.deref() !== snapshot) {
      this.snapshot = new WeakRef(snapshot);
      this.views.clear();
    }
    let view = this.views.get(tenantId);
    if (!view) {
      const building = this.build(snapshot, tenantId, slug);
      // An unexpected failure is not kept: the next request tries again.
      building.catch(() => this.views.get(tenantId) === building && this.views.delete(tenantId));
      this.views.set(tenantId, building);
      view = building;
    }
    return view;
  }

  private async build(snapshot: Snapshot, tenantId: string, slug: string): Promise<Rendered> {
    const history = await this.history(snapshot, tenantId, slug);
    const model = buildTenantStatusModel(snapshot, snapshot.statusConfig, tenantId, history);
    const tracker = this.trackers.get(tenantId) ?? new IncidentTracker();
    this.trackers.set(tenantId, tracker);
    tracker.update(model);
    const name = snapshot.tenants.find((t) => t.id === tenantId)?.name ?? slug;
    const incidents = { unresolved: tracker.unresolved(), all: tracker.all() };
    return new Rendered(snapshot, buildStatusView(snapshot, { page: this.deps.page, model, incidents, history, tenant: { slug, name } }));
  }

  /** Counted at the snapshot's time, so the bars and ratios line up with the rest of the view. */
  private async history(snapshot: Snapshot, tenantId: string, slug: string): Promise<StatusHistory | null> {
    try {
      return await inReadOnlyTransaction(this.deps.pool, this.deps.statementTimeoutMs, (client) =>
        readStatusHistory(client, snapshot.takenAt, { kind: 'tenant', tenantId }),
      );
    } catch (err) {
      logger.warn(
        { err: (err as Error).message, tenant: slug },
        "could not read the tenant's run history; its status view is served without uptime bars and failure ratios",
      );
      return null;
    }
  }
}

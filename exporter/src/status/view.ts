import type { Snapshot } from '../snapshot/types';
import type { StatusHistory } from '../snapshot/status-history';
import type { Incident } from './incidents';
import type { MaintenanceWindow } from '../snapshot/status-config';
import { isActive, isListed } from './maintenance';
import { covers } from './model';
import type { StatusModel } from './model-types';
import { overallUptime, uptimeDays, type UptimeDay } from './uptime';
import type { StatusConfig } from '../snapshot/status-config';

/** Everything the renderers need for one snapshot, computed once and shared by HTML, JSON, feed and badges. */
export interface PageInfo {
  id: string;
  name: string;
  /** Absolute when STATUS_PAGE_URL is set, otherwise the relative `/status`. */
  url: string;
  /** When this page (the process serving it) came up: Statuspage's created_at for components. */
  createdAt: number;
}

/** Whose view a tenant token sees; null on the public (and operator) view. */
export interface TenantLabel {
  slug: string;
  name: string;
}

export interface StatusView {
  page: PageInfo;
  tenant: TenantLabel | null;
  model: StatusModel;
  uptime: Map<string, { days: UptimeDay[]; overall: number | null }>;
  incidents: Incident[];
  /** Open and recently resolved incidents, for the history list and the feed. */
  history: Incident[];
  maintenances: { window: MaintenanceWindow; active: boolean }[];
  config: StatusConfig;
}

export interface ViewParts {
  page: PageInfo;
  model: StatusModel;
  incidents: { unresolved: Incident[]; all: Incident[] };
  /** The run history the model was judged with: the snapshot's for the public view, the tenant's own for a tenant's. */
  history: StatusHistory | null;
  tenant?: TenantLabel | null;
}

export function buildStatusView(snapshot: Snapshot, { page, model, incidents, history, tenant = null }: ViewParts): StatusView {
  const config = snapshot.statusConfig;
  const uptime = new Map<string, { days: UptimeDay[]; overall: number | null }>();
  const components = model.groups.flatMap((g) => g.components);
  for (const c of components) {
    const days = uptimeDays(model.at, history, c, config.thresholds);
    uptime.set(c.id, { days, overall: overallUptime(days) });
  }
  // A tenant is told of the windows that touch its own components; the public page lists them all.
  const relevant = (w: MaintenanceWindow) => tenant === null || components.some((c) => covers(w.components, c));
  const maintenances = config.maintenance
    .filter((w) => isListed(w, model.at) && relevant(w))
    .sort((a, b) => a.startsAt - b.startsAt)
    .map((window) => ({ window, active: isActive(window, model.at) }));
  return { page, tenant, model, uptime, incidents: incidents.unresolved, history: incidents.all, maintenances, config };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

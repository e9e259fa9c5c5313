import type { Snapshot } from '../snapshot/types';
import type { StatusConfig } from './active';
import type { Incident } from './incidents';
import { isActive, isListed, type MaintenanceWindow } from './maintenance';
import { buildStatusModel, type StatusModel } from './model';
import { overallUptime, uptimeDays, type UptimeDay } from './uptime';

/** Everything the renderers need for one snapshot, computed once and shared by HTML, JSON, feed and badges. */
export interface PageInfo {
  id: string;
  name: string;
  /** Absolute when STATUS_PAGE_URL is set, otherwise the relative `/status`. */
  url: string;
  /** When this page (the process serving it) came up: Statuspage's created_at for components. */
  createdAt: number;
}

export interface StatusView {
  page: PageInfo;
  model: StatusModel;
  uptime: Map<string, { days: UptimeDay[]; overall: number | null }>;
  incidents: Incident[];
  /** Open and recently resolved incidents, for the history list and the feed. */
  history: Incident[];
  maintenances: { window: MaintenanceWindow; active: boolean }[];
  config: StatusConfig;
}

export function buildStatusView(snapshot: Snapshot, config: StatusConfig, page: PageInfo, incidents: { unresolved: Incident[]; all: Incident[] }, model = buildStatusModel(snapshot, config)): StatusView {
  const uptime = new Map<string, { days: UptimeDay[]; overall: number | null }>();
  for (const c of model.groups.flatMap((g) => g.components)) {
    const days = uptimeDays(snapshot, c);
    uptime.set(c.id, { days, overall: overallUptime(days) });
  }
  const maintenances = config.maintenance
    .filter((w) => isListed(w, model.at))
    .sort((a, b) => a.startsAt - b.startsAt)
    .map((window) => ({ window, active: isActive(window, model.at) }));
  return { page, model, uptime, incidents: incidents.unresolved, history: incidents.all, maintenances, config };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

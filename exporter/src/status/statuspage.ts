import type { Incident } from './incidents';
import { incidentImpact, incidentName } from './incidents';
import { STATUS_LABEL } from './levels';
import type { MaintenanceWindow } from './maintenance';
import { covers, type StatusComponent, type StatusGroup } from './model';
import { iso, type StatusView } from './view';

/**
 * The Atlassian Statuspage v2 shapes (summary, status, components, incidents), so aggregators and
 * widgets read /status.json unchanged. Aperio-only data lives in `aperio_*` fields and never changes
 * the meaning of a standard one.
 */
const slugPage = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'aperio';

export function pageJson(view: StatusView) {
  return { id: slugPage(view.page.name), name: view.page.name, url: view.page.url, time_zone: 'Etc/UTC', updated_at: iso(view.model.at) };
}

export function statusJson(view: StatusView) {
  return { page: pageJson(view), status: { indicator: view.model.indicator, description: view.model.description } };
}

function baseComponent(view: StatusView, id: string, name: string, description: string, position: number) {
  return {
    id,
    name,
    status: 'operational' as string,
    created_at: iso(view.page.createdAt),
    updated_at: iso(view.model.at),
    position,
    description,
    showcase: true,
    start_date: null as string | null,
    group_id: null as string | null,
    page_id: pageJson(view).id,
    group: false,
    only_show_if_degraded: false,
  };
}

function groupJson(view: StatusView, g: StatusGroup, position: number) {
  return {
    ...baseComponent(view, g.id, g.name, g.description, position),
    status: g.status,
    group: true,
    components: g.components.map((c) => c.id),
  };
}

function childJson(view: StatusView, c: StatusComponent, position: number) {
  const uptime = view.uptime.get(c.id);
  return {
    ...baseComponent(view, c.id, c.name, c.description, position),
    status: c.status,
    group_id: c.groupId,
    aperio_reasons: c.reasons,
    aperio_measured_status: c.measured,
    aperio_uptime_90d: uptime?.overall ?? null,
    aperio_uptime_days: (uptime?.days ?? []).map((d) => ({
      date: d.date,
      runs: d.runs,
      failures: d.failures,
      uptime: d.uptime,
      status: d.status,
    })),
  };
}

export function componentsJson(view: StatusView) {
  let position = 0;
  return view.model.groups.flatMap((g) => [groupJson(view, g, ++position), ...g.components.map((c) => childJson(view, c, ++position))]);
}

const componentRefs = (view: StatusView, ids: readonly string[]) => {
  // A group id stands for its components: affected lists name leaf components only.
  const covered = new Set(
    view.model.groups
      .flatMap((g) => g.components)
      .filter((c) => covers(ids, c))
      .map((c) => c.id),
  );
  return componentsJson(view).filter((c) => !c.group && covered.has(c.id));
};

function shortlink(view: StatusView, anchor: string): string {
  return `${view.page.url}#${anchor}`;
}

export function incidentJson(view: StatusView, i: Incident) {
  const page_id = pageJson(view).id;
  const latest = i.updates[0];
  return {
    id: i.id,
    name: incidentName(i),
    status: i.resolvedAt === null ? 'investigating' : 'resolved',
    impact: incidentImpact(i),
    shortlink: shortlink(view, `incident-${i.id}`),
    started_at: iso(i.startedAt),
    created_at: iso(i.startedAt),
    updated_at: iso(latest?.at ?? i.startedAt),
    monitoring_at: null,
    resolved_at: i.resolvedAt === null ? null : iso(i.resolvedAt),
    page_id,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: [{ code: i.componentId, name: i.componentName, old_status: 'operational', new_status: u.componentStatus }],
    })),
    components: componentRefs(view, [i.componentId]),
  };
}

export function maintenanceJson(view: StatusView, w: MaintenanceWindow, active: boolean) {
  const status = active ? 'in_progress' : 'scheduled';
  return {
    id: w.id,
    name: w.name,
    status,
    impact: 'maintenance',
    shortlink: shortlink(view, `maintenance-${w.id}`),
    started_at: iso(w.startsAt),
    created_at: iso(w.startsAt),
    updated_at: iso(view.model.at),
    monitoring_at: null,
    resolved_at: null,
    scheduled_for: iso(w.startsAt),
    scheduled_until: iso(w.endsAt),
    page_id: pageJson(view).id,
    incident_updates: [
      {
        id: `${w.id}-${status}`,
        status,
        body: w.body || `${w.name} (${STATUS_LABEL.under_maintenance.toLowerCase()}).`,
        incident_id: w.id,
        created_at: iso(w.startsAt),
        updated_at: iso(w.startsAt),
        display_at: iso(w.startsAt),
        affected_components: componentRefs(view, w.components).map((c) => ({
          code: c.id,
          name: c.name,
          old_status: 'operational',
          new_status: 'under_maintenance',
        })),
      },
    ],
    components: componentRefs(view, w.components),
  };
}

export function unresolvedJson(view: StatusView) {
  return { page: pageJson(view), incidents: view.incidents.map((i) => incidentJson(view, i)) };
}

export function summaryJson(view: StatusView) {
  return {
    ...statusJson(view),
    components: componentsJson(view),
    incidents: view.incidents.map((i) => incidentJson(view, i)),
    scheduled_maintenances: view.maintenances.map(({ window, active }) => maintenanceJson(view, window, active)),
    aperio_thresholds: view.config.thresholds,
    aperio_uptime_window_days: 90,
    // Only in a tenant token's view: whose components these are.
    ...(view.tenant ? { aperio_tenant: view.tenant } : {}),
  };
}

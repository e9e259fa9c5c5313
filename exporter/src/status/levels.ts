/** The Statuspage v2 vocabularies, and how component statuses order and roll up. */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const INDICATORS = ['none', 'minor', 'major', 'critical'] as const;
export type Indicator = (typeof INDICATORS)[number];

// Maintenance ranks with operational: it is announced, so it does not raise the page's indicator.
const RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 1,
  partial_outage: 2,
  major_outage: 3,
};

export const rank = (status: ComponentStatus): number => RANK[status];

export function worst(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let out: ComponentStatus = 'operational';
  let sawMaintenance = false;
  for (const status of statuses) {
    if (status === 'under_maintenance') sawMaintenance = true;
    else if (RANK[status] > RANK[out]) out = status;
  }
  return out === 'operational' && sawMaintenance ? 'under_maintenance' : out;
}

export const INDICATOR_OF: Record<ComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

/** Statuspage's own wording for the page status. */
export function indicatorDescription(indicator: Indicator, maintenance: boolean): string {
  if (indicator === 'none') return maintenance ? 'Service Under Maintenance' : 'All Systems Operational';
  return { minor: 'Minor Service Outage', major: 'Partial System Outage', critical: 'Major Service Outage' }[indicator];
}

/** The status page's words for each status; the OpenAPI document carries them to the Grafana plugin (ComponentStatus). */
export const STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

/** Objects (connectors, destinations) each judged ok, degraded or down roll up to a component status. */
export type ObjectLevel = 'ok' | 'degraded' | 'down';

export function fromObjectLevels(levels: readonly ObjectLevel[]): ComponentStatus {
  if (levels.length === 0) return 'operational';
  const down = levels.filter((l) => l === 'down').length;
  const impaired = levels.filter((l) => l !== 'ok').length;
  if (down === levels.length) return 'major_outage';
  if (down > 0 || impaired === levels.length) return 'partial_outage';
  if (impaired > 0) return 'degraded_performance';
  return 'operational';
}

import type { ConnectorHealth, FreshnessState } from '../../api/types';

/** `connector` (a connection id) comes only from links, e.g. a dashboard row: it narrows to that one connector. */
export type HealthFilters = { tenant: string; provider: string; state: FreshnessState | ''; connector: string };
export type ConnectorSort = 'worst' | 'oldest' | 'name' | 'tenant';

/** Worst first: critical, never synced, stale, fresh. */
export const FRESHNESS_SEVERITY: Record<FreshnessState, number> = { critical: 0, never: 1, stale: 2, fresh: 3 };

export const uniqueSorted = (values: string[]) => [...new Set(values)].sort((a, b) => a.localeCompare(b));

export function filterConnectors(rows: ConnectorHealth[], filters: HealthFilters): ConnectorHealth[] {
  return rows.filter(
    (c) =>
      (!filters.tenant || c.tenant === filters.tenant) &&
      (!filters.provider || c.provider === filters.provider) &&
      (!filters.state || c.freshness.state === filters.state) &&
      (!filters.connector || c.id === filters.connector)
  );
}

const byName = (a: ConnectorHealth, b: ConnectorHealth) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** "worst" first is the default: the row that needs attention is the first one read. */
export function sortConnectors(rows: ConnectorHealth[], sort: ConnectorSort): ConnectorHealth[] {
  const copy = [...rows];
  switch (sort) {
    case 'oldest':
      return copy.sort(
        (a, b) => (b.freshness.ageSeconds ?? Infinity) - (a.freshness.ageSeconds ?? Infinity) || byName(a, b)
      );
    case 'name':
      return copy.sort(byName);
    case 'tenant':
      return copy.sort((a, b) => a.tenant.localeCompare(b.tenant) || byName(a, b));
    default:
      return copy.sort(
        (a, b) =>
          FRESHNESS_SEVERITY[a.freshness.state] - FRESHNESS_SEVERITY[b.freshness.state] ||
          b.consecutiveFailures - a.consecutiveFailures ||
          byName(a, b)
      );
  }
}

import type { FreshnessState } from '../../api/types';
import type { ConnectorSort, HealthFilters } from './health.utils';

const STATES: FreshnessState[] = ['fresh', 'stale', 'critical', 'never'];
const SORTS: ConnectorSort[] = ['worst', 'oldest', 'name', 'tenant'];
export const DEFAULT_REFRESH_MS = 30_000;

export function healthViewFromSearch(search: URLSearchParams) {
  const state = search.get('state') as FreshnessState | null;
  const sort = search.get('sort') as ConnectorSort | null;
  const refresh = Number(search.get('refresh') ?? DEFAULT_REFRESH_MS);
  const filters: HealthFilters = {
    tenant: search.get('tenant') ?? '',
    provider: search.get('provider') ?? '',
    state: state && STATES.includes(state) ? state : '',
  };
  return {
    filters,
    sort: sort && SORTS.includes(sort) ? sort : ('worst' as ConnectorSort),
    refreshMs: Number.isFinite(refresh) && refresh >= 0 ? refresh : DEFAULT_REFRESH_MS,
  };
}

export function updateSearch(search: URLSearchParams, changes: Record<string, string | undefined>): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
  }
  return next;
}

import type { FreshnessState } from '../../api/types';
import { refreshFromSearch } from '../../utils/refresh';
import type { ConnectorSort, HealthFilters } from './health.utils';

const STATES: FreshnessState[] = ['fresh', 'stale', 'critical', 'never'];
const SORTS: ConnectorSort[] = ['worst', 'oldest', 'name', 'tenant'];
/** Health is a live view: it refreshes every 30 s unless the URL says otherwise. */
export const DEFAULT_REFRESH = '30s';

export function healthViewFromSearch(search: URLSearchParams) {
  const state = search.get('state') as FreshnessState | null;
  const sort = search.get('sort') as ConnectorSort | null;
  const filters: HealthFilters = {
    tenant: search.get('tenant') ?? '',
    provider: search.get('provider') ?? '',
    state: state && STATES.includes(state) ? state : '',
    connector: search.get('connector') ?? '',
  };
  return {
    filters,
    sort: sort && SORTS.includes(sort) ? sort : ('worst' as ConnectorSort),
    refresh: refreshFromSearch(search, DEFAULT_REFRESH),
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

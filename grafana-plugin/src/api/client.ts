import { lastValueFrom } from 'rxjs';
import { getBackendSrv, type FetchError } from '@grafana/runtime';
import { PROXY_BASE_URL } from '../constants';
import { ApiError, toApiError } from './errors';

export type QueryParams = Record<string, string | number | undefined | null>;

export function toQueryString(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A URL of the plugin proxy: `route` is a plugin.json route path plus what follows it. */
export const proxyUrl = (route: string, params: QueryParams = {}) =>
  `${PROXY_BASE_URL}/${route}${toQueryString(params)}`;

const isFetchError = (e: unknown): e is FetchError => typeof e === 'object' && e !== null && 'status' in e;

export async function getJson<T>(url: string): Promise<T> {
  try {
    // showErrorAlert off: every view explains its own failures in place instead of a toast.
    const response = await lastValueFrom(getBackendSrv().fetch<T>({ url, method: 'GET', showErrorAlert: false }));
    return response.data;
  } catch (e) {
    if (e instanceof ApiError) {
      throw e;
    }
    if (isFetchError(e)) {
      throw toApiError(e.status ?? 0, e.data, e.statusText);
    }
    throw toApiError(0, undefined, e instanceof Error ? e.message : String(e));
  }
}

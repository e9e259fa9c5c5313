import { rangeUtil } from '@grafana/data';

/** Intervals offered by the pages' RefreshPicker, in Grafana's own spelling. */
export const REFRESH_INTERVALS = ['10s', '30s', '1m', '5m', '15m'];

/**
 * The auto-refresh interval kept in the URL as Grafana writes it (`refresh=30s`), so a shared link
 * refreshes like the page it came from. "", "0" and "off" turn it off; anything unreadable falls back.
 */
export function refreshFromSearch(search: URLSearchParams, fallback: string): { interval: string; ms: number } {
  const value = search.get('refresh');
  if (value === null) {
    return { interval: fallback, ms: fallback ? rangeUtil.intervalToMs(fallback) : 0 };
  }
  if (value === '' || value === '0' || value === 'off') {
    return { interval: '', ms: 0 };
  }
  return rangeUtil.isValidTimeSpan(value)
    ? { interval: value, ms: rangeUtil.intervalToMs(value) }
    : refreshFromSearch(new URLSearchParams(), fallback);
}

/** The value to write back: an explicit "off" so a default-on page stays off in a shared link. */
export const refreshToSearch = (interval: string) => interval || 'off';

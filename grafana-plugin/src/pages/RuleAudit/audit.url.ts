import { dateMath } from '@grafana/data';
import type { QueryParams } from '../../api/client';
import { RUN_STATUSES, RUN_TRIGGERS } from '../../api/openapi-enums.gen';
import type { RunStatus, RunTrigger } from '../../api/types';

/** The audit log's filters exactly as they appear in the page URL, so links and back/forward keep them. */
export type AuditFilters = {
  from: string;
  to: string;
  /** OPERATOR tokens only: one tenant's runs (empty: every tenant's). */
  tenant: string;
  rule: string;
  status: RunStatus[];
  trigger: RunTrigger[];
  minDurationMs: string;
  minFindings: string;
};

export const DEFAULT_FROM = 'now-24h';
export const DEFAULT_TO = 'now';

const listOf = <T extends string>(value: string | null, allowed: readonly T[]): T[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim().toUpperCase())
    .filter((v): v is T => (allowed as readonly string[]).includes(v));

const wholeNumber = (value: string | null) => (value && /^\d+$/.test(value) ? value : '');

export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  return {
    from: search.get('from') || DEFAULT_FROM,
    to: search.get('to') || DEFAULT_TO,
    tenant: search.get('tenant') ?? '',
    rule: search.get('rule') ?? '',
    status: listOf(search.get('status'), RUN_STATUSES),
    trigger: listOf(search.get('trigger'), RUN_TRIGGERS),
    minDurationMs: wholeNumber(search.get('minDurationMs')),
    minFindings: wholeNumber(search.get('minFindings')),
  };
}

/**
 * Only what differs from the defaults goes into the URL, so a plain link stays plain. `keep` carries
 * over what is not a filter (the open run, the refresh interval); the page cursors never survive a
 * filter change, since the API binds a cursor to the filters it was issued for.
 */
export function filtersToSearch(filters: AuditFilters, keep?: URLSearchParams): URLSearchParams {
  const search = new URLSearchParams();
  const set = (key: string, value: string, fallback = '') => value && value !== fallback && search.set(key, value);
  set('from', filters.from, DEFAULT_FROM);
  set('to', filters.to, DEFAULT_TO);
  set('tenant', filters.tenant.trim());
  set('rule', filters.rule.trim());
  set('status', filters.status.join(','));
  set('trigger', filters.trigger.join(','));
  set('minDurationMs', filters.minDurationMs);
  set('minFindings', filters.minFindings);
  for (const key of ['run', 'refresh']) {
    const value = keep?.get(key);
    if (value) {
      search.set(key, value);
    }
  }
  return search;
}

/**
 * Grafana time expressions become ISO instants for the API. "now" is rounded down to the minute so
 * re-rendering the page does not produce a new URL (and a new request) every second.
 */
function toIso(expression: string, roundUp: boolean): string | undefined {
  const parsed = dateMath.toDateTime(expression, { roundUp });
  if (!parsed || !parsed.isValid()) {
    return undefined;
  }
  const ms = parsed.valueOf();
  return new Date(expression.startsWith('now') ? ms - (ms % 60_000) : ms).toISOString();
}

export function auditQuery(filters: AuditFilters): QueryParams {
  // The API's own default is the last 24 hours; leaving it out keeps its window from sliding between pages.
  const defaultWindow = filters.from === DEFAULT_FROM && filters.to === DEFAULT_TO;
  return {
    from: defaultWindow ? undefined : toIso(filters.from, false),
    to: defaultWindow ? undefined : toIso(filters.to, true),
    tenant: filters.tenant.trim() || undefined,
    rule: filters.rule.trim() || undefined,
    status: filters.status.join(',') || undefined,
    trigger: filters.trigger.join(',') || undefined,
    minDurationMs: filters.minDurationMs || undefined,
    minFindings: filters.minFindings || undefined,
  };
}

/**
 * The cursors of the pages read so far (`pages=c1,c2`), newest page last: the current page is the
 * last one, "Newer" drops it. In the URL, so reload, back/forward and a shared link land on the same page.
 */
export const cursorsFromSearch = (search: URLSearchParams): string[] =>
  (search.get('pages') ?? '').split(',').filter((c) => /^[\w-]+$/.test(c));

export function withCursors(search: URLSearchParams, cursors: string[]): URLSearchParams {
  const next = new URLSearchParams(search);
  if (cursors.length) {
    next.set('pages', cursors.join(','));
  } else {
    next.delete('pages');
  }
  return next;
}

/** The cursor of an exporter link (`links.next`), which is all the URL needs of it. */
export const cursorOf = (link: string): string | null => new URL(link, 'http://exporter').searchParams.get('cursor');

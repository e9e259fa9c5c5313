import { dateMath } from '@grafana/data';
import type { QueryParams } from '../../api/client';
import type { RunStatus, RunTrigger } from '../../api/types';

export const RUN_STATUSES: RunStatus[] = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'SKIPPED'];
export const RUN_TRIGGERS: RunTrigger[] = ['SCHEDULE', 'MANUAL', 'EVENT'];

/** The audit log's filters exactly as they appear in the page URL, so links and back/forward keep them. */
export type AuditFilters = {
  from: string;
  to: string;
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
    rule: search.get('rule') ?? '',
    status: listOf(search.get('status'), RUN_STATUSES),
    trigger: listOf(search.get('trigger'), RUN_TRIGGERS),
    minDurationMs: wholeNumber(search.get('minDurationMs')),
    minFindings: wholeNumber(search.get('minFindings')),
  };
}

/** Only what differs from the defaults goes into the URL, so a plain link stays plain. */
export function filtersToSearch(filters: AuditFilters, keep?: URLSearchParams): URLSearchParams {
  const search = new URLSearchParams();
  const set = (key: string, value: string, fallback = '') => value && value !== fallback && search.set(key, value);
  set('from', filters.from, DEFAULT_FROM);
  set('to', filters.to, DEFAULT_TO);
  set('rule', filters.rule.trim());
  set('status', filters.status.join(','));
  set('trigger', filters.trigger.join(','));
  set('minDurationMs', filters.minDurationMs);
  set('minFindings', filters.minFindings);
  const run = keep?.get('run');
  if (run) {
    search.set('run', run);
  }
  return search;
}

/**
 * Grafana time expressions become ISO instants for the API. "now" is rounded down to the minute so
 * re-rendering the page does not produce a new URL (and a new request) every second.
 */
function toIso(expression: string, roundUp: boolean): string | undefined {
  const parsed = dateMath.parse(expression, roundUp);
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
    rule: filters.rule.trim() || undefined,
    status: filters.status.join(',') || undefined,
    trigger: filters.trigger.join(',') || undefined,
    minDurationMs: filters.minDurationMs || undefined,
    minFindings: filters.minFindings || undefined,
  };
}

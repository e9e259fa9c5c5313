import { proxyUrl, proxyUrlFromLink } from '../api/client';
import type { RuleRun, RunPage } from '../api/types';
import { auditQuery, type AuditFilters } from '../pages/RuleAudit/audit.url';
import { useApi } from './useApi';

/** One page of runs: the first page from the filters, later pages from the exporter's `links.next`. */
export function useRuleRuns(filters: AuditFilters, cursorLink: string | null) {
  const url = cursorLink ? proxyUrlFromLink(cursorLink) : proxyUrl('rule-runs', auditQuery(filters));
  return useApi<RunPage<RuleRun>>(url);
}

export const useRuleRun = (id: string | null) => useApi<{ data: RuleRun }>(id ? proxyUrl(`rule-runs/${encodeURIComponent(id)}`) : null);

export const exportUrl = (filters: AuditFilters, format: 'csv' | 'ndjson') =>
  proxyUrl('rule-runs/export', { ...auditQuery(filters), format });

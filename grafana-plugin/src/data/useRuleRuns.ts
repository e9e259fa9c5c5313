import { proxyUrl } from '../api/client';
import type { RuleRunAnswer, RuleRunPage } from '../api/types';
import { auditQuery, type AuditFilters } from '../pages/RuleAudit/audit.url';
import { useApi } from './useApi';

/** One page of runs: the first page without a cursor, later ones with the cursor the API handed out for these filters. */
export function useRuleRuns(filters: AuditFilters, cursor: string | null, refreshMs = 0) {
  return useApi<RuleRunPage>(proxyUrl('rule-runs', { ...auditQuery(filters), cursor }), refreshMs);
}

export const useRuleRun = (id: string | null) =>
  useApi<RuleRunAnswer>(id ? proxyUrl(`rule-runs/${encodeURIComponent(id)}`) : null);

export const exportUrl = (filters: AuditFilters, format: 'csv' | 'ndjson') =>
  proxyUrl('rule-runs/export', { ...auditQuery(filters), format });

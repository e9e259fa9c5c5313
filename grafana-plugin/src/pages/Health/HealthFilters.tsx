import React from 'react';
import { InlineField, Select, Stack } from '@grafana/ui';
import type { SelectableValue } from '@grafana/data';
import { testIds } from '../../components/testIds';
import type { ConnectorSort, HealthFilters as Filters } from './health.utils';

type Props = {
  filters: Filters;
  sort: ConnectorSort;
  refreshMs: number;
  tenants: string[];
  providers: string[];
  onChange: (next: Partial<Filters & { sort: ConnectorSort; refresh: string }>) => void;
};

const ALL = { label: 'All', value: '' };
const options = (values: string[]): Array<SelectableValue<string>> => [ALL, ...values.map((v) => ({ label: v, value: v }))];
const STATES = options(['fresh', 'stale', 'critical', 'never']);
const SORTS: Array<SelectableValue<ConnectorSort>> = [
  { label: 'Worst first', value: 'worst' },
  { label: 'Oldest sync first', value: 'oldest' },
  { label: 'Name', value: 'name' },
  { label: 'Tenant', value: 'tenant' },
];
export const REFRESH_OPTIONS: Array<SelectableValue<string>> = [
  { label: 'Off', value: '0' },
  { label: '10s', value: '10000' },
  { label: '30s', value: '30000' },
  { label: '1m', value: '60000' },
  { label: '5m', value: '300000' },
];

export const HealthFilters = ({ filters, sort, refreshMs, tenants, providers, onChange }: Props) => (
  <Stack wrap="wrap" gap={1}>
    <InlineField label="Tenant">
      <Select
        width={20}
        data-testid={testIds.health.filterTenant}
        inputId="health-tenant"
        options={options(tenants)}
        value={filters.tenant}
        onChange={(v) => onChange({ tenant: v.value ?? '' })}
      />
    </InlineField>
    <InlineField label="Provider">
      <Select
        width={20}
        data-testid={testIds.health.filterProvider}
        inputId="health-provider"
        options={options(providers)}
        value={filters.provider}
        onChange={(v) => onChange({ provider: v.value ?? '' })}
      />
    </InlineField>
    <InlineField label="Freshness">
      <Select
        width={16}
        data-testid={testIds.health.filterState}
        inputId="health-state"
        options={STATES}
        value={filters.state}
        onChange={(v) => onChange({ state: (v.value ?? '') as Filters['state'] })}
      />
    </InlineField>
    <InlineField label="Sort">
      <Select width={20} data-testid={testIds.health.sort} inputId="health-sort" options={SORTS} value={sort} onChange={(v) => onChange({ sort: v.value ?? 'worst' })} />
    </InlineField>
    <InlineField label="Auto-refresh">
      <Select width={10} inputId="health-refresh" options={REFRESH_OPTIONS} value={String(refreshMs)} onChange={(v) => onChange({ refresh: v.value ?? '0' })} />
    </InlineField>
  </Stack>
);

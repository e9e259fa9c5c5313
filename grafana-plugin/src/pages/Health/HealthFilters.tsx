import React from 'react';
import { InlineField, Select, Stack } from '@grafana/ui';
import type { SelectableValue } from '@grafana/data';
import { testIds } from '../../components/testIds';
import type { ConnectorSort, HealthFilters as Filters } from './health.utils';

type Props = {
  filters: Filters;
  sort: ConnectorSort;
  tenants: string[];
  providers: string[];
  onChange: (next: Partial<Filters & { sort: ConnectorSort }>) => void;
};

const ALL = { label: 'All', value: '' };
const options = (values: string[]): Array<SelectableValue<string>> => [
  ALL,
  ...values.map((v) => ({ label: v, value: v })),
];
const STATES = options(['fresh', 'stale', 'critical', 'never']);
const SORTS: Array<SelectableValue<ConnectorSort>> = [
  { label: 'Worst first', value: 'worst' },
  { label: 'Oldest sync first', value: 'oldest' },
  { label: 'Name', value: 'name' },
  { label: 'Tenant', value: 'tenant' },
];

export const HealthFilters = ({ filters, sort, tenants, providers, onChange }: Props) => (
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
      <Select
        width={20}
        data-testid={testIds.health.sort}
        inputId="health-sort"
        options={SORTS}
        value={sort}
        onChange={(v) => onChange({ sort: v.value ?? 'worst' })}
      />
    </InlineField>
  </Stack>
);

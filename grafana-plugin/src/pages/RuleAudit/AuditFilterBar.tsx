import React, { useState } from 'react';
import type { SelectableValue } from '@grafana/data';
import { Button, InlineField, Input, MultiSelect, Stack } from '@grafana/ui';
import type { RunStatus, RunTrigger } from '../../api/types';
import { testIds } from '../../components/testIds';
import { RUN_STATUSES, RUN_TRIGGERS } from '../../api/openapi-enums.gen';
import type { AuditFilters } from './audit.url';

const toOptions = <T extends string>(values: readonly T[]): Array<SelectableValue<T>> =>
  values.map((v) => ({ label: v, value: v }));

/** A labelled pick of any number of an enum's values (run statuses, triggers). */
function EnumField<T extends string>(props: {
  label: string;
  inputId: string;
  values: readonly T[];
  value: T[];
  onChange: (value: T[]) => void;
}) {
  return (
    <InlineField label={props.label}>
      <MultiSelect<T>
        width={30}
        inputId={props.inputId}
        options={toOptions(props.values)}
        value={props.value}
        onChange={(v) => props.onChange(v.map((o) => o.value!).filter(Boolean))}
      />
    </InlineField>
  );
}

type Props = { filters: AuditFilters; showTenant: boolean; onApply: (filters: AuditFilters) => void };

/**
 * The time range is in the page header (AuditTimeRange). Edits a draft; only Apply (or Enter) changes the URL, so typing does not fire a request per key.
 * The parent keys it by the URL's filters, so back/forward resets the draft.
 */
export const AuditFilterBar = ({ filters, showTenant, onApply }: Props) => {
  const [draft, setDraft] = useState(filters);
  const set = (changes: Partial<AuditFilters>) => setDraft({ ...draft, ...changes });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };

  return (
    <form onSubmit={submit}>
      <Stack wrap="wrap" gap={1} alignItems="flex-start">
        {showTenant && (
          <InlineField
            label="Tenant"
            tooltip="Your token is an OPERATOR token: it reads every tenant's runs unless you name one"
          >
            <Input
              width={16}
              data-testid={testIds.audit.tenant}
              placeholder="all tenants"
              value={draft.tenant}
              onChange={(e) => set({ tenant: e.currentTarget.value })}
            />
          </InlineField>
        )}
        <InlineField label="Rule">
          <Input
            width={24}
            data-testid={testIds.audit.rule}
            placeholder="rule key or id"
            value={draft.rule}
            onChange={(e) => set({ rule: e.currentTarget.value })}
          />
        </InlineField>
        <EnumField<RunStatus>
          label="Status"
          inputId="audit-status"
          values={RUN_STATUSES}
          value={draft.status}
          onChange={(status) => set({ status })}
        />
        <EnumField<RunTrigger>
          label="Trigger"
          inputId="audit-trigger"
          values={RUN_TRIGGERS}
          value={draft.trigger}
          onChange={(trigger) => set({ trigger })}
        />
        <InlineField label="Min duration (ms)">
          <Input
            width={12}
            type="number"
            min={0}
            data-testid={testIds.audit.minDuration}
            value={draft.minDurationMs}
            onChange={(e) => set({ minDurationMs: e.currentTarget.value })}
          />
        </InlineField>
        <InlineField label="Min findings">
          <Input
            width={10}
            type="number"
            min={0}
            data-testid={testIds.audit.minFindings}
            value={draft.minFindings}
            onChange={(e) => set({ minFindings: e.currentTarget.value })}
          />
        </InlineField>
        <Button type="submit" icon="filter" data-testid={testIds.audit.apply}>
          Apply
        </Button>
      </Stack>
    </form>
  );
};

import React, { useMemo } from 'react';
import { Button, InteractiveTable, type Column } from '@grafana/ui';
import type { RuleRun } from '../../api/types';
import { testIds } from '../../components/testIds';
import { absoluteTime, formatDuration } from '../../utils/format';
import { RunStatusBadge } from './RunStatusBadge';
import { TraceLink } from './TraceLink';

type Props = { runs: RuleRun[]; showTenant: boolean; onSelect: (id: string) => void };
type Cell = { row: { original: RuleRun } };

const ruleColumn = (onSelect: (id: string) => void): Column<RuleRun> => ({
  id: 'ruleName',
  header: 'Rule',
  sortType: 'alphanumeric',
  cell: ({ row: { original: run } }: Cell) => (
    <span data-testid={testIds.audit.row} title={run.ruleKey ?? run.ruleId}>
      <Button
        size="sm"
        fill="text"
        variant="primary"
        onClick={() => onSelect(run.id)}
        aria-label={`Run ${run.id} details`}
      >
        {run.ruleName || run.ruleKey || run.ruleId}
      </Button>
    </span>
  ),
});

const COLUMNS: Array<Column<RuleRun>> = [
  {
    id: 'startedAt',
    header: 'Started',
    sortType: 'alphanumeric',
    cell: ({ row: { original: run } }: Cell) => absoluteTime(run.startedAt),
  },
  {
    id: 'durationMs',
    header: 'Duration',
    sortType: 'number',
    cell: ({ row: { original: run } }: Cell) => formatDuration(run.durationMs),
  },
  { id: 'eventsEvaluated', header: 'Events evaluated', sortType: 'number' },
  { id: 'findingsOpened', header: 'Findings opened', sortType: 'number' },
  {
    id: 'status',
    header: 'Status',
    sortType: 'alphanumeric',
    cell: ({ row: { original: run } }: Cell) => <RunStatusBadge status={run.status} />,
  },
  { id: 'trigger', header: 'Trigger', sortType: 'alphanumeric' },
  {
    id: 'traceId',
    header: 'Trace',
    cell: ({ row: { original: run } }: Cell) => <TraceLink traceId={run.traceId} short />,
  },
  {
    id: 'error',
    header: 'Error',
    cell: ({ row: { original: run } }: Cell) => (run.error ? run.error.slice(0, 80) : ''),
  },
];

const TENANT: Column<RuleRun> = { id: 'tenant', header: 'Tenant', sortType: 'alphanumeric' };

/** The API's order (newest first) until a header is clicked; an OPERATOR token, which sees every tenant, gets a Tenant column. */
export const RunsTable = ({ runs, showTenant, onSelect }: Props) => {
  const columns = useMemo(
    () => [ruleColumn(onSelect), ...(showTenant ? [TENANT] : []), ...COLUMNS],
    [onSelect, showTenant]
  );
  const data = useMemo(() => runs, [runs]);
  return (
    <div data-testid={testIds.audit.table}>
      <InteractiveTable columns={columns} data={data} getRowId={(run) => run.id} />
    </div>
  );
};

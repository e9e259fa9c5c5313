import React, { useMemo } from 'react';
import { InteractiveTable, type Column } from '@grafana/ui';
import type { IngestionAnswer, QueueFigures } from '../../api/types';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { formatSeconds } from '../../utils/format';

type QueueRow = QueueFigures & { id: string; tenant: string; kind: string };
type Cell = { row: { original: QueueRow } };

const age = (seconds: number | null) => (seconds === null ? '—' : formatSeconds(seconds));

const COLUMNS: Array<Column<QueueRow>> = [
  { id: 'tenant', header: 'Tenant', sortType: 'alphanumeric' },
  { id: 'kind', header: 'Kind', sortType: 'alphanumeric' },
  { id: 'queued', header: 'Queued', sortType: 'number' },
  { id: 'running', header: 'Running', sortType: 'number' },
  { id: 'retrying', header: 'Retrying', sortType: 'number' },
  { id: 'dead', header: 'Dead', sortType: 'number' },
  {
    id: 'oldestQueuedAgeSeconds',
    header: 'Oldest queued',
    sortType: (a: { original: QueueRow }, b: { original: QueueRow }) =>
      (a.original.oldestQueuedAgeSeconds ?? -1) - (b.original.oldestQueuedAgeSeconds ?? -1),
    cell: ({ row: { original } }: Cell) => age(original.oldestQueuedAgeSeconds),
  },
];

/** One row per tenant (all kinds), one per tenant and job kind, and the platform total when no tenant is picked. */
function queueRows(answer: IngestionAnswer, tenant: string): QueueRow[] {
  const tenants = answer.data.filter((t) => !tenant || t.tenant === tenant);
  const rows = tenants.flatMap(({ kinds, ...t }) => [
    { ...t, id: t.tenant, kind: 'All kinds' },
    ...kinds.map(({ kind, ...k }) => ({ ...k, id: `${t.tenant}/${kind}`, tenant: t.tenant, kind })),
  ]);
  return tenant || rows.length === 0
    ? rows
    : [...rows, { ...answer.total, id: '*', tenant: 'All tenants', kind: 'All kinds' }];
}

export const IngestionPanel = ({ answer, tenant }: { answer: IngestionAnswer; tenant: string }) => {
  const rows = useMemo(() => queueRows(answer, tenant), [answer, tenant]);
  if (rows.length === 0) {
    return <Empty>No ingestion jobs are queued, running or dead.</Empty>;
  }
  return (
    <div data-testid={testIds.health.ingestionTable}>
      <InteractiveTable columns={COLUMNS} data={rows} getRowId={(row) => row.id} />
    </div>
  );
};

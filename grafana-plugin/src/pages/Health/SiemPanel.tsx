import React, { useMemo } from 'react';
import { InteractiveTable, type Column } from '@grafana/ui';
import type { SiemHealth } from '../../api/types';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { DASHBOARDS } from '../../constants';
import { siemKindName } from '../../utils/displayNames';
import { formatPercent } from '../../utils/format';
import { HistoryLink } from './HistoryLink';
import { ExpandableError } from './ExpandableError';
import { Timestamp } from './Timestamp';

type Cell = { row: { original: SiemHealth } };
type Sortable = { original: SiemHealth };
const byNumber = (value: (d: SiemHealth) => number | null) => (a: Sortable, b: Sortable) =>
  (value(a.original) ?? -1) - (value(b.original) ?? -1);

const COLUMNS: Array<Column<SiemHealth>> = [
  {
    id: 'name',
    header: 'Destination',
    sortType: 'alphanumeric',
    cell: ({ row: { original: d } }: Cell) => (
      <>
        {d.name}{' '}
        <small>
          ({siemKindName(d.kind)}
          {d.enabled ? '' : ', disabled'})
        </small>
      </>
    ),
  },
  { id: 'tenant', header: 'Tenant', sortType: 'alphanumeric' },
  {
    id: 'successRatio',
    header: 'Success rate',
    sortType: byNumber((d) => d.successRatio.lifetime),
    cell: ({ row: { original: d } }: Cell) => (
      <span title={`${d.deliveries.ok} ok, ${d.deliveries.failed} failed since the destination was created`}>
        {formatPercent(d.successRatio.lifetime)}
      </span>
    ),
  },
  {
    id: 'queue',
    header: 'Queue (pending / retrying)',
    sortType: byNumber((d) => d.queue.pending + d.queue.retrying),
    cell: ({ row: { original: d } }: Cell) => `${d.queue.pending} / ${d.queue.retrying}`,
  },
  { id: 'deadLetters', header: 'Dead letters', sortType: 'number' },
  {
    id: 'lastDeliveryAt',
    header: 'Last delivery',
    sortType: 'alphanumeric',
    cell: ({ row: { original: d } }: Cell) => <Timestamp iso={d.lastDeliveryAt} />,
  },
  {
    id: 'lastError',
    header: 'Last error',
    cell: ({ row: { original: d } }: Cell) => <ExpandableError error={d.lastError} at={d.lastErrorAt} />,
  },
  {
    id: 'history',
    header: '',
    cell: ({ row: { original: d } }: Cell) => <HistoryLink dashboard={DASHBOARDS.siem} tenant={d.tenant} />,
  },
];

export const SiemPanel = ({ rows }: { rows: SiemHealth[] }) => {
  const data = useMemo(() => rows, [rows]);
  if (rows.length === 0) {
    return <Empty>No SIEM destination matches.</Empty>;
  }
  return (
    <div data-testid={testIds.health.siemTable}>
      <InteractiveTable columns={COLUMNS} data={data} getRowId={(d) => d.id} />
    </div>
  );
};

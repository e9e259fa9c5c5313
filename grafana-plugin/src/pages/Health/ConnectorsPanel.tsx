import React, { useMemo } from 'react';
import { InteractiveTable, type Column } from '@grafana/ui';
import type { ConnectorHealth } from '../../api/types';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { DASHBOARDS } from '../../constants';
import { HistoryLink } from './HistoryLink';
import { ExpandableError } from './ExpandableError';
import { FreshnessLight } from './FreshnessLight';
import { FRESHNESS_SEVERITY } from './health.utils';
import { ProviderIcon } from './ProviderIcon';
import { Sparkline } from './Sparkline';
import { Timestamp } from './Timestamp';

type Cell = { row: { original: ConnectorHealth } };
const bySeverity = (a: { original: ConnectorHealth }, b: { original: ConnectorHealth }) =>
  FRESHNESS_SEVERITY[b.original.freshness.state] - FRESHNESS_SEVERITY[a.original.freshness.state];

const COLUMNS: Array<Column<ConnectorHealth>> = [
  {
    id: 'name',
    header: 'Connector',
    sortType: 'alphanumeric',
    cell: ({ row: { original: c } }: Cell) => (
      <span data-testid={testIds.health.connectorRow}>
        <ProviderIcon provider={c.provider} /> {c.name}
      </span>
    ),
  },
  { id: 'tenant', header: 'Tenant', sortType: 'alphanumeric' },
  {
    id: 'lastSuccessfulSyncAt',
    header: 'Last sync',
    sortType: 'alphanumeric',
    cell: ({ row: { original: c } }: Cell) => <Timestamp iso={c.lastSuccessfulSyncAt} />,
  },
  {
    id: 'freshness',
    header: 'Freshness',
    sortType: bySeverity,
    cell: ({ row: { original: c } }: Cell) => <FreshnessLight freshness={c.freshness} />,
  },
  {
    id: 'recentSyncs',
    header: 'Last 5 syncs',
    cell: ({ row: { original: c } }: Cell) => <Sparkline syncs={c.recentSyncs} />,
  },
  { id: 'consecutiveFailures', header: 'Failures in a row', sortType: 'number' },
  {
    id: 'lastError',
    header: 'Last error',
    cell: ({ row: { original: c } }: Cell) => <ExpandableError error={c.lastError} at={c.lastErrorAt} />,
  },
  {
    id: 'history',
    header: '',
    cell: ({ row: { original: c } }: Cell) => <HistoryLink dashboard={DASHBOARDS.connectors} tenant={c.tenant} />,
  },
];

/** Rows arrive in the order the page's Sort chose; any column header re-sorts them in place. */
export const ConnectorsPanel = ({ rows, total }: { rows: ConnectorHealth[]; total: number }) => {
  const data = useMemo(() => rows, [rows]);
  if (total === 0) {
    return <Empty>No connectors are visible to this token.</Empty>;
  }
  if (rows.length === 0) {
    return <Empty>No connector matches the filters.</Empty>;
  }
  return (
    <div data-testid={testIds.health.connectorsTable}>
      <InteractiveTable columns={COLUMNS} data={data} getRowId={(c) => c.id} />
    </div>
  );
};

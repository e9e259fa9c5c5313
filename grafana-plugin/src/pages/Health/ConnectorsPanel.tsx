import React from 'react';
import type { ConnectorHealth } from '../../api/types';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { DASHBOARDS } from '../../constants';
import { HistoryLink } from './HistoryLink';
import { ExpandableError } from './ExpandableError';
import { FreshnessLight } from './FreshnessLight';
import { ProviderIcon } from './ProviderIcon';
import { Sparkline } from './Sparkline';
import { Timestamp } from './Timestamp';

export const ConnectorsPanel = ({ rows, total }: { rows: ConnectorHealth[]; total: number }) => {
  if (total === 0) {
    return <Empty>No connectors are visible to this token.</Empty>;
  }
  if (rows.length === 0) {
    return <Empty>No connector matches the filters.</Empty>;
  }
  return (
    <table className="filter-table" data-testid={testIds.health.connectorsTable}>
      <thead>
        <tr>
          <th>Connector</th>
          <th>Tenant</th>
          <th>Last sync</th>
          <th>Freshness</th>
          <th>Last 5 syncs</th>
          <th>Failures in a row</th>
          <th>Last error</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-testid={testIds.health.connectorRow}>
            <td>
              <ProviderIcon provider={c.provider} /> {c.name}
            </td>
            <td>{c.tenant}</td>
            <td>
              <Timestamp iso={c.lastSuccessfulSyncAt} />
            </td>
            <td>
              <FreshnessLight freshness={c.freshness} />
            </td>
            <td>
              <Sparkline syncs={c.recentSyncs} />
            </td>
            <td>{c.consecutiveFailures}</td>
            <td>
              <ExpandableError error={c.lastError} at={c.lastErrorAt} />
            </td>
            <td>
              <HistoryLink dashboard={DASHBOARDS.connectors} tenant={c.tenant} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

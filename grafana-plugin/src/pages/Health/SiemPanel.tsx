import React from 'react';
import type { SiemHealth } from '../../api/types';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { DASHBOARDS } from '../../constants';
import { HistoryLink } from './HistoryLink';
import { formatPercent } from '../../utils/format';
import { ExpandableError } from './ExpandableError';
import { Timestamp } from './Timestamp';

export const SiemPanel = ({ rows }: { rows: SiemHealth[] }) => {
  if (rows.length === 0) {
    return <Empty>No SIEM destination matches.</Empty>;
  }
  return (
    <table className="filter-table" data-testid={testIds.health.siemTable}>
      <thead>
        <tr>
          <th>Destination</th>
          <th>Tenant</th>
          <th>Success rate</th>
          <th>Queue (pending / retrying)</th>
          <th>Dead letters</th>
          <th>Last delivery</th>
          <th>Last error</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id}>
            <td>
              {d.name} <small>({d.kind}{d.enabled ? '' : ', disabled'})</small>
            </td>
            <td>{d.tenant}</td>
            <td title={`${d.deliveries.ok} ok, ${d.deliveries.failed} failed since the destination was created`}>
              {formatPercent(d.successRatio.lifetime)}
            </td>
            <td>
              {d.queue.pending} / {d.queue.retrying}
            </td>
            <td>{d.deadLetters}</td>
            <td>
              <Timestamp iso={d.lastDeliveryAt} />
            </td>
            <td>
              <ExpandableError error={d.lastError} at={d.lastErrorAt} />
            </td>
            <td>
              <HistoryLink dashboard={DASHBOARDS.siem} tenant={d.tenant} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

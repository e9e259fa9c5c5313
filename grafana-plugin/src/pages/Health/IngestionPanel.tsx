import React from 'react';
import type { IngestionAnswer } from '../../api/types';
import { Empty } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { formatSeconds } from '../../utils/format';

const age = (seconds: number | null) => (seconds === null ? '—' : formatSeconds(seconds));

export const IngestionPanel = ({ answer, tenant }: { answer: IngestionAnswer; tenant: string }) => {
  const rows = answer.data.filter((t) => !tenant || t.tenant === tenant);
  if (rows.length === 0) {
    return <Empty>No ingestion jobs are queued, running or dead.</Empty>;
  }
  return (
    <table className="filter-table" data-testid={testIds.health.ingestionTable}>
      <thead>
        <tr>
          <th>Tenant / kind</th>
          <th>Queued</th>
          <th>Running</th>
          <th>Retrying</th>
          <th>Dead</th>
          <th>Oldest queued</th>
        </tr>
      </thead>
      <tbody>
        {rows.flatMap((t) => [
          <tr key={t.tenant}>
            <td>
              <strong>{t.tenant}</strong>
            </td>
            <td>{t.queued}</td>
            <td>{t.running}</td>
            <td>{t.retrying}</td>
            <td>{t.dead}</td>
            <td>{age(t.oldestQueuedAgeSeconds)}</td>
          </tr>,
          ...t.kinds.map((k) => (
            <tr key={`${t.tenant}-${k.kind}`}>
              <td>&nbsp;&nbsp;{k.kind}</td>
              <td>{k.queued}</td>
              <td>{k.running}</td>
              <td>{k.retrying}</td>
              <td>{k.dead}</td>
              <td>{age(k.oldestQueuedAgeSeconds)}</td>
            </tr>
          )),
        ])}
        {!tenant && (
          <tr>
            <td>
              <strong>All tenants</strong>
            </td>
            <td>{answer.total.queued}</td>
            <td>{answer.total.running}</td>
            <td>{answer.total.retrying}</td>
            <td>{answer.total.dead}</td>
            <td>{age(answer.total.oldestQueuedAgeSeconds)}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
};

import React from 'react';
import type { RuleRun } from '../../api/types';
import { testIds } from '../../components/testIds';
import { absoluteTime, formatDuration } from '../../utils/format';
import { RunStatusBadge } from './RunStatusBadge';

type Props = { runs: RuleRun[]; onSelect: (id: string) => void };

export const RunsTable = ({ runs, onSelect }: Props) => (
  <table className="filter-table" data-testid={testIds.audit.table}>
    <thead>
      <tr>
        <th>Rule</th>
        <th>Started</th>
        <th>Duration</th>
        <th>Events evaluated</th>
        <th>Findings opened</th>
        <th>Status</th>
        <th>Trigger</th>
        <th>Error</th>
      </tr>
    </thead>
    <tbody>
      {runs.map((run) => (
        <tr
          key={run.id}
          data-testid={testIds.audit.row}
          onClick={() => onSelect(run.id)}
          onKeyDown={(e) => e.key === 'Enter' && onSelect(run.id)}
          tabIndex={0}
          style={{ cursor: 'pointer' }}
        >
          <td title={run.ruleKey}>{run.ruleName || run.ruleKey}</td>
          <td>{absoluteTime(run.startedAt)}</td>
          <td>{formatDuration(run.durationMs)}</td>
          <td>{run.eventsEvaluated ?? '—'}</td>
          <td>{run.findingsOpened ?? '—'}</td>
          <td>
            <RunStatusBadge status={run.status} />
          </td>
          <td>{run.trigger}</td>
          <td>{run.error ? run.error.slice(0, 80) : ''}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

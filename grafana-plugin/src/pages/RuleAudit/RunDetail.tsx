import React from 'react';
import { Drawer } from '@grafana/ui';
import { PanelState } from '../../components/common/PanelState';
import { testIds } from '../../components/testIds';
import { useRuleRun } from '../../data/useRuleRuns';
import { absoluteTime, formatDuration } from '../../utils/format';
import { RunStatusBadge } from './RunStatusBadge';
import { TraceLink } from './TraceLink';

/** Loaded by id, so a shared link with `run=<id>` opens the same run for a colleague. */
export const RunDetail = ({ id, onClose }: { id: string; onClose: () => void }) => {
  const state = useRuleRun(id);
  return (
    <Drawer title={`Rule run ${id}`} onClose={onClose} size="md">
      <div data-testid={testIds.audit.detail}>
        <PanelState state={state} what="the run">
          {({ data: run }) => (
            <table className="filter-table">
              <tbody>
                <Row label="Rule">
                  {run.ruleName ?? run.ruleKey ?? run.ruleId} ({run.ruleKey ?? 'no key'}, id {run.ruleId})
                </Row>
                <Row label="Tenant">{run.tenant ?? '—'}</Row>
                <Row label="Status">
                  <RunStatusBadge status={run.status} />
                </Row>
                <Row label="Trigger">{run.trigger}</Row>
                <Row label="Scheduled for">{absoluteTime(run.scheduledFor)}</Row>
                <Row label="Started">{absoluteTime(run.startedAt)}</Row>
                <Row label="Finished">{absoluteTime(run.finishedAt)}</Row>
                <Row label="Duration">{formatDuration(run.durationMs)}</Row>
                <Row label="Events evaluated">{run.eventsEvaluated ?? '—'}</Row>
                <Row label="Findings opened">{run.findingsOpened ?? '—'}</Row>
                <Row label="Trace id">
                  <TraceLink traceId={run.traceId} />
                </Row>
                <Row label="Error">
                  <pre style={{ whiteSpace: 'pre-wrap' }}>{run.error ?? '—'}</pre>
                </Row>
              </tbody>
            </table>
          )}
        </PanelState>
      </div>
    </Drawer>
  );
};

const Row = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <tr>
    <th>{label}</th>
    <td>{children}</td>
  </tr>
);

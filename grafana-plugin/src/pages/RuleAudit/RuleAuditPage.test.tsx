import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { setWorld, world } from '../../test/mockApi';
import { renderAt, searchOf } from '../../test/render';
import { RuleAuditPage } from './RuleAuditPage';

const WAIT = { timeout: 15000 };
// The row marker sits in the rule cell; its table row holds the run's figures.
const rows = () => screen.getAllByTestId(testIds.audit.row).map((cell) => cell.closest('tr')!);
const lastRunsRequest = () => world.requests.filter((u) => u.pathname.endsWith('/rule-runs')).pop()!;

describe('Rule audit log page', () => {
  it('lists runs newest first with their figures', async () => {
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    expect(rows()).toHaveLength(7);
    expect(rows()[0]).toHaveTextContent('Impossible travel');
    expect(rows()[1]).toHaveTextContent('FAILED');
    expect(screen.getByText(/runs are kept 30 days/)).toBeInTheDocument();
  });

  it('sends the filters of the URL to the API and keeps them in export links', async () => {
    renderAt(<RuleAuditPage />, '/audit?rule=impossible_travel&status=SUCCEEDED,SKIPPED&minFindings=1');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    const sent = lastRunsRequest().searchParams;
    expect(sent.get('rule')).toBe('impossible_travel');
    expect(sent.get('status')).toBe('SUCCEEDED,SKIPPED');
    expect(sent.get('minFindings')).toBe('1');
    expect(rows().map((r) => r.textContent)).toEqual([expect.stringContaining('SKIPPED')]);
    const csv = new URL(screen.getByTestId(testIds.audit.exportCsv).getAttribute('href')!, 'http://grafana.test');
    expect(csv.pathname).toBe('/api/plugin-proxy/aperio-observability-app/rule-runs/export');
    expect(csv.searchParams.get('format')).toBe('csv');
    expect(csv.searchParams.get('rule')).toBe('impossible_travel');
    expect(screen.getByTestId(testIds.audit.exportNdjson).getAttribute('href')).toContain('format=ndjson');
  });

  it('writes applied filters into the URL', async () => {
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    fireEvent.change(screen.getByTestId(testIds.audit.rule), { target: { value: 'mass_download' } });
    fireEvent.change(screen.getByTestId(testIds.audit.minDuration), { target: { value: '3000' } });
    fireEvent.click(screen.getByTestId(testIds.audit.apply));
    await waitFor(() => expect(searchOf().get('rule')).toBe('mass_download'), WAIT);
    expect(searchOf().get('minDurationMs')).toBe('3000');
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);
    expect(lastRunsRequest().searchParams.get('minDurationMs')).toBe('3000');
  });

  it('pages with the cursor of links.next and back', async () => {
    setWorld({ pageSize: 3 });
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    expect(rows()[0]).toHaveTextContent('Impossible travel');
    expect(screen.getByTestId(testIds.audit.previous)).toBeDisabled();
    fireEvent.click(screen.getByTestId(testIds.audit.next));
    await waitFor(() => expect(lastRunsRequest().searchParams.get('cursor')).toBeTruthy(), WAIT);
    await waitFor(() => expect(rows()[0]).toHaveTextContent('Mass download'), WAIT);
    fireEvent.click(screen.getByTestId(testIds.audit.next));
    await waitFor(() => expect(rows()).toHaveLength(1), WAIT);
    expect(screen.getByTestId(testIds.audit.next)).toBeDisabled();
    fireEvent.click(screen.getByTestId(testIds.audit.previous));
    await waitFor(() => expect(rows()).toHaveLength(3), WAIT);
  });

  it('opens a run detail by id and keeps it in the URL', async () => {
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    fireEvent.click(within(rows()[1]).getByRole('button', { name: 'Run 99 details' }));
    const detail = await screen.findByTestId(testIds.audit.detail, {}, WAIT);
    await waitFor(() => expect(detail).toHaveTextContent('query canceled: statement timeout'), WAIT);
    expect(within(detail).getByText('mass_download', { exact: false })).toBeInTheDocument();
    expect(searchOf().get('run')).toBe('99');
  });

  it('says when nothing matches', async () => {
    renderAt(<RuleAuditPage />, '/audit?rule=unknown_rule');
    expect(await screen.findByTestId(testIds.states.empty, {}, WAIT)).toHaveTextContent('No rule run matches');
  });

  it('explains a Grafana Viewer without access (403) and a failing exporter (500)', async () => {
    setWorld({ grafanaRole: 'Viewer' });
    const view = renderAt(<RuleAuditPage />, '/audit');
    expect(await screen.findByTestId(testIds.states.error, {}, WAIT)).toHaveTextContent(
      'Your Grafana role may not open this view'
    );
    view.unmount();
    setWorld({ grafanaRole: 'Editor', exporter: 'broken' });
    renderAt(<RuleAuditPage />, '/audit');
    expect(await screen.findByTestId(testIds.states.error, {}, WAIT)).toHaveTextContent('HTTP 500');
  });
});

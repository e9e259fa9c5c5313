import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { ruleRuns } from '../../test/fixtures';
import { setWorld, world } from '../../test/mockApi';
import { renderAt, renderConfiguredAt, searchOf } from '../../test/render';
import { RuleAuditPage } from './RuleAuditPage';

const WAIT = { timeout: 15000 };
const rows = () => screen.getAllByTestId(testIds.audit.row).map((cell) => cell.closest('tr')!);
const lastRunsRequest = () => world.requests.filter((u) => u.pathname.endsWith('/rule-runs')).pop()!;
const headers = () => screen.getAllByRole('columnheader').map((h) => h.textContent?.trim());

describe('Rule audit log page controls', () => {
  it('keeps the page cursors in the URL, so a reload or a shared link opens the same page', async () => {
    setWorld({ pageSize: 3 });
    const first = renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    fireEvent.click(screen.getByTestId(testIds.audit.next));
    await waitFor(() => expect(searchOf().get('pages')).toBeTruthy(), WAIT);
    await waitFor(() => expect(rows()[0]).toHaveTextContent('Mass download'), WAIT);
    const shared = `/audit?${searchOf().toString()}`;
    first.unmount();

    renderAt(<RuleAuditPage />, shared);
    await waitFor(() => expect(rows()[0]).toHaveTextContent('Mass download'), WAIT);
    expect(lastRunsRequest().searchParams.get('cursor')).toBe(searchOf().get('pages'));
    expect(screen.getByTestId(testIds.audit.previous)).toBeEnabled();
    fireEvent.click(screen.getByTestId(testIds.audit.previous));
    await waitFor(() => expect(searchOf().get('pages')).toBeNull(), WAIT);
    await waitFor(() => expect(rows()[0]).toHaveTextContent('Impossible travel'), WAIT);
  });

  it('shows a tenant column and filter to an OPERATOR token, and sends the filter', async () => {
    setWorld({
      token: { role: 'OPERATOR', tenant: null },
      ruleRuns: [...ruleRuns, { ...ruleRuns[0], id: '200', tenant: 'globex' }],
    });
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.tenant, {}, WAIT);
    await waitFor(() => expect(rows()).toHaveLength(8), WAIT);
    expect(headers()).toContain('Tenant');
    fireEvent.change(screen.getByTestId(testIds.audit.tenant), { target: { value: 'globex' } });
    fireEvent.click(screen.getByTestId(testIds.audit.apply));
    await waitFor(() => expect(searchOf().get('tenant')).toBe('globex'), WAIT);
    await waitFor(() => expect(rows()).toHaveLength(1), WAIT);
    expect(lastRunsRequest().searchParams.get('tenant')).toBe('globex');
  });

  it('shows a tenant token neither the tenant column nor the filter', async () => {
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    await waitFor(() => expect(world.requests.some((u) => u.pathname.endsWith('/whoami'))).toBe(true), WAIT);
    expect(headers()).not.toContain('Tenant');
    expect(screen.queryByTestId(testIds.audit.tenant)).not.toBeInTheDocument();
  });

  it('sorts by a column header', async () => {
    renderAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    const duration = () => rows().map((r) => within(r).getAllByRole('cell')[2].textContent);
    // The API's order (newest first) happens to be shortest first here; the second click sorts longest first.
    fireEvent.click(screen.getByRole('button', { name: /Duration/ }));
    fireEvent.click(screen.getByRole('button', { name: /Duration/ }));
    await waitFor(() => expect(duration()[0]).toBe('7.0 s'), WAIT);
    expect(duration()).toEqual(['7.0 s', '6.0 s', '5.0 s', '4.0 s', '3.0 s', '2.0 s', '1.0 s']);
  });

  it('links a trace id to Explore on the configured traces data source', async () => {
    setWorld({ ruleRuns: [{ ...ruleRuns[0], traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }] });
    renderConfiguredAt(<RuleAuditPage />, '/audit');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    const link = within(rows()[0]).getByRole('link', { name: /4bf92f35/ });
    const url = new URL(link.getAttribute('href')!, 'http://grafana.test');
    expect(url.pathname).toBe('/explore');
    const pane = Object.values(JSON.parse(url.searchParams.get('panes')!))[0] as {
      datasource: string;
      queries: Array<{ query: string }>;
    };
    expect(pane.datasource).toBe('tempo');
    expect(pane.queries[0].query).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('puts the time range and the refresh picker in the page header', async () => {
    renderAt(<RuleAuditPage />, '/audit?from=now-7d');
    await screen.findByTestId(testIds.audit.table, {}, WAIT);
    const header = screen.getByTestId('plugin-page-actions');
    expect(within(header).getByTestId(testIds.refresh)).toBeInTheDocument();
    const range = within(header).getByTestId(testIds.audit.timeRange);
    fireEvent.click(within(range).getByLabelText(/Move time range backwards/));
    await waitFor(() => expect(searchOf().get('from')).toMatch(/^\d{4}-\d{2}-\d{2}T/), WAIT);
    expect(lastRunsRequest().searchParams.get('from')).toBeTruthy();
  });
});

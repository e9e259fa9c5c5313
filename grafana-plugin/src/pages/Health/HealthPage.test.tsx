import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { setWorld } from '../../test/mockApi';
import { renderAt } from '../../test/render';
import { HealthPage } from './HealthPage';

const WAIT = { timeout: 15000 };
// The row marker sits in the connector cell; its table row holds the connector's figures.
const rows = () => screen.getAllByTestId(testIds.health.connectorRow).map((cell) => cell.closest('tr')!);

describe('Health page', () => {
  it('lists connectors worst first with freshness, thresholds, sparkline and history links', async () => {
    renderAt(<HealthPage />, '/health?refresh=0');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    expect(rows().map((r) => r.textContent)).toEqual([
      expect.stringContaining('Acme GitHub'),
      expect.stringContaining('Globex Workspace'),
      expect.stringContaining('Globex Okta'),
      expect.stringContaining('Acme Okta'),
    ]);
    const light = within(rows()[0]).getByTestId(testIds.health.freshness);
    expect(light).toHaveTextContent('Critical');
    expect(light).toHaveAttribute('aria-label', 'Critical: stale after 1 h, critical after 6 h');
    expect(within(rows()[0]).getByTestId(testIds.health.sparkline).querySelectorAll('rect')).toHaveLength(2);
    expect(within(rows()[0]).getByRole('link', { name: /history/i })).toHaveAttribute(
      'href',
      '/d/aperio-connectors?var-tenant=acme'
    );
    expect(within(rows()[1]).getByText('never')).toBeInTheDocument();
  });

  it('expands a long last error on demand', async () => {
    renderAt(<HealthPage />, '/health?refresh=0');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    const row = rows()[0];
    expect(within(row).queryByText(/acme-corp/)).not.toBeInTheDocument();
    fireEvent.click(within(row).getByRole('button', { name: 'More' }));
    expect(within(row).getByText(/acme-corp/)).toBeInTheDocument();
  });

  it('filters by tenant, provider and state from the URL and shows SIEM and ingestion panels', async () => {
    renderAt(<HealthPage />, '/health?refresh=0&tenant=globex&provider=okta');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent('Globex Okta');
    expect(await screen.findByText('No SIEM destination matches.', {}, WAIT)).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.states.empty).length).toBeGreaterThan(0);
  });

  it('shows SIEM delivery figures and ingestion depth, sorted as the URL says', async () => {
    renderAt(<HealthPage />, '/health?refresh=0&sort=name');
    const siem = await screen.findByTestId(testIds.health.siemTable, {}, WAIT);
    expect(siem).toHaveTextContent('98.75 %');
    expect(siem).toHaveTextContent('3 / 1');
    const ingestion = await screen.findByTestId(testIds.health.ingestionTable, {}, WAIT);
    expect(ingestion).toHaveTextContent('okta_events');
    expect(ingestion).toHaveTextContent('All tenants');
    // Worst first would put Acme GitHub first too; by name it is followed by Acme Okta, not Globex Workspace.
    expect(rows().map((r) => r.textContent)).toEqual([
      expect.stringContaining('Acme GitHub'),
      expect.stringContaining('Acme Okta'),
      expect.stringContaining('Globex Okta'),
      expect.stringContaining('Globex Workspace'),
    ]);
  });

  it('says when no connector is visible', async () => {
    setWorld({ connectors: [] });
    renderAt(<HealthPage />, '/health?refresh=0');
    expect(await screen.findByText('No connectors are visible to this token.', {}, WAIT)).toBeInTheDocument();
  });

  it('explains a token whose role may not read health (403 from the exporter)', async () => {
    setWorld({ token: { role: 'SECURITY_ANALYST', tenant: 'acme' } });
    renderAt(<HealthPage />, '/health?refresh=0');
    await waitFor(() => expect(screen.getAllByTestId(testIds.states.error)).toHaveLength(3), WAIT);
    expect(screen.getAllByTestId(testIds.states.error)[0]).toHaveTextContent("token's role may not use this view");
  });

  it('explains a Grafana role below Admin (403 from the proxy)', async () => {
    setWorld({ grafanaRole: 'Editor' });
    renderAt(<HealthPage />, '/health?refresh=0');
    await waitFor(() => expect(screen.getAllByTestId(testIds.states.error)).toHaveLength(3), WAIT);
    expect(screen.getAllByTestId(testIds.states.error)[0]).toHaveTextContent(
      'Your Grafana role may not open this view'
    );
  });

  it('explains a revoked token (401)', async () => {
    setWorld({ token: null });
    renderAt(<HealthPage />, '/health?refresh=0');
    await waitFor(() => expect(screen.getAllByTestId(testIds.states.error)).toHaveLength(3), WAIT);
    expect(screen.getAllByTestId(testIds.states.error)[0]).toHaveTextContent('rejected the API token');
  });
});

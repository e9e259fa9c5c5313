import React from 'react';
import { screen, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { setWorld, world } from '../../test/mockApi';
import { renderAt } from '../../test/render';
import { StatusPage } from './StatusPage';

const WAIT = { timeout: 15000 };

describe('Status page', () => {
  it('shows the indicator, components with uptime bars and open incidents from /status.json', async () => {
    renderAt(<StatusPage />, '/status');
    expect(await screen.findByTestId(testIds.status.indicator, {}, WAIT)).toHaveTextContent('Partial System Outage');
    const components = screen.getAllByTestId(testIds.status.component);
    expect(components).toHaveLength(2);
    expect(within(components[1]).getByText('Major outage')).toBeInTheDocument();
    expect(within(components[1]).getByText('1 of 1 connections down.')).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.status.uptime)[0].querySelectorAll('rect')).toHaveLength(90);
    expect(screen.getByTestId(testIds.status.incident)).toHaveTextContent('GitHub: major outage');
    expect(screen.getByRole('link', { name: /status dashboard/i })).toHaveAttribute('href', '/d/aperio-status');
  });

  it("says whose view it shows: the platform's, or the tenant's when the token is a tenant token", async () => {
    renderAt(<StatusPage />, '/status');
    expect(await screen.findByTestId(testIds.status.indicator, {}, WAIT)).toHaveTextContent('Platform-wide components');
  });

  it("shows a tenant token's own view as that tenant's", async () => {
    setWorld({ status: { ...world.status, aperio_tenant: { slug: 'acme', name: 'Acme Corp' } } });
    renderAt(<StatusPage />, '/status');
    expect(await screen.findByTestId(testIds.status.indicator, {}, WAIT)).toHaveTextContent(
      'Components of tenant Acme Corp (acme).'
    );
  });

  it('says so when there are no components and no incidents', async () => {
    setWorld({
      status: {
        ...world.status,
        components: [],
        incidents: [],
        status: { indicator: 'none', description: 'All Systems Operational' },
      },
    });
    renderAt(<StatusPage />, '/status');
    expect(await screen.findByTestId(testIds.states.empty, {}, WAIT)).toHaveTextContent('no components');
    expect(screen.getByText('None.')).toBeInTheDocument();
  });

  it('explains an unreachable exporter', async () => {
    setWorld({ exporter: 'down' });
    renderAt(<StatusPage />, '/status');
    expect(await screen.findByTestId(testIds.states.error, {}, WAIT)).toHaveTextContent('could not reach the exporter');
  });

  it('explains a server error', async () => {
    setWorld({ exporter: 'broken' });
    renderAt(<StatusPage />, '/status');
    expect(await screen.findByTestId(testIds.states.error, {}, WAIT)).toHaveTextContent('HTTP 500');
  });
});

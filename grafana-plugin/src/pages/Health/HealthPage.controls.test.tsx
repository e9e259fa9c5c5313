import React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { world } from '../../test/mockApi';
import { renderAt, searchOf } from '../../test/render';
import { HealthPage } from './HealthPage';

const WAIT = { timeout: 15000 };
const rows = () => screen.getAllByTestId(testIds.health.connectorRow).map((cell) => cell.closest('tr')!);
const connectorRequests = () => world.requests.filter((u) => u.pathname.endsWith('/health/connectors')).length;

/** Opens a Grafana Select by its input id and picks the option with `label`. */
async function choose(inputId: string, label: string) {
  const input = document.getElementById(inputId)!;
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  const options = await screen.findAllByTestId('data-testid Select option', {}, WAIT);
  fireEvent.click(options.find((o) => o.textContent?.trim() === label)!);
}

describe('Health page controls', () => {
  it('writes the filters and the sort chosen on the page into the URL', async () => {
    renderAt(<HealthPage />, '/health?refresh=off');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    expect(searchOf().get('tenant')).toBeNull();

    await choose('health-tenant', 'globex');
    await waitFor(() => expect(searchOf().get('tenant')).toBe('globex'), WAIT);
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);

    await choose('health-state', 'never');
    await waitFor(() => expect(searchOf().get('state')).toBe('never'), WAIT);
    await waitFor(() => expect(rows()).toHaveLength(1), WAIT);

    await choose('health-sort', 'Name');
    await waitFor(() => expect(searchOf().get('sort')).toBe('name'), WAIT);
    expect(searchOf().get('tenant')).toBe('globex');
  });

  it('narrows to the connector a dashboard row links to, until "Show all"', async () => {
    renderAt(<HealthPage />, '/health?refresh=off&tenant=globex&connector=c3');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent('Globex Okta');
    fireEvent.click(
      within(screen.getByTestId(testIds.health.connectorFilter)).getByRole('button', { name: 'Show all' })
    );
    await waitFor(() => expect(searchOf().get('connector')).toBeNull(), WAIT);
    expect(searchOf().get('tenant')).toBe('globex');
    await waitFor(() => expect(rows()).toHaveLength(2), WAIT);
  });

  it('puts the refresh picker in the page header and keeps its interval in the URL', async () => {
    renderAt(<HealthPage />, '/health?refresh=off');
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    const header = screen.getByTestId('plugin-page-actions');
    const picker = within(header).getByTestId(testIds.refresh);
    const before = connectorRequests();
    fireEvent.click(within(picker).getByTestId('data-testid RefreshPicker run button'));
    await waitFor(() => expect(connectorRequests()).toBe(before + 1), WAIT);

    fireEvent.click(within(picker).getByTestId('data-testid RefreshPicker interval button'));
    fireEvent.click(await screen.findByRole('menuitemradio', { name: /1 minute/i }, WAIT));
    await waitFor(() => expect(searchOf().get('refresh')).toBe('1m'), WAIT);
  });
});

describe('Health page auto-refresh', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  const settle = async () => {
    await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT);
    await waitFor(() => expect(connectorRequests()).toBe(1), WAIT);
  };

  it('reloads on the interval of the URL', async () => {
    renderAt(<HealthPage />, '/health?refresh=10s');
    await settle();
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    await waitFor(() => expect(connectorRequests()).toBe(2), WAIT);
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    await waitFor(() => expect(connectorRequests()).toBe(3), WAIT);
  });

  it('refreshes every 30 s by default, and never when turned off', async () => {
    const view = renderAt(<HealthPage />, '/health');
    await settle();
    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    await waitFor(() => expect(connectorRequests()).toBe(2), WAIT);
    view.unmount();
    world.requests.splice(0);

    renderAt(<HealthPage />, '/health?refresh=off');
    await settle();
    await act(async () => {
      jest.advanceTimersByTime(10 * 60_000);
    });
    expect(connectorRequests()).toBe(1);
  });
});

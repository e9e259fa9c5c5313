import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { AppPluginMeta, PluginType } from '@grafana/data';
import { testIds } from '../testIds';
import { savedSettings, setWorld } from '../../test/mockApi';
import type { AppSettings } from '../../types';
import { pageReload } from '../../utils/pageReload';
import { AppConfig, type AppConfigProps } from './AppConfig';

const WAIT = { timeout: 15000 };

const props = (jsonData: AppSettings, tokenSaved: boolean): AppConfigProps =>
  ({
    plugin: {
      meta: {
        id: 'aperio-observability-app',
        name: 'Aperio Observability',
        type: 'app' as PluginType,
        enabled: true,
        jsonData,
        secureJsonFields: tokenSaved ? { token: true } : {},
      } as unknown as AppPluginMeta<AppSettings>,
    },
    query: {},
  }) as unknown as AppConfigProps;

const testNow = async () => {
  fireEvent.click(screen.getByTestId(testIds.appConfig.test));
  return screen.findByTestId(testIds.appConfig.result, {}, WAIT);
};

describe('Configuration page', () => {
  let reload: jest.SpyInstance;
  beforeEach(() => {
    savedSettings.splice(0);
    reload = jest.spyOn(pageReload, 'reload').mockImplementation(() => undefined);
  });
  afterEach(() => reload.mockRestore());

  it('saves the URL in jsonData and the token only in secureJsonData, reloads, then shows role and tenant', async () => {
    setWorld({ token: { role: 'ADMIN', tenant: 'acme' } });
    const page = render(<AppConfig {...props({}, false)} />);
    expect(screen.queryByTestId(testIds.appConfig.result)).not.toBeInTheDocument();
    fireEvent.change(screen.getByTestId(testIds.appConfig.url), { target: { value: 'http://exporter:9464/' } });
    fireEvent.change(screen.getByTestId(testIds.appConfig.token), { target: { value: 'apt_secret' } });
    fireEvent.change(within(screen.getByTestId(testIds.appConfig.traces)).getByRole('combobox'), {
      target: { value: 'tempo' },
    });
    fireEvent.click(screen.getByTestId(testIds.appConfig.save));
    // Grafana hands the app its settings on page load: saving reloads the page.
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1), WAIT);
    expect(savedSettings).toEqual([
      expect.objectContaining({
        jsonData: { url: 'http://exporter:9464', tracesDatasourceUid: 'tempo' },
        secureJsonData: { token: 'apt_secret' },
      }),
    ]);
    // The reloaded page tests what was saved.
    page.unmount();
    render(<AppConfig {...props({ url: 'http://exporter:9464', tracesDatasourceUid: 'tempo' }, true)} />);
    const result = await screen.findByTestId(testIds.appConfig.result, {}, WAIT);
    expect(result).toHaveTextContent('role ADMIN for tenant acme');
    expect(within(screen.getByTestId(testIds.appConfig.traces)).getByRole('combobox')).toHaveValue('tempo');
  });

  it('offers only tracing data sources for trace links', () => {
    render(<AppConfig {...props({}, false)} />);
    const options = within(screen.getByTestId(testIds.appConfig.traces))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual(['Select a data source', 'Tempo']);
  });

  it('does not send the saved token again when only the URL changes', async () => {
    render(<AppConfig {...props({ url: 'http://old:9464' }, true)} />);
    expect(screen.getByTestId(testIds.appConfig.token)).toHaveValue('configured');
    fireEvent.change(screen.getByTestId(testIds.appConfig.url), { target: { value: 'http://new:9464' } });
    fireEvent.click(screen.getByTestId(testIds.appConfig.save));
    await waitFor(() => expect(reload).toHaveBeenCalledTimes(1), WAIT);
    expect(savedSettings).toHaveLength(1);
    expect(savedSettings[0]).not.toHaveProperty('secureJsonData');
  });

  it('shows an operator token as covering all tenants', async () => {
    setWorld({ token: { role: 'OPERATOR', tenant: null } });
    render(<AppConfig {...props({ url: 'http://exporter:9464' }, true)} />);
    expect(await testNow()).toHaveTextContent('role OPERATOR for all tenants');
  });

  it.each([
    ['down', null, 'The exporter is unreachable'],
    ['up', 'revoked', 'The token was rejected (401)'],
    ['old', null, 'The exporter is too old or the URL is wrong (404)'],
    ['broken', null, 'HTTP 500'],
  ] as const)('explains exporter=%s token=%s', async (exporter, token, message) => {
    setWorld({ exporter, ...(token === 'revoked' ? { token: null } : {}) });
    render(<AppConfig {...props({ url: 'http://exporter:9464' }, true)} />);
    expect(await testNow()).toHaveTextContent(message);
  });

  it('rejects a URL without a scheme', () => {
    render(<AppConfig {...props({}, false)} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.url), { target: { value: 'exporter:9464' } });
    expect(screen.getByText(/An http:\/\/ or https:\/\/ URL/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.save)).toBeDisabled();
  });
});

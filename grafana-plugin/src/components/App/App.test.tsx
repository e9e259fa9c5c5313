import React from 'react';
import { screen } from '@testing-library/react';
import type { AppRootProps, PluginType } from '@grafana/data';
import { testIds } from '../testIds';
import { renderAt } from '../../test/render';
import type { AppSettings } from '../../types';
import { App } from './App';

const WAIT = { timeout: 15000 };

const props = (jsonData: AppSettings, tokenSaved: boolean) =>
  ({
    basename: '/a/aperio-observability-app',
    meta: {
      id: 'aperio-observability-app',
      type: 'app' as PluginType,
      jsonData,
      secureJsonFields: tokenSaved ? { token: true } : {},
    },
    query: {},
    path: '',
    onNavChanged: jest.fn(),
  }) as unknown as AppRootProps<AppSettings>;

describe('App routes', () => {
  it('shows getting started on every page while the plugin is not configured', async () => {
    renderAt(<App {...props({}, false)} />, '/health');
    expect(await screen.findByTestId(testIds.states.notConfigured, {}, WAIT)).toHaveTextContent(
      'Open the configuration'
    );
  });

  it('needs a token for the audit log but not for the status page', async () => {
    const view = renderAt(<App {...props({ url: 'http://exporter:9464' }, false)} />, '/audit');
    expect(await screen.findByTestId(testIds.states.notConfigured, {}, WAIT)).toBeInTheDocument();
    view.unmount();
    renderAt(<App {...props({ url: 'http://exporter:9464' }, false)} />, '/status');
    expect(await screen.findByTestId(testIds.status.indicator, {}, WAIT)).toBeInTheDocument();
  });

  it('opens the configured pages', async () => {
    renderAt(<App {...props({ url: 'http://exporter:9464' }, true)} />, '/health?refresh=0');
    expect(await screen.findByTestId(testIds.health.connectorsTable, {}, WAIT)).toBeInTheDocument();
  });
});

import React from 'react';
import { defer } from 'rxjs';
import type { BackendSrvRequest } from '@grafana/runtime';

export const GRAFANA_ORIGIN = 'http://grafana.test';

/** getBackendSrv().fetch as Grafana implements it: an Observable that errors with {status, data} on non-2xx. */
function fetchThroughServer(options: BackendSrvRequest) {
  return defer(async () => {
    const response = await fetch(new URL(options.url, `${GRAFANA_ORIGIN}/`), {
      method: options.method ?? 'GET',
      headers: { 'content-type': 'application/json' },
      body: options.data === undefined ? undefined : JSON.stringify(options.data),
    });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      // Non-JSON bodies stay text, as Grafana hands them over.
    }
    if (!response.ok) {
      throw { status: response.status, statusText: response.statusText, data, config: options };
    }
    return {
      status: response.status,
      statusText: response.statusText,
      ok: true,
      data,
      headers: response.headers,
      url: options.url,
      type: 'basic',
      redirected: false,
      config: options,
    };
  });
}

/** The data sources of the pretend Grafana: one tracing data source to pick for trace links. */
export const DATASOURCES = [
  { uid: 'aperio-prometheus', name: 'Prometheus', type: 'prometheus', meta: { tracing: false } },
  { uid: 'tempo', name: 'Tempo', type: 'tempo', meta: { tracing: true } },
];

/** Grafana's DataSourcePicker reduced to a native select over DATASOURCES, honouring its `tracing` filter. */
const DataSourcePicker = ({
  current,
  tracing,
  onChange,
}: {
  current: string | null;
  tracing?: boolean;
  onChange: (ds: { uid: string }) => void;
}) => (
  <select aria-label="Data source" value={current ?? ''} onChange={(e) => onChange({ uid: e.currentTarget.value })}>
    <option value="">Select a data source</option>
    {DATASOURCES.filter((ds) => !tracing || ds.meta.tracing).map((ds) => (
      <option key={ds.uid} value={ds.uid}>
        {ds.name}
      </option>
    ))}
  </select>
);

export const runtimeMock = {
  DataSourcePicker,
  getBackendSrv: () => ({ fetch: fetchThroughServer }),
  getDataSourceSrv: () => ({ getList: () => [] }),
  // Grafana's PluginPage puts `actions` in the page header, beside the title: rendered here so the
  // controls placed there (refresh, time range) are on the page as a user sees them.
  PluginPage: ({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) => (
    <div>
      <header data-testid="plugin-page-actions">{actions}</header>
      {children}
    </div>
  ),
};

import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { GRAFANA_VERSION } from './grafana-plugin';
import { connectors } from './connectors';
import { exporterHealth } from './exporter';
import { ingestion } from './ingestion';
import { buildDashboard, type DashboardSpec } from './lib';
import { overview } from './overview';
import { rules } from './rules';
import { siem } from './siem';
import { status } from './status';

export const DASHBOARDS: DashboardSpec[] = [overview, connectors, siem, ingestion, rules, exporterHealth, status];

export interface GeneratedFile {
  /** Relative to the dashboards workspace. */
  path: string;
  content: string;
}

/**
 * Every file the generator writes: plugin/ for the app plugin to bundle (no data source uid at all),
 * generated/ for file provisioning (Grafana reads that directory
 * recursively, so the importable variants with the same uids live beside it, in importable/).
 */
export function generatedFiles(): GeneratedFile[] {
  return DASHBOARDS.flatMap((spec) => {
    const dashboard = buildDashboard(spec);
    return [
      { path: `generated/${spec.uid}.json`, content: toJson(dashboard) },
      { path: `importable/${spec.uid}.json`, content: toJson(importable(dashboard)) },
      { path: `plugin/${spec.uid}.json`, content: toJson(buildDashboard(spec, 'plugin')) },
    ];
  });
}

const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const INPUT = 'DS_PROMETHEUS';

/**
 * The variant for Dashboards → Import: Grafana asks for the data source named in `__inputs` and
 * substitutes `${DS_PROMETHEUS}`; `__requires` tells it which panel plugins the dashboard needs.
 */
export function importable(dashboard: Dashboard): Record<string, unknown> {
  const panelTypes = [...new Set((dashboard.panels ?? []).map((p) => p.type).filter((t) => t !== 'row'))].sort();
  const names: Record<string, string> = { stat: 'Stat', table: 'Table', timeseries: 'Time series' };
  const body = JSON.parse(JSON.stringify(dashboard).replaceAll('"uid":"aperio-prometheus"', `"uid":"\${${INPUT}}"`)) as Dashboard;
  for (const variable of body.templating?.list ?? []) {
    if (variable.type === 'datasource') variable.current = { text: `\${${INPUT}}`, value: `\${${INPUT}}`, selected: true };
  }
  return {
    __inputs: [
      {
        name: INPUT,
        label: 'Prometheus',
        description: 'Prometheus that scrapes the Aperio exporter',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: GRAFANA_VERSION },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      ...panelTypes.map((id) => ({ type: 'panel', id, name: names[id] ?? id, version: '' })),
    ],
    ...body,
    id: null,
  };
}

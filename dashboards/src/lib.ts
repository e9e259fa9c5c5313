import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type DataSourceRef,
  type Threshold,
  MappingType,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * A panel as data: dashboards are lists of these, so every query, unit and threshold sits in one
 * readable place and the tests can walk them without knowing the SDK.
 */
export interface Query {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  kind: 'stat' | 'timeseries' | 'table';
  title: string;
  description: string;
  queries: Query[];
  unit: string;
  /** Ascending steps; the first one is the base colour. */
  thresholds: Threshold[];
  /** Grid width (of 24) and height. */
  span?: number;
  height?: number;
  min?: number;
  max?: number;
  /** Value → display text (state sets turned into numbers). */
  mappings?: Record<string, { text: string; color: string }>;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** Bumped whenever the dashboard changes, so Grafana and grafana.com see a new version. */
  revision: number;
  tags: string[];
  /** Status is shared publicly: Grafana refuses public dashboards with template variables. */
  variables: 'datasource-and-tenant' | 'datasource' | 'none';
  rows: { title: string; panels: PanelSpec[] }[];
}

/** The provisioned data source (provisioning/grafana/datasources) for the dashboard without variables. */
export const PROVISIONED_DATASOURCE_UID = 'aperio-prometheus';
export const DATASOURCE_VARIABLE = '${datasource}';
/** Selector fragment every tenant-labelled query carries; matches series without the label too (platform detail). */
export const TENANT = 'tenant=~"$tenant"';

export const GREEN_ONLY: Threshold[] = [{ value: null, color: 'green' }];
export const steps = (warn: number, crit: number): Threshold[] => [
  { value: null, color: 'green' },
  { value: warn, color: 'orange' },
  { value: crit, color: 'red' },
];
/** Any value at or above `from` is a problem. */
export const redFrom = (from: number): Threshold[] => [
  { value: null, color: 'green' },
  { value: from, color: 'red' },
];
/** For values where higher is better (1 = healthy). */
export const healthy = (okFrom: number): Threshold[] => [
  { value: null, color: 'red' },
  { value: okFrom, color: 'green' },
];

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const datasource = { type: 'prometheus', uid: spec.variables === 'none' ? PROVISIONED_DATASOURCE_UID : DATASOURCE_VARIABLE };
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .revision(spec.revision)
    .tags(['aperio', ...spec.tags])
    .editable()
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser');
  if (spec.variables !== 'none') {
    builder.withVariable(
      new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus').description('Prometheus that scrapes the Aperio exporter.'),
    );
  }
  if (spec.variables === 'datasource-and-tenant') {
    builder.withVariable(
      new QueryVariableBuilder('tenant')
        .label('Tenant')
        .description('Tenants to show (from aperio_connector_info).')
        .datasource(datasource)
        .query({ query: 'label_values(aperio_connector_info, tenant)', refId: 'tenant' })
        .definition('label_values(aperio_connector_info, tenant)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  }
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(buildPanel(panel, datasource));
  }
  const dashboard = builder.build();
  // Stable panel ids keep links (viewPanel=N) and the generated JSON from shifting between builds.
  (dashboard.panels ?? []).forEach((panel, i) => {
    panel.id = i + 1;
  });
  return dashboard;
}

function buildPanel(spec: PanelSpec, datasource: DataSourceRef) {
  const thresholds = new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(spec.thresholds);
  const panel = panelOf(spec.kind)
    .title(spec.title)
    .description(spec.description)
    .datasource(datasource)
    .unit(spec.unit)
    .thresholds(thresholds)
    .span(spec.span ?? 6)
    .height(spec.height ?? (spec.kind === 'stat' ? 4 : 8));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.mappings) panel.mappings([{ type: MappingType.ValueToText, options: spec.mappings }]);
  spec.queries.forEach((query, i) => {
    const target = new DataqueryBuilder()
      .expr(query.expr)
      .refId(String.fromCharCode(65 + i))
      .datasource(datasource)
      .legendFormat(query.legend ?? '__auto');
    // Tables and stats show the current value: an instant query is cheaper and never half-empty.
    if (spec.kind === 'table') target.instant().format(PromQueryFormat.Table);
    if (spec.kind === 'stat') target.instant();
    panel.withTarget(target);
  });
  return panel;
}

function panelOf(kind: PanelSpec['kind']) {
  switch (kind) {
    case 'stat':
      return new StatBuilder()
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.None)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
    case 'table':
      return new TableBuilder();
    case 'timeseries':
      return new TimeseriesBuilder()
        .fillOpacity(10)
        .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
  }
}

type Options = Partial<Pick<PanelSpec, 'span' | 'height' | 'min' | 'max' | 'mappings'>>;
const q = (queries: string | Query[]): Query[] => (typeof queries === 'string' ? [{ expr: queries }] : queries);

export const stat = (title: string, description: string, queries: string | Query[], unit: string, thresholds: Threshold[], options: Options = {}): PanelSpec => ({
  kind: 'stat',
  title,
  description,
  queries: q(queries),
  unit,
  thresholds,
  ...options,
});

export const timeseries = (title: string, description: string, queries: string | Query[], unit: string, thresholds: Threshold[] = GREEN_ONLY, options: Options = {}): PanelSpec => ({
  kind: 'timeseries',
  title,
  description,
  queries: q(queries),
  unit,
  thresholds,
  span: 12,
  ...options,
});

export const table = (title: string, description: string, queries: string | Query[], unit: string, thresholds: Threshold[] = GREEN_ONLY, options: Options = {}): PanelSpec => ({
  kind: 'table',
  title,
  description,
  queries: q(queries),
  unit,
  thresholds,
  span: 12,
  ...options,
});

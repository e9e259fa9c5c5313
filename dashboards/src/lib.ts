import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  type DashboardLink,
  type DynamicConfigValue,
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
import { APP_PAGES } from './grafana-plugin';

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
  /** Shown when the query returns nothing, which for these panels means "none" (no `or vector(0)`). */
  noValue?: string;
  /** Per-row links (table cells): `${__data.fields.<label>}` carries the row's tenant, connector, rule. */
  links?: { title: string; url: string }[];
  /** Table columns: labels to show, in order, with their headers; Time, Value and other labels are hidden. */
  columns?: Record<string, string>;
  /** Per column: value → display text and colour (ids and states read as words). */
  columnMappings?: Record<string, Record<string, { text: string; color?: string }>>;
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
/** Traffic lights: green, yellow from `warn`, red from `crit`. */
export const steps = (warn: number, crit: number): Threshold[] => [
  { value: null, color: 'green' },
  { value: warn, color: 'yellow' },
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

/**
 * `provisioned`: the files Grafana provisions and imports, where Status (no variables, so it can be
 * shared publicly) reads the provisioned data source. `plugin`: the copies the app plugin bundles into
 * any Grafana, where no data source uid can be known, so Status gets the data source variable too.
 */
export type Variant = 'provisioned' | 'plugin';

/** Every dashboard links to the others (by the aperio tag, keeping time and variables) and to the app. */
function dashboardLinks(): DashboardLinkBuilder[] {
  const app = (title: string, url: string, tooltip: string) =>
    new DashboardLinkBuilder(title)
      .type(DashboardLinkType.Link)
      .url(url)
      .tooltip(tooltip)
      .icon('apps')
      .keepTime(false)
      .includeVars(false)
      .targetBlank(false)
      .asDropdown(false)
      .tags([]);
  return [
    new DashboardLinkBuilder('Aperio dashboards')
      .type(DashboardLinkType.Dashboards)
      .tags(['aperio'])
      .asDropdown(true)
      .keepTime(true)
      .includeVars(true)
      .targetBlank(false)
      .icon('external link'),
    app('Health', APP_PAGES.health, 'Connectors, SIEM destinations and ingestion in the Aperio app'),
    app('Rule audit log', APP_PAGES.audit, 'Every rule run, with filters and export, in the Aperio app'),
    app('Status page', APP_PAGES.status, 'The status page in the Aperio app'),
  ];
}

export function buildDashboard(spec: DashboardSpec, variant: Variant = 'provisioned'): Dashboard {
  const variables = spec.variables === 'none' && variant === 'plugin' ? 'datasource' : spec.variables;
  const datasource = { type: 'prometheus', uid: variables === 'none' ? PROVISIONED_DATASOURCE_UID : DATASOURCE_VARIABLE };
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .revision(spec.revision)
    .tags(['aperio', ...spec.tags])
    .editable()
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .links(dashboardLinks());
  if (variables !== 'none') {
    builder.withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Data source')
        .type('prometheus')
        .description('Prometheus that scrapes the Aperio exporter.'),
    );
  }
  if (variables === 'datasource-and-tenant') {
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
  if (spec.noValue !== undefined) panel.noValue(spec.noValue);
  if (spec.links) panel.dataLinks(spec.links.map((link) => ({ build: () => link as unknown as DashboardLink })));
  if (spec.columns && panel instanceof TableBuilder) organizeColumns(panel, spec);
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

/** Only the named label columns, renamed, in order; ids and states shown through value mappings. */
function organizeColumns(panel: TableBuilder, spec: PanelSpec) {
  const columns = Object.keys(spec.columns ?? {});
  panel.withTransformation({
    id: 'organize',
    options: {
      excludeByName: { Time: true, Value: true },
      indexByName: Object.fromEntries(columns.map((name, i) => [name, i])),
      renameByName: spec.columns,
      includeByName: Object.fromEntries(columns.map((name) => [name, true])),
    },
  });
  for (const [column, values] of Object.entries(spec.columnMappings ?? {})) {
    const properties: DynamicConfigValue[] = [{ id: 'mappings', value: [{ type: MappingType.ValueToText, options: values }] }];
    if (Object.values(values).some((v) => v.color)) properties.push({ id: 'custom.cellOptions', value: { type: 'color-text' } });
    panel.overrideByName(column, properties);
  }
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
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.List)
            .placement(common.LegendPlacement.Bottom),
        );
  }
}

type Options = Partial<
  Pick<PanelSpec, 'span' | 'height' | 'min' | 'max' | 'mappings' | 'noValue' | 'links' | 'columns' | 'columnMappings'>
>;
const q = (queries: string | Query[]): Query[] => (typeof queries === 'string' ? [{ expr: queries }] : queries);

export const stat = (
  title: string,
  description: string,
  queries: string | Query[],
  unit: string,
  thresholds: Threshold[],
  options: Options = {},
): PanelSpec => ({
  kind: 'stat',
  title,
  description,
  queries: q(queries),
  unit,
  thresholds,
  ...options,
});

/** A full-width panel of one kind (time series or table): the stat's arguments, spanning the row. */
const fullWidth =
  (kind: 'timeseries' | 'table') =>
  (
    title: string,
    description: string,
    queries: string | Query[],
    unit: string,
    thresholds: Threshold[] = GREEN_ONLY,
    options: Options = {},
  ): PanelSpec => ({
    kind,
    title,
    description,
    queries: q(queries),
    unit,
    thresholds,
    span: 12,
    ...options,
  });

export const timeseries = fullWidth('timeseries');
export const table = fullWidth('table');

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const GENERATED = path.join(REPO, 'dashboards', 'generated');
export const PLUGIN_VARIANT = path.join(REPO, 'dashboards', 'plugin');

export interface DashboardJson {
  uid: string;
  title: string;
  revision?: number;
  description?: string;
  templating?: { list?: { name: string; type: string }[] };
  links?: { title: string; type: string; url?: string; tags?: string[] }[];
  panels?: PanelJson[];
}

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: {
    defaults?: {
      unit?: string;
      noValue?: string;
      links?: { title: string; url: string }[];
      thresholds?: { steps?: { color: string; value: number | null }[] };
    };
    overrides?: { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] }[];
  };
  transformations?: { id: string; options: Record<string, Record<string, unknown>> }[];
  targets?: { expr: string; refId: string; datasource?: { uid?: string } }[];
}

export function generatedDashboards(dir = GENERATED): DashboardJson[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as DashboardJson);
}

export interface NamedQuery {
  source: string;
  expr: string;
  /** The panel shows this text for an empty answer: empty is a valid answer ("none"). */
  noValue?: string;
}

/** Every panel query of every generated dashboard, named `<uid> / <panel title>`. */
export function dashboardQueries(): NamedQuery[] {
  return generatedDashboards().flatMap((d) =>
    (d.panels ?? []).flatMap((p) =>
      (p.targets ?? []).map((t) => ({ source: `${d.uid} / ${p.title}`, expr: t.expr, noValue: p.fieldConfig?.defaults?.noValue })),
    ),
  );
}

/** Every expression in the Prometheus rule file and the Grafana-managed alert rules. */
export function ruleQueries(): NamedQuery[] {
  const rules = YAML.parse(fs.readFileSync(path.join(REPO, 'provisioning', 'prometheus', 'rules', 'aperio.rules.yml'), 'utf8'));
  const prometheus = (rules.groups as { rules: { alert?: string; record?: string; expr: string }[] }[]).flatMap((g) =>
    g.rules.map((r) => ({ source: `rule ${r.alert ?? r.record}`, expr: r.expr.trim() })),
  );
  const grafana = YAML.parse(fs.readFileSync(path.join(REPO, 'provisioning', 'grafana', 'alerting', 'aperio.yml'), 'utf8'));
  const managed = (grafana.groups as { rules: { uid: string; data: { datasourceUid: string; model: { expr?: string } }[] }[] }[]).flatMap(
    (g) =>
      g.rules.flatMap((r) =>
        r.data.filter((d) => d.model.expr).map((d) => ({ source: `grafana alert ${r.uid}`, expr: String(d.model.expr) })),
      ),
  );
  return [...prometheus, ...managed];
}

/** What Grafana substitutes before sending a query: all tenants, and a rate window wider than two scrapes. */
export function resolveVariables(expr: string, rateInterval = '1m'): string {
  return expr.replaceAll('$__rate_interval', rateInterval).replaceAll('$tenant', '.*');
}

/** Metric names an expression reads (recording rules' `a:b:c` names are not metrics of the exporter). */
export function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = withoutStrings.match(/(?<![\w:])[a-zA-Z_][a-zA-Z0-9_]*(?=\s*(\{|\[|\)|\s|$|>|<|=|!|\+|-|\*|\/))/g) ?? [];
  return [...new Set(names.filter((n) => /^(aperio|process|nodejs)_/.test(n)))];
}

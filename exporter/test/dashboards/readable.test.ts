import { DEMO_DESTINATIONS, DEMO_PROVIDERS } from '../../src/demo/catalog';
import { providerName, siemKindName } from '../../src/status/display-names';
import { slug } from '../../src/status/components';
import { STATUS_LABEL } from '../../src/status/levels';
import { generatedDashboards, PLUGIN_VARIANT, type PanelJson } from './queries';

const provisioned = generatedDashboards();
const bundled = generatedDashboards(PLUGIN_VARIANT);
const panels = (d: { panels?: PanelJson[] }) => (d.panels ?? []).filter((p) => p.type !== 'row');
const APP = '/a/aperio-observability-app';

describe('dashboards the plugin bundles into any Grafana', () => {
  test('name no data source uid: every panel and query reads the ${datasource} variable', () => {
    expect(bundled.map((d) => d.uid)).toEqual(provisioned.map((d) => d.uid));
    for (const d of bundled) {
      expect([d.uid, d.templating?.list?.find((v) => v.type === 'datasource')?.name]).toEqual([d.uid, 'datasource']);
      const uids = JSON.stringify(d).match(/"uid":\s*"[^"]*"/g) ?? [];
      const datasourceUids = uids.filter((u) => !u.includes(`"${d.uid}"`));
      expect([d.uid, datasourceUids.every((u) => u.includes('${datasource}'))]).toEqual([d.uid, true]);
    }
  });
});

describe('readable dashboards', () => {
  test('each links to the other Aperio dashboards and to the app pages', () => {
    for (const d of provisioned) {
      const links = d.links ?? [];
      expect(links).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'dashboards', tags: ['aperio'] }),
          expect.objectContaining({ type: 'link', url: `${APP}/health` }),
          expect.objectContaining({ type: 'link', url: `${APP}/audit` }),
        ]),
      );
    }
  });

  test('table rows link to the app with their tenant, provider or rule as its filters', () => {
    const links = provisioned.flatMap((d) =>
      panels(d).flatMap((p) => (p.fieldConfig?.defaults?.links ?? []).map((l) => `${d.uid} / ${p.title}: ${l.url}`)),
    );
    expect(links).toEqual(
      expect.arrayContaining([
        `aperio-connectors / Time since last successful sync: ${APP}/health?tenant=\${__data.fields.tenant}&provider=\${__data.fields.provider}&connector=\${__data.fields.connector}`,
        `aperio-rules / Time since last run: ${APP}/audit?tenant=\${__data.fields.tenant}&rule=\${__data.fields.rule}`,
        `aperio-siem / Destinations: ${APP}/health?tenant=\${__data.fields.tenant}`,
      ]),
    );
  });

  test('an empty answer reads as "none" through noValue, not through `or vector(0)`', () => {
    for (const d of provisioned) {
      for (const p of panels(d)) {
        for (const t of p.targets ?? [])
          expect([`${d.uid} / ${p.title}`, /or vector\(0\)\s*$/.test(t.expr)]).toEqual([`${d.uid} / ${p.title}`, false]);
      }
    }
    const withNoValue = provisioned.flatMap((d) => panels(d).filter((p) => p.fieldConfig?.defaults?.noValue !== undefined));
    expect(withNoValue.length).toBeGreaterThanOrEqual(30);
  });

  test('thresholds are traffic lights: green, yellow, red', () => {
    for (const d of provisioned.filter((dash) => dash.uid !== 'aperio-status')) {
      for (const p of panels(d)) {
        const colours = (p.fieldConfig?.defaults?.thresholds?.steps ?? []).map((s) => s.color);
        expect([`${d.uid} / ${p.title}`, colours.every((c) => ['green', 'yellow', 'red'].includes(c))]).toEqual([
          `${d.uid} / ${p.title}`,
          true,
        ]);
      }
    }
  });
});

describe('the Status dashboard reads like a status page', () => {
  const status = provisioned.find((d) => d.uid === 'aperio-status')!;
  const components = panels(status).find((p) => p.title === 'Components')!;
  const mappingOf = (column: string) =>
    components.fieldConfig?.overrides?.find((o) => o.matcher.options === column)?.properties.find((p) => p.id === 'mappings')?.value as {
      options: Record<string, { text: string }>;
    }[];

  test('shows Group, Component and Status columns only, and says so when all is well', () => {
    const organize = components.transformations?.find((t) => t.id === 'organize');
    expect(organize?.options.renameByName).toEqual({ group: 'Group', component: 'Component', status: 'Status' });
    expect(organize?.options.excludeByName).toEqual({ Time: true, Value: true });
    expect(Object.keys(organize?.options.includeByName ?? {})).toEqual(['group', 'component', 'status']);
    expect(components.fieldConfig?.defaults?.noValue).toBe('All components operational');
    expect(components.targets?.[0].expr).not.toMatch(/vector|or on/);
  });

  test('names components and statuses as /status does', () => {
    const names = mappingOf('component')[0].options;
    for (const provider of DEMO_PROVIDERS) expect(names[`connector-${slug(provider)}`].text).toBe(providerName(provider));
    for (const { kind } of DEMO_DESTINATIONS) expect(names[`siem-${slug(kind)}`].text).toBe(siemKindName(kind));
    expect(names['connector-crowdstrike'].text).toBe('CrowdStrike');
    const statuses = mappingOf('status')[0].options;
    for (const [status, label] of Object.entries(STATUS_LABEL)) expect(statuses[status].text).toBe(label);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { defaultDashboard } from '@grafana/schema';
import pluginJson from '../plugin.json';
import pluginPackage from '../../package.json';

// One Grafana version line: what the plugin is built against is what it declares, what every compose
// file runs and what the importable dashboards require.
const REPO = path.resolve(__dirname, '../../..');
const BUILT_AGAINST = pluginPackage.dependencies['@grafana/data'];
const readYaml = (file: string) => YAML.parse(fs.readFileSync(path.join(REPO, file), 'utf8'));
const importable = fs
  .readdirSync(path.join(REPO, 'dashboards/importable'))
  .map((file) => JSON.parse(fs.readFileSync(path.join(REPO, 'dashboards/importable', file), 'utf8')));

describe('the Grafana version line', () => {
  it('builds every @grafana package at one exact version', () => {
    expect(BUILT_AGAINST).toMatch(/^\d+\.\d+\.\d+$/);
    const grafanaDeps = Object.entries(pluginPackage.dependencies).filter(([name]) =>
      /^@grafana\/(data|runtime|ui|schema|i18n)$/.test(name)
    );
    expect(grafanaDeps.map(([, version]) => version)).toEqual(grafanaDeps.map(() => BUILT_AGAINST));
  });

  it('declares that version as the oldest Grafana it runs on', () => {
    expect(pluginJson.dependencies.grafanaDependency).toBe(`>=${BUILT_AGAINST}`);
  });

  it('runs that Grafana in the demo compose file and the plugin development compose file', () => {
    expect(readYaml('docker-compose.yml').services.grafana.image).toBe(`grafana/grafana:${BUILT_AGAINST}`);
    expect(readYaml('grafana-plugin/docker-compose.yaml').services.grafana.build.args.grafana_version).toBe(
      `\${GRAFANA_VERSION:-${BUILT_AGAINST}}`
    );
  });

  it('has the importable dashboards require it, in the schema version that Grafana writes', () => {
    expect(importable).toHaveLength(7);
    for (const dashboard of importable) {
      const grafana = dashboard.__requires.find((r: { id: string }) => r.id === 'grafana');
      expect([dashboard.uid, grafana.version]).toEqual([dashboard.uid, BUILT_AGAINST]);
      expect([dashboard.uid, dashboard.schemaVersion]).toEqual([dashboard.uid, defaultDashboard.schemaVersion]);
    }
  });
});

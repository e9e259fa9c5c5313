import fs from 'node:fs';
import path from 'node:path';

/**
 * The Grafana version the app plugin is built against (its `@grafana/data` dependency) is the one
 * version line of the project: the plugin's `grafanaDependency`, the compose files' Grafana images and
 * the importable dashboards' `__requires` all name it, and a plugin test keeps them in step.
 */
const pluginPackage = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../grafana-plugin/package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
export const GRAFANA_VERSION = pluginPackage.dependencies['@grafana/data'];

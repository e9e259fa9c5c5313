import fs from 'node:fs';
import path from 'node:path';

/**
 * What the dashboards take from the app plugin beside them. The Grafana version the plugin is built
 * against (its `@grafana/data` dependency) is the one version line of the project: the plugin's
 * `grafanaDependency`, the compose files' Grafana images and the importable dashboards' `__requires`
 * all name it, and a plugin test keeps them in step. The app's id gives the links to its pages.
 */
const PLUGIN = path.resolve(__dirname, '../../grafana-plugin');
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(PLUGIN, file), 'utf8')) as T;

export const GRAFANA_VERSION = readJson<{ dependencies: Record<string, string> }>('package.json').dependencies['@grafana/data'];
const APP_ID = readJson<{ id: string }>('src/plugin.json').id;

/** The app's pages, as Grafana serves them; the query parameters are the ones each page reads. */
export const APP_PAGES = {
  health: `/a/${APP_ID}/health`,
  audit: `/a/${APP_ID}/audit`,
  status: `/a/${APP_ID}/status`,
};

/** A table-row link to an app page, carrying the row's labels (`tenant`, `provider`, `connector`, `rule`) as the page's filters. */
const rowLink = (title: string, page: string, labels: string[]) => ({
  title,
  url: `${page}?${labels.map((label) => `${label}=\${__data.fields.${label}}`).join('&')}`,
});
export const toHealth = (...labels: Array<'tenant' | 'provider' | 'connector'>) =>
  rowLink('Health in the Aperio app', APP_PAGES.health, labels);
export const toAudit = (...labels: Array<'tenant' | 'rule'>) => rowLink('Rule audit log in the Aperio app', APP_PAGES.audit, labels);

import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;
export const PROXY_BASE_URL = `/api/plugin-proxy/${PLUGIN_ID}`;
export const CONFIG_URL = `/plugins/${PLUGIN_ID}`;

export enum ROUTES {
  Health = 'health',
  Audit = 'audit',
  Status = 'status',
}

/** Dashboard uids of the bundled dashboards (dashboards/generated), stable across revisions. */
export const DASHBOARDS = {
  overview: 'aperio-overview',
  connectors: 'aperio-connectors',
  siem: 'aperio-siem',
  ingestion: 'aperio-ingestion',
  rules: 'aperio-rules',
  status: 'aperio-status',
} as const;

export const dashboardUrl = (uid: string, tenant?: string) =>
  `/d/${uid}${tenant ? `?var-tenant=${encodeURIComponent(tenant)}` : ''}`;
